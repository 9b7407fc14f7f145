"""Helpers for the nn tests: move weights to PyTorch through state dicts, compare grads."""
import numpy as np


def to_torch_state(module) -> dict:
    """An ivanet state dict as torch tensors (same keys: the layouts are PyTorch's)."""
    import torch

    return {name: torch.from_numpy(np.array(array)) for name, array in
            module.state_dict().items()}


def assert_grads_match(module, torch_module, rtol=1e-5, atol=1e-6) -> None:
    """Every parameter's gradient equals PyTorch's (matched by name)."""
    torch_params = dict(torch_module.named_parameters())
    names = [name for name, _ in module.named_parameters()]
    assert names == list(torch_params), (names, list(torch_params))
    for name, param in module.named_parameters():
        np.testing.assert_allclose(param.grad, torch_params[name].grad.numpy(), rtol=rtol,
                                   atol=atol, err_msg=name)

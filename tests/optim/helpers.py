"""Shared helpers: run an ivanet optimizer and its torch.optim twin on the same gradients."""
from __future__ import annotations

import numpy as np
import torch

from ivanet.autograd.tensor import Tensor
from ivanet.nn.parameter import Parameter

# A matrix, a bias, a 3-d tensor and a one-element "scalar-ish" bias.
SHAPES = [(4, 3), (3,), (2, 2, 2), (1,)]


def make_problem(seed: int, steps: int, dtype=np.float64):
    """Initial parameter values and one random gradient per parameter and step."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
    grads = [[rng.standard_normal(shape).astype(dtype) for shape in SHAPES]
             for _ in range(steps)]
    return init, grads


def give_grads(params, grads, via_engine: bool) -> None:
    """Set the gradients: through a backward pass of ``p * g`` or by writing ``p.grad``."""
    for p, g in zip(params, grads):
        if via_engine:
            (p * Tensor(g)).backward(np.ones(p.shape, dtype=p.dtype))
        else:
            p.grad[...] = g


def run_ivanet(optimizer_class, options, init, grads, via_engine=False, params=None):
    """The parameter values after one ``step()`` per entry of ``grads``."""
    params = params or [Parameter(a.copy()) for a in init]
    optimizer = optimizer_class(params, **options)
    for step_grads in grads:
        optimizer.zero_grad()
        give_grads(params, step_grads, via_engine)
        optimizer.step()
    return [p.data.copy() for p in params]


def run_torch(optimizer_class, options, init, grads):
    """The same as :func:`run_ivanet` with a ``torch.optim`` optimizer."""
    params = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    optimizer = optimizer_class(params, **options)
    for step_grads in grads:
        optimizer.zero_grad()
        for p, g in zip(params, step_grads):
            p.grad = torch.tensor(g)
        optimizer.step()
    return [p.detach().numpy().copy() for p in params]


def tolerances(dtype) -> dict:
    """Comparison tolerances against PyTorch for a dtype."""
    return {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-5,
                                                                         "atol": 1e-6}


def assert_all_close(ours, theirs, **tol) -> None:
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a.dtype == b.dtype, f"parameter {i}: dtype {a.dtype} vs {b.dtype}"
        np.testing.assert_allclose(a, b, err_msg=f"parameter {i}", **tol)

"""Linear, activation layers, Maxout, Flatten, Identity: outputs and every gradient vs PyTorch."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import (ELU, Flatten, Identity, LeakyReLU, Linear, LogSoftmax, Maxout, ReLU,
                       Sequential, Sigmoid, Softmax, Tanh)

from nn_helpers import assert_grads_match, to_torch_state

torch = pytest.importorskip("torch")


def run_both(layer, torch_layer, x: np.ndarray, rng):
    """Forward both on x (float64), back-propagate the same random upstream gradient."""
    ours_x = Tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), torch_layer(theirs_x)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-7, atol=1e-10)
    upstream = rng.standard_normal(ours.shape)
    ours.backward(upstream)
    theirs.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3)])
def test_linear_matches_torch(rng, bias, shape):
    layer = Linear(3, 4, bias=bias, rng=rng, dtype=np.float64)
    assert layer.weight.shape == (4, 3)
    twin = torch.nn.Linear(3, 4, bias=bias, dtype=torch.float64)
    twin.load_state_dict(to_torch_state(layer))
    run_both(layer, twin, rng.standard_normal(shape), rng)
    assert_grads_match(layer, twin, rtol=1e-7, atol=1e-10)


def test_linear_defaults_to_float32_and_keeps_it(rng):
    layer = Linear(3, 2, rng=rng)
    out = layer(Tensor(rng.standard_normal((4, 3)).astype(np.float32)))
    assert layer.weight.dtype == np.float32 and out.dtype == np.float32


@pytest.mark.parametrize("layer, twin", [
    (Sigmoid(), torch.nn.Sigmoid()), (Tanh(), torch.nn.Tanh()), (ReLU(), torch.nn.ReLU()),
    (LeakyReLU(0.1), torch.nn.LeakyReLU(0.1)), (ELU(0.7), torch.nn.ELU(0.7)),
    (Softmax(axis=1), torch.nn.Softmax(dim=1)), (LogSoftmax(), torch.nn.LogSoftmax(dim=-1)),
    (Flatten(), torch.nn.Flatten()), (Identity(), torch.nn.Identity()),
], ids=lambda m: type(m).__name__)
def test_parameter_free_layers_match_torch(rng, layer, twin):
    run_both(layer, twin, rng.standard_normal((4, 3, 2)), rng)


class TorchMaxout(torch.nn.Module):
    def __init__(self, n_in, n_out, pieces):
        super().__init__()
        self.n_out, self.pieces = n_out, pieces
        self.weight = torch.nn.Parameter(torch.zeros(n_out * pieces, n_in, dtype=torch.float64))
        self.bias = torch.nn.Parameter(torch.zeros(n_out * pieces, dtype=torch.float64))

    def forward(self, x):
        z = torch.nn.functional.linear(x, self.weight, self.bias)
        return z.view(*z.shape[:-1], self.n_out, self.pieces).amax(-1)


def test_maxout_is_the_max_of_pieces_linear_maps(rng):
    layer = Maxout(3, 2, pieces=3, rng=rng, dtype=np.float64)
    assert layer.weight.shape == (6, 3)
    twin = TorchMaxout(3, 2, 3)
    twin.load_state_dict(to_torch_state(layer))
    run_both(layer, twin, rng.standard_normal((5, 3)), rng)
    assert_grads_match(layer, twin, rtol=1e-7, atol=1e-10)


def test_maxout_with_two_pieces_is_the_slides_formula(rng):
    layer = Maxout(3, 1, pieces=2, rng=rng, dtype=np.float64)
    x = rng.standard_normal((4, 3))
    (w1, w2), (b1, b2) = layer.weight.data, layer.bias.data
    np.testing.assert_allclose(layer(Tensor(x)).data[:, 0],
                               np.maximum(x @ w1 + b1, x @ w2 + b2))


def test_shape_error_names_the_layer_by_its_path(rng):
    model = Sequential()
    model.append(Linear(10, 256, rng=rng))
    model.classifier = Sequential(ReLU(), Identity(), Linear(128, 10, rng=rng))
    x = Tensor(np.zeros((64, 10), dtype=np.float32))
    with pytest.raises(ValueError, match=r"^Linear 'classifier\.2': expected input with 128 "
                                         r"features \(last dim\), got shape \(64, 256\)$"):
        model(x)


def test_maxout_and_flatten_errors_name_the_layer():
    with pytest.raises(ValueError, match="Maxout: expected input with 3 features"):
        Maxout(3, 2)(Tensor(np.zeros((1, 4), dtype=np.float32)))
    with pytest.raises(ValueError, match="Flatten: cannot flatten from dim 1"):
        Flatten()(Tensor(np.zeros(4, dtype=np.float32)))


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_sizes_are_rejected(bad):
    with pytest.raises(ValueError, match="in_features must be a positive int"):
        Linear(bad, 2)

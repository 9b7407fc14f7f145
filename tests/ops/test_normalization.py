"""batch_norm and layer_norm: finite differences, PyTorch parity, running statistics."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from op_checks import check_op, normal, seeds

from ivanet import Tensor
from ivanet.ops.normalization import batch_norm, layer_norm


@st.composite
def batch_shapes(draw):
    """(N, C), (N, C, L) or (N, C, H, W) with at least three values per channel.

    (With two, x̂ = ±1/√(1 + ε/σ²) barely depends on x: a gradient near 0 that finite
    differences cannot resolve to a relative 10⁻⁶.)
    """
    spatial = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    samples = draw(st.integers(-(-3 // int(np.prod(spatial))), 4))
    return (samples, draw(st.integers(1, 3))) + spatial


@given(shape=batch_shapes(), affine=st.booleans(), seed=seeds)
def test_batch_norm_training(shape, affine, seed):
    # seed + 1: data drawn like the upstream gradient would make it a multiple of x̂ + c,
    # whose gradient through the normalisation is exactly 0.
    x, gamma, beta = normal(seed + 1, shape, shape[1:2], shape[1:2])
    channels = shape[1]

    def ours(x, *params):
        return batch_norm(x, *(params or (None, None)), np.zeros(channels),
                          np.ones(channels), True)

    def theirs(x, *params):
        return F.batch_norm(x, torch.zeros(channels, dtype=x.dtype),
                            torch.ones(channels, dtype=x.dtype), *params, training=True)

    params = (gamma, beta) if affine else ()
    # A batch of 2-3 samples per channel gives a nearly singular Jacobian and tiny gradients,
    # where central differences lose a digit; PyTorch parity below stays at 1e-10.
    check_op(ours, theirs, x * 2 + 1, *params, seed=seed, fd_tol=1e-5)


@given(shape=batch_shapes(), seed=seeds)
def test_batch_norm_evaluation_uses_running_statistics(shape, seed):
    x, gamma, beta, running_mean = normal(seed, shape, shape[1:2], shape[1:2], shape[1:2])
    running_var = np.random.default_rng(seed).uniform(0.5, 2.0, shape[1:2])
    check_op(lambda x, g, b: batch_norm(x, g, b, running_mean, running_var, False),
             lambda x, g, b: F.batch_norm(x, torch.tensor(running_mean),
                                          torch.tensor(running_var), g, b, training=False),
             x, gamma, beta, seed=seed)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape, momentum", [((8, 3), 0.1), ((4, 3, 5, 5), 0.1),
                                             ((6, 2, 7), 0.3)])
def test_running_statistics_follow_torch_over_several_steps(shape, momentum, dtype):
    rng = np.random.default_rng(0)
    channels = shape[1]
    running_mean, running_var = np.zeros(channels, dtype), np.ones(channels, dtype)
    buffers = (running_mean, running_var)
    torch_mean = torch.zeros(channels, dtype=torch.float64)
    torch_var = torch.ones(channels, dtype=torch.float64)
    for _ in range(5):
        x = (rng.standard_normal(shape) * 3 + 2).astype(dtype)
        batch_norm(Tensor(x), None, None, running_mean, running_var, True, momentum)
        F.batch_norm(torch.tensor(x, dtype=torch.float64), torch_mean, torch_var,
                     training=True, momentum=momentum)
    assert (running_mean, running_var) == buffers               # updated in place
    assert running_mean.dtype == running_var.dtype == dtype
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(running_mean, torch_mean.numpy(), rtol=rtol)
    np.testing.assert_allclose(running_var, torch_var.numpy(), rtol=rtol)


def test_running_statistics_as_tensors_are_updated_in_place():
    running_mean, running_var = Tensor(np.zeros(2)), Tensor(np.ones(2))
    x = np.random.default_rng(0).standard_normal((5, 2)) + 3
    batch_norm(Tensor(x), None, None, running_mean, running_var, True)
    np.testing.assert_allclose(running_mean.data, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(running_var.data, 0.9 + 0.1 * x.var(axis=0, ddof=1))


def test_evaluation_without_running_statistics_uses_the_batch(rng):
    x = rng.standard_normal((6, 3))
    np.testing.assert_allclose(batch_norm(Tensor(x), None, None, None, None, False).data,
                               F.batch_norm(torch.tensor(x), None, None, training=True).numpy())


def test_batch_norm_float32_stays_float32(rng):
    x = Tensor(rng.standard_normal((4, 3, 2, 2)).astype(np.float32), requires_grad=True)
    gamma = Tensor(np.ones(3, np.float32), requires_grad=True)
    beta = Tensor(np.zeros(3, np.float32), requires_grad=True)
    for training in (True, False):
        out = batch_norm(x, gamma, beta, np.zeros(3, np.float32), np.ones(3, np.float32),
                         training)
        out.backward(np.ones(out.shape, np.float32))
        assert out.dtype == x.grad.dtype == gamma.grad.dtype == beta.grad.dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda: batch_norm(Tensor(np.zeros(4)), None, None, None, None, True),
     r"input must be \(N, C, ...\)"),
    (lambda: batch_norm(Tensor(np.zeros((4, 3))), Tensor(np.ones(4)), None, None, None, True),
     r"gamma must have shape \(3,\) for input of shape \(4, 3\).*got \(4,\)"),
    (lambda: batch_norm(Tensor(np.zeros((4, 3))), None, None, np.zeros(2), np.ones(2), True),
     r"running_mean must have shape \(3,\)"),
    (lambda: batch_norm(Tensor(np.zeros((4, 3))), None, None, np.zeros(3), None, True),
     "both running_mean and running_var"),
    (lambda: batch_norm(Tensor(np.zeros((1, 3))), None, None, np.zeros(3), np.ones(3), True),
     "more than one value per channel"),
    (lambda: layer_norm(Tensor(np.zeros((4, 3))), 4), r"does not end with normalized_shape"),
    (lambda: layer_norm(Tensor(np.zeros((4, 3))), 3, Tensor(np.ones(4))),
     r"gamma must have shape \(3,\)"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@given(lead=st.lists(st.integers(1, 3), min_size=0, max_size=2),
       normalized=st.lists(st.integers(3, 4), min_size=1, max_size=2), affine=st.booleans(),
       seed=seeds)
def test_layer_norm(lead, normalized, affine, seed):
    shape, normalized = tuple(lead) + tuple(normalized), tuple(normalized)
    x, gamma, beta = normal(seed + 1, shape, normalized, normalized)     # seed + 1: see above
    params = (gamma, beta) if affine else ()
    check_op(lambda x, *p: layer_norm(x, normalized, *p),
             lambda x, *p: F.layer_norm(x, normalized, *p), x * 2 + 1, *params, seed=seed)

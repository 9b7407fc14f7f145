"""sum, mean, max, min, var, logsumexp over any axes: finite differences and PyTorch parity."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from op_checks import axes, check_op, normal, seeds, shapes, torch_dims

from ivanet import Tensor
from ivanet.ops import reduction

OPS = {
    "sum": (reduction.sum, torch.sum),
    "mean": (reduction.mean, torch.mean),
    "max": (reduction.max, torch.amax),
    "min": (reduction.min, torch.amin),
    "logsumexp": (reduction.logsumexp, torch.logsumexp),
}


@st.composite
def reduction_cases(draw):
    """(shape, axis, keepdims) for a reduction."""
    shape = draw(shapes())
    return shape, draw(axes(len(shape))), draw(st.booleans())


@pytest.mark.parametrize("name", sorted(OPS))
@given(case=reduction_cases(), seed=seeds)
def test_reduction(name, case, seed):
    op, torch_op = OPS[name]
    shape, axis, keepdims = case
    x, = normal(seed, shape)  # continuous values: no ties for max/min
    check_op(lambda x: op(x, axis, keepdims),
             lambda x: torch_op(x, dim=torch_dims(axis, x.ndim), keepdim=keepdims), x,
             seed=seed)


@given(case=reduction_cases(), ddof=st.integers(0, 2), seed=seeds)
def test_var(case, ddof, seed):
    shape, axis, keepdims = case
    count = int(np.prod([shape[a] for a in np.atleast_1d(
        np.arange(len(shape)) if axis is None else axis)], dtype=int))
    assume(count > ddof)
    x, = normal(seed, shape)
    check_op(lambda x: x.var(axis, keepdims, ddof),
             lambda x: torch.var(x, dim=torch_dims(axis, x.ndim), correction=ddof,
                                 keepdim=keepdims), x, seed=seed)


def test_var_with_too_few_values_raises():
    with pytest.raises(ValueError, match="ddof=1"):
        Tensor(np.ones((1, 3)), requires_grad=True).var(axis=0, ddof=1)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
def test_max_min_ties_share_the_gradient_like_amax(name, axis, rng):
    op, torch_op = OPS[name]
    x = rng.integers(-1, 2, (3, 4, 2)).astype(np.float64)  # many ties
    check_op(lambda x: op(x, axis), lambda x: torch_op(x, dim=torch_dims(axis, 3)), x, fd=False)


def test_tensor_methods_call_the_reductions(rng):
    x = Tensor(rng.standard_normal((2, 3, 4)))
    for name in ("sum", "mean", "max", "min", "var", "logsumexp"):
        method = getattr(x, name)(axis=(0, -1), keepdims=True)
        expected = getattr(reduction, name)(x, (0, 2), True)
        np.testing.assert_array_equal(method.data, expected.data)
        assert method.shape == (1, 3, 1)


def test_full_reduction_gives_a_0d_array(rng):
    out = reduction.sum(Tensor(rng.standard_normal((2, 3))))
    assert isinstance(out.data, np.ndarray) and out.shape == ()


@pytest.mark.parametrize("axis, error", [(2, np.exceptions.AxisError),
                                         (-3, np.exceptions.AxisError),
                                         ((0, -2), ValueError)])
def test_bad_axis_raises(axis, error):
    with pytest.raises(error, match="axis"):
        reduction.sum(Tensor(np.ones((2, 3))), axis)


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_logsumexp_is_stable_for_large_inputs(scale, rng):
    z = rng.standard_normal((4, 5)) * 3 + scale
    z[0, 0] = scale + 30  # spread: most terms underflow to 0, which is fine
    x = Tensor(z, requires_grad=True)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                               divide="raise"):
        warnings.simplefilter("error")
        out = x.logsumexp(axis=1)
        out.sum().backward()
    expected = torch.logsumexp(torch.tensor(z), dim=1).numpy()
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    assert np.isfinite(x.grad).all()
    np.testing.assert_allclose(x.grad.sum(axis=1), np.ones(4))  # softmax rows sum to 1


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    x = Tensor(np.array([[-np.inf, -np.inf], [0.0, 1.0]]))
    with np.errstate(divide="ignore"):
        out = x.logsumexp(axis=1)
    assert out.data[0] == -np.inf
    np.testing.assert_allclose(out.data[1], np.log(1 + np.e))


def test_gradients_keep_float32(rng):
    x = Tensor(rng.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    for name in ("sum", "mean", "max", "min", "var", "logsumexp"):
        out = getattr(x, name)(axis=1)
        assert out.dtype == np.float32, name
        x.grad = None
        out.backward(np.ones(3, np.float32))
        assert x.grad.dtype == np.float32, name

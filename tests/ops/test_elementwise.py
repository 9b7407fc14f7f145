"""exp, log, sqrt, abs, clip, maximum, minimum, where: finite differences and PyTorch parity.

Finite-difference checks stay away from points without a derivative (|x| at 0, clip at
its bounds, ties of maximum); PyTorch parity checks those points on their own.
"""
import numpy as np
import pytest
import torch
from hypothesis import given
from op_checks import away_from_zero, broadcast_shapes, check_op, normal, seeds, shapes

from ivanet import Tensor
from ivanet.ops import abs, clip, elementwise, exp, log, maximum, minimum, sqrt, where  # noqa: A004


@given(shape=shapes(), seed=seeds)
def test_exp(shape, seed):
    x, = normal(seed, shape)
    check_op(exp, torch.exp, x, seed=seed)


@pytest.mark.parametrize("op, torch_op", [(log, torch.log), (sqrt, torch.sqrt)])
@given(shape=shapes(), seed=seeds)
def test_log_sqrt(op, torch_op, shape, seed):
    x, = away_from_zero(seed, shape, low=0.2, high=3.0, positive=True)
    check_op(op, torch_op, x, seed=seed)


@given(shape=shapes(), seed=seeds)
def test_abs(shape, seed):
    x, = away_from_zero(seed, shape, low=0.1)
    check_op(abs, torch.abs, x, seed=seed)


def test_abs_at_zero_has_zero_gradient_like_torch():
    check_op(abs, torch.abs, np.array([-1.0, 0.0, 2.0]), fd=False)


@pytest.mark.parametrize("low, high", [(-0.5, 0.7), (None, 0.3), (-0.2, None)])
@given(shape=shapes(), seed=seeds)
def test_clip(low, high, shape, seed):
    x, = normal(seed, shape)
    for bound in (low, high):  # finite differences need distance from the kinks
        if bound is not None:
            x[np.abs(x - bound) < 1e-3] += 1e-2
    check_op(lambda x: clip(x, low, high), lambda x: torch.clamp(x, low, high), x, seed=seed)


def test_clip_at_its_bounds_passes_the_gradient_like_torch():
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    check_op(lambda x: x.clip(-0.5, 0.5), lambda x: torch.clamp(x, -0.5, 0.5), x, fd=False)


def test_clip_needs_a_bound():
    with pytest.raises(ValueError, match="low and high"):
        clip(Tensor(np.ones(2)))


@pytest.mark.parametrize("op, torch_op", [(maximum, torch.maximum), (minimum, torch.minimum)])
@given(pair=broadcast_shapes(2), seed=seeds)
def test_maximum_minimum(op, torch_op, pair, seed):
    a, b = normal(seed, *pair)  # continuous values: no ties
    check_op(op, torch_op, a, b, seed=seed)


@pytest.mark.parametrize("op, torch_op", [(maximum, torch.maximum), (minimum, torch.minimum)])
def test_maximum_minimum_split_ties_half_half_like_torch(op, torch_op, rng):
    a = rng.integers(-1, 2, (4, 3)).astype(np.float64)
    b = rng.integers(-1, 2, (3,)).astype(np.float64)  # broadcast, many ties
    check_op(op, torch_op, a, b, fd=False)


@pytest.mark.parametrize("op, torch_op", [(maximum, torch.clamp_min), (minimum, torch.clamp_max)])
def test_maximum_minimum_with_a_number(op, torch_op):
    x, = away_from_zero(3, (3, 4))
    check_op(lambda x: op(x, 0.0), lambda x: torch_op(x, 0.0), x)
    check_op(lambda x: op(0.0, x), lambda x: torch_op(x, 0.0), x)


@given(triple=broadcast_shapes(3), seed=seeds)
def test_where(triple, seed):
    cond_shape, a_shape, b_shape = triple
    rng = np.random.default_rng(seed)
    condition = np.asarray(rng.random(cond_shape) < 0.5)
    a, b = normal(seed, a_shape, b_shape)
    check_op(lambda a, b: where(condition, a, b),
             lambda a, b: torch.where(torch.from_numpy(condition), a, b), a, b, seed=seed)


def test_where_with_a_tensor_condition_and_a_number(rng):
    a = rng.standard_normal((3, 4))
    condition = a > 0
    check_op(lambda a: where(Tensor(condition), a, 0.0),
             lambda a: torch.where(torch.from_numpy(condition), a, 0.0), a)


def test_where_rejects_a_non_boolean_condition():
    with pytest.raises(TypeError, match="boolean"):
        where(np.array([1.0, 0.0]), Tensor(np.ones(2)), 0.0)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "abs"])
def test_tensor_methods(name):
    x, = away_from_zero(4, (2, 3), positive=True)
    np.testing.assert_array_equal(getattr(Tensor(x), name)().data,
                                  getattr(elementwise, name)(Tensor(x)).data)


@pytest.mark.parametrize("fn", [exp, log, sqrt, abs, lambda x: clip(x, 0.6, 1.2),
                                lambda x: maximum(x, 1.0), lambda x: minimum(x, x * 0.5),
                                lambda x: where(x.data > 1, x, 0.0)])
def test_float32_stays_float32(fn, rng):
    x = Tensor(rng.uniform(0.5, 2.0, (3, 4)).astype(np.float32), requires_grad=True)
    out = fn(x)
    assert out.dtype == np.float32
    out.backward(np.ones((3, 4), np.float32))
    assert x.grad.dtype == np.float32

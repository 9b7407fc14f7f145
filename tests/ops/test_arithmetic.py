"""add, sub, mul, div, pow, neg: finite differences and PyTorch parity, with broadcasting."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from op_checks import away_from_zero, broadcast_shapes, check_op, normal, seeds, shapes

from ivanet import Tensor
from ivanet.ops import arithmetic


@pytest.mark.parametrize("op, torch_op", [
    (lambda a, b: a + b, torch.add),
    (lambda a, b: a - b, torch.sub),
    (lambda a, b: a * b, torch.mul),
])
@given(pair=broadcast_shapes(2), seed=seeds)
def test_binary_ops_broadcast(op, torch_op, pair, seed):
    a, b = normal(seed, *pair)
    check_op(op, torch_op, a, b, seed=seed)


@given(pair=broadcast_shapes(2), seed=seeds)
def test_div(pair, seed):
    a, = normal(seed, pair[0])
    b, = away_from_zero(seed, pair[1])
    check_op(lambda a, b: a / b, torch.div, a, b, seed=seed)


@given(shape=shapes(), exponent=st.sampled_from([-2.0, -0.5, 0.5, 2.0, 3.0]), seed=seeds)
def test_pow_number_exponent(shape, exponent, seed):
    a, = away_from_zero(seed, shape, positive=True)
    check_op(lambda a: a ** exponent, lambda a: a ** exponent, a, seed=seed)


@given(pair=broadcast_shapes(2), seed=seeds)
def test_pow_tensor_exponent(pair, seed):
    a, = away_from_zero(seed, pair[0], positive=True)
    p, = normal(seed + 1, pair[1])
    check_op(lambda a, p: a ** p, torch.pow, a, p, seed=seed)


def test_pow_integer_exponent_of_negative_base(rng):
    a = rng.standard_normal((3, 4))
    check_op(lambda a: a ** 3, lambda a: a ** 3, a)


@given(shape=shapes(), seed=seeds)
def test_neg(shape, seed):
    a, = normal(seed, shape)
    check_op(lambda a: -a, torch.neg, a, seed=seed)


@pytest.mark.parametrize("op", [
    lambda a: 2.0 + a, lambda a: a + 2.0, lambda a: 2.0 - a, lambda a: a - 2.0,
    lambda a: 3.0 * a, lambda a: a * 3.0, lambda a: 1.5 / a, lambda a: a / 1.5,
    lambda a: 2.0 ** a,
])
def test_python_number_operands(op):
    a, = away_from_zero(7, (2, 3))
    check_op(op, op, a)


def test_array_operand_is_a_constant(rng):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    x = Tensor(a, requires_grad=True)
    out = b * x + b  # ndarray on the left: Tensor's reflected ops take over
    assert isinstance(out, Tensor)
    out.backward(np.ones((2, 3)))
    np.testing.assert_allclose(x.grad, np.broadcast_to(b, (2, 3)))


@pytest.mark.parametrize("op", [arithmetic.add, arithmetic.sub, arithmetic.mul,
                                arithmetic.div, arithmetic.pow])
def test_float32_stays_float32(op, rng):
    a = Tensor(rng.uniform(0.5, 2.0, (2, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(rng.uniform(0.5, 2.0, (3,)).astype(np.float32), requires_grad=True)
    out = op(a, b) * 0.5
    assert out.dtype == np.float32
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32

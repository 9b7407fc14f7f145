"""matmul: 1-D, 2-D and batched operands with broadcast batch axes, against PyTorch."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from op_checks import broadcast_shapes, check_op, normal, seeds

from ivanet import Tensor
from ivanet.ops import matmul


@st.composite
def matmul_shapes(draw):
    """Operand shapes (a, b) for a @ b: either may be 1-D; batch axes broadcast."""
    batch_a, batch_b = draw(broadcast_shapes(2, max_dims=2, max_side=3))
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    a_shape = (k,) if draw(st.booleans()) else batch_a + (n, k)
    b_shape = (k,) if draw(st.booleans()) else batch_b + (k, m)
    return a_shape, b_shape


@given(operand_shapes=matmul_shapes(), seed=seeds)
def test_matmul(operand_shapes, seed):
    a, b = normal(seed, *operand_shapes)
    check_op(lambda a, b: a @ b, torch.matmul, a, b, seed=seed)


@pytest.mark.parametrize("a_shape, b_shape", [
    ((4,), (4,)), ((4,), (4, 3)), ((2, 4), (4,)), ((4,), (2, 4, 3)), ((2, 5, 4), (4,)),
    ((2, 1, 3, 4), (5, 4, 2)),
])
def test_matmul_edge_shapes(a_shape, b_shape):
    a, b = normal(3, a_shape, b_shape)
    check_op(matmul, torch.matmul, a, b)


def test_matmul_with_a_constant_operand(rng):
    w = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    x = rng.standard_normal((5, 3))
    out = matmul(x, w)
    assert out.creator.backward(np.ones((5, 2)))[0] is None  # grad of x is not computed
    out.sum().backward()
    np.testing.assert_allclose(w.grad, x.T @ np.ones((5, 2)))


@pytest.mark.parametrize("a_shape, b_shape", [((2, 3), (4, 2)), ((3,), (4,)), ((2, 3), ())])
def test_matmul_shape_errors_are_clear(a_shape, b_shape):
    a = Tensor(np.ones(a_shape), requires_grad=True)
    with pytest.raises(ValueError, match="matmul"):
        matmul(a, Tensor(np.ones(b_shape)))


def test_matmul_float32_stays_float32(rng):
    a = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32

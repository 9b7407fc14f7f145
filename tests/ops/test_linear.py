"""linear: x Wᵀ + b as one op, against finite differences and PyTorch; shape errors."""
import numpy as np
import pytest
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from op_checks import check_op, normal, seeds, shapes

from ivanet import Tensor
from ivanet.ops.linear import linear


@given(lead=shapes(min_dims=0, max_dims=3, max_side=3), features=st.integers(1, 4),
       outputs=st.integers(1, 4), bias=st.booleans(), seed=seeds)
def test_linear(lead, features, outputs, bias, seed):
    """x of shape (..., in): (in,), (N, in) and (N, T, in) alike."""
    x, weight, b = normal(seed, lead + (features,), (outputs, features), (outputs,))
    if bias:
        check_op(linear, F.linear, x, weight, b, seed=seed)
    else:
        check_op(linear, F.linear, x, weight, seed=seed)


def test_linear_is_one_op_of_its_three_inputs(rng):
    x, w, b = (Tensor(a, requires_grad=True) for a in normal(0, (4, 3), (2, 3), (2,)))
    out = linear(x, w, b)
    assert out.creator.inputs == (x, w, b)


@pytest.mark.parametrize("needed", [(True, False, False), (False, True, False),
                                    (False, False, True), (False, True, True)])
def test_only_the_needed_gradients(needed):
    arrays = normal(1, (5, 3), (2, 3), (2,))
    tensors = [Tensor(a, requires_grad=n) for a, n in zip(arrays, needed)]
    linear(*tensors).backward(np.ones((5, 2)))
    assert [t.grad is not None for t in tensors] == list(needed)


def test_float32_stays_float32():
    x = Tensor(np.ones((3, 4), np.float32), requires_grad=True)
    w = Tensor(np.ones((2, 4), np.float32), requires_grad=True)
    b = Tensor(np.ones(2, np.float32), requires_grad=True)
    out = linear(x, w, b)
    out.backward(np.ones((3, 2), np.float32))
    assert out.dtype == x.grad.dtype == w.grad.dtype == b.grad.dtype == np.float32


def test_input_features_mismatch_names_both_sizes():
    with pytest.raises(ValueError, match=r"linear: input has 784 features \(last dim of shape "
                                         r"\(128, 784\)\) but weight expects 256"):
        linear(Tensor(np.zeros((128, 784))), Tensor(np.zeros((10, 256))))


@pytest.mark.parametrize("weight_shape, bias_shape, message", [
    ((10,), None, "weight must be 2-D"),
    ((3, 4), (4,), r"bias must have shape \(3,\)"),
    ((3, 4), (3, 1), r"bias must have shape \(3,\)"),
])
def test_bad_weight_or_bias(weight_shape, bias_shape, message):
    bias = None if bias_shape is None else Tensor(np.zeros(bias_shape))
    with pytest.raises(ValueError, match=message):
        linear(Tensor(np.zeros((2, 4))), Tensor(np.zeros(weight_shape)), bias)

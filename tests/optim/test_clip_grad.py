"""Gradient clipping against torch.nn.utils, on plain tensors and on flat optimizer buffers."""
import math

import numpy as np
import pytest
import torch

from ivanet.autograd.tensor import Tensor
from ivanet.nn.parameter import Parameter
from ivanet.optim import SGD, clip_grad_norm_, clip_grad_value_
from ivanet.optim.clip import _flat_or_each

from .helpers import SHAPES


def make_pair(seed: int, flat: bool, dtype=np.float64, scale: float = 1.0):
    """ivanet params (in an optimizer's flat buffer, or not) and torch twins, same grads."""
    rng = np.random.default_rng(seed)
    params = [Parameter(rng.standard_normal(shape).astype(dtype)) for shape in SHAPES]
    if flat:
        SGD(params, lr=0.1)
    tparams = [torch.tensor(p.data.copy(), requires_grad=True) for p in params]
    for p, q in zip(params, tparams):
        g = (scale * rng.standard_normal(p.shape)).astype(dtype)
        if flat:
            p.grad[...] = g
        else:
            p.grad = g
        q.grad = torch.tensor(g)
    return params, tparams


def assert_grads_close(params, tparams, **tol):
    for p, q in zip(params, tparams):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), **tol)


@pytest.mark.parametrize("flat", [True, False], ids=["flat", "separate"])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, flat):
    params, tparams = make_pair(seed=1, flat=flat)
    total = clip_grad_norm_(params, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(tparams, max_norm, norm_type=norm_type)
    assert isinstance(total, float)
    np.testing.assert_allclose(total, expected.item(), rtol=1e-12)
    assert_grads_close(params, tparams, rtol=1e-12)


def test_clip_grad_norm_float32_matches_torch():
    params, tparams = make_pair(seed=2, flat=True, dtype=np.float32, scale=30.0)
    total = clip_grad_norm_(params, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(tparams, 1.0)
    np.testing.assert_allclose(total, expected.item(), rtol=1e-5)
    assert_grads_close(params, tparams, rtol=1e-5, atol=1e-7)


def test_flat_buffer_fast_path_is_taken_only_for_a_whole_group():
    params, _ = make_pair(seed=3, flat=True)
    grads = [p.grad for p in params]
    assert len(_flat_or_each(grads[::-1])) == 1  # any order
    assert len(_flat_or_each(grads[:3])) == 3  # a subset: each on its own
    separate, _ = make_pair(seed=3, flat=False)
    assert len(_flat_or_each([p.grad for p in separate])) == 4


def test_parameters_without_grad_are_skipped_and_a_single_tensor_is_accepted():
    p, q = Tensor(np.array([3.0, 4.0]), requires_grad=True), Tensor(np.ones(2))
    p.grad = np.array([3.0, 4.0])
    assert clip_grad_norm_([p, q], 1.0) == 5.0
    np.testing.assert_allclose(p.grad, np.array([3.0, 4.0]) / (5.0 + 1e-6))
    assert clip_grad_norm_(q, 1.0) == 0.0


def test_nonfinite_norm_raises_on_request():
    p = Tensor(np.ones(2), requires_grad=True)
    p.grad = np.array([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="norm of the gradients is inf"):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="norm_type must be > 0"):
        clip_grad_norm_([p], 1.0, norm_type=0)


@pytest.mark.parametrize("flat", [True, False], ids=["flat", "separate"])
def test_clip_grad_value_matches_torch(flat):
    params, tparams = make_pair(seed=4, flat=flat)
    clip_grad_value_(params, 0.7)
    torch.nn.utils.clip_grad_value_(tparams, 0.7)
    assert_grads_close(params, tparams, rtol=0)
    assert max(np.abs(p.grad).max() for p in params) == 0.7
    with pytest.raises(ValueError, match="clip_value must be ≥ 0"):
        clip_grad_value_(params, -1.0)

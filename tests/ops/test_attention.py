"""Attention ops: scaled/plain dot-product and additive, with masks; finite differences,
PyTorch parity, masked keys get exactly zero weight, fully masked queries give zero."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from op_checks import assert_gradcheck, assert_matches_torch

from ivanet import Tensor
from ivanet.ops.attention import (additive_attention, dot_product_attention,
                                  scaled_dot_product_attention)


def _qkv(seed, batch=(2,), Lq=3, Lk=4, d=5, dv=2):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(batch + (Lq, d)), rng.standard_normal(batch + (Lk, d)),
            rng.standard_normal(batch + (Lk, dv)))


@pytest.mark.parametrize("batch", [(), (2,), (2, 3)])
@pytest.mark.parametrize("masked", [False, True])
def test_scaled_dot_product_matches_torch(batch, masked):
    q, k, v = _qkv(len(batch), batch)
    mask = np.random.default_rng(5).random((3, 4)) > 0.4 if masked else None
    if masked:
        mask[:, 0] = True                      # torch gives NaN for a fully masked row
    fn = lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask)  # noqa: E731
    ref = lambda q, k, v: F.scaled_dot_product_attention(  # noqa: E731
        q, k, v, attn_mask=None if mask is None else torch.from_numpy(mask))
    assert_gradcheck(fn, q, k, v)
    assert_matches_torch(fn, ref, q, k, v)


def test_dot_product_is_unscaled():
    q, k, v = _qkv(1)
    assert_gradcheck(dot_product_attention, q, k, v)
    assert_matches_torch(dot_product_attention,
                         lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2), -1) @ v, q, k, v)


def test_masked_keys_get_exactly_zero_weight_and_empty_rows_zero_output():
    q, k, v = (Tensor(a) for a in _qkv(2))
    mask = np.ones((3, 4), bool)
    mask[0, 1:] = False
    mask[1] = False
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask, return_weights=True)
    assert (weights.data[:, 0, 1:] == 0).all() and (weights.data[:, 0, 0] == 1).all()
    assert not weights.data[:, 1].any() and not out.data[:, 1].any()
    np.testing.assert_allclose(weights.data[:, 2].sum(-1), 1)


def _additive_torch(q, k, w, v, mask=None):
    scores = torch.tanh(q[..., :, None, :] + k[..., None, :, :]) @ w
    if mask is not None:
        scores = scores.masked_fill(~torch.from_numpy(mask), float("-inf"))
    return torch.softmax(scores, -1) @ v


@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention(masked):
    q, k, v = _qkv(3, (2,), d=4)
    w = np.random.default_rng(4).standard_normal(4)
    mask = None
    if masked:
        mask = np.random.default_rng(6).random((2, 1, 4)) > 0.5
        mask[..., 0] = True
    fn = lambda q, k, w, v: additive_attention(q, k, w, v, mask=mask)  # noqa: E731
    assert_gradcheck(fn, q, k, w, v)
    assert_matches_torch(fn, lambda q, k, w, v: _additive_torch(q, k, w, v, mask), q, k, w, v)


def test_shape_and_mask_errors():
    q, k, v = (Tensor(a) for a in _qkv(0))
    with pytest.raises(ValueError, match="do not fit"):
        scaled_dot_product_attention(q, v, v)
    with pytest.raises(ValueError, match="does not broadcast"):
        scaled_dot_product_attention(q, k, v, mask=np.ones((5, 5), bool))
    with pytest.raises(TypeError, match="boolean"):
        scaled_dot_product_attention(q, k, v, mask=np.ones((3, 4)))

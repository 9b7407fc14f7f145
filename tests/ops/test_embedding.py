"""embedding: row lookup against finite differences and torch.nn.functional.embedding;
padding rows get no gradient; out-of-range ids are named."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from op_checks import assert_gradcheck

from ivanet import Tensor
from ivanet.ops.embedding import embedding


@pytest.mark.parametrize("ids_shape", [(5,), (3, 4), (2, 3, 2)])
def test_embedding_gradcheck(ids_shape):
    rng = np.random.default_rng(len(ids_shape))
    weight, ids = rng.standard_normal((6, 3)), rng.integers(0, 6, ids_shape)
    assert_gradcheck(lambda w: embedding(ids, w), weight, seed=3)


@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding_matches_torch_with_repeats_and_padding(padding_idx):
    rng = np.random.default_rng(0)
    weight, ids = rng.standard_normal((5, 4)), rng.integers(0, 5, (6, 7))
    ours = Tensor(weight.copy(), requires_grad=True)
    theirs = torch.tensor(weight, requires_grad=True)
    out = embedding(ids, ours, padding_idx=padding_idx)
    expected = F.embedding(torch.from_numpy(ids), theirs, padding_idx=padding_idx)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), atol=1e-12)
    if padding_idx is not None:
        assert not ours.grad[padding_idx].any()


def test_out_of_range_ids_are_named():
    weight = Tensor(np.zeros((10, 2), np.float32))
    with pytest.raises(IndexError, match=r"token id 12 .* vocabulary of 10"):
        embedding(np.array([[1, 12]]), weight)
    with pytest.raises(IndexError, match=r"token id -1"):
        embedding(np.array([-1]), weight)
    with pytest.raises(TypeError, match="integers"):
        embedding(np.array([1.0]), weight)


def test_float32_stays_float32():
    weight = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    out = embedding(np.array([0, 3, 3]), weight)
    out.backward(np.ones((3, 3), np.float32))
    assert out.dtype == np.float32 and weight.grad.dtype == np.float32
    np.testing.assert_array_equal(weight.grad[3], [2, 2, 2])

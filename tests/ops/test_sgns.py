"""sgns_loss: the skip-gram negative-sampling loss against finite differences (random
upstream gradient) and against the same loss composed from PyTorch ops."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from op_checks import assert_gradcheck

from ivanet import Tensor
from ivanet.ops.sgns import sgns_loss


def _batch(rng, vocab=7, dim=3, batch=5, negatives=3):
    w_in, w_out = rng.standard_normal((vocab, dim)), rng.standard_normal((vocab, dim))
    ids = rng.integers(0, vocab, batch), rng.integers(0, vocab, batch)
    return w_in, w_out, *ids, rng.integers(0, vocab, (batch, negatives))


def test_sgns_gradcheck_with_repeated_rows():
    rng = np.random.default_rng(0)
    w_in, w_out, centres, contexts, negatives = _batch(rng)
    centres[1] = centres[0]           # the same row used twice must sum its gradients
    negatives[0, 0] = contexts[0]
    assert_gradcheck(lambda a, b: sgns_loss(a, b, centres, contexts, negatives),
                     w_in, w_out, seed=1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sgns_matches_torch(dtype):
    rng = np.random.default_rng(1)
    w_in, w_out, centres, contexts, negatives = _batch(rng, vocab=9, dim=4, batch=6)
    w_in, w_out = 4 * w_in.astype(dtype), 4 * w_out.astype(dtype)  # saturated scores too
    ours = [Tensor(w.copy(), requires_grad=True) for w in (w_in, w_out)]
    theirs = [torch.tensor(w, requires_grad=True) for w in (w_in, w_out)]
    loss = sgns_loss(*ours, centres, contexts, negatives)
    v = theirs[0][torch.from_numpy(centres)]
    positive = (theirs[1][torch.from_numpy(contexts)] * v).sum(-1)
    negative = torch.einsum("bkd,bd->bk", theirs[1][torch.from_numpy(negatives)], v)
    expected = -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()
    assert loss.data.dtype == dtype
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=tol)
    upstream = float(rng.standard_normal())
    loss.backward(np.asarray(upstream, dtype=dtype))
    expected.backward(torch.tensor(upstream, dtype=expected.dtype))
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=tol, atol=tol)


def test_sgns_touches_only_the_rows_used():
    rng = np.random.default_rng(2)
    w_in, w_out, centres, contexts, negatives = _batch(rng, vocab=20)
    tables = [Tensor(w, requires_grad=True) for w in (w_in, w_out)]
    sgns_loss(*tables, centres, contexts, negatives).backward()
    unused_in = np.setdiff1d(np.arange(20), centres)
    unused_out = np.setdiff1d(np.arange(20), np.concatenate([contexts, negatives.ravel()]))
    assert not tables[0].grad[unused_in].any() and not tables[1].grad[unused_out].any()
    assert tables[0].grad[centres].any()


def test_sgns_names_bad_ids_and_shapes():
    table = Tensor(np.zeros((4, 2)))
    with pytest.raises(IndexError, match="sgns_loss negatives: token id 9"):
        sgns_loss(table, table, np.array([0]), np.array([1]), np.array([[9]]))
    with pytest.raises(ValueError, match=r"negatives \(B, K\)"):
        sgns_loss(table, table, np.array([0, 1]), np.array([1, 2]), np.array([1, 2]))

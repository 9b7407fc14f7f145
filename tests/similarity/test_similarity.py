"""Metric-learning losses (gradient checks, PyTorch), samplers, N-way K-shot evaluation."""
import numpy as np
import pytest
import torch

from ivanet import Tensor
from ivanet.autograd.gradcheck import gradcheck
from ivanet.similarity import (batch_hard_triplet_loss, contrastive_loss, episode,
                               n_way_k_shot_accuracy, pk_batch, sample_pairs, sample_triplets,
                               triplet_loss)

RNG = np.random.default_rng(0)
A, B, C = (RNG.standard_normal((6, 3)) for _ in range(3))
SAME = np.array([1, 0, 1, 0, 0, 1])
LABELS = np.array([0, 0, 1, 1, 2, 2])


def _d(a, b):
    return torch.sqrt(((a - b) ** 2).sum(1) + 1e-12)


def test_contrastive_gradcheck_and_torch():
    assert gradcheck(lambda a, b: contrastive_loss(a, b, SAME, margin=3.0), A, B)
    a, b = (torch.tensor(v) for v in (A, B))
    d, y = _d(a, b), torch.tensor(SAME, dtype=torch.float64)
    expected = (0.5 * y * d ** 2 + 0.5 * (1 - y) * torch.clamp(3.0 - d, min=0) ** 2).mean()
    assert contrastive_loss(Tensor(A), Tensor(B), SAME, 3.0).item() == pytest.approx(
        expected.item(), rel=1e-12)


def test_triplet_gradcheck_and_torch():
    assert gradcheck(lambda a, p, n: triplet_loss(a, p, n, margin=1.0), A, B, C)
    expected = torch.nn.functional.triplet_margin_loss(
        torch.tensor(A), torch.tensor(B), torch.tensor(C), margin=1.0, eps=0.0)
    assert triplet_loss(Tensor(A), Tensor(B), Tensor(C), 1.0).item() == pytest.approx(
        expected.item(), rel=1e-9)


def _torch_batch_hard(x, labels, margin):
    d = torch.cdist(x, x)
    same = torch.tensor(labels[:, None] == labels[None, :])
    pos = same & ~torch.eye(len(labels), dtype=torch.bool)
    hp = torch.where(pos, d, torch.zeros_like(d)).max(1).values
    hn = torch.where(same, torch.full_like(d, 1e9), d).min(1).values
    return torch.clamp(hp - hn + margin, min=0).mean()


def test_batch_hard_gradcheck_and_torch():
    assert gradcheck(lambda x: batch_hard_triplet_loss(x, LABELS, margin=2.0), A)
    x = Tensor(A.copy(), requires_grad=True)
    loss = batch_hard_triplet_loss(x, LABELS, 2.0)
    loss.backward()
    t = torch.tensor(A, requires_grad=True)
    expected = _torch_batch_hard(t, LABELS, 2.0)
    expected.backward()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-9)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-7, atol=1e-10)
    with pytest.raises(ValueError, match="no anchor"):
        batch_hard_triplet_loss(Tensor(A), np.arange(6))


def test_samplers():
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(4), 5)
    first, second, same = sample_pairs(labels, 200, rng)
    assert np.all((labels[first] == labels[second]) == same.astype(bool))
    assert np.all(first != second) and 60 < same.sum() < 140
    a, p, n = sample_triplets(labels, 50, rng)
    assert np.all(labels[a] == labels[p]) and np.all(labels[a] != labels[n]) and np.all(a != p)
    batch = pk_batch(labels, 3, 4, rng)
    assert len(batch) == 12 and len(np.unique(labels[batch])) == 3
    s, sc, q, qc = episode(labels, 3, 1, 2, rng)
    assert len(s) == 3 and len(q) == 6
    assert all(len(np.unique(labels[s[sc == c]])) == 1 for c in range(3))
    assert np.all(labels[q] == labels[s][qc])
    with pytest.raises(ValueError, match="5-way"):
        episode(labels, 5, 1, 2, rng)


def test_n_way_k_shot_on_separable_clusters_and_chance():
    rng = np.random.default_rng(2)
    labels = np.repeat(np.arange(6), 20)
    centres = rng.standard_normal((6, 8)) * 10
    x = centres[labels] + rng.standard_normal((120, 8))
    assert n_way_k_shot_accuracy(lambda v: v, x, labels, 5, 1, episodes=40, rng=rng) > 0.95
    noise = rng.standard_normal((120, 8))
    chance = n_way_k_shot_accuracy(lambda v: v, noise, labels, 5, 1, episodes=100, rng=rng)
    assert 0.1 < chance < 0.3

"""Metric-learning losses (gradient checks, PyTorch), samplers, N-way K-shot evaluation."""
import json

import numpy as np
import pytest
import torch

from ivanet import Tensor
from ivanet.autograd.gradcheck import gradcheck
from ivanet.similarity import (batch_all_triplet_loss, batch_hard_triplet_loss, best_threshold,
                               contrastive_loss, episode, interval95, n_way_k_shot_accuracy,
                               n_way_k_shot_scores, pk_batch, roc_auc, sample_pairs,
                               sample_triplets, triplet_loss, verification_accuracy)

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


def test_within_alphabet_episodes_and_disjoint_classes():
    rng = np.random.default_rng(3)
    labels = np.repeat(np.arange(9), 4)
    alphabets = {c: "abc"[c // 3] for c in range(9)}
    for _ in range(20):
        s, sc, q, qc = episode(labels, 3, 2, 2, rng, alphabets)
        classes = labels[s].reshape(3, 2)                      # K = 2 support per class
        assert np.all(classes[:, 0] == classes[:, 1]) and len(set(classes[:, 0])) == 3
        assert len({alphabets[int(c)] for c in classes[:, 0]}) == 1
        assert not set(s) & set(q) and np.all(labels[q] == labels[s][qc * 2])
    with pytest.raises(ValueError, match="within-alphabet"):
        episode(labels, 4, 1, 1, rng, alphabets)
    with pytest.raises(ValueError, match="no alphabet for class"):
        episode(labels, 2, 1, 1, rng, {0: "a"})
    with pytest.raises(ValueError, match="episodes must be >= 1"):
        n_way_k_shot_scores(lambda v: v, RNG.standard_normal((36, 2)), labels, 3, episodes=0)


def test_verification_metrics():
    rng = np.random.default_rng(4)
    same = rng.integers(0, 2, 60)
    distances = rng.uniform(size=60) + (1 - same) * 0.5
    near, far = distances[same == 1], distances[same == 0]
    brute = np.mean(near[:, None] < far[None, :]) + 0.5 * np.mean(near[:, None] == far[None])
    assert roc_auc(distances, same) == pytest.approx(brute)
    threshold = best_threshold(distances, same)
    best = verification_accuracy(distances, same, threshold)
    assert all(best >= verification_accuracy(distances, same, t) for t in distances)
    assert roc_auc(np.array([0.1, 0.2, 0.9]), np.array([1, 1, 0])) == 1.0
    with pytest.raises(ValueError, match="both same-class and different-class"):
        roc_auc(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="must be"):
        best_threshold(np.ones(3), np.ones(4))
    mean, half = interval95(np.array([0.5, 0.7, 0.6, 0.8]))
    assert mean == pytest.approx(0.65) and half == pytest.approx(1.96 * np.std(
        [0.5, 0.7, 0.6, 0.8], ddof=1) / 2)


def test_tiny_training_lowers_the_loss_and_plots(tmp_path):
    from ivanet.models.siamese import SiameseNet
    from ivanet.reports.similarity import plot_embedding_maps, plot_episode
    from ivanet.training.siamese import embedder, train_embedding
    rng = np.random.default_rng(5)
    labels = np.repeat(np.arange(4), 6)
    x = (rng.uniform(size=(4, 1, 8, 8)) > 0.5)[labels] + 0.2 * rng.standard_normal((24, 1, 8, 8))
    model = SiameseNet((1, 8, 8), embedding=4, width=2, rng=rng)
    losses = train_embedding(model, x.astype(np.float32), labels, 30, 4, 3, 1e-2, 0.5, 0.3,
                             rng, log=lambda line: None)
    assert np.mean(losses[-5:]) < np.mean(losses[:5])
    vectors = embedder(model)(x.astype(np.float32))
    assert vectors.shape == (24, 4) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert plot_embedding_maps([("e", vectors)], labels, list("abcd"),
                               tmp_path / "map.png").stat().st_size > 1000
    assert plot_episode(x[0], x[::6], 0, 1, tmp_path / "episode.png").stat().st_size > 1000


def _torch_batch_all(x, labels, margin):
    d = torch.cdist(x, x)
    same = torch.tensor(labels[:, None] == labels[None, :])
    pos = same & ~torch.eye(len(labels), dtype=torch.bool)
    valid = pos[:, :, None] & ~same[:, None, :]
    gaps = d[:, :, None] - d[:, None, :] + margin
    losses = torch.clamp(gaps, min=0) * valid
    return losses.sum() / ((gaps > 0) & valid).sum().clamp(min=1)


def test_batch_all_gradcheck_and_torch():
    assert gradcheck(lambda x: batch_all_triplet_loss(x, LABELS, margin=2.0), A)
    x = Tensor(A.copy(), requires_grad=True)
    loss = batch_all_triplet_loss(x, LABELS, 2.0)
    loss.backward()
    t = torch.tensor(A, requires_grad=True)
    expected = _torch_batch_all(t, LABELS, 2.0)
    expected.backward()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-9)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-7, atol=1e-10)
    with pytest.raises(ValueError, match="no valid triplet"):
        batch_all_triplet_loss(Tensor(A), np.arange(6))


def test_train_task_writes_a_run_folder_and_checks_options(tmp_path):
    from ivanet.training.config import TrainConfig
    from ivanet.training.errors import ConfigError
    from ivanet.training.siamese import train_task
    config = TrainConfig(model="siamese", data="mnist", epochs=1, out=str(tmp_path / "run"),
                         model_options={"width": 2, "num_classes": 4},
                         data_options={"seen": [0, 1, 2, 3, 4, 5], "classes_per_batch": 2,
                                       "per_class": 2, "episodes": 3})
    run = train_task(config, quiet=True)
    results = json.loads((run / "results.json").read_text())
    assert results["steps"] == 100 and 0 <= results["siamese_4way_1shot"] <= 1
    assert {"config.json", "model.safetensors", "unseen.npz"} <= {p.name for p in run.iterdir()}
    bad = TrainConfig(model="siamese", data="mnist", data_options={"shots": 3})
    with pytest.raises(ConfigError, match="unknown option 'shots'"):
        train_task(bad, quiet=True)
    with pytest.raises(ConfigError, match="cannot be resumed"):
        train_task(config, run_dir=run, quiet=True)

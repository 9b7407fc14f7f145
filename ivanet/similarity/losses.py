"""Metric-learning losses on embeddings: contrastive (pairs) and triplet, with batch-hard mining.

Distances are Euclidean, d(a, b) = √(‖a − b‖² + ε); the ε = 1e-12 keeps the gradient finite
when two embeddings coincide.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.tensor import Tensor
from ivanet.ops.activations import relu

EPS = 1e-12


def _check_embeddings(name: str, *tensors: Tensor) -> None:
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1 or len(tensors[0].shape) != 2:
        raise ValueError(f"{name}: embeddings must all be (N, D), got "
                         f"{[t.shape for t in tensors]}")


def euclidean(a: Tensor, b: Tensor) -> Tensor:
    """Row-wise distance √(Σ (a − b)² + ε): (N, D), (N, D) → (N,)."""
    diff = a - b
    return ((diff * diff).sum(axis=1) + EPS).sqrt()


def contrastive_loss(a: Tensor, b: Tensor, same, margin: float = 1.0) -> Tensor:
    """Hadsell, Chopra & LeCun (2006): L = mean[½ y d² + ½ (1 − y) max(0, m − d)²], with
    y = 1 for pairs of one class, 0 otherwise, d = d(a, b)."""
    _check_embeddings("contrastive_loss", a, b)
    y = np.asarray(same, dtype=a.dtype)
    if y.shape != (a.shape[0],):
        raise ValueError(f"contrastive_loss: same must be ({a.shape[0]},), got {y.shape}")
    d = euclidean(a, b)
    hinge = relu(margin - d)
    return ((d * d) * Tensor(0.5 * y) + (hinge * hinge) * Tensor(0.5 * (1.0 - y))).mean()


def triplet_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                 margin: float = 0.2) -> Tensor:
    """Schroff et al. (2015, FaceNet): L = mean max(0, d(a, p) − d(a, n) + margin)."""
    _check_embeddings("triplet_loss", anchor, positive, negative)
    return relu(euclidean(anchor, positive) - euclidean(anchor, negative) + margin).mean()


def pairwise_distances(x: Tensor) -> Tensor:
    """(N, D) → (N, N) Euclidean distances √(‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ + ε), floored at 0."""
    square = (x * x).sum(axis=1, keepdims=True)                       # (N, 1)
    d2 = square + square.T - (x @ x.T) * 2.0
    return (relu(d2) + EPS).sqrt()


def _label_masks(name: str, embeddings: Tensor, labels) -> tuple[np.ndarray, np.ndarray]:
    """(same, positive): (N, N) masks of equal labels, and of equal labels off the diagonal."""
    _check_embeddings(name, embeddings)
    labels = np.asarray(labels)
    if labels.shape != (embeddings.shape[0],):
        raise ValueError(f"{name}: labels must be ({embeddings.shape[0]},), got {labels.shape}")
    same = labels[:, None] == labels[None, :]
    return same, same & ~np.eye(len(labels), dtype=bool)


def batch_hard_triplet_loss(embeddings: Tensor, labels, margin: float = 0.2) -> Tensor:
    """Hermans, Beyer & Leibe (2017): for each anchor the farthest positive and the nearest
    negative in the batch, L = mean over anchors of max(0, d(a, p*) − d(a, n*) + margin).
    Anchors with no positive or no negative in the batch are left out."""
    same, positive = _label_masks("batch_hard_triplet_loss", embeddings, labels)
    valid = positive.any(axis=1) & (~same).any(axis=1)
    if not valid.any():
        raise ValueError("batch_hard_triplet_loss: no anchor has both a positive and a "
                         "negative in the batch (sample P classes × K ≥ 2 examples)")
    d = pairwise_distances(embeddings)                                 # (N, N)
    dtype = embeddings.dtype
    hardest_positive = (d * Tensor(positive.astype(dtype))).max(axis=1)
    far = float(d.data.max()) + 1.0                    # pushes positives out of the min
    hardest_negative = (d + Tensor(far * same.astype(dtype))).min(axis=1)
    losses = relu(hardest_positive - hardest_negative + margin)
    weights = valid.astype(dtype) / float(valid.sum())
    return (losses * Tensor(weights)).sum()


def batch_all_triplet_loss(embeddings: Tensor, labels, margin: float = 0.2) -> Tensor:
    """Hermans, Beyer & Leibe (2017), "batch all": every valid triplet (a, p, n) of the batch,
    L = mean of max(0, d(a, p) − d(a, n) + margin) over the triplets whose loss is > 0 (the
    easy ones would only dilute the mean). Steadier than batch-hard from a weak network."""
    same, positive = _label_masks("batch_all_triplet_loss", embeddings, labels)
    valid = positive[:, :, None] & ~same[:, None, :]                  # (a, p, n)
    if not valid.any():
        raise ValueError("batch_all_triplet_loss: the batch holds no valid triplet (sample P "
                         "classes × K ≥ 2 examples)")
    n = embeddings.shape[0]
    d = pairwise_distances(embeddings)                                 # (N, N)
    gaps = d.reshape(n, n, 1) - d.reshape(n, 1, n) + margin            # d(a,p) − d(a,n) + m
    losses = relu(gaps) * Tensor(valid.astype(embeddings.dtype))
    active = float(max(1, int(((gaps.data > 0) & valid).sum())))
    return losses.sum() * (1.0 / active)

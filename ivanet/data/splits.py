"""Seeded train/dev/test splits, optionally stratified so each part keeps the class mix."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet.data.dataset import ArrayDataset

RngLike = np.random.Generator | int | None


def split_sizes(n: int, ratios: Sequence[float]) -> tuple[int, ...]:
    """Part sizes summing to exactly ``n``: floor(n·ratio), leftovers to the largest remainders."""
    ratios = np.asarray(ratios, dtype=np.float64)
    if ratios.ndim != 1 or len(ratios) == 0 or (ratios < 0).any() or not np.isfinite(ratios).all():
        raise ValueError(f"ratios must be non-negative numbers, got {tuple(ratios)}")
    if abs(ratios.sum() - 1.0) > 1e-6:
        raise ValueError(f"ratios must sum to 1, got {tuple(ratios)} (sum {ratios.sum():g})")
    exact = n * ratios
    sizes = np.floor(exact + 1e-9).astype(np.int64)
    leftover = n - int(sizes.sum())
    order = np.argsort(-(exact - sizes), kind="stable")
    sizes[order[:leftover]] += 1
    return tuple(int(s) for s in sizes)


def split_indices(labels_or_n: np.ndarray | int, sizes: Sequence[int], stratify: bool = False,
                  rng: RngLike = None) -> list[np.ndarray]:
    """Shuffled index arrays of the given ``sizes`` (which must sum to the sample count).

    Stratified: inside each class the samples are shuffled and given evenly spaced ranks
    (i + u)/n_class, u ~ U[0, 1) per class; sorting all samples by rank interleaves the
    classes, so cutting the sorted order into consecutive parts gives every part the class
    mix of the whole, to about one sample per class, while the part sizes stay exact.
    """
    rng = np.random.default_rng(rng)
    if np.ndim(labels_or_n) == 0:
        if stratify:
            raise ValueError("stratify=True needs the labels, not just a sample count")
        n, labels = int(labels_or_n), None
    else:
        labels = np.asarray(labels_or_n)
        n = len(labels)
    if sum(sizes) != n or min(sizes, default=0) < 0:
        raise ValueError(f"split sizes {tuple(sizes)} must be non-negative and sum to {n}")
    order = rng.permutation(n)
    if stratify:
        order = order[_stratified_order(labels[order], rng)]
    cuts = np.cumsum(sizes)[:-1]
    return list(np.split(order, cuts))


def _stratified_order(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A permutation of already-shuffled ``labels`` that interleaves the classes evenly."""
    if labels.ndim != 1:
        raise ValueError(f"stratify needs 1-D class labels, got shape {labels.shape}")
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    by_class = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.empty(len(labels), dtype=np.float64)
    rank[by_class] = np.arange(len(labels)) - np.repeat(starts, counts)
    offset = rng.random(len(counts))  # so a class of 1 lands in part j with chance ratio_j
    rank = (rank + offset[inverse]) / counts[inverse]
    return np.argsort(rank, kind="stable")


def train_dev_test_split(x: np.ndarray, y: np.ndarray,
                         ratios: Sequence[float] = (0.6, 0.2, 0.2), stratify: bool = False,
                         rng: RngLike = None) -> tuple[ArrayDataset, ArrayDataset, ArrayDataset]:
    """Split ``(x, y)`` into train, dev and test ``ArrayDataset``s with the given ratios.

    ``ratios`` has three entries summing to 1: (0.6, 0.2, 0.2) for small data, (0.98, 0.01,
    0.01) for millions of samples. Sizes are exact (they sum to N); ``stratify=True`` keeps
    the class proportions of ``y`` in every part. ``rng`` is a Generator or an int seed.
    """
    if len(ratios) != 3:
        raise ValueError(f"ratios must have three entries (train, dev, test), got {ratios}")
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"train_dev_test_split: x has {len(x)} samples but y has {len(y)}")
    sizes = split_sizes(len(x), ratios)
    parts = split_indices(y if stratify else len(x), sizes, stratify=stratify, rng=rng)
    train, dev, test = (ArrayDataset(x[idx], y[idx]) for idx in parts)
    return train, dev, test

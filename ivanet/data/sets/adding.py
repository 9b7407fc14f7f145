"""The adding problem (Hochreiter & Schmidhuber 1997): a long-range memory task, exact labels.

Each sequence has T steps of two features: a value drawn uniformly from [0, 1) and a
marker that is 1 at exactly two steps, one in the first half and one in the second half,
0 elsewhere. The target is the sum of the two marked values. Predicting 1 (the mean sum)
scores a mean squared error of 1/6 ≈ 0.167; a solution must carry the first marked value
across up to T steps. An answer within ``TOLERANCE`` of the sum counts as correct.
"""
from __future__ import annotations

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits

TOLERANCE = 0.04
BASELINE_MSE = 1 / 6  # var(u₁ + u₂), u uniform on [0, 1): the error of always answering 1


def adding_problem(count: int, seq_len: int, rng: np.random.Generator,
                   dtype=np.float32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, marked): x (count, seq_len, 2) values and markers, y (count, 1) the sums,
    marked (count, 2) int64 the two marked steps (first half, second half)."""
    if seq_len < 2:
        raise DataError(f"adding_problem: seq_len must be ≥ 2, got {seq_len}")
    if count < 1:
        raise DataError(f"adding_problem: count must be ≥ 1, got {count}")
    half = seq_len // 2
    values = rng.random((count, seq_len))
    marked = np.stack([rng.integers(0, half, count),
                       rng.integers(half, seq_len, count)], axis=1)     # (count, 2)
    markers = np.zeros((count, seq_len))
    rows = np.arange(count)[:, None]
    markers[rows, marked] = 1.0
    x = np.stack([values, markers], axis=2).astype(dtype)               # (count, T, 2)
    y = values[rows, marked].sum(axis=1, keepdims=True).astype(dtype)   # (count, 1)
    return x, y, marked


def accuracy(predictions: np.ndarray, y: np.ndarray, tolerance: float = TOLERANCE) -> float:
    """Fraction of answers within ``tolerance`` of the true sum."""
    return float(np.mean(np.abs(np.asarray(predictions).reshape(-1) - y.reshape(-1))
                         < tolerance))


def load(seq_len: int = 50, train: int = 10_000, dev: int = 1_000, test: int = 1_000,
         seed: int = 0) -> DataSplits:
    """Train, dev and test sets of the adding problem drawn from one seeded generator."""
    rng = np.random.default_rng(seed)
    parts = [ArrayDataset(*adding_problem(count, seq_len, rng)[:2])
             for count in (train, dev, test)]
    return DataSplits(name=f"adding-{seq_len}", train=parts[0], dev=parts[1], test=parts[2],
                      task="regression", input_shape=(seq_len, 2),
                      description=f"adding problem, {seq_len} steps → the sum of the two "
                                  f"marked values")

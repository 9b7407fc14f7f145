"""Tiny data and models for the training tests (fast on two shared cores)."""
from pathlib import Path

import numpy as np

from ivanet import nn


def bar_images(n: int, rng: np.random.Generator, side: int = 8):
    """(n, 1, side, side) uint8 images and labels of 3 classes that survive small shifts:
    a horizontal line (0), a vertical line (1) or a diagonal (2), over noise."""
    labels = rng.integers(0, 3, n)
    images = rng.integers(0, 60, (n, 1, side, side))
    where = rng.integers(2, side - 2, n)
    rows = np.arange(side)
    for i, (label, k) in enumerate(zip(labels, where)):
        line = ((rows, np.full(side, k)) if label == 1 else
                (np.full(side, k), rows) if label == 0 else (rows, rows))
        images[i, 0][line] += 180
    return images.astype(np.uint8), labels.astype(np.int64)


def write_npz(path: Path, seed: int = 0, n_train: int = 320, n_eval: int = 60) -> Path:
    """A small classification data set as an ivanet ``.npz`` file."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for part, n in (("train", n_train), ("dev", n_eval), ("test", n_eval)):
        arrays[f"x_{part}"], arrays[f"y_{part}"] = bar_images(n, rng)
    np.savez(path, **arrays)
    return path


def tiny_model(seed: int = 0, dropout: float = 0.0) -> nn.Module:
    rng = np.random.default_rng(seed)
    return nn.MLP([6, 16, 3], dropout=dropout, rng=rng)

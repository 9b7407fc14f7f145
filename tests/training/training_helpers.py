"""Tiny data and models for the training tests (fast on two shared cores)."""
from pathlib import Path

import numpy as np

from ivanet import nn


def bar_images(n: int, rng: np.random.Generator, classes: int = 3, side: int = 8):
    """(n, 1, side, side) uint8 images and labels: class k is a bright row at 2k + 1."""
    labels = rng.integers(0, classes, n)
    images = rng.integers(0, 60, (n, 1, side, side))
    images[np.arange(n), 0, 2 * labels + 1, :] += 180
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

"""Fixtures of the training tests: a small .npz data set and tiny separable arrays."""
from pathlib import Path

import numpy as np
import pytest
from training_helpers import write_npz


@pytest.fixture
def npz_data(tmp_path) -> Path:
    return write_npz(tmp_path / "bars.npz")


@pytest.fixture
def tiny_arrays(rng):
    """(x_train, y_train, x_dev, y_dev): float32 vectors of 3 separable classes."""
    centers = rng.normal(0, 3, (3, 6))
    def make(n):
        y = rng.integers(0, 3, n)
        x = centers[y] + rng.normal(0, 0.5, (n, 6))
        return x.astype(np.float32), y.astype(np.int64)
    return (*make(96), *make(48))

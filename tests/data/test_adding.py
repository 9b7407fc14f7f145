"""The adding problem: two markers, one per half; the target is their values' sum."""
import numpy as np
import pytest

from ivanet.data.dataset import DataError
from ivanet.data.sets.adding import BASELINE_MSE, accuracy, adding_problem, load


def test_two_markers_and_their_sum():
    x, y, marked = adding_problem(500, 20, np.random.default_rng(0))
    assert x.shape == (500, 20, 2) and y.shape == (500, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(x[:, :, 1].sum(axis=1), 2)
    assert (marked[:, 0] < 10).all() and (marked[:, 1] >= 10).all()
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1), rtol=1e-6)
    assert abs(np.mean((y - 1) ** 2) - BASELINE_MSE) < 0.03


def test_seeded_and_checked():
    first = adding_problem(5, 8, np.random.default_rng(3))
    second = adding_problem(5, 8, np.random.default_rng(3))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(DataError, match="seq_len must be ≥ 2"):
        adding_problem(5, 1, np.random.default_rng(0))
    splits = load(seq_len=6, train=30, dev=10, test=10)
    assert splits.input_shape == (6, 2) and len(splits.train) == 30
    assert accuracy(np.array([1.0, 1.5]), np.array([[1.01], [1.0]])) == 0.5

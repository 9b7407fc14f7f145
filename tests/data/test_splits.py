"""Split sizes, coverage, determinism and stratification."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivanet.data import split_indices, split_sizes, train_dev_test_split


@given(n=st.integers(0, 5000), a=st.integers(0, 100), b=st.integers(0, 100),
       c=st.integers(1, 100))
def test_split_sizes_sum_to_n_and_follow_ratios(n, a, b, c):
    ratios = np.array([a, b, c]) / (a + b + c)
    sizes = split_sizes(n, ratios)
    assert sum(sizes) == n
    assert np.all(np.abs(np.array(sizes) - n * ratios) < 1.0 + 1e-9)


@pytest.mark.parametrize("ratios", [(0.5, 0.6), (-0.1, 0.6, 0.5), (0.2, np.nan, 0.8), ()])
def test_split_sizes_rejects_bad_ratios(ratios):
    with pytest.raises(ValueError, match="ratios"):
        split_sizes(10, ratios)


@pytest.mark.parametrize("ratios,expected", [((0.6, 0.2, 0.2), (600, 200, 200)),
                                             ((0.98, 0.01, 0.01), (980, 10, 10))])
def test_parts_cover_every_sample_once(ratios, expected):
    ids = np.arange(1000)
    parts = train_dev_test_split(ids[:, None], ids, ratios=ratios, rng=3)
    assert tuple(len(part) for part in parts) == expected
    together = np.concatenate([part.y for part in parts])
    np.testing.assert_array_equal(np.sort(together), ids)
    for part in parts:
        np.testing.assert_array_equal(part.x[:, 0], part.y)  # x and y stay paired


def test_same_seed_same_split_other_seed_other_split():
    ids = np.arange(200)
    first = train_dev_test_split(ids, ids, rng=np.random.default_rng(7))
    again = train_dev_test_split(ids, ids, rng=np.random.default_rng(7))
    other = train_dev_test_split(ids, ids, rng=np.random.default_rng(8))
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(first[0].y, other[0].y)


@given(counts=st.lists(st.integers(1, 60), min_size=2, max_size=6), seed=st.integers(0, 99))
def test_stratified_parts_keep_class_proportions(counts, seed):
    labels = np.repeat(np.arange(len(counts)), counts)
    ratios = (0.6, 0.2, 0.2)
    parts = train_dev_test_split(labels, labels, ratios=ratios, stratify=True, rng=seed)
    assert tuple(len(p) for p in parts) == split_sizes(len(labels), ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        found = np.bincount(part.y, minlength=len(counts))
        assert np.all(np.abs(found - ratio * np.array(counts)) < 2)  # about one per class


def test_stratified_needs_labels_and_matching_lengths():
    with pytest.raises(ValueError, match="labels"):
        split_indices(10, (5, 5), stratify=True)
    with pytest.raises(ValueError, match="sum to 10"):
        split_indices(10, (5, 4))
    with pytest.raises(ValueError, match="x has 3 samples but y has 2"):
        train_dev_test_split(np.zeros(3), np.zeros(2))

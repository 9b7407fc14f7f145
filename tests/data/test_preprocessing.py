"""Standardizer (training statistics only, zero std, state round trip) and one_hot."""
import warnings

import numpy as np
import pytest

from ivanet.data import Standardizer, one_hot


def test_statistics_come_from_the_training_set_only(rng):
    train = rng.normal(3.0, 2.0, size=(50, 4)).astype(np.float32)
    dev = rng.normal(-5.0, 9.0, size=(20, 4)).astype(np.float32)
    standardizer = Standardizer().fit(train)
    np.testing.assert_allclose(standardizer.mean, train.astype(np.float64).mean(0), rtol=1e-12)
    np.testing.assert_allclose(standardizer.std, train.astype(np.float64).std(0), rtol=1e-12)
    scaled = standardizer.transform(train)
    np.testing.assert_allclose(scaled.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(scaled.std(0), 1, atol=1e-5)
    expected = (dev - train.mean(0)) / train.std(0)
    np.testing.assert_allclose(standardizer.transform(dev), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("per,shape", [("feature", (3, 4, 5)), ("channel", (3, 1, 1)),
                                       ("global", (1, 1, 1))])
def test_sharing_modes_give_broadcastable_statistics(rng, per, shape):
    x = rng.normal(size=(6, 3, 4, 5))
    standardizer = Standardizer(per=per).fit(x)
    assert standardizer.mean.shape == shape
    out = standardizer.transform(x)
    axes = {"feature": 0, "channel": (0, 2, 3), "global": None}[per]
    np.testing.assert_allclose(out.mean(axis=axes), 0, atol=1e-12)


def test_constant_feature_maps_to_zero_without_warnings(rng):
    x = np.column_stack([np.full(10, 4.0), rng.normal(size=10)]).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = Standardizer().fit_transform(x)
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out[:, 0], 0)


def test_inverse_and_state_round_trip(rng):
    x = rng.normal(2.0, 3.0, size=(8, 2, 3, 3)).astype(np.float32)
    standardizer = Standardizer(per="channel").fit(x)
    restored = Standardizer.from_state(standardizer.state())
    assert restored.per == "channel"
    out = standardizer.transform(x)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(restored.transform(x), out)
    np.testing.assert_allclose(restored.inverse_transform(out), x, rtol=1e-5, atol=1e-5)
    state = standardizer.state()
    state["mean"][:] = 99  # state() hands out copies
    assert not np.any(standardizer.mean == 99)


def test_integers_become_float32_and_float64_stays(rng):
    images = rng.integers(0, 256, size=(5, 1, 2, 2), dtype=np.uint8)
    standardizer = Standardizer(per="global").fit(images)
    assert standardizer.transform(images).dtype == np.float32
    assert standardizer.transform(images.astype(np.float64)).dtype == np.float64


def test_clear_errors():
    with pytest.raises(RuntimeError, match="fit"):
        Standardizer().transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="per must be one of"):
        Standardizer(per="pixel")
    standardizer = Standardizer().fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(3,\)"):
        standardizer.transform(np.ones((4, 5)))
    with pytest.raises(ValueError, match="missing"):
        Standardizer.from_state({"mean": np.zeros(3)})


def test_one_hot_matches_identity_rows(rng):
    labels = rng.integers(0, 5, size=(4, 3))
    out = one_hot(labels, 5)
    assert out.shape == (4, 3, 5) and out.dtype == np.float32
    np.testing.assert_array_equal(out, np.eye(5, dtype=np.float32)[labels])


@pytest.mark.parametrize("labels,classes,message", [
    (np.array([0, 3, 1]), 3, r"label 3 at index \(1,\) is outside \[0, 3\)"),
    (np.array([[0, -1]]), 3, r"label -1 at index \(0, 1\)"),
    (np.array([0.0, 1.0]), 3, "integer class labels"),
    (np.array([0, 1]), 0, "positive integer"),
])
def test_one_hot_errors(labels, classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, classes)

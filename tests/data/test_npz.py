"""Loading your own .npz: formats, task inference, and the errors users see."""
import numpy as np
import pytest

from ivanet.data import DataError, load, load_npz


def write(path, **arrays):
    np.savez(path, **arrays)
    return path


def classification_arrays(rng, dev=True):
    arrays = {"x_train": rng.integers(0, 256, (10, 1, 4, 4), dtype=np.uint8),
              "y_train": rng.integers(0, 3, 10), "x_test": rng.integers(0, 256, (4, 1, 4, 4),
                                                                      dtype=np.uint8),
              "y_test": np.array([0, 1, 2, 1])}
    if dev:
        arrays.update(x_dev=arrays["x_test"][:2], y_dev=np.array([2, 0]))
    return arrays


def test_classification_file_with_dev(tmp_path, rng):
    arrays = classification_arrays(rng)
    splits = load(write(tmp_path / "mine.npz", **arrays))
    assert splits.name == "mine" and splits.task == "classification"
    assert splits.num_classes == 3 and splits.input_shape == (1, 4, 4)
    assert splits.train.x.dtype == np.float32 and splits.train.y.dtype == np.int64
    np.testing.assert_allclose(splits.train.x, arrays["x_train"] / 255.0, rtol=1e-6)
    assert len(splits.dev) == 2
    named = load(write(tmp_path / "named.npz", class_names=np.array(["a", "b", "c"]), **arrays))
    assert named.class_names == ("a", "b", "c")
    with pytest.raises(DataError, match="label 2 found but only 2 class names"):
        load(write(tmp_path / "few.npz", class_names=np.array(["a", "b"]), **arrays))


def test_regression_file_without_dev(tmp_path, rng):
    path = write(tmp_path / "reg.npz", x_train=rng.normal(size=(6, 3)), y_train=rng.normal(size=6),
                 x_test=rng.normal(size=(2, 3)), y_test=rng.normal(size=2))
    splits = load_npz(path)
    assert splits.task == "regression" and splits.dev is None and splits.num_classes is None
    assert splits.train.y.shape == (6, 1) and splits.train.y.dtype == np.float32


def test_missing_keys_are_named(tmp_path, rng):
    path = write(tmp_path / "bad.npz", x_train=np.zeros((2, 2)), y_test=np.zeros(2))
    with pytest.raises(DataError, match="missing arrays y_train, x_test"):
        load(str(path))
    arrays = classification_arrays(rng, dev=False)
    path = write(tmp_path / "half.npz", x_dev=arrays["x_test"], **arrays)
    with pytest.raises(DataError, match="missing arrays y_dev"):
        load(path)


def test_nan_is_reported_with_array_and_index(tmp_path, rng):
    x_test = rng.normal(size=(3, 2))
    x_test[1, 1] = np.nan
    path = write(tmp_path / "nan.npz", x_train=rng.normal(size=(3, 2)), y_train=np.arange(3),
                 x_test=x_test, y_test=np.arange(3))
    with pytest.raises(DataError, match=r"x_test contains a non-finite value \(nan\) at index "
                                        r"\(1, 1\)"):
        load(path)
    y_train = np.array([1.0, np.inf, 0.0])
    path = write(tmp_path / "inf.npz", x_train=rng.normal(size=(3, 2)), y_train=y_train,
                 x_test=rng.normal(size=(3, 2)), y_test=np.zeros(3))
    with pytest.raises(DataError, match=r"y_train .*inf.* \(1, 0\)"):
        load(path)


def test_mismatched_lengths_pickles_and_missing_files(tmp_path, rng):
    path = write(tmp_path / "len.npz", x_train=np.zeros((3, 2)), y_train=np.zeros(2, int),
                 x_test=np.zeros((1, 2)), y_test=np.zeros(1, int))
    with pytest.raises(DataError, match="x_train has shape"):
        load(path)
    objects = np.array([{"a": 1}, None], dtype=object)
    path = write(tmp_path / "obj.npz", x_train=objects, y_train=objects, x_test=objects,
                 y_test=objects)
    with pytest.raises(DataError, match="pickled"):
        load(path)
    with pytest.raises(DataError, match="no such file"):
        load(tmp_path / "absent.npz")

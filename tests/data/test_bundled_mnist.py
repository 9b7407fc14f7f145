"""The MNIST copy shipped inside ivanet: content, shapes, balance, fixed split."""
import numpy as np

from ivanet.data import load
from ivanet.data.sets import mnist


def test_bundled_file_is_small_and_matches_the_recorded_content():
    assert mnist.BUNDLED.stat().st_size < 3_000_000
    images, labels = mnist.read_bundled()
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10_000,) and labels.dtype == np.uint8
    assert mnist.content_sha256(images, labels) == mnist.BUNDLED_SHA256


def test_loads_without_fetch_with_fixed_stratified_split(tmp_path, monkeypatch):
    monkeypatch.setenv("IVANET_DATA", str(tmp_path))  # an empty cache must not matter
    splits = load("mnist")
    assert splits.task == "classification" and splits.num_classes == 10
    assert splits.input_shape == (1, 28, 28) and splits.class_names[3] == "3"
    sizes = {name: len(part) for name, part in splits.parts().items()}
    assert sizes == {"train": 8000, "dev": 1000, "test": 1000}
    overall = np.bincount(splits.train.y, minlength=10) / 8000
    assert overall.min() > 0.06 and overall.max() < 0.14  # balanced-ish classes
    for part in splits.parts().values():
        assert part.x.dtype == np.float32 and part.y.dtype == np.int64
        assert part.x.min() == 0.0 and part.x.max() == 1.0
        share = np.bincount(part.y, minlength=10) / len(part)
        np.testing.assert_allclose(share, overall, atol=0.0025)
    again = load("mnist")
    np.testing.assert_array_equal(again.dev.y, splits.dev.y)
    np.testing.assert_array_equal(again.test.x, splits.test.x)

"""Fashion-MNIST's ``pad`` option (32×32 for CIFAR-style networks) on a fake cache."""
import numpy as np
import pytest

from ivanet.data import DataError, load, write_idx
from ivanet.data.sets import fashion_mnist


@pytest.fixture
def fake_fashion(tmp_path, monkeypatch, rng):
    monkeypatch.setenv("IVANET_DATA", str(tmp_path))
    monkeypatch.setattr(fashion_mnist, "DEV_SIZE", 10)
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for prefix, count in (("train", 40), ("t10k", 20)):
        images = rng.integers(1, 256, size=(count, 28, 28), dtype=np.uint8)
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz",
                  np.arange(count, dtype=np.uint8) % 10)
    return folder


def test_pad_adds_a_black_border_and_keeps_the_image(fake_fashion):
    plain, padded = load("fashion-mnist"), load("fashion-mnist", pad=2)
    assert plain.input_shape == (1, 28, 28) and padded.input_shape == (1, 32, 32)
    for part in ("train", "dev", "test"):
        small, big = getattr(plain, part).x, getattr(padded, part).x
        np.testing.assert_array_equal(big[:, :, 2:30, 2:30], small)
        assert big.sum() == pytest.approx(small.sum())  # the border is zero
        np.testing.assert_array_equal(getattr(padded, part).y, getattr(plain, part).y)


@pytest.mark.parametrize("pad", [-1, 1.5, True])
def test_bad_pad_is_refused(fake_fashion, pad):
    with pytest.raises(DataError, match="pad must be an integer >= 0"):
        load("fashion-mnist", pad=pad)

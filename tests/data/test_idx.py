"""The IDX reader on hand-built files, gzip and raw, and its errors."""
import gzip
import struct

import numpy as np
import pytest

from ivanet.data import DataError, read_idx, write_idx


def hand_built_idx():
    """A 2×3 uint8 image stack and a 2-label file, bytes written out by hand."""
    images = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 2, 1, 3) + bytes([0, 1, 2, 250, 251, 255])
    labels = bytes([0, 0, 0x08, 1]) + struct.pack(">I", 2) + bytes([7, 3])
    return images, labels


@pytest.mark.parametrize("compressed", [False, True])
def test_reads_hand_built_files(tmp_path, compressed):
    images, labels = hand_built_idx()
    if compressed:
        images, labels = gzip.compress(images), gzip.compress(labels)
    (tmp_path / "images").write_bytes(images)
    (tmp_path / "labels").write_bytes(labels)
    out = read_idx(tmp_path / "images")
    assert out.shape == (2, 1, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out.ravel(), [0, 1, 2, 250, 251, 255])
    np.testing.assert_array_equal(read_idx(tmp_path / "labels"), [7, 3])


def test_big_endian_floats_and_ints(tmp_path):
    raw = bytes([0, 0, 0x0D, 1]) + struct.pack(">I", 2) + struct.pack(">2f", 1.5, -2.0)
    (tmp_path / "f").write_bytes(raw)
    np.testing.assert_array_equal(read_idx(tmp_path / "f"), np.array([1.5, -2.0], np.float32))
    raw = bytes([0, 0, 0x0C, 1]) + struct.pack(">I", 1) + struct.pack(">i", -70000)
    (tmp_path / "i").write_bytes(raw)
    np.testing.assert_array_equal(read_idx(tmp_path / "i"), [-70000])


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32,
                                   np.float64])
@pytest.mark.parametrize("name", ["a.idx", "a.idx.gz"])
def test_write_read_round_trip(tmp_path, rng, dtype, name):
    array = (rng.random((3, 4, 2)) * 100).astype(dtype)
    write_idx(tmp_path / name, array)
    back = read_idx(tmp_path / name)
    assert back.dtype == dtype
    np.testing.assert_array_equal(back, array)


def test_broken_files_raise_data_error(tmp_path):
    images, _ = hand_built_idx()
    (tmp_path / "short").write_bytes(images[:-1])
    with pytest.raises(DataError, match=r"needs 6 data bytes, found 5"):
        read_idx(tmp_path / "short")
    (tmp_path / "text").write_bytes(b"hello world")
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx(tmp_path / "text")
    (tmp_path / "cut.gz").write_bytes(gzip.compress(images)[:-8])
    with pytest.raises(DataError, match="broken gzip"):
        read_idx(tmp_path / "cut.gz")
    with pytest.raises(ValueError, match="cannot store dtype"):
        write_idx(tmp_path / "x", np.zeros(2, np.int64))

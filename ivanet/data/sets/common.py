"""Pieces the real-data loaders share: cache look-up, image conversion, seeded splits."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits, check_finite
from ivanet.data.fetch import cache_dir
from ivanet.data.splits import split_indices, split_sizes

SPLIT_SEED = 0


def cached_files(name: str, files: Sequence[str]) -> Path:
    """The cache folder of ``name`` if it holds every file, else a ``DataError`` saying how."""
    folder = cache_dir() / name
    missing = [relative for relative in files if not (folder / relative).is_file()]
    if missing:
        raise DataError(f"data set {name!r} is not in the cache ({folder / missing[0]} is "
                        f"missing): run `ivanet data fetch {name}` first")
    return folder


def is_cached(name: str, files: Sequence[str]) -> bool:
    """Whether every file of ``name`` is in the cache."""
    folder = cache_dir() / name
    return all((folder / relative).is_file() for relative in files)


def images_to_float(images: np.ndarray, max_value: float = 255.0) -> np.ndarray:
    """(N, H, W) or (N, C, H, W) integer images → float32 NCHW in [0, 1]."""
    if images.ndim == 3:
        images = images[:, None]  # (N, H, W) -> (N, 1, H, W)
    out = images.astype(np.float32)
    out *= np.float32(1.0 / max_value)
    return out


def labelled_splits(name: str, x: np.ndarray, y: np.ndarray, ratios: Sequence[float], *,
                    task: str, description: str, class_names: Sequence[str] | None = None,
                    feature_names: Sequence[str] | None = None,
                    stratify: bool = True) -> DataSplits:
    """Split ``(x, y)`` with the fixed seed ``SPLIT_SEED`` into a ``DataSplits``."""
    sizes = split_sizes(len(x), ratios)
    parts = split_indices(y if stratify else len(x), sizes, stratify=stratify, rng=SPLIT_SEED)
    train, dev, test = (ArrayDataset(x[idx], y[idx]) for idx in parts)
    return make_splits(name, train, dev, test, task=task, description=description,
                       class_names=class_names, feature_names=feature_names)


def make_splits(name: str, train: ArrayDataset, dev: ArrayDataset | None, test: ArrayDataset,
                *, task: str, description: str, class_names: Sequence[str] | None = None,
                feature_names: Sequence[str] | None = None) -> DataSplits:
    """A checked ``DataSplits``: finite values, classes counted from the labels."""
    named = {"train": train, "dev": dev, "test": test}
    for part_name, part in named.items():
        if part is not None:
            check_finite(f"{name} x_{part_name}", part.x)
            check_finite(f"{name} y_{part_name}", part.y)
    num_classes = None
    if task == "classification":
        largest = max(int(part.y.max(initial=-1)) for part in named.values() if part is not None)
        num_classes = len(class_names) if class_names else largest + 1
        if largest >= num_classes:
            raise DataError(f"{name}: label {largest} found but only {num_classes} class names")
    return DataSplits(name=name, train=train, dev=dev, test=test, task=task,
                      input_shape=tuple(train.x.shape[1:]), num_classes=num_classes,
                      class_names=tuple(class_names) if class_names else None,
                      feature_names=tuple(feature_names) if feature_names else None,
                      description=description)

"""Your own data set as a ``.npz`` file: x_train, y_train, (x_dev, y_dev), x_test, y_test.

An optional ``class_names`` string array names the classes of a classification set.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.sets.common import make_splits

REQUIRED = ("x_train", "y_train", "x_test", "y_test")
OPTIONAL = ("x_dev", "y_dev")


def load_npz(path: str | os.PathLike, task: str | None = None) -> DataSplits:
    """Read a ``.npz`` file (no pickle) into a checked ``DataSplits``.

    Integer ``y`` means classification (classes 0..max) unless ``task`` says otherwise;
    float ``y`` regression (a 1-D target becomes (N, 1)). uint8 ``x`` (images as stored) are
    scaled to float32 in [0, 1]; other ``x`` become float32. NaN or ±inf raise ``DataError``.
    """
    path = Path(path)
    arrays = _read(path)
    missing = [key for key in REQUIRED if key not in arrays]
    if ("x_dev" in arrays) != ("y_dev" in arrays):
        missing.append("y_dev" if "x_dev" in arrays else "x_dev")
    if missing:
        raise DataError(f"{path}: missing arrays {', '.join(missing)} (need x_train, y_train, "
                        f"x_test, y_test and optionally x_dev, y_dev; found "
                        f"{', '.join(sorted(arrays)) or 'none'})")
    if task is None:
        integer = np.issubdtype(arrays["y_train"].dtype, np.integer)
        task = "classification" if integer else "regression"
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    parts = {part: _part(path, arrays, part, task) for part in ("train", "dev", "test")}
    shapes = {part: data.x.shape[1:] for part, data in parts.items() if data is not None}
    if len(set(shapes.values())) > 1:
        raise DataError(f"{path}: x arrays disagree on the sample shape: {shapes}")
    names = arrays.get("class_names")
    class_names = [str(name) for name in names] if names is not None else None
    return make_splits(path.stem, parts["train"], parts["dev"], parts["test"], task=task,
                       description=f"arrays from {path}", class_names=class_names)


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise DataError(f"{path}: not a readable .npz file without pickled objects "
                        f"({error})") from None


def _part(path: Path, arrays: dict[str, np.ndarray], part: str,
          task: str) -> ArrayDataset | None:
    if f"x_{part}" not in arrays:
        return None
    x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
    if x.ndim == 0 or len(x) != len(y):
        raise DataError(f"{path}: x_{part} has shape {x.shape} but y_{part} has shape {y.shape}"
                        f"; they need the same number of samples")
    x = x.astype(np.float32) / np.float32(255) if x.dtype == np.uint8 else x.astype(np.float32)
    if task == "classification":
        if not np.issubdtype(y.dtype, np.integer) or y.ndim != 1 or (y < 0).any():
            raise DataError(f"{path}: y_{part} must hold 1-D non-negative integer class "
                            f"labels, got shape {y.shape} dtype {y.dtype}")
        y = y.astype(np.int64)
    else:
        y = y.astype(np.float32)
        y = y[:, None] if y.ndim == 1 else y  # (N,) -> (N, 1), like a model's output
    return ArrayDataset(x, y)

"""What ``fit``/``evaluate`` accept as data, turned into a ``DataLoader``, and the checks
that catch NaN or infinite inputs before they turn into a NaN loss."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError
from ivanet.data.loader import DataLoader


def as_loader(data, name: str, batch_size: int, *, shuffle: bool, seed: int,
              transform: Callable | None = None) -> DataLoader | None:
    """A ``DataLoader`` over ``data``: a loader (used as is), an ``(x, y)`` pair of arrays,
    or a dataset (anything with ``len`` and ``[i] -> (x, y)``). None stays None."""
    if data is None:
        return None
    if isinstance(data, DataLoader):
        if transform is not None and data.transform is None:
            raise ValueError(f"{name}: give the augmentation to the DataLoader "
                             f"(transform=...) when you pass a DataLoader")
        return data
    if isinstance(data, (tuple, list)):
        if len(data) != 2:
            raise TypeError(f"{name}: expected an (x, y) pair of arrays, got a "
                            f"{type(data).__name__} of length {len(data)}")
        try:
            data = ArrayDataset(*data)
        except ValueError as error:
            raise DataError(f"{name}: {error}") from None
    if not (hasattr(data, "__len__") and hasattr(data, "__getitem__")):
        raise TypeError(f"{name}: expected a dataset, an (x, y) pair of arrays or a "
                        f"DataLoader, got {type(data).__name__}")
    if len(data) == 0:
        raise DataError(f"{name} is empty")
    return DataLoader(data, batch_size=batch_size, shuffle=shuffle, seed=seed,
                      transform=transform)


def check_dataset(name: str, loader: DataLoader) -> bool:
    """Check an array-backed data set once for NaN/inf; False if it has no arrays to check
    (then ``fit`` checks each batch instead)."""
    dataset = loader.dataset
    x, y = getattr(dataset, "x", None), getattr(dataset, "y", None)
    if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)):
        return False
    _check_finite(f"{name}: the input", x)
    _check_finite(f"{name}: the target", y)
    return True


def _check_finite(what: str, array: np.ndarray) -> None:
    if not np.issubdtype(array.dtype, np.inexact):
        return
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), array.shape))
        detail = f" (position {where[1:]})" if len(where) > 1 else ""
        raise DataError(f"{what} of sample {where[0]} is {array[where]}{detail}: "
                        f"remove or repair non-finite values before training")


def check_batch(name: str, x: np.ndarray, epoch: int, batch: int) -> None:
    """Raise ``DataError`` if the batch of inputs holds NaN or inf."""
    if np.issubdtype(x.dtype, np.inexact) and not np.isfinite(x).all():
        row = int(np.argmax(~np.isfinite(x.reshape(len(x), -1)).all(axis=1)))
        raise DataError(f"{name}: row {row} of batch {batch + 1} in epoch {epoch + 1} holds "
                        f"a non-finite input (NaN or inf)")

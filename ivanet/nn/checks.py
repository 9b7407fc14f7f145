"""Early, readable argument and input checks shared by the layers (errors name the layer)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


def check_size(name: str, value) -> int:
    """``value`` if it is a positive int, else a ``ValueError`` naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def check_probability(name: str, value, *, allow_one: bool = False) -> float:
    """``value`` if 0 ≤ value < 1 (≤ 1 with ``allow_one``), else a ``ValueError``."""
    high_ok = value <= 1 if allow_one else value < 1
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0 <= value and high_ok):
        bound = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must be a number in {bound}, got {value!r}")
    return float(value)


def check_dtype(layer, x, dtype) -> None:
    """A ``TypeError`` naming ``layer`` unless ``x`` has the layer's parameter dtype.

    NumPy would silently upcast (float64 input × float32 weights → float64 activations,
    integer pixels → float64): a slower model and gradients of the wrong dtype.
    """
    got = getattr(x, "dtype", None)
    if got is not None and got != dtype:
        raise TypeError(f"{layer.describe()}: expected {dtype} input (the layer's parameters "
                        f"are {dtype}), got {got}; convert the input with "
                        f".astype(np.{dtype}) or the model with model.astype(np.{got})")


def check_features(layer, x, features: int, axis: int = -1) -> None:
    """Raise a ``ValueError`` naming ``layer`` unless ``x.shape[axis] == features``.

    Example message: "Linear 'classifier.2': expected input with 128 features (last dim),
    got shape (64, 256)".
    """
    shape = getattr(x, "shape", None)
    if shape is None:
        raise TypeError(f"{layer.describe()}: expected a Tensor or array input, "
                        f"got {type(x).__name__}")
    needed = axis + 1 if axis >= 0 else -axis
    if len(shape) < needed or shape[axis] != features:
        where = "last dim" if axis == -1 else f"dim {axis}"
        raise ValueError(f"{layer.describe()}: expected input with {features} features "
                         f"({where}), got shape {tuple(shape)}")


@contextmanager
def named_errors(layer) -> Iterator[None]:
    """Prefix a ``ValueError`` raised inside the block with ``layer``'s name.

    The ops check sizes (an input smaller than the kernel, an empty output) but do not know
    which layer called them; in a deep model the user needs "Conv2d 'features.3': …".
    """
    try:
        yield
    except ValueError as error:
        raise ValueError(f"{layer.describe()}: {error}") from None

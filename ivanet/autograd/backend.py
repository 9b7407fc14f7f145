"""The one place that chooses the array module: NumPy by default, CuPy on request.

Ops call NumPy ufuncs directly (CuPy arrays dispatch them through ``__array_ufunc__``);
code that *creates* arrays asks :func:`xp` or :func:`array_module` for the module.
"""
from __future__ import annotations

import types

import numpy as np

_xp: types.ModuleType = np
DEFAULT_DTYPE = np.float32


def xp() -> types.ModuleType:
    """The array module used for new arrays (``numpy`` unless :func:`use` chose ``cupy``)."""
    return _xp


def use(name: str) -> None:
    """Select the array module by name: ``"numpy"`` or ``"cupy"``."""
    global _xp
    if name == "numpy":
        _xp = np
    elif name == "cupy":
        import cupy  # noqa: PLC0415  (optional dependency, imported only on request)

        _xp = cupy
    else:
        raise ValueError(f"backend must be 'numpy' or 'cupy', got {name!r}")


def array_module(array) -> types.ModuleType:
    """The module (numpy or cupy) that owns ``array``."""
    return np if isinstance(array, (np.ndarray, np.generic)) else _xp


def to_numpy(array) -> np.ndarray:
    """A host NumPy copy (or view) of any backend array."""
    if isinstance(array, np.ndarray):
        return array
    get = getattr(array, "get", None)
    return get() if get is not None else np.asarray(array)

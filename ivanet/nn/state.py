"""``state_dict`` / ``load_state_dict``: a model's arrays by dotted name, copied in place."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ivanet.autograd.tensor import Tensor


class LoadResult(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class StateDictError(ValueError):
    """A state dict that does not fit the model (every problem listed in the message)."""


def live_arrays(module, prefix: str = "") -> dict[str, np.ndarray]:
    """Name → the model's own array, torch's order: each module's parameters, then its
    persistent buffers, then its children's (a shared array appears under every name)."""
    arrays: dict[str, np.ndarray] = {}
    for name, param in module._parameters.items():
        if param is not None:
            arrays[prefix + name] = param.data
    for name, buffer in module._buffers.items():
        if buffer is not None and name not in module._non_persistent:
            arrays[prefix + name] = buffer
    for name, child in module._modules.items():
        if child is not None:
            arrays.update(live_arrays(child, f"{prefix}{name}."))
    return arrays


def state_dict(module, copy: bool = True) -> dict[str, np.ndarray]:
    """Name → array (copies unless ``copy=False``)."""
    arrays = live_arrays(module)
    if copy:
        return {name: array.copy() for name, array in arrays.items()}
    return arrays


def load_state_dict(module, state: dict, strict: bool = True) -> LoadResult:
    """Check every key, then ``np.copyto`` each value into the model's array.

    Arrays are never rebound: optimizers may hold parameters as views into one flat
    buffer, and those views must keep seeing the loaded values.
    """
    targets = live_arrays(module)
    values = {name: _to_array(name, value) for name, value in state.items()}
    missing = [name for name in targets if name not in values]
    unexpected = [name for name in values if name not in targets]
    mis_shaped = [f"{name}: model {targets[name].shape}, state {values[name].shape}"
                  for name in targets if name in values
                  and targets[name].shape != values[name].shape]
    mis_typed = [f"{name}: model {targets[name].dtype}, state {values[name].dtype}"
                 for name in targets if name in values
                 and not np.can_cast(values[name].dtype, targets[name].dtype, "same_kind")]
    problems = []
    if strict and missing:
        problems.append("missing keys (in the model, not in the state): " + ", ".join(missing))
    if strict and unexpected:
        problems.append("unexpected keys (in the state, not in the model): "
                        + ", ".join(unexpected))
    if mis_shaped:
        problems.append("shape mismatches:\n    " + "\n    ".join(mis_shaped))
    if mis_typed:
        problems.append("dtype mismatches (cannot cast):\n    " + "\n    ".join(mis_typed))
    if problems:
        raise StateDictError(f"load_state_dict into {type(module).__name__} failed, "
                             "nothing was loaded:\n  " + "\n  ".join(problems))
    for name, target in targets.items():
        if name in values:
            np.copyto(target, values[name], casting="same_kind")
    return LoadResult(missing, unexpected)


def _to_array(name: str, value) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    try:
        return np.asarray(value)
    except (TypeError, RuntimeError) as error:
        raise StateDictError(f"state[{name!r}] is not an array ({type(value).__name__}): "
                             f"{error}") from error

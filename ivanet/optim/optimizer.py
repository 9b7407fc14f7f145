"""``Optimizer``: param groups over flat buffers, ``step``/``zero_grad``, ``state_dict``.

A subclass names its hyperparameters (``defaults``), the flat arrays it needs
(``_buffers``) and writes ``_update(group, run)``: a few in-place ufunc calls over one
:class:`~ivanet.optim.flat.Run` of the group's flat arrays. Everything else lives here.

Differences from ``torch.optim`` worth knowing:

- The parameters' ``data`` and ``grad`` become views into one flat array per group (see
  :mod:`ivanet.optim.flat`). Update them in place; a rebound ``p.data``/``p.grad`` is copied
  back in before the next update.
- ``zero_grad()`` fills the grads with zeros (like ``set_to_none=False``), and a ``None``
  grad counts as zero: a parameter left out of the loss still moves by momentum and weight
  decay. To leave a parameter alone, set ``requires_grad=False`` (at any time).
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable

import numpy as np

from ivanet.autograd import backend
from ivanet.autograd.mode import enable_grad
from ivanet.autograd.tensor import Tensor
from ivanet.optim.flat import FlatGroup, Run

# Optional keys of a param group that are not hyperparameters.
_EXTRA_KEYS = ("name",)


class Optimizer:
    """Base class of the optimizers (see the module docstring for the subclass contract)."""

    state_names: tuple[str, ...] = ()  # flat state arrays that state_dict() saves
    nonnegative: tuple[str, ...] = ("lr", "weight_decay")  # options checked to be ≥ 0

    def __init__(self, params: Iterable, defaults: dict):
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__} expects an iterable of tensors or of "
                            "param-group dicts, got a single Tensor; wrap it in a list")
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{type(self).__name__}: params is a set, whose order changes "
                            "from run to run; pass a list")
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self._flats: list[FlatGroup] = []
        self._step_count = 0
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if all(isinstance(g, dict) for g in groups):
            for group in groups:
                self.add_param_group(group)
        elif any(isinstance(g, dict) for g in groups):
            raise TypeError("params must be all tensors or all param-group dicts, not a mix")
        else:
            self.add_param_group({"params": groups})

    # ----------------------------------------------------------------- groups
    def add_param_group(self, group: dict) -> None:
        """Add a group: ``{"params": [...], **options}``; missing options take the defaults."""
        index = len(self.param_groups)
        where = f"{type(self).__name__} param group {index}"
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{where}: expected a dict with a 'params' key, got {group!r}")
        params = group["params"]
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{where}: params is a set, whose order changes from run to run; "
                            "pass a list")
        params = [params] if isinstance(params, Tensor) else list(params)
        full = self._complete(group, where)
        owners = {id(p): g for g, flat in enumerate(self._flats) for p in flat.params}
        for i, p in enumerate(params):
            if id(p) in owners:
                raise ValueError(f"{where}: parameter {i} is already in param group "
                                 f"{owners[id(p)]}; a parameter belongs to one group")
        flat = FlatGroup(params, where)
        full["params"] = flat.params
        flat.ensure(*self._buffers(full))
        self.param_groups.append(full)
        self._flats.append(flat)

    def _complete(self, group: dict, where: str) -> dict:
        """The group's options over the defaults, checked."""
        unknown = sorted(set(group) - set(self.defaults) - {"params", *_EXTRA_KEYS})
        if unknown:
            raise ValueError(f"{where}: unknown option(s) {unknown}; "
                             f"{type(self).__name__} takes {sorted(self.defaults)}")
        full = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}}
        for name in self.nonnegative:
            value = full[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
                raise ValueError(f"{where}: {name} must be a number ≥ 0, got {value!r}")
        self._check(full, where)
        return full

    def _check(self, group: dict, where: str) -> None:
        """Subclass hook: raise on options that do not make sense together."""

    # ----------------------------------------------------------------- subclass API
    def _buffers(self, group: dict) -> tuple[str, ...]:
        """Names of the flat arrays (state and scratch) that ``_update`` uses for ``group``."""
        return ()

    def _prepare(self, group: dict, flat: FlatGroup) -> None:
        """Subclass hook, once per group and step, before the runs are updated."""

    def _update(self, group: dict, run: Run) -> None:
        raise NotImplementedError

    # ----------------------------------------------------------------- training loop
    def zero_grad(self) -> None:
        """Set every gradient to zero (one fill per group) and restore the grad views."""
        for flat in self._flats:
            flat.zero_grad()

    def step(self, closure: Callable | None = None):
        """Update every trainable parameter once; ``closure`` re-computes and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        if len(self.param_groups) != len(self._flats):
            raise RuntimeError("param_groups changed length; add groups with add_param_group()")
        for group, flat in zip(self.param_groups, self._flats):
            if group["params"] is not flat.params:
                raise RuntimeError("a param group's 'params' list was replaced; build a new "
                                   "optimizer (or use add_param_group) instead")
            flat.ensure(*self._buffers(group))
            self._prepare(group, flat)
            flat.sync()
            for run in flat.runs():
                self._update(group, run)
            flat.advance()
        self._step_count += 1
        return loss

    # ----------------------------------------------------------------- state
    def state_dict(self) -> dict:
        """A plain dict: ``type``, ``step``, ``param_groups`` (JSON-able) and ``state``.

        ``state`` maps ``"<group>.<name>"`` to a NumPy copy of a flat state array, and
        ``"<group>.step"`` to the per-parameter update counts (int64). Each group lists its
        parameter indices, shapes and dtype, which :meth:`load_state_dict` checks.
        """
        groups, state, index = [], {}, 0
        for g, (group, flat) in enumerate(zip(self.param_groups, self._flats)):
            entry = {k: list(v) if isinstance(v, tuple) else v
                     for k, v in group.items() if k != "params"}
            entry["params"] = list(range(index, index + len(flat.params)))
            entry["param_shapes"] = [list(shape) for shape in flat.shapes]
            entry["dtype"] = str(flat.dtype)
            index += len(flat.params)
            groups.append(entry)
            for name in self.state_names:
                if name in flat.arrays:
                    state[f"{g}.{name}"] = np.array(backend.to_numpy(flat.arrays[name]))
            state[f"{g}.step"] = flat.steps.copy()
        return {"type": type(self).__name__, "step": self._step_count,
                "param_groups": groups, "state": state}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` saved; a clear error lists every mismatch."""
        saved_type = state_dict.get("type", type(self).__name__)
        if saved_type != type(self).__name__:
            raise ValueError(f"cannot load a {saved_type} state into {type(self).__name__}")
        saved_groups, state = state_dict["param_groups"], state_dict["state"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"cannot load optimizer state: it has {len(saved_groups)} param "
                             f"group(s), this {type(self).__name__} has {len(self.param_groups)}")
        problems, new_groups = [], []
        for g, (saved, flat) in enumerate(zip(saved_groups, self._flats)):
            new_groups.append(self._loaded_group(g, saved, flat, problems))
            problems += _check_state(g, state, flat, self._required(new_groups[-1]),
                                     self.state_names)
        groups = {str(g) for g in range(len(new_groups))}
        extra = [k for k in state if k.partition(".")[0] not in groups]
        problems += [f"state {k!r} belongs to no param group" for k in extra]
        if problems:
            raise ValueError("cannot load optimizer state:\n  - " + "\n  - ".join(problems))
        for g, (group, flat) in enumerate(zip(new_groups, self._flats)):
            self.param_groups[g].update(group)
            for name in self.state_names:
                if f"{g}.{name}" in state:
                    flat.ensure(name)
                    flat.arrays[name][...] = backend.xp().asarray(state[f"{g}.{name}"])
            flat.ensure(*self._buffers(self.param_groups[g]))
            flat.steps[...] = np.asarray(state[f"{g}.step"])
            flat.invalidate()
            self._after_load(self.param_groups[g], flat)
        self._step_count = int(state_dict.get("step", 0))

    def _loaded_group(self, g: int, saved: dict, flat: FlatGroup, problems: list) -> dict:
        """The options of saved group ``g``, checked against this optimizer's group."""
        shapes = [tuple(s) for s in saved.get("param_shapes", flat.shapes)]
        if shapes != flat.shapes:
            problems.append(f"param group {g}: saved parameter shapes {shapes}, "
                            f"this optimizer has {flat.shapes}")
        options = {k: tuple(v) if isinstance(self.defaults.get(k), tuple) else v
                   for k, v in saved.items() if k not in ("params", "param_shapes", "dtype")}
        try:
            return self._complete(options, f"param group {g}")
        except (TypeError, ValueError) as error:
            problems.append(str(error))
            return {}

    def _required(self, group: dict) -> list[str]:
        """The state arrays that ``group``'s options need (empty for a group that failed)."""
        if not group:
            return []
        return [name for name in self._buffers(group) if name in self.state_names]

    def _after_load(self, group: dict, flat: FlatGroup) -> None:
        """Subclass hook: refresh private per-group values after a load."""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}("]
        for g, (group, flat) in enumerate(zip(self.param_groups, self._flats)):
            options = ", ".join(f"{k}={v}" for k, v in group.items() if k != "params")
            lines.append(f"  group {g}: {len(flat.params)} params ({flat.size:,} values, "
                         f"{flat.dtype}), {options}")
        return "\n".join(lines) + "\n)"


def _check_state(g: int, state: dict, flat: FlatGroup, required: list[str],
                 known: tuple[str, ...]) -> list[str]:
    """Problems with the saved state arrays of group ``g`` (names and shapes)."""
    problems = []
    names = {k.partition(".")[2] for k in state if k.partition(".")[0] == str(g)}
    for name in sorted((set(required) | {"step"}) - names):
        problems.append(f"state '{g}.{name}' is missing")
    for name in sorted(names - set(known) - {"step"}):
        problems.append(f"state '{g}.{name}' is not a state of this optimizer "
                        f"(expected {sorted({*known, 'step'})})")
    for name in sorted(names & {*known, "step"}):
        expected = (len(flat.params),) if name == "step" else (flat.size,)
        shape = tuple(np.shape(state[f"{g}.{name}"]))
        if shape != expected:
            problems.append(f"state '{g}.{name}' has shape {shape}, expected {expected}")
    return problems

"""Flat buffers: all parameters of a group live in one contiguous array, and so do their grads.

An update written as a few whole-array ufunc calls costs the same Python overhead for one
parameter or two hundred, so ``step()`` has no per-parameter loop in its hot path. Each
parameter's ``data`` and ``grad`` are reshaped views into the flat ``data`` and ``grad``
arrays; the engine accumulates leaf gradients in place (``leaf.grad += g``), so a backward
pass writes straight into the flat ``grad``.

Users may still rebind ``p.grad`` (a new array, or ``None`` for "no gradient", read as zero)
or ``p.data``: :meth:`FlatGroup.sync` copies such arrays back into the buffers and restores
the views before each update. Parameters with ``requires_grad=False`` are left out of the
update: the trainable ones form contiguous :class:`Run` s over the flat arrays.
"""
from __future__ import annotations

from operator import attrgetter, is_

import numpy as np

from ivanet.autograd import backend
from ivanet.autograd.tensor import Tensor

_grad_of = attrgetter("grad")
_data_of = attrgetter("data")
_trainable = attrgetter("requires_grad")


class Run:
    """A contiguous stretch of trainable parameters ``first:last`` that share a step count.

    ``arrays`` maps every flat array's name (``data``, ``grad``, the optimizer's state and
    scratch arrays) to its view over the elements ``start:stop``; ``step`` is how many
    updates these parameters have had before this one.
    """

    __slots__ = ("first", "last", "start", "stop", "step", "arrays")

    def __init__(self, first: int, last: int, start: int, stop: int, step: int, arrays: dict):
        self.first, self.last, self.start, self.stop = first, last, start, stop
        self.step = step
        self.arrays = arrays


class FlatGroup:
    """The flat ``data``/``grad`` buffers, state arrays and step counts of one param group.

    Shape: every flat array is ``(n,)`` with ``n`` the total number of elements; parameter
    ``i`` owns ``offsets[i]:offsets[i + 1]``.
    """

    def __init__(self, params: list[Tensor], where: str):
        self.dtype = check_params(params, where)
        self.params = params
        self.shapes = [tuple(p.shape) for p in params]
        self.offsets = [0]
        for p in params:
            self.offsets.append(self.offsets[-1] + p.data.size)
        xp = backend.array_module(params[0].data)
        size = self.offsets[-1]
        data, grad = xp.empty(size, self.dtype), xp.zeros(size, self.dtype)
        self.arrays = {"data": data, "grad": grad}
        self.data_views = [self._view(data, i) for i in range(len(params))]
        self.grad_views = [self._view(grad, i) for i in range(len(params))]
        for p, data_view, grad_view in zip(params, self.data_views, self.grad_views):
            data_view[...] = p.data
            p.data = data_view  # the one sanctioned rebinding of a parameter's data
            if p.grad is not None:
                grad_view[...] = p.grad
            p.grad = grad_view
        self.steps = np.zeros(len(params), dtype=np.int64)
        self.notes: dict = {}  # values an optimizer keeps per group besides arrays
        self._mask: tuple | None = None
        self._runs: list[Run] = []

    def _view(self, flat, i: int):
        return flat[self.offsets[i]:self.offsets[i + 1]].reshape(self.shapes[i])

    @property
    def size(self) -> int:
        return self.offsets[-1]

    def ensure(self, *names: str) -> None:
        """Allocate (zero-filled) any of the flat arrays ``names`` that do not exist yet."""
        missing = [name for name in names if name not in self.arrays]
        if missing:
            xp = backend.array_module(self.arrays["data"])
            for name in missing:
                self.arrays[name] = xp.zeros(self.size, self.dtype)
            self._mask = None  # the runs' views must include the new arrays

    def zero_grad(self) -> None:
        """Fill the flat grad with zeros (one memset) and restore any replaced grad view."""
        self.arrays["grad"].fill(0)
        if not all(map(is_, map(_grad_of, self.params), self.grad_views)):
            for p, view in zip(self.params, self.grad_views):
                p.grad = view

    def sync(self) -> None:
        """Before an update: pull rebound grads/data into the buffers, refresh the runs."""
        params = self.params
        if not all(map(is_, map(_grad_of, params), self.grad_views)):
            self._pull_grads()
        if not all(map(is_, map(_data_of, params), self.data_views)):
            self._pull_data()
        mask = tuple(map(_trainable, params))
        if mask != self._mask:
            self._mask = mask
            self._runs = self._build_runs(mask)

    def _pull_grads(self) -> None:
        for i, (p, view) in enumerate(zip(self.params, self.grad_views)):
            if p.grad is view:
                continue
            if p.grad is None:  # no gradient: read as zero
                view.fill(0)
            else:
                self._copy_in(view, p.grad, i, "grad")
            p.grad = view

    def _pull_data(self) -> None:
        for i, (p, view) in enumerate(zip(self.params, self.data_views)):
            if p.data is not view:
                self._copy_in(view, p.data, i, "data")
                p.data = view

    def _copy_in(self, view, array, i: int, what: str) -> None:
        shape = getattr(array, "shape", None)
        if shape != view.shape:
            raise ValueError(
                f"parameter {i} (shape {view.shape}) was given a .{what} of shape {shape}; "
                f"a parameter's {what} must keep its shape"
            )
        if what == "data" and array.dtype != view.dtype:
            raise ValueError(
                f"parameter {i} was given data of dtype {array.dtype}, but its param group "
                f"is {view.dtype}; cast the model before building the optimizer"
            )
        view[...] = array

    def _build_runs(self, mask: tuple) -> list[Run]:
        runs, first, count = [], 0, len(mask)
        while first < count:
            if not mask[first]:
                first += 1
                continue
            last = first + 1
            while last < count and mask[last] and self.steps[last] == self.steps[first]:
                last += 1
            start, stop = self.offsets[first], self.offsets[last]
            whole = start == 0 and stop == self.size
            arrays = {name: flat if whole else flat[start:stop]
                      for name, flat in self.arrays.items()}
            runs.append(Run(first, last, start, stop, int(self.steps[first]), arrays))
            first = last
        return runs

    def runs(self) -> list[Run]:
        """The stretches of trainable parameters, as of the last :meth:`sync`."""
        return self._runs

    def advance(self) -> None:
        """Count one more update for every parameter that was just updated."""
        for run in self._runs:
            run.step += 1
            self.steps[run.first:run.last] += 1

    def invalidate(self) -> None:
        """Rebuild the runs at the next :meth:`sync` (step counts or arrays were replaced)."""
        self._mask = None


def check_params(params: list, where: str):
    """The common floating dtype of ``params``, or a clear error about the first bad one."""
    if not params:
        raise ValueError(f"{where} has an empty parameter list")
    seen: dict[int, int] = {}
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameter {i} is a {type(p).__name__}, expected a "
                            "Tensor or Parameter")
        if not p.is_leaf:
            raise ValueError(f"{where}: parameter {i} is the result of an op, not a leaf "
                             "tensor; optimize the leaves (Parameters) instead")
        if p.dtype.kind != "f":
            raise TypeError(f"{where}: parameter {i} has dtype {p.dtype}; only floating-point "
                            "tensors can be optimized")
        if id(p) in seen:
            raise ValueError(f"{where}: parameter {i} is the same tensor as parameter "
                             f"{seen[id(p)]}; list each parameter once")
        seen[id(p)] = i
    dtypes = {p.dtype for p in params}
    if len(dtypes) > 1:
        found = ", ".join(f"{i}: {p.dtype}" for i, p in enumerate(params))
        raise TypeError(f"{where} mixes dtypes ({found}); one group shares one flat buffer, so "
                        "cast the parameters or put each dtype in its own param group")
    return params[0].dtype

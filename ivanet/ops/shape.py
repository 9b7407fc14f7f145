"""Shape ops: reshape, transpose, indexing, concatenation, stacking, padding, broadcasting.

None of them computes anything: forward moves or views data, and backward moves the
gradient back to where each input element came from.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ivanet.autograd import backend
from ivanet.autograd.broadcast import unbroadcast
from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops.reduction import normalize_axes


class Reshape(Function):
    """z = x with a new shape (same elements, row-major order);  dz/dx reshapes back."""

    def forward(self, x, shape):
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Transpose(Function):
    """z = x with its axes permuted;  the gradient is permuted back by the inverse."""

    def forward(self, x, axes=None):
        axes = tuple(reversed(range(x.ndim))) if axes is None else normalize_perm(axes, x.ndim)
        self.inverse = tuple(np.argsort(axes).tolist())
        return x.transpose(axes)

    def backward(self, grad):
        return grad.transpose(self.inverse)


class BroadcastTo(Function):
    """z = x repeated along broadcast axes (a read-only view);  dz/dx sums them back."""

    def forward(self, x, shape):
        self.in_shape = np.shape(x)
        return np.broadcast_to(x, shape)

    def backward(self, grad):
        return unbroadcast(grad, self.in_shape)


class GetItem(Function):
    """z = x[index], NumPy basic and advanced indexing;  dz/dx scatters the gradient back,
    summing where an integer-array index picks the same element more than once."""

    def forward(self, x, index):
        self.in_shape, self.index = x.shape, index
        self.kind = _index_kind(index)
        return x[index]

    def backward(self, grad):
        grad_x = backend.array_module(grad).zeros(self.in_shape, dtype=grad.dtype)
        if self.kind == "assign":  # every element picked at most once
            grad_x[self.index] = grad
        elif self.kind == "rows":
            _scatter_add_rows(grad_x, self.index, grad)
        else:
            np.add.at(grad_x, self.index, grad)
        return grad_x


class Concat(Function):
    """z = [x₁, x₂, …] joined along ``axis``;  each input gets its slice of the gradient."""

    def forward(self, *arrays, axis: int = 0):
        if not arrays:
            raise ValueError("concat needs at least one tensor")
        self.axis = normalize_axes(axis, arrays[0].ndim)[0]
        self.splits = np.cumsum([a.shape[self.axis] for a in arrays[:-1]]).tolist()
        return np.concatenate(arrays, axis=self.axis)

    def backward(self, grad):
        parts = np.split(grad, self.splits, axis=self.axis)
        return tuple(p if needed else None for p, needed in zip(parts, self.needs_input_grad))


class Stack(Function):
    """z = [x₁, x₂, …] stacked along a new ``axis``;  each input gets its slice of dz."""

    def forward(self, *arrays, axis: int = 0):
        if not arrays:
            raise ValueError("stack needs at least one tensor")
        self.axis = normalize_axes(axis, arrays[0].ndim + 1)[0]
        return np.stack(arrays, axis=self.axis)

    def backward(self, grad):
        parts = np.moveaxis(grad, self.axis, 0)
        return tuple(p if needed else None for p, needed in zip(parts, self.needs_input_grad))


class Pad(Function):
    """z = x surrounded by a constant border;  dz/dx is the inner block of the gradient."""

    def forward(self, x, pad_width, value: float = 0.0):
        widths = _pad_widths(pad_width, x.ndim)
        shape = tuple(before + n + after for (before, after), n in zip(widths, x.shape))
        out = backend.array_module(x).full(shape, value, dtype=x.dtype)
        self.inner = tuple(slice(before, before + n) for (before, _), n in zip(widths, x.shape))
        out[self.inner] = x
        return out

    def backward(self, grad):
        return grad[self.inner]


def normalize_perm(axes: Sequence[int], ndim: int) -> tuple[int, ...]:
    """A permutation of ``range(ndim)`` from ``axes`` (negatives allowed), checked."""
    perm = tuple(int(a) % ndim if -ndim <= a < ndim else ndim for a in axes)
    if sorted(perm) != list(range(ndim)):
        raise ValueError(f"axes {tuple(axes)} are not a permutation of the {ndim} axes "
                         "of the tensor")
    return perm


def _index_kind(index) -> str:
    """How backward scatters: 'assign' (no integer arrays: basic indexing, boolean masks),
    'rows' (integer arrays on the leading axes, then whole axes) or 'general'."""
    items = index if isinstance(index, tuple) else (index,)
    is_int_array = [isinstance(i, np.ndarray) and i.dtype.kind in "iu" for i in items]
    if not any(is_int_array):
        return "assign"
    lead = _leading_count(items)
    whole_axes = all(i is Ellipsis or (isinstance(i, slice) and i == slice(None))
                     for i in items[lead:])
    return "rows" if all(is_int_array[:lead]) and whole_axes else "general"


def _scatter_add_rows(grad_x, index, grad) -> None:
    """grad_x[index] += grad for integer arrays on the leading axes, repeats summed.

    A flat 1-D ``np.add.at`` on linear indices: several times faster than ``np.add.at``
    with a multi-dimensional index (numpy 2.x), and it keeps the code generic.
    """
    items = index if isinstance(index, tuple) else (index,)
    arrays = items[: _leading_count(items)]
    lead_shape = grad_x.shape[: len(arrays)]
    # mode="wrap" turns negative indices into NumPy's from-the-end positions.
    rows = np.ravel_multi_index(tuple(a.astype(np.intp, copy=False) for a in arrays),
                                lead_shape, mode="wrap").reshape(-1)
    inner = math.prod(grad_x.shape[len(arrays):])
    if inner >= 64 and np.unique(rows).size == rows.size:  # no repeats: a plain copy, 5x faster
        grad_x.reshape(-1, inner)[rows] = grad.reshape(-1, inner)
        return
    flat = rows if inner == 1 else (rows[:, None] * inner + np.arange(inner)).reshape(-1)
    np.add.at(grad_x.reshape(-1), flat, grad.reshape(-1))


def _leading_count(index: tuple) -> int:
    count = 0
    while count < len(index) and isinstance(index[count], np.ndarray):
        count += 1
    return count


def _pad_widths(pad_width, ndim: int) -> list[tuple[int, int]]:
    """NumPy's pad_width forms (n, (before, after), or one pair per axis) as pairs."""
    try:
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.intp), (ndim, 2))
    except ValueError as error:
        raise ValueError(f"pad_width {pad_width!r} does not fit a tensor with {ndim} "
                         "dimensions: give n, (before, after) or one pair per axis") from error
    if (widths < 0).any():
        raise ValueError(f"pad_width must be non-negative, got {pad_width!r}")
    return [(int(before), int(after)) for before, after in widths]


def _raw_index(index):
    """The index with tensors and lists turned into arrays, as NumPy would read them."""
    if isinstance(index, tuple):
        return tuple(_raw_index_item(i) for i in index)
    return _raw_index_item(index)


def _raw_index_item(item):
    if isinstance(item, Tensor):
        return item.data
    if isinstance(item, list):
        return np.asarray(item)
    return item


def reshape(x: Tensor, shape: Sequence[int]) -> Tensor:
    """``x`` with a new shape (one entry may be −1)."""
    return Reshape.apply(x, shape=tuple(shape))


def transpose(x: Tensor, axes: Sequence[int] | None = None) -> Tensor:
    """``x`` with its axes permuted (None: reversed, the matrix transpose for 2-D)."""
    return Transpose.apply(x, axes=None if axes is None else tuple(axes))


def swapaxes(x: Tensor, axis1: int, axis2: int) -> Tensor:
    """``x`` with two axes exchanged."""
    perm = list(range(x.ndim))
    a, b = normalize_axes(axis1, x.ndim)[0], normalize_axes(axis2, x.ndim)[0]
    perm[a], perm[b] = perm[b], perm[a]
    return Transpose.apply(x, axes=tuple(perm))


def squeeze(x: Tensor, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """``x`` without size-1 axes (all of them, or those in ``axis``, which must be 1)."""
    shape = tuple(x.shape)
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = normalize_axes(axis, len(shape))
        wrong = [a for a in axes if shape[a] != 1]
        if wrong:
            raise ValueError(f"cannot squeeze axis {wrong[0]} of size {shape[wrong[0]]} "
                             f"(shape {shape})")
    return Reshape.apply(x, shape=tuple(n for i, n in enumerate(shape) if i not in axes))


def expand_dims(x: Tensor, axis: int | tuple[int, ...]) -> Tensor:
    """``x`` with new size-1 axes at the positions ``axis`` has in the result."""
    shape = tuple(x.shape)
    axis = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = normalize_axes(axis, len(shape) + len(axis))
    rest = iter(shape)
    new_shape = tuple(1 if i in axes else next(rest) for i in range(len(shape) + len(axes)))
    return Reshape.apply(x, shape=new_shape)


def unsqueeze(x: Tensor, axis: int) -> Tensor:
    """``x`` with a new size-1 axis at position ``axis`` (PyTorch's name)."""
    return expand_dims(x, axis)


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    """``x`` broadcast to ``shape`` (a read-only view); the gradient sums back."""
    return BroadcastTo.apply(x, shape=tuple(shape))


def getitem(x: Tensor, index) -> Tensor:
    """``x[index]``: ints, slices, None, Ellipsis, integer arrays, boolean masks."""
    return GetItem.apply(x, index=_raw_index(index))


def concat(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """The tensors joined along an existing ``axis``."""
    return Concat.apply(*tensors, axis=axis)


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new ``axis``."""
    return Stack.apply(*tensors, axis=axis)


def pad(x: Tensor, pad_width, value: float = 0.0) -> Tensor:
    """``x`` padded with the constant ``value``; ``pad_width`` as in ``np.pad``."""
    return Pad.apply(x, pad_width=pad_width, value=value)

"""Reductions over axes: sum, mean, max, min, var, logsumexp.

Every reduction takes ``axis`` (None = all axes, an int, or a tuple; negatives count from
the end) and ``keepdims``. Forward reduces with ``keepdims=True`` and reshapes, so a full
reduction gives a 0-d array, not a NumPy scalar; backward reshapes the gradient back to
the kept shape and broadcasts it over the reduced axes.
"""
from __future__ import annotations

import math

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor

Axis = int | tuple[int, ...] | None


def normalize_axes(axis: Axis, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(
                f"axis {a} is out of range for a tensor with {ndim} dimensions")
        normalized.append(int(a) % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(normalized))


def _reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for i, n in enumerate(shape) if i not in axes)


class _Reduction(Function):
    """Shared bookkeeping: the axes, the kept shape, and the output's final shape."""

    def _setup(self, x, axis: Axis, keepdims: bool) -> tuple[int, ...]:
        self.axes = normalize_axes(axis, x.ndim)
        self.in_shape = x.shape
        self.kept_shape = tuple(1 if i in self.axes else n for i, n in enumerate(x.shape))
        self.out_shape = self.kept_shape if keepdims else _reduced_shape(x.shape, self.axes)
        return self.axes

    def _count(self) -> int:
        return math.prod(self.in_shape[a] for a in self.axes)

    def _kept(self, grad):
        """The upstream gradient with the reduced axes put back as size-1 axes."""
        return grad.reshape(self.kept_shape)


class Sum(_Reduction):
    """z = Σᵢ xᵢ over ``axis``;  dz/dxᵢ = 1 (the gradient is broadcast back)."""

    def forward(self, x, axis: Axis = None, keepdims: bool = False):
        axes = self._setup(x, axis, keepdims)
        return x.sum(axis=axes, keepdims=True).reshape(self.out_shape)

    def backward(self, grad):
        return np.broadcast_to(self._kept(grad), self.in_shape)


class Mean(_Reduction):
    """z = (1/n) Σᵢ xᵢ over ``axis``;  dz/dxᵢ = 1/n."""

    def forward(self, x, axis: Axis = None, keepdims: bool = False):
        axes = self._setup(x, axis, keepdims)
        return x.mean(axis=axes, keepdims=True).reshape(self.out_shape)

    def backward(self, grad):
        return np.broadcast_to(self._kept(grad) * (1.0 / self._count()), self.in_shape)


class Max(_Reduction):
    """z = maxᵢ xᵢ over ``axis``;  dz/dxᵢ = 1/k at each of the k maximal entries, else 0.

    Ties share the gradient evenly, as ``torch.amax`` does (``torch.max(x, dim)`` would
    give it all to one index): the average of the subgradients, and symmetric.
    """

    _reduce = staticmethod(np.max)

    def forward(self, x, axis: Axis = None, keepdims: bool = False):
        axes = self._setup(x, axis, keepdims)
        self.x = x
        self.extreme = self._reduce(x, axis=axes, keepdims=True)
        return self.extreme.reshape(self.out_shape)

    def backward(self, grad):
        hits = self.x == self.extreme
        count = hits.sum(axis=self.axes, keepdims=True, dtype=grad.dtype)
        return hits * (self._kept(grad) / count)


class Min(Max):
    """z = minᵢ xᵢ over ``axis``;  dz/dxᵢ = 1/k at each of the k minimal entries, else 0."""

    _reduce = staticmethod(np.min)


class Var(_Reduction):
    """σ² = Σᵢ (xᵢ − μ)² / (n − ddof) over ``axis``;  dσ²/dxᵢ = 2 (xᵢ − μ) / (n − ddof).

    ``ddof=0`` (the default) is the population variance the course's batch norm uses;
    ``ddof=1`` the unbiased estimate. The μ term drops out of the gradient because the
    deviations sum to zero.
    """

    def forward(self, x, axis: Axis = None, keepdims: bool = False, ddof: int = 0):
        axes = self._setup(x, axis, keepdims)
        dof = self._count() - ddof
        if dof <= 0:
            raise ValueError(f"var over {self._count()} values with ddof={ddof} needs "
                             f"more than {ddof} values per reduction")
        self.diff = x - x.mean(axis=axes, keepdims=True)
        self.scale = 2.0 / dof
        squares = self.diff * self.diff
        out = squares.sum(axis=axes, keepdims=True)
        out *= 1.0 / dof
        return out.reshape(self.out_shape)

    def backward(self, grad):
        return self.diff * (self._kept(grad) * self.scale)


class LogSumExp(_Reduction):
    """z = log Σᵢ e^{xᵢ} = m + log Σᵢ e^{xᵢ − m} with m = max x (no overflow);
    dz/dxᵢ = e^{xᵢ − z} (the softmax)."""

    def forward(self, x, axis: Axis = None, keepdims: bool = False):
        if x.dtype.kind != "f":
            raise TypeError(f"logsumexp needs a floating-point tensor, got {x.dtype}")
        axes = self._setup(x, axis, keepdims)
        shift = x.max(axis=axes, keepdims=True)
        if not np.isfinite(shift).all():  # all −inf (or +inf) along an axis: shift by 0
            shift = np.where(np.isfinite(shift), shift, 0)
        exps = np.asarray(x - shift)  # asarray: 0-d results come back as NumPy scalars
        np.exp(exps, out=exps)
        out = np.asarray(exps.sum(axis=axes, keepdims=True))
        np.log(out, out=out)
        out += shift
        self.x, self.out = x, out
        return out.reshape(self.out_shape)

    def backward(self, grad):
        softmax = np.asarray(self.x - self.out)
        np.exp(softmax, out=softmax)
        softmax *= self._kept(grad)
        return softmax


def sum(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum of the elements over ``axis``."""
    return Sum.apply(x, axis=axis, keepdims=keepdims)


def mean(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis``."""
    return Mean.apply(x, axis=axis, keepdims=keepdims)


def max(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Largest element over ``axis``; ties share the gradient evenly (like torch.amax)."""
    return Max.apply(x, axis=axis, keepdims=keepdims)


def min(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Smallest element over ``axis``; ties share the gradient evenly (like torch.amin)."""
    return Min.apply(x, axis=axis, keepdims=keepdims)


def var(x: Tensor, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    """Variance over ``axis``, dividing by n − ddof (default 0: population variance)."""
    return Var.apply(x, axis=axis, keepdims=keepdims, ddof=ddof)


def logsumexp(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """log Σ exp(x) over ``axis``, computed without overflow."""
    return LogSumExp.apply(x, axis=axis, keepdims=keepdims)

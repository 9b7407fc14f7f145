"""Gradient clipping, in place on ``p.grad``, as ``torch.nn.utils.clip_grad_norm_/value_``.

When the gradients are exactly the views of one optimizer's flat grad buffer (all of a
param group, in any order), the work is done on the flat buffer in one call.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ivanet.autograd.tensor import Tensor


def clip_grad_norm_(params: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False) -> float:
    """Scale the gradients so that their joint norm is at most ``max_norm``; return the norm.

    The norm is taken over all gradients together, as if concatenated:
    ``‖g‖_p = (Σ |gᵢ|ᵖ)^(1/p)`` (``norm_type=inf``: ``max |gᵢ|``). If it exceeds
    ``max_norm``, every gradient is multiplied by ``max_norm / (‖g‖ + 1e-6)``. Parameters
    without a gradient are skipped. Returns the norm before clipping, as a Python float.
    """
    norm_type = float(norm_type)
    if not (norm_type > 0):
        raise ValueError(f"norm_type must be > 0 or inf, got {norm_type}")
    grads = _grads(params)
    if not grads:
        return 0.0
    total = _total_norm(_flat_or_each(grads), norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"the total {norm_type}-norm of the gradients is {total}; pass "
                           "error_if_nonfinite=False to clip anyway")
    coefficient = max_norm / (total + 1e-6)
    if coefficient < 1.0:
        for g in _flat_or_each(grads):
            np.multiply(g, coefficient, g)
    return total


def clip_grad_value_(params: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place."""
    if clip_value < 0:
        raise ValueError(f"clip_value must be ≥ 0, got {clip_value}")
    for g in _flat_or_each(_grads(params)):
        np.clip(g, -clip_value, clip_value, out=g)


def _grads(params) -> list:
    if isinstance(params, Tensor):
        params = [params]
    grads = []
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"parameter {i} is a {type(p).__name__}, expected a Tensor")
        if p.grad is not None:
            grads.append(p.grad)
    return grads


def _total_norm(arrays: list, norm_type: float) -> float:
    """The ``norm_type``-norm of all ``arrays`` together (per-array sums added in float64)."""
    if norm_type == math.inf:
        return max(float(np.max(np.abs(a))) if a.size else 0.0 for a in arrays)
    if norm_type == 2.0:
        total = sum(float(np.dot(a.ravel(), a.ravel())) for a in arrays)
        return math.sqrt(total)
    if norm_type == 1.0:
        return sum(float(np.sum(np.abs(a))) for a in arrays)
    total = sum(float(np.sum(np.abs(a) ** norm_type)) for a in arrays)
    return total ** (1.0 / norm_type)


def _flat_or_each(grads: list) -> list:
    """``[flat]`` if ``grads`` tile one 1-D buffer exactly (an optimizer's), else ``grads``."""
    base = grads[0].base
    if (base is None or base.ndim != 1 or not base.flags.c_contiguous
            or any(g.base is not base or not g.flags.c_contiguous for g in grads)
            or sum(g.size for g in grads) != base.size):
        return grads
    itemsize, origin = base.itemsize, _address(base)
    spans = sorted((_address(g) - origin, g.size * itemsize) for g in grads)
    position = 0
    for start, length in spans:
        if start != position:
            return grads
        position += length
    return [base]


def _address(array) -> int:
    return array.__array_interface__["data"][0]

"""Gradients of broadcast operands: sum the gradient back to the operand's shape."""
from __future__ import annotations


def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``.

    Example: ``x`` of shape (3, 1) plus ``y`` of shape (4,) gives (3, 4); the gradient
    for ``x`` sums over axis 1 (stretched), for ``y`` over axis 0 (added).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)

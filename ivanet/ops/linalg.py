"""Matrix products."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.broadcast import unbroadcast
from ivanet.autograd.function import Function


class MatMul(Function):
    """z = a @ b (NumPy's matmul rules: batched, 1-D operands promoted).

    dL/da = g @ bᵀ, dL/db = aᵀ @ g, summed over broadcast batch dimensions.
    """

    def forward(self, a, b):
        if np.ndim(a) == 0 or np.ndim(b) == 0:
            raise ValueError("matmul needs operands with at least one dimension")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(f"matmul shapes do not line up: {a.shape} @ {b.shape} "
                             f"({a.shape[-1]} ≠ {b.shape[-2 if b.ndim > 1 else 0]})")
        self.a, self.b = a, b
        return a @ b

    def backward(self, grad):
        a, b = self.a, self.b
        a2 = a[None, :] if a.ndim == 1 else a           # (1, k)
        b2 = b[:, None] if b.ndim == 1 else b           # (k, 1)
        if a.ndim == 1 and b.ndim == 1:                 # dot product: grad is 0-d
            g2 = np.reshape(grad, (1, 1))
        else:
            g2 = np.expand_dims(grad, -2) if a.ndim == 1 else grad
            g2 = np.expand_dims(g2, -1) if b.ndim == 1 else g2
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if self.needs_input_grad[1]:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


def matmul(a, b):
    """Matrix product a @ b."""
    return MatMul.apply(a, b)

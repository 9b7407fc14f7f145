"""The fully connected layer's math as one fused op: z = x Wᵀ + b."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor


def _check_shapes(x: np.ndarray, weight: np.ndarray, bias) -> None:
    if weight.ndim != 2:
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), "
                         f"got shape {weight.shape}")
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input has {x.shape[-1] if x.ndim else 0} features (last dim of shape "
            f"{x.shape}) but weight expects {weight.shape[1]} (weight shape {weight.shape})")
    if bias is not None and bias.shape != weight.shape[:1]:
        raise ValueError(f"linear: bias must have shape ({weight.shape[0]},) to match "
                         f"weight shape {weight.shape}, got {bias.shape}")


class Linear(Function):
    """z = x Wᵀ + b with W of shape (out, in), the course's W[l] and PyTorch's layout.

    One matrix product forward (the bias is added in place to the fresh product);
    backward, on x and g flattened to rows: dL/dx = g W, dL/dW = gᵀ x, dL/db = Σ_rows g.
    """

    def forward(self, x, weight, bias=None):
        _check_shapes(x, weight, bias)
        if x.ndim == 2:
            out = x @ weight.T                                # (N, out)
        else:                                                 # (..., in) → rows (M, in)
            out = (x.reshape(-1, x.shape[-1]) @ weight.T).reshape(x.shape[:-1] + weight.shape[:1])
        if bias is not None:
            out += bias                                       # in place on the fresh product
        if self.recording:
            self.x, self.weight = x, weight
        return out

    def backward(self, grad):
        x, weight = self.x, self.weight
        x_rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])       # (M, in)
        grad_rows = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])  # (M, out)
        needs = self.needs_input_grad
        grad_x = grad_weight = grad_bias = None
        if needs[0]:
            grad_x = (grad_rows @ weight).reshape(x.shape)
        if needs[1]:
            grad_weight = grad_rows.T @ x_rows
        if len(needs) > 2 and needs[2]:
            grad_bias = grad_rows.sum(axis=0)
        return grad_x, grad_weight, grad_bias


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Affine map x Wᵀ + b.

    Shape: x (..., in_features), weight (out_features, in_features), bias (out_features,)
    → (..., out_features).
    """
    if bias is None:
        return Linear.apply(x, weight)
    return Linear.apply(x, weight, bias)

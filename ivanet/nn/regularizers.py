"""L2 and L1 weight penalties (Day 2), as Tensors to add to the loss.

    L2:  λ/(2m) · Σ_l ‖W[l]‖²_F     gradient λ/m · W[l]        ("weight decay")
    L1:  λ/m    · Σ_l Σ_ij |W[l]_ij|  (sub)gradient λ/m · sign(W[l])   (drives weights to 0)

m is the number of examples the data loss averages over (the batch size). The slide's L1
formula writes the Frobenius norm and the L2 gradient; this is the true L1
(docs/errata.md). By default only weight matrices and kernels are penalised: parameters
whose name ends in "weight" with at least 2 dimensions. Biases and batch-norm γ, β (1-D)
are left out, as the course does (their count is small and shrinking them does not reduce
variance). ``include_bias=True`` penalises every parameter.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor


def penalized_parameters(model, include_bias: bool = False) -> list[Tensor]:
    """The parameters a penalty applies to (see the module docstring).

    ``model`` is a Module, or an iterable of parameters taken as they are.
    """
    if not hasattr(model, "named_parameters"):
        return list(model)
    return [p for name, p in model.named_parameters()
            if include_bias or (name.rsplit(".", 1)[-1] == "weight" and p.ndim >= 2)]


def l2_penalty(model, lam: float, m: int, include_bias: bool = False) -> Tensor:
    """λ/(2m) · Σ ‖W‖²_F over the penalised weights; back-propagates λ/m · W."""
    scale = _scale(lam, m) / 2
    weights = penalized_parameters(model, include_bias)
    return SquaredNormPenalty.apply(*weights, scale=scale) if weights else _zero()


def l1_penalty(model, lam: float, m: int, include_bias: bool = False) -> Tensor:
    """λ/m · Σ |W| over the penalised weights; back-propagates λ/m · sign(W)."""
    weights = penalized_parameters(model, include_bias)
    return AbsolutePenalty.apply(*weights, scale=_scale(lam, m)) if weights else _zero()


class SquaredNormPenalty(Function):
    """z = c · Σ_k ‖W_k‖²_F  (one fused op for all layers);  dz/dW_k = 2c · W_k."""

    def forward(self, *weights, scale: float):
        self.weights, self.scale = weights, scale
        total = sum(float(np.vdot(w, w)) for w in weights)
        return np.asarray(scale * total, dtype=weights[0].dtype)

    def backward(self, grad):
        factor = 2 * self.scale * float(grad)
        return tuple(w * factor if needed else None
                     for w, needed in zip(self.weights, self.needs_input_grad))


class AbsolutePenalty(Function):
    """z = c · Σ_k Σ |W_k|;  dz/dW_k = c · sign(W_k) (0 at 0, like PyTorch's abs)."""

    def forward(self, *weights, scale: float):
        self.weights, self.scale = weights, scale
        total = sum(float(np.abs(w).sum(dtype=np.float64)) for w in weights)
        return np.asarray(scale * total, dtype=weights[0].dtype)

    def backward(self, grad):
        factor = self.scale * float(grad)
        return tuple(np.sign(w) * factor if needed else None
                     for w, needed in zip(self.weights, self.needs_input_grad))


def _scale(lam: float, m: int) -> float:
    if not lam >= 0:
        raise ValueError(f"the regularisation strength lam must be ≥ 0, got {lam!r}")
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m <= 0:
        raise ValueError(f"m (the number of examples) must be a positive int, got {m!r}")
    return float(lam) / int(m)


def _zero() -> Tensor:
    return Tensor(np.zeros((), dtype=np.float32))


"""Inverted dropout: zero each unit with probability p, scale the survivors by 1/(1 − p)."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor


class Dropout(Function):
    """a = x · m / (1 − p), m ~ Bernoulli(1 − p) per unit;  da/dx = m / (1 − p).

    The mask is drawn as float32 uniforms (half the bytes of float64) and kept already
    scaled, in x's dtype, so forward and backward are one multiplication each.
    """

    def forward(self, x, p, rng):
        keep = 1.0 - p
        draws = rng.random(x.shape, dtype=np.float32)
        scaled_mask = np.less(draws, keep, out=draws) if x.dtype == np.float32 else (
            (draws < keep).astype(x.dtype))                 # 1.0 where the unit survives
        scaled_mask *= 1.0 / keep
        self.scaled_mask = scaled_mask
        return x * scaled_mask

    def backward(self, grad):
        return grad * self.scaled_mask


class DropAll(Function):
    """a = 0 · x (dropout with p = 1);  da/dx = 0."""

    def forward(self, x):
        return np.zeros_like(x)

    def backward(self, grad):
        return np.zeros_like(grad)


def dropout(x: Tensor, p: float = 0.5, training: bool = True,
            rng: np.random.Generator | None = None) -> Tensor:
    """Inverted dropout: active when ``training``; the identity in evaluation or for p = 0.

    The expected value of every unit is unchanged, so evaluation needs no rescaling.
    ``rng`` (a NumPy Generator) draws the mask. Shape: any → same.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be a probability in [0, 1], got {p}")
    if not training or p == 0.0:
        return x if isinstance(x, Tensor) else Tensor(x)
    if p == 1.0:
        return DropAll.apply(x)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"dropout: rng must be a numpy.random.Generator in training mode, "
                        f"got {type(rng).__name__}")
    return Dropout.apply(x, float(p), rng)

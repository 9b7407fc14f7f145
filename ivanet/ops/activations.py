"""Activation functions: sigmoid, tanh, ReLU, leaky ReLU, ELU, maxout, softmax, log-softmax.

Every op is stable for any finite input (|z| = 1000 included): no intermediate overflow
can turn into a wrong result, and the expected underflow of e^(−1000) to 0 is not reported
as a floating-point error (nor sigmoid's harmless e^1000 = inf, see ``stable_sigmoid``).
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e⁻ˣ), exact at both ends.

    For x < −88 (float32) e⁻ˣ overflows to inf and 1 / (1 + inf) = 0 is the exact limit,
    so that overflow is expected and not reported. (Three fast passes: the textbook
    split into e^−|x| / (1 + e^−|x|) for x < 0 needs a masked pass that costs 3× more.)
    """
    with np.errstate(over="ignore", under="ignore"):
        out = np.negative(x, out=np.empty_like(x))      # out=: stays an array when 0-d
        np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
    return out


class Sigmoid(Function):
    """a = σ(z) = 1 / (1 + e⁻ᶻ);  da/dz = a (1 − a)."""

    def forward(self, x):
        self.out = stable_sigmoid(x)
        return self.out

    def backward(self, grad):
        grad_x = np.subtract(1, self.out)
        grad_x *= self.out
        grad_x *= grad
        return grad_x


class Tanh(Function):
    """a = tanh(z);  da/dz = 1 − a²."""

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        grad_x = np.square(self.out, out=np.empty_like(self.out))
        np.subtract(1, grad_x, out=grad_x)
        grad_x *= grad
        return grad_x


class ReLU(Function):
    """a = max(0, z);  da/dz = 1 where z > 0, else 0 (0 at the kink, like PyTorch).

    The 0/1 mask is kept in the input's float dtype: x·mask and grad·mask are then the
    fastest passes NumPy has (a bool mask costs a cast per element, np.maximum is slower
    still). The price: relu(−inf) is NaN (−inf · 0); finite inputs are exact.
    """

    def forward(self, x):
        if not self.recording:  # inference: one pass, nothing kept
            return np.maximum(x, 0)
        self.mask = (x > 0).astype(x.dtype)
        return x * self.mask

    def backward(self, grad):
        return grad * self.mask


class LeakyReLU(Function):
    """a = z if z > 0 else slope·z;  da/dz = 1 or slope."""

    def forward(self, x, slope):
        factor = (x > 0).astype(x.dtype)                # 1 where z > 0
        factor *= 1.0 - slope
        factor += slope                                 # 1 where z > 0, slope elsewhere
        self.factor = factor
        return x * factor

    def backward(self, grad):
        return grad * self.factor


class ELU(Function):
    """a = z if z > 0 else α(eᶻ − 1);  da/dz = 1 if z > 0 else αeᶻ = a + α."""

    def forward(self, x, alpha):
        self.alpha = alpha
        self.positive = (x > 0).astype(x.dtype)
        # e^min(z,0) − 1: 0 where z > 0. np.exp(·) − 1 rather than np.expm1, which is 10×
        # slower in NumPy; its absolute error (≤ 1 ulp of 1) is invisible next to z's.
        negative_part = np.minimum(x, 0, out=np.empty_like(x))
        with np.errstate(under="ignore"):
            np.exp(negative_part, out=negative_part)
        negative_part -= 1
        negative_part *= alpha
        self.negative_part = negative_part
        return self.negative_part + x * self.positive

    def backward(self, grad):
        # a + α where z ≤ 0 and 1 where z > 0 (there negative_part = 0, so α + (1 − α)·1).
        slope = self.negative_part + self.alpha
        if self.alpha != 1.0:
            slope += (1.0 - self.alpha) * self.positive
        slope *= grad
        return slope


class Maxout(Function):
    """a_j = max over the `pieces` features j·pieces … j·pieces + pieces − 1 along `axis`.

    Contiguous groups: the grouping of ``linear(x, W).reshape(..., k, pieces).max(-1)``.
    The gradient goes to the (first) largest piece of each group.
    """

    def forward(self, x, pieces, axis):
        axis = axis % x.ndim
        features = x.shape[axis]
        if pieces < 1 or features % pieces:
            raise ValueError(f"maxout: {features} features along axis {axis} (shape "
                             f"{x.shape}) do not split into groups of {pieces} pieces")
        grouped = x.reshape(x.shape[:axis] + (features // pieces, pieces) + x.shape[axis + 1:])
        self.shape, self.grouped_shape, self.piece_axis = x.shape, grouped.shape, axis + 1
        self.winner = np.expand_dims(grouped.argmax(axis=axis + 1), axis + 1)
        return np.take_along_axis(grouped, self.winner, axis + 1).squeeze(axis + 1)

    def backward(self, grad):
        grad_x = np.zeros(self.grouped_shape, dtype=grad.dtype)
        np.put_along_axis(grad_x, self.winner, np.expand_dims(grad, self.piece_axis),
                          self.piece_axis)
        return grad_x.reshape(self.shape)


class Softmax(Function):
    """a_i = e^(z_i − max z) / Σ_j e^(z_j − max z);  dL/dz = a ⊙ (g − Σ_j g_j a_j)."""

    def forward(self, x, axis):
        self.axis = axis
        out = x - x.max(axis=axis, keepdims=True)
        with np.errstate(under="ignore"):
            np.exp(out, out=out)
            out /= out.sum(axis=axis, keepdims=True)
        self.out = out
        return out

    def backward(self, grad):
        grad_x = grad * self.out
        total = grad_x.sum(axis=self.axis, keepdims=True)   # Σ_j g_j a_j
        np.subtract(grad, total, out=grad_x)
        grad_x *= self.out
        return grad_x


class LogSoftmax(Function):
    """a_i = z_i − max z − log Σ_j e^(z_j − max z);  dL/dz = g − softmax(z) · Σ_j g_j."""

    def forward(self, x, axis):
        self.axis = axis
        out = x - x.max(axis=axis, keepdims=True)
        with np.errstate(under="ignore"):
            probs = np.exp(out)
            total = probs.sum(axis=axis, keepdims=True)     # ≥ 1: the max term is e⁰
            out -= np.log(total)
            probs /= total
        self.probs = probs
        return out

    def backward(self, grad):
        grad_x = self.probs * grad.sum(axis=self.axis, keepdims=True)
        np.subtract(grad, grad_x, out=grad_x)
        return grad_x


def sigmoid(x: Tensor) -> Tensor:
    """Logistic sigmoid σ(z) = 1 / (1 + e⁻ᶻ), elementwise."""
    return Sigmoid.apply(x)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return Tanh.apply(x)


def relu(x: Tensor) -> Tensor:
    """Rectified linear unit max(0, z), elementwise."""
    return ReLU.apply(x)


def leaky_relu(x: Tensor, slope: float = 0.01) -> Tensor:
    """Leaky ReLU: z for z > 0, slope·z otherwise (the slides' max(0.1z, z) is slope 0.1)."""
    return LeakyReLU.apply(x, float(slope))


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: z for z > 0, α(eᶻ − 1) otherwise."""
    return ELU.apply(x, float(alpha))


def maxout(x: Tensor, pieces: int, axis: int = -1) -> Tensor:
    """Maxout: max over contiguous groups of `pieces` features along `axis`.

    Shape: (..., k·pieces, ...) → (..., k, ...); use axis=-1 after a linear layer and
    axis=1 for the channels of an (N, C, H, W) feature map.
    """
    return Maxout.apply(x, int(pieces), int(axis))


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Softmax e^(z_i) / Σ_j e^(z_j) along `axis` (shifted by max z, so it never overflows)."""
    return Softmax.apply(x, axis)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log softmax(z)_i = z_i − log Σ_j e^(z_j) along `axis`, computed stably."""
    return LogSoftmax.apply(x, axis)

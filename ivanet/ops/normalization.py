"""Batch normalisation and layer normalisation, each one fused op with its own backward.

Both normalise x̂ = (x − μ)/√(σ² + ε) over a set of m values and return γ·x̂ + β. With
g = dL/dy and everything summed over those m values, the hand-derived gradient is

    dL/dx = (1/m) · (1/√(σ² + ε)) · (m·g·γ − Σ g·γ − x̂ · Σ g·γ·x̂)

(for batch norm γ is constant over the m values and factors out of the bracket).
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops import normalization_kernels as kernels
from ivanet.ops.im2col import as_matrix


def _channel_shape(x: np.ndarray) -> tuple[int, ...]:
    """(1, C, 1, …): per-channel values broadcast against x of shape (N, C, …)."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _shape(array) -> tuple[int, ...]:
    return tuple(array.shape) if hasattr(array, "shape") else np.shape(array)


def _check_per_channel(x: np.ndarray, **arrays) -> None:
    channels = x.shape[1]
    for name, array in arrays.items():
        if array is not None and _shape(array) != (channels,):
            raise ValueError(f"batch_norm: {name} must have shape ({channels},) for input of "
                             f"shape {x.shape} (channels on axis 1), got {_shape(array)}")


class BatchNorm(Function):
    """y = γ·(x − μ)/√(σ² + ε) + β per channel (axis 1), μ, σ² over all other axes.

    Training: μ, σ² are the batch's (biased σ²) and the running statistics move towards
    them in place, running ← (1 − momentum)·running + momentum·batch (unbiased σ² for
    running_var, as PyTorch). Evaluation: the running statistics, y is affine in x.
    """

    def forward(self, x, gamma, beta, running_mean, running_var, residual=None, *, training,
                momentum, eps, relu=False):
        self.axes = (0,) + tuple(range(2, x.ndim))           # all but the channel axis
        self.shape, self.training = _channel_shape(x), training
        self.count = x.size // x.shape[1]                    # m values per channel
        if training and self.count < 2:
            raise ValueError(f"batch_norm: batch statistics need more than one value "
                             f"per channel, got input of shape {x.shape}")
        self.fused = training and x.ndim == 4
        if self.fused:
            out = self._forward_fused(x, gamma, beta, residual, eps, relu)
        else:
            out = self._forward_plain(x, gamma, beta, running_mean, running_var, eps)
            if residual is not None:
                out += residual
            if relu:
                np.maximum(out, 0, out=out)
        if training and running_mean is not None:
            self._update(running_mean, running_var, self.mean, self.var, momentum)
        self.relu, self.out = relu, (out if relu else None)
        return out

    def _forward_fused(self, x, gamma, beta, residual, eps, relu):
        """Channel-major (C, N·H·W) passes: see ``normalization_kernels``."""
        C, N = x.shape[1], x.shape[0]
        x_m = np.ascontiguousarray(as_matrix(x))             # free after a conv
        ones = np.ones(C, dtype=x.dtype)
        r_m = None if residual is None else np.ascontiguousarray(
            as_matrix(residual.astype(x.dtype, copy=False)))
        out, mean, var, inv_std = kernels.forward(
            x_m, ones if gamma is None else gamma, ones * 0 if beta is None else beta,
            r_m, eps, relu)
        self.x_m, self.gamma, self.mean, self.var = x_m, gamma, mean, var
        self.inv_std, self.out_m = inv_std, out
        return out.reshape((C, N) + x.shape[2:]).swapaxes(0, 1)   # (N, C, H, W) view

    def _forward_plain(self, x, gamma, beta, running_mean, running_var, eps):
        if self.training:
            mean = x.mean(axis=self.axes)
            centered = x - mean.reshape(self.shape)
            var = np.square(centered).mean(axis=self.axes)
        else:
            mean, var = running_mean, running_var
            centered = x - mean.reshape(self.shape)
        self.mean, self.var = mean, var
        self.inv_std = 1.0 / np.sqrt(var + eps)              # (C,)
        centered *= self.inv_std.reshape(self.shape)         # x̂, in place
        self.x_hat, self.gamma = centered, gamma
        out = centered * gamma.reshape(self.shape) if gamma is not None else centered.copy()
        if beta is not None:
            out += beta.reshape(self.shape)
        return out

    def _update(self, running_mean, running_var, mean, var, momentum) -> None:
        """Move the running statistics (buffers owned by the layer) towards the batch's."""
        running_mean *= 1.0 - momentum
        running_mean += (momentum * mean).astype(running_mean.dtype, copy=False)
        running_var *= 1.0 - momentum
        unbiased = (momentum * self.count / (self.count - 1)) * var
        running_var += unbiased.astype(running_var.dtype, copy=False)

    def backward(self, grad):
        needs = self.needs_input_grad
        want_residual = len(needs) > 5 and needs[5]
        if self.fused:
            return self._backward_fused(grad, want_residual)
        if self.relu:
            grad = np.where(self.out > 0, grad, 0).astype(grad.dtype, copy=False)
        grad_x, grad_gamma, grad_beta = self._backward_plain(grad)
        return grad_x, grad_gamma, grad_beta, None, None, grad if want_residual else None

    def _backward_fused(self, grad, want_residual):
        C, N = self.x_m.shape[0], grad.shape[0]
        gamma = self.gamma if self.gamma is not None else np.ones(C, dtype=grad.dtype)
        grad_m = np.ascontiguousarray(as_matrix(grad.astype(self.x_m.dtype, copy=False)))
        grad_x, sum_g_xhat, sum_g, grad_r = kernels.backward(
            grad_m, self.x_m, self.out_m, self.mean, self.inv_std, gamma, self.relu,
            want_residual)

        def nchw(m):
            return None if m is None else m.reshape((C, N) + grad.shape[2:]).swapaxes(0, 1)

        dtype, needs = self.x_m.dtype, self.needs_input_grad
        grad_gamma = sum_g_xhat.astype(dtype) if needs[1] else None
        grad_beta = sum_g.astype(dtype) if needs[2] else None
        return nchw(grad_x) if needs[0] else None, grad_gamma, grad_beta, None, None, nchw(grad_r)

    def _backward_plain(self, grad):
        x_hat, shape = self.x_hat, self.shape
        grad_x = grad * x_hat                                 # g·x̂, reused for dL/dx below
        sum_g_xhat = grad_x.sum(axis=self.axes)               # dL/dγ
        sum_g = grad.sum(axis=self.axes)                      # dL/dβ
        scale = self.inv_std if self.gamma is None else self.gamma * self.inv_std
        if self.needs_input_grad[0]:
            if self.training:       # μ and σ² depend on x: the full formula
                np.multiply(x_hat, (sum_g_xhat / self.count).reshape(shape), out=grad_x)
                np.subtract(grad, grad_x, out=grad_x)
                grad_x -= (sum_g / self.count).reshape(shape)
                grad_x *= scale.reshape(shape)
            else:                   # fixed statistics: y = x·γ/σ + const
                grad_x = grad * scale.reshape(shape)
        grad_gamma = sum_g_xhat if self.needs_input_grad[1] else None
        grad_beta = sum_g if self.needs_input_grad[2] else None
        return grad_x, grad_gamma, grad_beta


class LayerNorm(Function):
    """y = γ·(x − μ)/√(σ² + ε) + β, μ and σ² over the last `dims` axes of each sample."""

    def forward(self, x, gamma, beta, dims, eps):
        self.axes = tuple(range(x.ndim - dims, x.ndim))
        self.count = int(np.prod(x.shape[x.ndim - dims:]))
        centered = x - x.mean(axis=self.axes, keepdims=True)
        var = np.square(centered).mean(axis=self.axes, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(var + eps)              # (..., 1, …, 1)
        centered *= self.inv_std
        self.x_hat, self.gamma = centered, gamma
        out = centered * gamma if gamma is not None else centered.copy()
        if beta is not None:
            out += beta
        return out

    def backward(self, grad):
        x_hat, lead = self.x_hat, tuple(range(grad.ndim - len(self.axes)))
        needs = self.needs_input_grad
        grad_gamma = (grad * x_hat).sum(axis=lead) if needs[1] else None
        grad_beta = grad.sum(axis=lead) if needs[2] else None
        grad_x = None
        if needs[0]:
            grad_xhat = grad * self.gamma if self.gamma is not None else grad.copy()
            dot = (grad_xhat * x_hat).sum(axis=self.axes, keepdims=True)
            grad_x = x_hat * (dot / self.count)
            np.subtract(grad_xhat, grad_x, out=grad_x)
            grad_x -= grad_xhat.mean(axis=self.axes, keepdims=True)
            grad_x *= self.inv_std
        return grad_x, grad_gamma, grad_beta


def batch_norm(x: Tensor, gamma: Tensor | None, beta: Tensor | None,
               running_mean: np.ndarray | None, running_var: np.ndarray | None,
               training: bool, momentum: float = 0.1, eps: float = 1e-5,
               residual: Tensor | None = None, relu: bool = False) -> Tensor:
    """Batch normalisation over every axis but the channels (axis 1).

    y = γ·x̂ + β, then ``+ residual`` and ``max(·, 0)`` when asked: a residual block's
    BN → (+ shortcut) → ReLU as one op, one pass over memory instead of three.
    Shape: (N, C), (N, C, L) or (N, C, H, W) → same (and ``residual``); gamma, beta and the
    running statistics (C,). Training updates running_mean / running_var in place (arrays or
    Tensors; None: no running statistics, evaluation then uses the batch's own too).
    """
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    if data.ndim < 2:
        raise ValueError(f"batch_norm: input must be (N, C, ...) with channels on axis 1, "
                         f"got shape {data.shape}")
    if residual is not None and tuple(_shape(residual)) != data.shape:
        raise ValueError(f"batch_norm: residual must have the input's shape {data.shape}, "
                         f"got {tuple(_shape(residual))}")
    running_mean = running_mean.data if isinstance(running_mean, Tensor) else running_mean
    running_var = running_var.data if isinstance(running_var, Tensor) else running_var
    _check_per_channel(data, gamma=gamma, beta=beta, running_mean=running_mean,
                       running_var=running_var)
    if (running_mean is None) != (running_var is None):
        raise ValueError("batch_norm: pass both running_mean and running_var, or neither")
    use_batch = training or running_mean is None
    return BatchNorm.apply(x, gamma, beta, running_mean, running_var, residual,
                           training=use_batch, momentum=float(momentum), eps=float(eps),
                           relu=bool(relu))


def layer_norm(x: Tensor, normalized_shape: int | tuple[int, ...], gamma: Tensor | None = None,
               beta: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Layer normalisation over the trailing ``normalized_shape`` axes of each sample.

    Shape: (..., *normalized_shape) → same; gamma and beta have ``normalized_shape``.
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    data_shape = _shape(x)
    if not shape or data_shape[len(data_shape) - len(shape):] != shape:
        raise ValueError(f"layer_norm: input of shape {data_shape} does not end with "
                         f"normalized_shape {shape}")
    for name, param in (("gamma", gamma), ("beta", beta)):
        if param is not None and _shape(param) != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, "
                             f"got {_shape(param)}")
    return LayerNorm.apply(x, gamma, beta, dims=len(shape), eps=float(eps))

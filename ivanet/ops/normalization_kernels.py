"""Batch-norm training passes over channel-major (C, M) arrays, fused (numba) or NumPy.

Per channel c over its M values (M = N·H·W), with x̂ = (x − μ)·s, s = 1/√(σ² + ε):

    forward   y = γ·x̂ + β  (+ r, then max(·, 0) when fused with a residual add / ReLU)
    backward  g' = g·[y > 0] (ReLU),  dL/dβ = Σ g',  dL/dγ = Σ g'·x̂,
              dL/dx = γ·s·(g' − Σg'/M − x̂·Σ g'·x̂/M),  dL/dr = g'.

With numba the forward reads x twice for the statistics and once to write y, the backward
reads twice and writes once: a conv net's batch norm + ReLU then costs about 3 passes over
memory each way instead of NumPy's 7–9 (temporaries for x − μ, its square, x̂, γ·x̂, the
mask, ...). Without numba the same results come from the NumPy formulas. Statistics
accumulate in float64 either way. ``cache=True`` keeps the JIT cost to the first call ever.
The loops are serial (no ``prange``: numba threads next to OpenBLAS's spinning threads made
a 2-thread ResNet-8 step 2–3× slower); ``ivanet.ops.threads`` instead shares the channels
out between its threads while BLAS is held at one thread.
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import jit, threads

numba = jit.numba                        # None: the NumPy path gives the same numbers


def _forward_numpy(x, gamma, beta, residual, eps: float, relu: bool, out):
    """The NumPy twin of the fused forward; returns (mean, var, inv_std) as float64."""
    mean = x.mean(axis=1, dtype=np.float64)
    centered = x - mean.astype(x.dtype)[:, None]
    var = np.square(centered).mean(axis=1, dtype=np.float64)
    inv_std = 1.0 / np.sqrt(var + eps)
    scale = (gamma * inv_std).astype(x.dtype)
    np.multiply(centered, scale[:, None], out=out)
    out += beta.astype(x.dtype)[:, None]
    if residual is not None:
        out += residual
    if relu:
        np.maximum(out, 0, out=out)
    return mean, var, inv_std


def _backward_numpy(grad, x, out, mean, inv_std, gamma, relu: bool, grad_x):
    """The NumPy twin of the fused backward; returns (Σ g'·x̂, Σ g') and fills grad_x."""
    if relu:
        grad = np.where(out > 0, grad, 0).astype(grad.dtype, copy=False)
    count = x.shape[1]
    x_hat = (x - mean.astype(x.dtype)[:, None]) * inv_std.astype(x.dtype)[:, None]
    sum_g = grad.sum(axis=1, dtype=np.float64)
    sum_g_xhat = np.einsum("cm,cm->c", grad, x_hat, dtype=np.float64)
    np.multiply(x_hat, (sum_g_xhat / count).astype(x.dtype)[:, None], out=grad_x)
    np.subtract(grad, grad_x, out=grad_x)
    grad_x -= (sum_g / count).astype(x.dtype)[:, None]
    grad_x *= (gamma * inv_std).astype(x.dtype)[:, None]
    return sum_g_xhat, sum_g, grad


if numba is not None:
    @numba.njit(cache=True, fastmath=True, nogil=True)
    def _forward_fused(x, gamma, beta, residual, has_residual, eps, relu, out, stats):
        C, M = x.shape
        for c in range(C):
            total = 0.0
            for i in range(M):
                total += x[c, i]
            mu = total / M
            squares = 0.0
            for i in range(M):
                d = x[c, i] - mu
                squares += d * d
            var = squares / M
            inv_std = 1.0 / np.sqrt(var + eps)
            a = gamma[c] * inv_std
            b = beta[c] - mu * a
            for i in range(M):
                v = x[c, i] * a + b
                if has_residual:
                    v += residual[c, i]
                if relu and v < 0.0:
                    v = 0.0
                out[c, i] = v
            stats[0, c], stats[1, c], stats[2, c] = mu, var, inv_std

    @numba.njit(cache=True, fastmath=True, nogil=True)
    def _backward_fused(grad, x, out, mean, inv_std, gamma, relu, grad_x, grad_r, sums):
        C, M = x.shape
        for c in range(C):
            mu, s = mean[c], inv_std[c]
            sum_g = 0.0
            sum_gx = 0.0
            for i in range(M):
                g = grad[c, i]
                if relu and out[c, i] <= 0.0:
                    g = 0.0
                sum_g += g
                sum_gx += g * (x[c, i] - mu)
            sum_g_xhat = sum_gx * s
            k = gamma[c] * s
            shift = sum_g / M
            slope = sum_g_xhat * s / M
            for i in range(M):
                g = grad[c, i]
                if relu and out[c, i] <= 0.0:
                    g = 0.0
                grad_x[c, i] = k * (g - shift - (x[c, i] - mu) * slope)
                if grad_r.shape[1] == M:
                    grad_r[c, i] = g
            sums[0, c], sums[1, c] = sum_g_xhat, sum_g


def forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, residual, eps: float,
            relu: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """y (C, M) and the float64 (mean, biased var, inv_std) of x (C, M), C-contiguous."""
    out = np.empty_like(x)
    gamma64, beta64 = gamma.astype(np.float64), beta.astype(np.float64)
    if numba is None:
        return (out,) + _forward_numpy(x, gamma64, beta64, residual, eps, relu, out)
    stats = np.empty((3, x.shape[0]))
    has_residual = residual is not None
    residual = residual if has_residual else x

    def work(c0: int, c1: int) -> None:              # channels are independent
        _forward_fused(x[c0:c1], gamma64[c0:c1], beta64[c0:c1], residual[c0:c1],
                       has_residual, float(eps), bool(relu), out[c0:c1], stats[:, c0:c1])

    threads.split(work, x.shape[0])
    return out, stats[0], stats[1], stats[2]


def backward(grad: np.ndarray, x: np.ndarray, out: np.ndarray, mean: np.ndarray,
             inv_std: np.ndarray, gamma: np.ndarray, relu: bool, want_residual: bool):
    """(dL/dx, Σ g'·x̂, Σ g', dL/dr or None) for the forward above; all (C, M) C-contiguous."""
    grad_x = np.empty_like(x)
    gamma64 = gamma.astype(np.float64)
    if numba is None:
        sum_g_xhat, sum_g, masked = _backward_numpy(grad, x, out, mean, inv_std, gamma64,
                                                    relu, grad_x)
        grad_r = (masked.copy() if masked is grad else masked) if want_residual else None
        return grad_x, sum_g_xhat, sum_g, grad_r
    grad_r = np.empty_like(x) if want_residual else np.empty((x.shape[0], 0), x.dtype)
    sums = np.empty((2, x.shape[0]))

    def work(c0: int, c1: int) -> None:
        _backward_fused(grad[c0:c1], x[c0:c1], out[c0:c1], mean[c0:c1], inv_std[c0:c1],
                        gamma64[c0:c1], bool(relu), grad_x[c0:c1], grad_r[c0:c1],
                        sums[:, c0:c1])

    threads.split(work, x.shape[0])
    return grad_x, sums[0], sums[1], grad_r if want_residual else None

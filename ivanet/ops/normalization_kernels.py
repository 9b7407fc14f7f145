"""Batch-norm training passes over channel-major (C, M) arrays, fused (numba) or NumPy.

Per channel c over its M values (M = N·H·W), with x̂ = (x − μ)·s, s = 1/√(σ² + ε):

    forward   y = γ·x̂ + β  (+ r, then max(·, 0) when fused with a residual add / ReLU)
    backward  g' = g·[y > 0] (ReLU),  dL/dβ = Σ g',  dL/dγ = Σ g'·x̂,
              dL/dx = γ·s·(g' − Σg'/M − x̂·Σ g'·x̂/M),  dL/dr = g'.

With numba the forward reads x twice for the statistics and once to write y, the backward
reads twice and writes once (once more for a residual's gradient): a conv net's batch
norm + ReLU then costs about 3 passes over memory each way instead of NumPy's 7–9
(temporaries for x − μ, its square, x̂, γ·x̂, the mask, ...). Without numba the same
results come from the NumPy formulas. Statistics accumulate in float64 either way (the
kernels sum blocks of ``SUM_BLOCK`` values in the data's precision first, and the
elementwise passes run in that precision: measured 2.0 → 1.4 ms forward, 5.1 → 3.4 ms
backward for ResNet-8's 16 × 65,536 layer with a residual and ReLU). ``cache=True`` keeps
the JIT cost to the first call ever.
The loops are serial (no ``prange``: numba threads next to OpenBLAS's spinning threads made
a 2-thread ResNet-8 step 2–3× slower); ``ivanet.ops.threads`` instead shares the channels
out between its threads while BLAS is held at one thread.
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import jit, threads

numba = jit.numba                        # None: the NumPy path gives the same numbers

SUM_BLOCK = 1024    # values summed in the data's precision before a float64 accumulator
# Below these sizes a pass runs on one thread: handing half the channels to a second
# thread costs ~0.1 ms, more than it saves (measured at 2 threads, batch 64: forward
# 64 × 8 × 8 and 32 × 16 × 16 were slower shared, 16 × 32 × 32 faster; backward
# 64 × 8 × 8 slower, 32 × 16 × 16 faster).
PARALLEL_FORWARD, PARALLEL_BACKWARD = 1 << 20, 1 << 19


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
    @numba.njit(cache=True, fastmath=True, nogil=True, boundscheck=False,
                error_model="numpy")
    def _forward_fused(x, gamma, beta, residual, has_residual, eps, relu, out, stats):
        C, M = x.shape
        scalars = np.zeros(2, dtype=x.dtype)
        zero = scalars[0]
        for c in range(C):
            row, dst = x[c], out[c]
            total = 0.0
            for b0 in range(0, M, SUM_BLOCK):    # x's own precision within a block of
                part = zero                      # SUM_BLOCK values, float64 across them
                for i in range(b0, min(M, b0 + SUM_BLOCK)):
                    part += row[i]
                total += part
            mu = total / M
            scalars[0] = mu                      # cast to x's dtype (float32 arithmetic)
            mu_x = scalars[0]
            squares = 0.0
            for b0 in range(0, M, SUM_BLOCK):
                part = zero
                for i in range(b0, min(M, b0 + SUM_BLOCK)):
                    d = row[i] - mu_x
                    part += d * d
                squares += part
            var = squares / M
            inv_std = 1.0 / np.sqrt(var + eps)
            scalars[0], scalars[1] = gamma[c] * inv_std, beta[c] - mu * gamma[c] * inv_std
            a, b = scalars[0], scalars[1]
            if has_residual:
                res = residual[c]
                if relu:
                    for i in range(M):
                        dst[i] = max(row[i] * a + b + res[i], zero)
                else:
                    for i in range(M):
                        dst[i] = row[i] * a + b + res[i]
            elif relu:
                for i in range(M):
                    dst[i] = max(row[i] * a + b, zero)
            else:
                for i in range(M):
                    dst[i] = row[i] * a + b
            stats[0, c], stats[1, c], stats[2, c] = mu, var, inv_std

    @numba.njit(cache=True, fastmath=True, nogil=True, boundscheck=False,
                error_model="numpy")
    def _backward_fused(grad, x, out, mean, inv_std, gamma, relu, grad_x, grad_r, sums):
        C, M = x.shape
        scalars = np.zeros(4, dtype=x.dtype)
        zero = scalars[0]
        for c in range(C):
            gr, xr, yr, dx = grad[c], x[c], out[c], grad_x[c]
            scalars[0] = mean[c]
            mu = scalars[0]
            sum_g, sum_gx = 0.0, 0.0
            for b0 in range(0, M, SUM_BLOCK):
                part_g, part_gx = zero, zero
                for i in range(b0, min(M, b0 + SUM_BLOCK)):
                    g = gr[i]
                    if relu and yr[i] <= zero:
                        g = zero
                    part_g += g
                    part_gx += g * (xr[i] - mu)
                sum_g += part_g
                sum_gx += part_gx
            s = inv_std[c]
            sum_g_xhat = sum_gx * s
            scalars[1], scalars[2], scalars[3] = gamma[c] * s, sum_g / M, sum_g_xhat * s / M
            k, shift, slope = scalars[1], scalars[2], scalars[3]
            for i in range(M):
                g = gr[i]
                if relu and yr[i] <= zero:
                    g = zero
                dx[i] = k * (g - shift - (xr[i] - mu) * slope)
            if grad_r.shape[1] == M:             # the residual's gradient: g', its own pass
                dr = grad_r[c]
                for i in range(M):
                    g = gr[i]
                    if relu and yr[i] <= zero:
                        g = zero
                    dr[i] = g
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

    threads.split(work, x.shape[0], min_items=_min_channels(x, PARALLEL_FORWARD))
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

    threads.split(work, x.shape[0], min_items=_min_channels(x, PARALLEL_BACKWARD))
    return grad_x, sums[0], sums[1], grad_r if want_residual else None


def _min_channels(x: np.ndarray, values: int) -> int:
    """``threads.split``'s min_items: 2 channels from ``values`` values on, else never."""
    return 2 if x.size >= values else x.shape[0] + 1

"""Separable linear maps of images: z = A_h · x · A_wᵀ for each (n, c) plane.

Adaptive average pooling and nearest/bilinear resizing are all of this form, with small
fixed matrices A_h (OH, H) and A_w (OW, W); the backward pass is  dL/dx = A_hᵀ · g · A_w.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function


class Separable2d(Function):
    """z[n, c] = A_h @ x[n, c] @ A_wᵀ;  dL/dx[n, c] = A_hᵀ @ g[n, c] @ A_w."""

    def forward(self, x, rows: np.ndarray, columns: np.ndarray):
        self.rows, self.columns = rows.astype(x.dtype), columns.astype(x.dtype)
        return self.rows @ (x @ self.columns.T)                # (N, C, OH, OW)

    def backward(self, grad):
        return (self.rows.T @ grad) @ self.columns              # (N, C, H, W)


def separable2d(x, rows: np.ndarray, columns: np.ndarray):
    """Apply the row map ``rows`` (OH, H) and the column map ``columns`` (OW, W) to x."""
    if x.ndim != 4:
        raise ValueError(f"expected a 4-D input (N, C, H, W), got shape {tuple(x.shape)}")
    if rows.shape[1] != x.shape[2] or columns.shape[1] != x.shape[3]:
        raise ValueError(f"maps of shapes {rows.shape} and {columns.shape} do not fit an "
                         f"input of shape {tuple(x.shape)}")
    return Separable2d.apply(x, rows, columns)


def adaptive_average_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) averaging matrix: row i averages inputs ⌊i·n/m⌋ … ⌈(i+1)·n/m⌉ − 1."""
    if n_out < 1:
        raise ValueError(f"adaptive pooling needs an output size ≥ 1, got {n_out}")
    i = np.arange(n_out)
    start = (i * n_in) // n_out
    end = -((-(i + 1) * n_in) // n_out)
    columns = np.arange(n_in)
    inside = (columns >= start[:, None]) & (columns < end[:, None])
    return inside / (end - start)[:, None]


def nearest_matrix(n_in: int, n_out: int, scale_factor: float | None) -> np.ndarray:
    """(n_out, n_in) 0/1 matrix picking source ⌊i·scale⌋ (PyTorch's 'nearest', float32)."""
    if n_out == n_in:
        source = np.arange(n_out)
    elif n_out == 2 * n_in:
        source = np.arange(n_out) >> 1
    else:
        scale = np.float32(1.0 / scale_factor if scale_factor else n_in / n_out)
        source = np.floor(np.arange(n_out, dtype=np.float32) * scale).astype(np.int64)
        source = np.minimum(source, n_in - 1)
    matrix = np.zeros((n_out, n_in))
    matrix[np.arange(n_out), source] = 1.0
    return matrix


def linear_matrix(n_in: int, n_out: int, scale_factor: float | None,
                  align_corners: bool) -> np.ndarray:
    """(n_out, n_in) linear-interpolation matrix (PyTorch's bilinear, per axis).

    align_corners=False: source = max(scale·(i + ½) − ½, 0) with scale = n_in/n_out (or
    1/scale_factor); align_corners=True: source = i·(n_in − 1)/(n_out − 1). An axis whose
    size does not change is copied, whatever the scale factor (as PyTorch does).
    """
    i = np.arange(n_out, dtype=np.float64)
    if n_out == n_in:
        return np.eye(n_in)
    if align_corners:
        scale = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        source = i * scale
    else:
        scale = 1.0 / scale_factor if scale_factor else n_in / n_out
        source = np.maximum(scale * (i + 0.5) - 0.5, 0.0)
    low = np.floor(source).astype(np.int64)
    low = np.minimum(low, n_in - 1)
    high = np.minimum(low + 1, n_in - 1)
    weight_high = source - low
    matrix = np.zeros((n_out, n_in))
    np.add.at(matrix, (np.arange(n_out), low), 1.0 - weight_high)
    np.add.at(matrix, (np.arange(n_out), high), weight_high)
    return matrix

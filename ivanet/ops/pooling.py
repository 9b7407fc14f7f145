"""Pooling: max, average, global average and adaptive average over 2-D windows.

max:  z[n, c, y, x] = max_{i,j} x_pad[n, c, y·s + i, x·s + j]   (padding is −∞); the gradient
      goes to the first maximum of each window (PyTorch's choice), remembered by index.
avg:  z = (1/(KH·KW)) Σ_{i,j} x_pad[...]  (zeros padded and counted, PyTorch's default
      ``count_include_pad=True``; with False the divisor counts only real pixels).
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.ops.im2col import (check_window, col2im, crop, pad_channel_major,
                               pair, resolve_padding, windows)
from ivanet.ops.separable import adaptive_average_matrix, separable2d


def _geometry(op: str, x, kernel_size, stride, padding, dilation=1, ceil_mode=False):
    kernel = pair(kernel_size, "kernel_size", op)
    stride = kernel if stride is None else pair(stride, "stride", op)
    dilation = pair(dilation, "dilation", op)
    pads = resolve_padding(padding, x.shape[2:] if x.ndim == 4 else (0, 0), kernel, stride,
                           dilation, op)
    if any(max(p) * 2 > k for p, k in zip(pads, kernel)) and padding != "same":
        raise ValueError(f"{op}: padding {pads} must be at most half the kernel {kernel}")
    if ceil_mode and x.ndim == 4:
        pads = tuple(_ceil_pads(op, n, k, s, p, d) for n, k, s, p, d in
                     zip(x.shape[2:], kernel, stride, pads, dilation))
    out_hw = check_window(op, x.shape, kernel, stride, pads, dilation)
    return kernel, stride, pads, dilation, out_hw


def _ceil_pads(op: str, n: int, k: int, s: int, pads: tuple[int, int], d: int
               ) -> tuple[int, int]:
    """Pads for ``ceil_mode``: ⌈(n + 2p − span)/s⌉ + 1 windows, the last one starting
    inside the input or its low padding (PyTorch's rule); extra rows go at the high end."""
    span, low = d * (k - 1) + 1, pads[0]
    count = -(-(n + sum(pads) - span) // s) + 1
    if (count - 1) * s >= n + low:
        count -= 1
    if count < 1:
        raise ValueError(f"{op}: input size {n} with padding {pads} leaves no window for "
                         f"kernel {k}, stride {s} (ceil_mode)")
    return low, max(pads[1], (count - 1) * s + span - n - low)


class MaxPool2d(Function):
    """z = max over each window; dL/dx routes g to the first maximum of its window.

    One pass per kernel offset (KH·KW of them, never per pixel): the running maximum and
    the offset that holds it, kept as one byte per output for the backward pass.
    """

    def forward(self, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        kernel, stride, pads, dilation, out_hw = _geometry(
            "max_pool2d", x, kernel_size, stride, padding, dilation, ceil_mode)
        xc = pad_channel_major(x, pads, fill=-np.inf)
        view = windows(xc, kernel, stride, dilation, out_hw)     # (C, KH, KW, N, OH, OW)
        best = view[:, 0, 0].copy()                              # (C, N, OH, OW)
        offsets = kernel[0] * kernel[1]
        kind = np.uint8 if offsets < 256 else np.int32
        index, step = np.zeros(best.shape, kind), np.empty(best.shape, kind)
        better = np.empty(best.shape, bool)
        for k in range(1, offsets):
            candidate = view[:, k // kernel[1], k % kernel[1]]
            np.greater(candidate, best, out=better)              # strict: ties keep the first
            np.multiply(better, kind(k), out=step)               # k where better, else 0:
            np.maximum(index, step, out=index)                   # k exceeds earlier offsets
            np.maximum(best, candidate, out=best)                # NaN propagates
        self.index = index
        self.geometry = (xc.shape, pads, kernel, stride, dilation)
        return best.transpose(1, 0, 2, 3)                        # (N, C, OH, OW)

    def backward(self, grad):
        (C, N, Hp, Wp), pads, kernel, stride, dilation = self.geometry
        grad_c = grad.transpose(1, 0, 2, 3)                      # (C, N, OH, OW)
        OH, OW = grad_c.shape[2:]
        disjoint = all(s >= d * (k - 1) + 1 for s, k, d in zip(stride, kernel, dilation))
        tiled = (dilation == (1, 1) and stride == kernel and (Hp, Wp) == (OH * kernel[0],
                                                                          OW * kernel[1]))
        grad_xc = (np.empty if tiled else np.zeros)((C, N, Hp, Wp), dtype=grad.dtype)
        chosen = np.empty(grad_c.shape, bool)
        for k in range(kernel[0] * kernel[1]):
            y0, x0 = (k // kernel[1]) * dilation[0], (k % kernel[1]) * dilation[1]
            target = grad_xc[:, :, y0:y0 + stride[0] * (OH - 1) + 1:stride[0],
                             x0:x0 + stride[1] * (OW - 1) + 1:stride[1]]
            np.equal(self.index, k, out=chosen)
            if disjoint:                                         # each pixel in ≤ 1 window
                np.multiply(grad_c, chosen, out=target)
            else:
                target += grad_c * chosen
        return crop(grad_xc, pads).transpose(1, 0, 2, 3)         # (N, C, H, W)


class AvgPool2d(Function):
    """z = window sum / divisor;  dL/dx spreads g / divisor over each window."""

    def forward(self, x, kernel_size, stride=None, padding=0, count_include_pad=True):
        kernel, stride, pads, dilation, out_hw = _geometry(
            "avg_pool2d", x, kernel_size, stride, padding)
        xc = pad_channel_major(x, pads)
        total = _window_sum(xc, kernel, stride, out_hw)          # (C, N, OH, OW)
        if count_include_pad or pads == ((0, 0), (0, 0)):
            self.divisor = float(kernel[0] * kernel[1])
        else:
            ones = pad_channel_major(np.ones((1, 1) + x.shape[2:], dtype=x.dtype), pads)
            self.divisor = _window_sum(ones, kernel, stride, out_hw)[0, 0]  # (OH, OW)
        total /= self.divisor
        self.geometry = (xc.shape, pads, kernel, stride)
        return total.transpose(1, 0, 2, 3)

    def backward(self, grad):
        (C, N, Hp, Wp), pads, kernel, stride = self.geometry
        share = grad.transpose(1, 0, 2, 3) / self.divisor        # (C, N, OH, OW)
        cols = np.broadcast_to(share[:, None, None], (C,) + kernel + share.shape[1:])
        grad_xc = crop(col2im(cols, (Hp, Wp), kernel, stride, (1, 1)), pads)
        return grad_xc.transpose(1, 0, 2, 3)


def _window_sum(xc, kernel, stride, out_hw):
    """Σ over each window of a (C, N, H', W') array: one add per kernel offset."""
    view = windows(xc, kernel, stride, (1, 1), out_hw)           # (C, KH, KW, N, OH, OW)
    total = view[:, 0, 0].copy()
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            if i or j:
                total += view[:, i, j]
    return total


class GlobalAvgPool2d(Function):
    """z[n, c] = mean_{y,x} x[n, c, y, x], kept as (N, C, 1, 1);  dL/dx = g / (H·W)."""

    def forward(self, x):
        if x.ndim != 4:
            raise ValueError(f"global_avg_pool2d: expected a 4-D input (N, C, H, W), got "
                             f"shape {tuple(x.shape)}")
        self.shape = x.shape
        return x.mean(axis=(2, 3), keepdims=True)

    def backward(self, grad):
        H, W = self.shape[2:]
        return np.broadcast_to(grad * (1.0 / (H * W)), self.shape).astype(grad.dtype)


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False):
    """Max over KH×KW windows, (N, C, H, W) → (N, C, OH, OW); stride defaults to the kernel.

    ``ceil_mode`` rounds the output size up (PyTorch's rule; GoogLeNet uses it).
    """
    return MaxPool2d.apply(x, kernel_size=kernel_size, stride=stride, padding=padding,
                           dilation=dilation, ceil_mode=ceil_mode)


def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad: bool = True):
    """Mean over KH×KW windows (stride defaults to the kernel size); see the module docstring."""
    return AvgPool2d.apply(x, kernel_size=kernel_size, stride=stride, padding=padding,
                           count_include_pad=count_include_pad)


def global_avg_pool2d(x):
    """Mean of each channel over all positions: (N, C, H, W) → (N, C, 1, 1)."""
    return GlobalAvgPool2d.apply(x)


def adaptive_avg_pool2d(x, output_size):
    """Average pooling to a fixed (OH, OW) whatever the input size (PyTorch's bins).

    Bin i of an axis of length n covers ⌊i·n/m⌋ … ⌈(i+1)·n/m⌉ − 1; computed as the
    separable map A_h · x · A_wᵀ (see ``ivanet.ops.separable``).
    """
    OH, OW = pair(output_size, "output_size", "adaptive_avg_pool2d")
    if x.ndim != 4:
        raise ValueError(f"adaptive_avg_pool2d: expected a 4-D input (N, C, H, W), got "
                         f"shape {tuple(x.shape)}")
    if (OH, OW) == (1, 1):
        return global_avg_pool2d(x)
    H, W = x.shape[2:]
    return separable2d(x, adaptive_average_matrix(H, OH), adaptive_average_matrix(W, OW))

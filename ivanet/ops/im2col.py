"""Sliding windows for convolution and pooling: padding, im2col views, col2im scatter-add.

Layout. Arrays are NCHW to the user, but conv and pooling keep their *memory* channel-major
(C, N, H, W) and hand back transposed views: the im2col copy then reads whole image rows,
the matrix product yields (C_out, N·H·W) directly, and the next layer transposes for free.
NumPy ufuncs iterate in memory order, so elementwise ops on these views run at full speed.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ivanet.ops import threads

Pads = tuple[tuple[int, int], tuple[int, int]]


# The smallest value each geometry argument may take (a stride of 0 or a negative padding
# has no meaning; checking here makes every layer and op reject it before any arithmetic).
_MINIMUM = {"kernel_size": 1, "stride": 1, "dilation": 1, "output_size": 1,
            "padding": 0, "output_padding": 0}


def pair(value, name: str, op: str) -> tuple[int, int]:
    """``3`` → (3, 3); ``(3, 5)`` stays; anything else is an error naming ``op``/``name``.

    Values below ``name``'s minimum (1 for sizes, strides and dilations, 0 for paddings)
    are a ``ValueError``.
    """
    if isinstance(value, (int, np.integer)):
        result = int(value), int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) for v in value):
        result = int(value[0]), int(value[1])
    else:
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    low = _MINIMUM.get(name)
    if low is not None and min(result) < low:
        raise ValueError(f"{op}: {name} must be at least {low}, got {value!r}")
    return result


def same_padding(n: int, f: int, s: int, d: int = 1) -> tuple[int, int]:
    """(low, high) padding so that the output has ⌈n/s⌉ positions (TensorFlow's 'same').

    total = max((⌈n/s⌉ − 1)·s + (f − 1)·d + 1 − n, 0), low = ⌊total/2⌋, high = the rest.
    """
    total = max((math.ceil(n / s) - 1) * s + (f - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def resolve_padding(padding, size: tuple[int, int], kernel: tuple[int, int],
                    stride: tuple[int, int], dilation: tuple[int, int], op: str) -> Pads:
    """((top, bottom), (left, right)) from an int, a pair, a pair of pairs, 'valid' or 'same'."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            return tuple(same_padding(n, f, s, d)
                         for n, f, s, d in zip(size, kernel, stride, dilation))
        raise ValueError(f"{op}: padding must be 'valid', 'same' or ints, got {padding!r}")
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and all(
            isinstance(p, (tuple, list)) for p in padding):
        pads = tuple(pair(p, "padding", op) for p in padding)
    else:
        ph, pw = pair(padding, "padding", op)
        pads = (ph, ph), (pw, pw)
    if min(pads[0] + pads[1]) < 0:
        raise ValueError(f"{op}: padding must be non-negative, got {padding!r}")
    return pads


def output_size(n: int, f: int, s: int, pads: tuple[int, int], d: int = 1) -> int:
    """⌊(n + p_low + p_high − d·(f − 1) − 1)/s⌋ + 1: the course's ⌊(n + 2p − f)/s⌋ + 1."""
    return (n + pads[0] + pads[1] - d * (f - 1) - 1) // s + 1


def check_window(op: str, shape, kernel, stride, pads: Pads, dilation=(1, 1)
                 ) -> tuple[int, int]:
    """(OH, OW) for an input ``shape`` (N, C, H, W); a clear error if no window fits."""
    if len(shape) != 4:
        raise ValueError(f"{op}: expected a 4-D input (N, C, H, W), got shape {tuple(shape)}")
    if min(stride) < 1 or min(kernel) < 1 or min(dilation) < 1:
        raise ValueError(f"{op}: kernel_size, stride and dilation must be ≥ 1, got "
                         f"kernel {kernel}, stride {stride}, dilation {dilation}")
    H, W = shape[2:]
    padded = (H + sum(pads[0]), W + sum(pads[1]))
    span = tuple(d * (f - 1) + 1 for f, d in zip(kernel, dilation))
    if padded[0] < span[0] or padded[1] < span[1]:
        raise ValueError(
            f"{op}: input {H}×{W} (padded to {padded[0]}×{padded[1]}) is smaller than the "
            f"kernel {span[0]}×{span[1]} (input shape {tuple(shape)}, kernel {kernel}, "
            f"padding {pads}, dilation {dilation})")
    return (output_size(H, kernel[0], stride[0], pads[0], dilation[0]),
            output_size(W, kernel[1], stride[1], pads[1], dilation[1]))


def pad_channel_major(x: np.ndarray, pads: Pads, fill: float = 0.0) -> np.ndarray:
    """(N, C, H, W) → padded array with channel-major memory, shape (C, N, H', W')."""
    (top, bottom), (left, right) = pads
    xc = x.transpose(1, 0, 2, 3)
    if top == bottom == left == right == 0:
        return xc
    C, N, H, W = xc.shape
    out = np.empty((C, N, H + top + bottom, W + left + right), dtype=x.dtype)

    def copy(c0: int, c1: int) -> None:          # channels shared out between threads
        part = out[c0:c1]
        part[:, :, :top], part[:, :, H + top:] = fill, fill
        part[:, :, :, :left], part[:, :, :, W + left:] = fill, fill
        part[:, :, top:top + H, left:left + W] = xc[c0:c1]

    threads.split(copy, C)
    return out


def windows(xc: np.ndarray, kernel, stride, dilation, out_hw) -> np.ndarray:
    """Read-only view (C, KH, KW, N, OH, OW) of a (C, N, H', W') array: no copy.

    ``view[c, i, j, n, y, x] = xc[c, n, y·s + i·d, x·s + j·d]``.
    """
    sc, sn, sh, sw = xc.strides
    shape = (xc.shape[0], kernel[0], kernel[1], xc.shape[1], out_hw[0], out_hw[1])
    strides = (sc, sh * dilation[0], sw * dilation[1], sn, sh * stride[0], sw * stride[1])
    return as_strided(xc, shape, strides, writeable=False)


def im2col(xc: np.ndarray, kernel, stride, dilation, out_hw) -> np.ndarray:
    """The (C·KH·KW, N·OH·OW) matrix of windows: one copy of the strided view."""
    view = windows(xc, kernel, stride, dilation, out_hw)
    C, KH, KW, N, OH, OW = view.shape
    cols = np.empty(view.shape, dtype=xc.dtype)
    np.copyto(cols, view)
    return cols.reshape(C * KH * KW, N * OH * OW)


def col2im(cols: np.ndarray, padded_hw, kernel, stride, dilation) -> np.ndarray:
    """Scatter-add (C, KH, KW, N, OH, OW) windows back to a (C, N, H', W') array.

    The adjoint of :func:`windows`: one vectorised add per kernel offset (KH·KW adds).
    """
    C, KH, KW, N, OH, OW = cols.shape
    sy, sx = stride
    out = np.zeros((C, N) + tuple(padded_hw), dtype=cols.dtype)
    for i in range(KH):
        y0 = i * dilation[0]
        for j in range(KW):
            x0 = j * dilation[1]
            out[:, :, y0:y0 + sy * (OH - 1) + 1:sy, x0:x0 + sx * (OW - 1) + 1:sx] += cols[:, i, j]
    return out


def col2im_rows(cols: np.ndarray, padded_hw, kernel, dilation) -> np.ndarray:
    """:func:`col2im` for stride 1 with windows computed over the full padded width.

    ``cols`` (C, KH, KW, N, OH·W') holds every output row at full width W' (the extra
    columns carry zeros). Offset (i, j) then adds one contiguous run of OH·W' values per
    (c, n) at flat position i·d·W' + j·d — long inner loops instead of rows of OW.
    Returns (C, N, H', W').
    """
    C, KH, KW, N, length = cols.shape
    Hp, Wp = padded_hw
    tail = (KW - 1) * dilation[1]                   # the last image's runs may overhang
    flat = np.zeros((C, N * Hp * Wp + tail), dtype=cols.dtype)
    sc, se = flat.strides
    for i in range(KH):
        for j in range(KW):
            start = i * dilation[0] * Wp + j * dilation[1]
            run = as_strided(flat[:, start:], (C, N, length), (sc, Hp * Wp * se, se))
            run += cols[:, i, j]
    return flat[:, :N * Hp * Wp].reshape(C, N, Hp, Wp)


def crop(xc: np.ndarray, pads: Pads) -> np.ndarray:
    """Remove the padding from a (C, N, H', W') array (a view)."""
    (top, bottom), (left, right) = pads
    return xc[:, :, top:xc.shape[2] - bottom, left:xc.shape[3] - right]


def as_matrix(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) → (C, N·H·W): free when ``a`` is a view of channel-major memory."""
    ac = a.swapaxes(0, 1)
    return ac.reshape(ac.shape[0], -1)

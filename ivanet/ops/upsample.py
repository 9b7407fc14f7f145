"""Resizing images: nearest-neighbour and bilinear interpolation (PyTorch's conventions).

Both are separable linear maps z = A_h · x · A_wᵀ (``ivanet.ops.separable``):
nearest   z[y, x] = x[⌊y·s_h⌋, ⌊x·s_w⌋]  with s = H_in/H_out (or 1/scale_factor);
bilinear  z[y, x] = Σ weights of the two nearest rows × the two nearest columns, sources at
          s·(i + ½) − ½ clamped at 0 (``align_corners=False``, PyTorch's default).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ivanet.ops.separable import linear_matrix, nearest_matrix, separable2d

MODES = ("nearest", "bilinear")


def _output_size(shape, size, scale_factor) -> tuple[tuple[int, int], tuple]:
    """((OH, OW), (scale_h, scale_w) or (None, None)) from exactly one of size/scale."""
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size= and scale_factor=")
    if size is not None:
        out = (size, size) if isinstance(size, int) else tuple(size)
        if len(out) != 2 or min(out) < 1:
            raise ValueError(f"interpolate: size must be a positive int or pair, got {size!r}")
        return out, (None, None)
    scales = (scale_factor,) * 2 if np.isscalar(scale_factor) else tuple(scale_factor)
    if len(scales) != 2 or min(scales) <= 0:
        raise ValueError(f"interpolate: scale_factor must be positive, got {scale_factor!r}")
    out = tuple(int(math.floor(n * s)) for n, s in zip(shape[2:], scales))
    if min(out) < 1:
        raise ValueError(f"interpolate: scale_factor {scale_factor!r} turns {shape[2:]} into "
                         f"an empty output {out}")
    return out, scales


@lru_cache(maxsize=128)
def _matrix(mode: str, n_in: int, n_out: int, scale, align_corners: bool) -> np.ndarray:
    if mode == "nearest":
        return nearest_matrix(n_in, n_out, scale)
    return linear_matrix(n_in, n_out, scale, align_corners)


def interpolate(x, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None):
    """Resize x (N, C, H, W) to ``size`` or by ``scale_factor`` ('nearest' or 'bilinear').

    Like ``torch.nn.functional.interpolate``: ``align_corners`` applies to 'bilinear' only
    (default False).
    """
    if mode not in MODES:
        raise ValueError(f"interpolate: mode must be one of {MODES}, got {mode!r}")
    if mode == "nearest" and align_corners is not None:
        raise ValueError("interpolate: align_corners applies to mode='bilinear' only")
    if x.ndim != 4:
        raise ValueError(f"interpolate: expected a 4-D input (N, C, H, W), got shape "
                         f"{tuple(x.shape)}")
    (OH, OW), (sh, sw) = _output_size(x.shape, size, scale_factor)
    H, W = x.shape[2:]
    corners = bool(align_corners)
    return separable2d(x, _matrix(mode, H, OH, sh, corners), _matrix(mode, W, OW, sw, corners))


def upsample_nearest(x, size=None, scale_factor=None):
    """Nearest-neighbour resize (each output pixel copies its source pixel)."""
    return interpolate(x, size, scale_factor, "nearest")


def upsample_bilinear(x, size=None, scale_factor=None, align_corners: bool = False):
    """Bilinear resize (PyTorch's ``mode='bilinear'``)."""
    return interpolate(x, size, scale_factor, "bilinear", align_corners)

"""Hand-made filters of Day 3: edge kernels and applying a kernel to an image.

The course (like every framework) "convolves" by cross-correlation: out[y, x] =
Σ_{i,j} kernel[i, j] · image[y·s + i, x·s + j] — no kernel flip. With the vertical-edge
kernel, a bright-left/dark-right edge gives a positive response.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.ops.conv import conv2d

VERTICAL_EDGE = np.array([[1, 0, -1],
                          [1, 0, -1],
                          [1, 0, -1]], dtype=np.float64)
HORIZONTAL_EDGE = VERTICAL_EDGE.T.copy()          # [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
SOBEL_VERTICAL = np.array([[1, 0, -1],
                           [2, 0, -2],
                           [1, 0, -1]], dtype=np.float64)
SOBEL_HORIZONTAL = SOBEL_VERTICAL.T.copy()
SCHARR_VERTICAL = np.array([[3, 0, -3],
                            [10, 0, -10],
                            [3, 0, -3]], dtype=np.float64)
SCHARR_HORIZONTAL = SCHARR_VERTICAL.T.copy()

KERNELS = {
    "vertical": VERTICAL_EDGE, "horizontal": HORIZONTAL_EDGE,
    "sobel_vertical": SOBEL_VERTICAL, "sobel_horizontal": SOBEL_HORIZONTAL,
    "scharr_vertical": SCHARR_VERTICAL, "scharr_horizontal": SCHARR_HORIZONTAL,
}


def kernel(name: str) -> np.ndarray:
    """A copy of a named 3×3 kernel: 'vertical', 'horizontal', 'sobel_vertical', ...

    The "vertical" kernels respond to vertical edges (they differentiate along x).
    """
    if name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; expected one of {', '.join(KERNELS)}")
    return KERNELS[name].copy()


def apply_filter(image, kernel_: np.ndarray | str, stride: int = 1, padding=0) -> np.ndarray:
    """Cross-correlate an image with a kernel: the course's  image * kernel.

    image (H, W) with kernel (f, f), or image (H, W, C) with kernel (f, f, C) (the slide's
    3-D convolution: one output map, summed over channels). ``padding``: int, 'valid' or
    'same'. Returns a float64 (OH, OW) array, OH = ⌊(H + 2p − f)/s⌋ + 1.
    """
    weights = kernel(kernel_) if isinstance(kernel_, str) else np.asarray(kernel_, np.float64)
    picture = np.asarray(image, dtype=np.float64)
    if picture.ndim == 2:
        picture = picture[:, :, None]
    if weights.ndim == 2:
        weights = weights[:, :, None]
    if picture.ndim != 3 or weights.ndim != 3:
        raise ValueError(f"apply_filter: expected an image (H, W) or (H, W, C) and a kernel "
                         f"(f, f) or (f, f, C), got {np.shape(image)} and {np.shape(kernel_)}")
    if picture.shape[2] != weights.shape[2]:
        raise ValueError(f"apply_filter: the image has {picture.shape[2]} channels but the "
                         f"kernel {weights.shape} has {weights.shape[2]}: they must match")
    x = picture.transpose(2, 0, 1)[None]                      # (1, C, H, W)
    w = weights.transpose(2, 0, 1)[None]                      # (1, C, f, f)
    with no_grad():
        out = conv2d(x, w, stride=stride, padding=padding)
    return np.ascontiguousarray(out.data[0, 0])


def edge_magnitude(image, kind: str = "sobel", padding=1) -> np.ndarray:
    """√(g_x² + g_y²) with the 'sobel', 'scharr' or plain ('prewitt'-like) edge kernels."""
    prefix = {"sobel": "sobel_", "scharr": "scharr_", "plain": ""}.get(kind)
    if prefix is None:
        raise ValueError(f"kind must be 'sobel', 'scharr' or 'plain', got {kind!r}")
    g_x = apply_filter(image, prefix + "vertical", padding=padding)
    g_y = apply_filter(image, prefix + "horizontal", padding=padding)
    return np.hypot(g_x, g_y)

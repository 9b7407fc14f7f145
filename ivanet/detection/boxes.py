"""Box formats and their conversions: corners (x1, y1, x2, y2) and centre-size (cx, cy, w, h).

Coordinates are pixels of an image of size (H, W), x to the right, y down; a box covers
the continuous region x1 ≤ x ≤ x2, y1 ≤ y ≤ y2, so its area is (x2 − x1)(y2 − y1). Every
function takes an array of shape (..., 4) and keeps its leading shape.
"""
from __future__ import annotations

import numpy as np


class BoxError(ValueError):
    """Boxes that cannot be used: wrong shape, non-finite, negative size, outside the image."""


def as_boxes(boxes, what: str = "boxes") -> np.ndarray:
    """``boxes`` as a float array of shape (..., 4), or a ``BoxError`` naming ``what``."""
    array = np.asarray(boxes)
    array = array if array.dtype == np.float32 else array.astype(np.float64)
    if array.ndim == 1 and array.size == 0:
        array = array.reshape(0, 4)
    if array.ndim == 0 or array.shape[-1] != 4:
        raise BoxError(f"{what} must have shape (..., 4), got {array.shape}")
    if not np.isfinite(array).all():
        raise BoxError(f"{what} contain NaN or inf")
    return array


def check_boxes(boxes, image_size: tuple[int, int] | None = None,
                what: str = "boxes", tolerance: float = 1e-3) -> np.ndarray:
    """Corner boxes checked: x2 ≥ x1, y2 ≥ y1, and inside (0, 0)–(W, H) when ``image_size``
    = (H, W) is given. Returns them as an array; raises ``BoxError`` with the first bad box."""
    array = as_boxes(boxes, what)
    flat = array.reshape(-1, 4)
    negative = np.flatnonzero((flat[:, 2] < flat[:, 0]) | (flat[:, 3] < flat[:, 1]))
    if negative.size:
        i = negative[0]
        raise BoxError(f"{what}[{i}] = {flat[i].tolist()} has a negative size "
                       f"(corner boxes are x1, y1, x2, y2 with x2 ≥ x1 and y2 ≥ y1)")
    if image_size is not None:
        height, width = image_size
        outside = np.flatnonzero((flat[:, 0] < -tolerance) | (flat[:, 1] < -tolerance)
                                 | (flat[:, 2] > width + tolerance)
                                 | (flat[:, 3] > height + tolerance))
        if outside.size:
            i = outside[0]
            raise BoxError(f"{what}[{i}] = {flat[i].tolist()} lies outside the "
                           f"{height}×{width} image (x in [0, {width}], y in [0, {height}])")
    return array


def corners_to_centers(boxes) -> np.ndarray:
    """(x1, y1, x2, y2) → (cx, cy, w, h):  cx = (x1 + x2)/2, w = x2 − x1."""
    b = as_boxes(boxes)
    return np.stack([(b[..., 0] + b[..., 2]) / 2, (b[..., 1] + b[..., 3]) / 2,
                     b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]], axis=-1)


def centers_to_corners(boxes) -> np.ndarray:
    """(cx, cy, w, h) → (x1, y1, x2, y2):  x1 = cx − w/2, x2 = cx + w/2."""
    b = as_boxes(boxes)
    half_w, half_h = b[..., 2] / 2, b[..., 3] / 2
    return np.stack([b[..., 0] - half_w, b[..., 1] - half_h,
                     b[..., 0] + half_w, b[..., 1] + half_h], axis=-1)


def box_area(boxes) -> np.ndarray:
    """(x2 − x1)(y2 − y1) per corner box, shape (...)."""
    b = as_boxes(boxes)
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def clip_boxes(boxes, image_size: tuple[int, int]) -> np.ndarray:
    """Corner boxes cut to the image (0, 0)–(W, H)."""
    b = as_boxes(boxes).copy()
    height, width = image_size
    b[..., 0::2] = np.clip(b[..., 0::2], 0, width)
    b[..., 1::2] = np.clip(b[..., 1::2], 0, height)
    return b

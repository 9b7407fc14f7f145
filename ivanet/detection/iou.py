"""Intersection over union of corner boxes: IoU = area of overlap / area of union.

Two boxes that share no area have IoU 0; so do two empty (zero-area) boxes, whose union is
empty too.
"""
from __future__ import annotations

import numpy as np

from ivanet.detection.boxes import as_boxes


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of boxes that broadcast against each other (..., 4) × (..., 4) → (...)."""
    width = np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0])
    height = np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1])
    overlap = np.clip(width, 0, None) * np.clip(height, 0, None)
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - overlap
    out = np.zeros(np.broadcast_shapes(overlap.shape, union.shape), dtype=overlap.dtype)
    np.divide(overlap, union, out=out, where=union > 0)
    return np.clip(out, 0.0, 1.0)


def iou(boxes_a, boxes_b) -> np.ndarray:
    """IoU of matching boxes: shapes (..., 4) and (..., 4) broadcast, result (...)."""
    return _iou(as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b"))


def pairwise_iou(boxes_a, boxes_b) -> np.ndarray:
    """IoU of every pair: (N, 4) × (M, 4) → (N, M)."""
    a, b = as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b")
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"pairwise_iou takes (N, 4) and (M, 4) arrays, got {a.shape} "
                         f"and {b.shape}")
    return _iou(a[:, None, :], b[None, :, :])

"""Anchor boxes: prior shapes (w, h) each grid cell predicts relative to, and k-means anchors.

Anchors are compared by the IoU of boxes that share a centre, so only shape and size
count: IoU((w₁, h₁), (w₂, h₂)) = min(w₁, w₂)·min(h₁, h₂) / (w₁h₁ + w₂h₂ − overlap).
k-means anchors (YOLOv2, Redmon & Farhadi 2017) cluster the training boxes' (w, h) with the
distance d = 1 − IoU, so big boxes do not dominate as they would with Euclidean distance.
"""
from __future__ import annotations

import numpy as np


def _as_sizes(sizes, what: str) -> np.ndarray:
    array = np.asarray(sizes, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"{what} must have shape (N, 2) of (w, h), got {array.shape}")
    if not np.isfinite(array).all() or (array <= 0).any():
        raise ValueError(f"{what} must be finite and positive (w, h > 0)")
    return array


def shape_iou(sizes_a, sizes_b) -> np.ndarray:
    """IoU of centre-aligned boxes: (N, 2) × (K, 2) sizes (w, h) → (N, K)."""
    a, b = _as_sizes(sizes_a, "sizes_a"), _as_sizes(sizes_b, "sizes_b")
    overlap = (np.minimum(a[:, None, 0], b[None, :, 0])
               * np.minimum(a[:, None, 1], b[None, :, 1]))
    union = (a[:, 0] * a[:, 1])[:, None] + (b[:, 0] * b[:, 1])[None, :] - overlap
    return overlap / union


def kmeans_anchors(sizes, k: int, rng: np.random.Generator | None = None,
                   iterations: int = 100) -> np.ndarray:
    """k anchors (k, 2) = (w, h), sorted by area, from box sizes (N, 2) by k-means with
    d = 1 − IoU; each centre is the median of its cluster (robust to outliers)."""
    sizes = _as_sizes(sizes, "sizes")
    distinct = np.unique(sizes, axis=0)
    if not 1 <= k <= len(distinct):
        raise ValueError(f"k-means anchors need 1 ≤ k ≤ number of distinct box sizes "
                         f"({len(distinct)}), got k={k}")
    rng = rng if rng is not None else np.random.default_rng(0)
    centres = distinct[rng.choice(len(distinct), size=k, replace=False)]
    assignment = np.full(len(sizes), -1)
    for _ in range(iterations):
        new = np.argmax(shape_iou(sizes, centres), axis=1)      # nearest = highest IoU
        if np.array_equal(new, assignment):
            break
        assignment = new
        for j in range(k):
            members = sizes[assignment == j]
            if len(members):
                centres[j] = np.median(members, axis=0)
    return centres[np.argsort(centres[:, 0] * centres[:, 1], kind="stable")]


def mean_best_iou(sizes, anchors) -> float:
    """The mean over boxes of the IoU with their best anchor (k-means' objective)."""
    return float(shape_iou(sizes, anchors).max(axis=1).mean())

"""YOLO targets on an S×S grid with B anchors and C classes, and decoding back to boxes.

Each grid cell (row i, column j) holds, per anchor a, the course's vector

    y[i, j, a] = [p_c, b_x, b_y, b_h, b_w, c_1, …, c_C]

Coordinate convention (the course's, Andrew Ng's YOLO lecture): for an image of size
(H, W) a cell is H/S high and W/S wide; (b_x, b_y) is the box centre measured from the
cell's top-left corner in cells, so it lies in [0, 1); (b_h, b_w) is the box's height and
width in cells, which may exceed 1. An object belongs to the cell holding its centre and to
the anchor whose shape overlaps it best (centre-aligned IoU); when that anchor is taken by
another object of the cell, to the next best free one.

A network predicts raw numbers t per anchor; ``activate`` turns them into y (YOLOv2):
p_c = σ(t₀), b_x = σ(t₁), b_y = σ(t₂), b_h = (anchor h / cell h)·e^{t₃},
b_w = (anchor w / cell w)·e^{t₄}, class probabilities = softmax(t₅…).
"""
from __future__ import annotations

import numpy as np

from ivanet.detection.anchors import shape_iou
from ivanet.detection.boxes import BoxError, check_boxes, corners_to_centers
from ivanet.detection.nms import non_max_suppression


def check_labels(labels, count: int, num_classes: int) -> np.ndarray:
    """Class ids as an int array of shape (count,), each in [0, num_classes)."""
    labels = np.asarray(labels)
    if labels.shape != (count,):
        raise ValueError(f"labels must have shape ({count},) (one per box), got {labels.shape}")
    if labels.size and (labels.dtype.kind not in "iu"
                        and not np.array_equal(labels, np.round(labels))):
        raise ValueError(f"class ids must be integers, got {labels.dtype}")
    labels = labels.astype(np.int64)
    bad = np.flatnonzero((labels < 0) | (labels >= num_classes))
    if bad.size:
        raise ValueError(f"class id {labels[bad[0]]} (box {bad[0]}) is beyond the model's "
                         f"{num_classes} classes (ids 0…{num_classes - 1})")
    return labels


def encode_targets(boxes, labels, image_size: tuple[int, int], grid_size: int,
                   anchors, num_classes: int, strict: bool = True) -> np.ndarray:
    """One image's target y of shape (S, S, B, 5 + C) from corner boxes (M, 4) in pixels,
    labels (M,), anchors (B, 2) = (w, h) in pixels. An image with no boxes gives p_c = 0
    everywhere. More objects in a cell than anchors: ``BoxError`` if ``strict``, else the
    extra objects (the worst-fitting) are left out."""
    height, width = image_size
    anchors = np.asarray(anchors, dtype=np.float64)
    boxes = check_boxes(np.asarray(boxes, dtype=np.float64).reshape(-1, 4), image_size)
    labels = check_labels(labels, len(boxes), num_classes)
    cell_h, cell_w = height / grid_size, width / grid_size
    target = np.zeros((grid_size, grid_size, len(anchors), 5 + num_classes), np.float32)
    if len(boxes) == 0:
        return target
    centres = corners_to_centers(boxes)                               # (M, 4) cx, cy, w, h
    if (centres[:, 2:] <= 0).any():
        raise BoxError(f"boxes[{np.flatnonzero((centres[:, 2:] <= 0).any(1))[0]}] has zero "
                       f"width or height")
    fits = shape_iou(centres[:, 2:], anchors)                         # (M, B)
    for m in np.argsort(-fits.max(axis=1), kind="stable"):           # best fits choose first
        cx, cy, w, h = centres[m]
        col = min(int(cx / cell_w), grid_size - 1)
        row = min(int(cy / cell_h), grid_size - 1)
        free = [a for a in np.argsort(-fits[m], kind="stable") if target[row, col, a, 0] == 0]
        if not free:
            if strict:
                raise BoxError(f"cell ({row}, {col}) holds more objects than the "
                               f"{len(anchors)} anchors (box {m}: {boxes[m].tolist()})")
            continue
        target[row, col, free[0], :5] = (1.0, cx / cell_w - col, cy / cell_h - row,
                                         h / cell_h, w / cell_w)
        target[row, col, free[0], 5 + labels[m]] = 1.0
    return target


def encode_batch(boxes_list, labels_list, image_size: tuple[int, int], grid_size: int,
                 anchors, num_classes: int, strict: bool = True) -> np.ndarray:
    """Targets (N, S, S, B, 5 + C) for N images' boxes and labels."""
    return np.stack([encode_targets(b, c, image_size, grid_size, anchors, num_classes, strict)
                     for b, c in zip(boxes_list, labels_list)])


def activate(raw: np.ndarray, anchors, image_size: tuple[int, int]) -> np.ndarray:
    """Raw network output (N, B·(5 + C), S, S) → y (N, S, S, B, 5 + C) (module docstring)."""
    anchors = np.asarray(anchors, dtype=np.float64)
    n, channels, s_h, s_w = raw.shape
    b = len(anchors)
    if channels % b or channels // b < 6:
        raise ValueError(f"raw output has {channels} channels: expected B·(5 + C) with "
                         f"B = {b} anchors and C ≥ 1")
    t = raw.reshape(n, b, channels // b, s_h, s_w).transpose(0, 3, 4, 1, 2)  # (N, S, S, B, D)
    y = np.empty(t.shape, dtype=raw.dtype)
    y[..., 0:3] = 1.0 / (1.0 + np.exp(-t[..., 0:3]))
    cell_h, cell_w = image_size[0] / s_h, image_size[1] / s_w
    y[..., 3] = (anchors[:, 1] / cell_h) * np.exp(np.minimum(t[..., 3], 20.0))
    y[..., 4] = (anchors[:, 0] / cell_w) * np.exp(np.minimum(t[..., 4], 20.0))
    logits = t[..., 5:] - t[..., 5:].max(axis=-1, keepdims=True)
    y[..., 5:] = np.exp(logits)
    y[..., 5:] /= y[..., 5:].sum(axis=-1, keepdims=True)
    return y


def decode(y: np.ndarray, image_size: tuple[int, int], score_threshold: float = 0.5
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One image's y (S, S, B, 5 + C) → (boxes (K, 4) corners in pixels, scores (K,),
    labels (K,)) for the anchors with score = p_c · max class probability > threshold."""
    cell_h, cell_w = image_size[0] / y.shape[0], image_size[1] / y.shape[1]
    scores_all = y[..., 0] * y[..., 5:].max(axis=-1)                       # (S, S, B)
    rows, cols, anchor = np.nonzero(scores_all > score_threshold)
    v = y[rows, cols, anchor].astype(np.float64)                            # (K, 5 + C)
    cx, cy = (cols + v[:, 1]) * cell_w, (rows + v[:, 2]) * cell_h
    half_h, half_w = v[:, 3] * cell_h / 2, v[:, 4] * cell_w / 2
    boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=-1)
    return (boxes.reshape(-1, 4), scores_all[rows, cols, anchor].astype(np.float64),
            np.argmax(v[:, 5:], axis=-1).astype(np.int64) if len(v) else np.zeros(0, np.int64))


def target_boxes(y: np.ndarray, image_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The inverse of ``encode_targets``: one image's target y (S, S, B, 5 + C) → (corner
    boxes (M, 4) in pixels, labels (M,)) of the anchors with p_c = 1."""
    cell_h, cell_w = image_size[0] / y.shape[0], image_size[1] / y.shape[1]
    rows, cols, anchor = np.nonzero(y[..., 0] > 0.5)
    v = y[rows, cols, anchor].astype(np.float64)                            # (M, 5 + C)
    cx, cy = (cols + v[:, 1]) * cell_w, (rows + v[:, 2]) * cell_h
    half_h, half_w = v[:, 3] * cell_h / 2, v[:, 4] * cell_w / 2
    boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=-1)
    return boxes.reshape(-1, 4), np.argmax(v[:, 5:], axis=-1).astype(np.int64).reshape(-1)


def detections(raw: np.ndarray, anchors, image_size: tuple[int, int],
               score_threshold: float = 0.3, iou_threshold: float = 0.5) -> list[tuple]:
    """Raw output (N, B·(5 + C), S, S) → per image (boxes (K, 4), scores (K,), labels (K,))
    after ``decode`` and per-class non-max suppression."""
    results = []
    for y in activate(raw, anchors, image_size):
        boxes, scores, labels = decode(y, image_size, score_threshold)
        keep = non_max_suppression(boxes, scores, iou_threshold, score_threshold, labels)
        results.append((boxes[keep], scores[keep], labels[keep]))
    return results

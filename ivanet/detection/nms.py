"""Non-max suppression, as the course states it.

    Discard every box with p_c ≤ score_threshold.
    While boxes remain: keep the one with the largest p_c (output it as a prediction) and
    discard every remaining box with IoU ≥ iou_threshold with it.

Per class (``labels`` given) boxes of different classes never suppress each other;
class-agnostic (``labels=None``) every box competes with every other.
"""
from __future__ import annotations

import numpy as np

from ivanet.detection.boxes import as_boxes
from ivanet.detection.iou import pairwise_iou


def _check(boxes, scores, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    boxes = as_boxes(boxes).reshape(-1, 4) if np.size(boxes) == 0 else as_boxes(boxes)
    scores = np.asarray(scores, dtype=np.float64)
    if boxes.ndim != 2 or scores.shape != (len(boxes),):
        raise ValueError(f"non_max_suppression takes boxes (N, 4) and scores (N,), got "
                         f"{boxes.shape} and {scores.shape}")
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != scores.shape:
            raise ValueError(f"labels must have shape {scores.shape}, got {labels.shape}")
    return boxes, scores, labels


def _suppress(boxes: np.ndarray, scores: np.ndarray, candidates: np.ndarray,
              iou_threshold: float) -> list[int]:
    """The course's loop on ``candidates`` (indices), highest score first."""
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    overlaps = pairwise_iou(boxes[order], boxes[order])      # (n, n), computed once
    alive = np.ones(len(order), dtype=bool)
    keep = []
    for i in range(len(order)):
        if not alive[i]:
            continue
        keep.append(int(order[i]))
        alive[i + 1:] &= overlaps[i, i + 1:] < iou_threshold
    return keep


def non_max_suppression(boxes, scores, iou_threshold: float = 0.5,
                        score_threshold: float = 0.6, labels=None) -> np.ndarray:
    """Indices of the boxes kept, by decreasing score.

    boxes (N, 4) corners, scores (N,) = p_c; labels (N,) class ids for per-class NMS, or
    None for class-agnostic NMS. The defaults are the course's (0.6 and 0.5).
    """
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must lie in [0, 1], got {iou_threshold}")
    boxes, scores, labels = _check(boxes, scores, labels)
    candidates = np.flatnonzero(scores > score_threshold)
    if labels is None:
        keep = _suppress(boxes, scores, candidates, iou_threshold)
    else:
        keep = []
        for label in np.unique(labels[candidates]):
            chosen = candidates[labels[candidates] == label]
            keep += _suppress(boxes, scores, chosen, iou_threshold)
    keep = np.asarray(keep, dtype=np.int64)
    return keep[np.argsort(-scores[keep], kind="stable")]

"""Detection metrics: precision/recall of ranked detections, AP and mAP (VOC/COCO style).

A detection is a true positive when its IoU with a not-yet-matched ground-truth box of
its class is ≥ the IoU threshold; detections are matched in decreasing score order, each
to the unmatched box it overlaps most, so a second detection of the same object is a
false positive. AP is the area under the precision–recall curve with all-point
interpolation (VOC 2010+): precision at recall r is the best precision at any recall ≥ r.
mAP averages AP over the classes that have ground truth; mAP@0.5:0.95 (COCO) averages
mAP over the IoU thresholds 0.50, 0.55, …, 0.95. Images with no objects count: every
detection in them is a false positive.
"""
from __future__ import annotations

import numpy as np

from ivanet.detection.boxes import as_boxes
from ivanet.detection.iou import pairwise_iou

COCO_THRESHOLDS = tuple(np.round(np.arange(0.5, 0.951, 0.05), 2))


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """Area under the all-point interpolated precision–recall curve; recall ascending."""
    r = np.concatenate([[0.0], np.asarray(recall, float), [1.0]])
    p = np.concatenate([[0.0], np.asarray(precision, float), [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]                 # envelope: best precision to the right
    steps = np.flatnonzero(r[1:] != r[:-1])
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def _match_image(boxes: np.ndarray, scores: np.ndarray, truth: np.ndarray,
                 iou_threshold: float) -> np.ndarray:
    """True/false positive flag per detection of one image and class (any score order)."""
    hits = np.zeros(len(boxes), dtype=bool)
    if len(boxes) == 0 or len(truth) == 0:
        return hits
    overlaps = pairwise_iou(boxes, truth)                     # (D, G)
    taken = np.zeros(len(truth), dtype=bool)
    for d in np.argsort(-scores, kind="stable"):
        candidates = np.where(taken, -1.0, overlaps[d])
        g = int(np.argmax(candidates))
        if candidates[g] >= iou_threshold:
            taken[g], hits[d] = True, True
    return hits


def precision_recall(predictions, targets, label: int, iou_threshold: float = 0.5
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """For class ``label``: (precision, recall, scores) along detections ranked by score,
    and the number of ground-truth boxes. ``predictions``: per image (boxes, scores,
    labels); ``targets``: per image (boxes, labels)."""
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} images of predictions but {len(targets)} of "
                         f"targets")
    all_scores, all_hits, total = [], [], 0
    for (boxes, scores, labels), (truth, truth_labels) in zip(predictions, targets):
        boxes, truth = as_boxes(boxes).reshape(-1, 4), as_boxes(truth).reshape(-1, 4)
        scores, labels = np.asarray(scores, float), np.asarray(labels)
        mine, gt = labels == label, truth[np.asarray(truth_labels) == label]
        total += len(gt)
        all_scores.append(scores[mine])
        all_hits.append(_match_image(boxes[mine], scores[mine], gt, iou_threshold))
    scores, hits = np.concatenate(all_scores), np.concatenate(all_hits)
    order = np.argsort(-scores, kind="stable")
    true_pos = np.cumsum(hits[order])
    precision = true_pos / np.arange(1, len(order) + 1)
    recall = true_pos / total if total else np.zeros(len(order))
    return precision, recall, scores[order], total


def mean_average_precision(predictions, targets, num_classes: int,
                           iou_threshold: float = 0.5) -> tuple[float, np.ndarray]:
    """(mAP, AP per class) at one IoU threshold; classes without ground truth get NaN in
    the per-class array and are left out of the mean (NaN if no class has any)."""
    per_class = np.full(num_classes, np.nan)
    for label in range(num_classes):
        precision, recall, _, total = precision_recall(predictions, targets, label,
                                                       iou_threshold)
        if total:
            per_class[label] = average_precision(recall, precision)
    present = per_class[~np.isnan(per_class)]
    return (float(present.mean()) if present.size else float("nan")), per_class


def coco_map(predictions, targets, num_classes: int,
             thresholds=COCO_THRESHOLDS) -> float:
    """mAP@0.5:0.95: the mean of mAP over IoU thresholds 0.50, 0.55, …, 0.95."""
    return float(np.mean([mean_average_precision(predictions, targets, num_classes, t)[0]
                          for t in thresholds]))

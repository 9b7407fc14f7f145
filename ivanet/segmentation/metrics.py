"""Segmentation metrics from the confusion matrix: pixel accuracy, per-class IoU, mean IoU.

IoU_c = TP_c / (TP_c + FP_c + FN_c) over all pixels of the data set; a class that appears
neither in the masks nor in the predictions has no IoU (NaN) and is left out of the mean.
"""
from __future__ import annotations

import numpy as np


def confusion_matrix(predicted, masks, num_classes: int) -> np.ndarray:
    """(C, C) counts: row = true class, column = predicted class."""
    predicted, masks = np.asarray(predicted), np.asarray(masks)
    if predicted.shape != masks.shape:
        raise ValueError(f"predicted labels {predicted.shape} and masks {masks.shape} "
                         f"differ in shape")
    for name, array in (("predicted", predicted), ("masks", masks)):
        if array.size and (array.min() < 0 or array.max() >= num_classes):
            raise ValueError(f"{name} hold class ids outside 0…{num_classes - 1}")
    flat = masks.astype(np.int64).ravel() * num_classes + predicted.astype(np.int64).ravel()
    return np.bincount(flat, minlength=num_classes ** 2).reshape(num_classes, num_classes)


def pixel_accuracy(predicted, masks) -> float:
    """Fraction of pixels whose predicted class is the true one."""
    predicted, masks = np.asarray(predicted), np.asarray(masks)
    if predicted.shape != masks.shape:
        raise ValueError(f"predicted labels {predicted.shape} and masks {masks.shape} "
                         f"differ in shape")
    return float(np.mean(predicted == masks))


def per_class_iou(predicted, masks, num_classes: int) -> np.ndarray:
    """IoU per class (C,), NaN for classes absent from both."""
    matrix = confusion_matrix(predicted, masks, num_classes).astype(np.float64)
    true_pos = np.diag(matrix)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - true_pos
    out = np.full(num_classes, np.nan)
    np.divide(true_pos, union, out=out, where=union > 0)
    return out


def mean_iou(predicted, masks, num_classes: int) -> float:
    """The mean of the per-class IoUs that exist."""
    values = per_class_iou(predicted, masks, num_classes)
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")

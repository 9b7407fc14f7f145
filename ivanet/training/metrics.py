"""Evaluation metrics on NumPy arrays: classification (accuracy, precision/recall/F1,
confusion matrix) and regression (MSE, MAE, R²).

Classification metrics take integer labels; ``labels_from_outputs`` turns a model's raw
outputs (logits) into labels. Per-class numbers follow scikit-learn's definitions; a class
that is never predicted (or never present) gets precision (recall) 0 instead of 0/0.
"""
from __future__ import annotations

import numpy as np


def _labels(name: str, array) -> np.ndarray:
    array = np.asarray(array)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.equal(np.mod(array, 1), 0)):
            raise ValueError(f"{name} must hold integer class labels, got dtype {array.dtype}")
        array = array.astype(np.int64)
    return array


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = _labels("y_true", y_true), _labels("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred need the same shape, got {y_true.shape} and "
                         f"{y_pred.shape}")
    if y_true.size == 0:
        raise ValueError("metrics need at least one example, got empty arrays")
    return y_true, y_pred


def labels_from_outputs(outputs: np.ndarray) -> np.ndarray:
    """Predicted class per row: argmax of (N, K) scores, or ``score > 0`` for one logit
    per example ((N,) or (N, 1), a binary classifier's z before the sigmoid)."""
    outputs = np.asarray(outputs)
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return outputs.argmax(axis=1)
    if outputs.ndim == 1 or (outputs.ndim == 2 and outputs.shape[1] == 1):
        return (outputs.reshape(-1) > 0).astype(np.int64)
    raise ValueError(f"cannot read class predictions from outputs of shape {outputs.shape}: "
                     f"expected (N, K) scores or (N,)/(N, 1) binary logits")


def accuracy(y_true, y_pred) -> float:
    """Fraction of examples whose predicted label equals the true one.  Shape: (N,), (N,)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def top_k_accuracy(y_true, scores, k: int = 5) -> float:
    """Fraction of examples whose true class is among the k highest scores.

    Shape: y_true (N,), scores (N, K).
    """
    y_true, scores = _labels("y_true", y_true), np.asarray(scores)
    if scores.ndim != 2 or len(scores) != len(y_true):
        raise ValueError(f"top_k_accuracy needs scores of shape (N, K) with N = {len(y_true)}, "
                         f"got {scores.shape}")
    if not 1 <= k <= scores.shape[1]:
        raise ValueError(f"top_k_accuracy k must be in [1, {scores.shape[1]}], got {k}")
    top = np.argpartition(scores, -k, axis=1)[:, -k:]  # (N, k), unordered
    return float(np.mean(np.any(top == y_true[:, None], axis=1)))


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of examples of true class i predicted as class j.

    ``num_classes`` defaults to the largest label + 1.  Shape: (N,), (N,) → (K, K) int64.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    K = int(max(y_true.max(), y_pred.max())) + 1 if num_classes is None else int(num_classes)
    if min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= K:
        raise ValueError(f"confusion_matrix: labels must lie in [0, {K}), got "
                         f"[{min(y_true.min(), y_pred.min())}, "
                         f"{max(y_true.max(), y_pred.max())}]")
    return np.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K).astype(np.int64)


def precision_recall_f1(y_true, y_pred, num_classes: int | None = None,
                        average: str | None = "macro"):
    """Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R), per class or averaged.

    ``average="macro"`` gives the unweighted mean over classes (three floats);
    ``average=None`` gives three arrays of shape (K,). Without ``num_classes`` the classes
    are the labels that occur in y_true or y_pred, as in scikit-learn.
    """
    if average not in ("macro", None):
        raise ValueError(f"average must be 'macro' or None, got {average!r}")
    y_true, y_pred = _pair(y_true, y_pred)
    matrix = confusion_matrix(y_true, y_pred, num_classes).astype(np.float64)
    if num_classes is None:
        present = np.union1d(y_true, y_pred)
        matrix = matrix[np.ix_(present, present)]
    true_positive = np.diag(matrix)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    precision = np.divide(true_positive, predicted, out=np.zeros_like(true_positive),
                          where=predicted > 0)
    recall = np.divide(true_positive, actual, out=np.zeros_like(true_positive),
                       where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(both), where=both > 0)
    if average is None:
        return precision, recall, f1
    return float(precision.mean()), float(recall.mean()), float(f1.mean())


def precision(y_true, y_pred, num_classes: int | None = None, average: str | None = "macro"):
    """TP / (TP + FP): of the examples predicted as a class, the fraction that are."""
    return precision_recall_f1(y_true, y_pred, num_classes, average)[0]


def recall(y_true, y_pred, num_classes: int | None = None, average: str | None = "macro"):
    """TP / (TP + FN): of the examples of a class, the fraction found."""
    return precision_recall_f1(y_true, y_pred, num_classes, average)[1]


def f1_score(y_true, y_pred, num_classes: int | None = None, average: str | None = "macro"):
    """F1 = 2·P·R / (P + R), the harmonic mean of precision and recall."""
    return precision_recall_f1(y_true, y_pred, num_classes, average)[2]


def _regression_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        if y_true.size == y_pred.size and y_true.size == len(y_true) == len(y_pred):
            y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)  # (N,) vs (N, 1)
        else:
            raise ValueError(f"y_true and y_pred need the same shape, got {y_true.shape} and "
                             f"{y_pred.shape}")
    if y_true.size == 0:
        raise ValueError("metrics need at least one example, got empty arrays")
    return y_true, y_pred


def mse(y_true, y_pred) -> float:
    """Mean squared error (1/N)·Σ(ŷ − y)² over all entries.  Shape: (N, *), (N, *)."""
    y_true, y_pred = _regression_pair(y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))


def mae(y_true, y_pred) -> float:
    """Mean absolute error (1/N)·Σ|ŷ − y| over all entries.  Shape: (N, *), (N, *)."""
    y_true, y_pred = _regression_pair(y_true, y_pred)
    return float(np.mean(np.abs(y_pred - y_true)))


def r2(y_true, y_pred) -> float:
    """R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², averaged over output columns.

    1 is perfect, 0 is no better than predicting the mean. A constant target column scores
    1 if predicted exactly and 0 otherwise (scikit-learn's convention).
    Shape: (N,) or (N, K).
    """
    y_true, y_pred = _regression_pair(y_true, y_pred)
    y_true = y_true.reshape(len(y_true), -1)  # (N, K)
    y_pred = y_pred.reshape(len(y_pred), -1)
    residual = ((y_true - y_pred) ** 2).sum(axis=0)
    total = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    perfect = np.where(residual == 0, 1.0, 0.0)
    scores = np.divide(residual, total, out=np.ones_like(total), where=total > 0)
    scores = np.where(total > 0, 1.0 - scores, perfect)
    return float(scores.mean())

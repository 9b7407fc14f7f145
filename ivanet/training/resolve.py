"""Losses and metrics by name, as ``fit`` and ``TrainConfig`` refer to them."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ivanet.ops import losses
from ivanet.training import metrics as m


def _binary_logits_loss(outputs, y):
    """BCE with logits for a one-logit binary classifier and integer labels 0/1."""
    target = np.asarray(y, dtype=outputs.data.dtype).reshape(outputs.shape)
    return losses.binary_cross_entropy_with_logits(outputs, target)


def _masked_cross_entropy(outputs, y):
    """Cross-entropy per token, averaged over the real tokens: label 0 (``<pad>``) is
    skipped. Shape: outputs (N, K, T), y (N, T) → scalar (sequence tagging)."""
    y = np.asarray(y)
    mask = y != 0
    per_token = losses.cross_entropy(outputs, y, reduction="none")       # (N, T)
    weights = mask.astype(outputs.data.dtype) * (1.0 / max(int(mask.sum()), 1))
    return (per_token * weights).sum()


def _token_accuracy(y, outputs) -> float:
    """Fraction of real tokens (label ≠ 0) whose argmax over axis 1 is the label."""
    y = np.asarray(y)
    mask = y != 0
    return float((np.asarray(outputs).argmax(axis=1) == y)[mask].mean()) if mask.any() else 0.0


def _sequence_accuracy(y, outputs) -> float:
    """Fraction of sequences whose every real token (label ≠ 0) is the argmax over axis 1:
    exact match, e.g. a whole translated date. Shape: y (N, T), outputs (N, K, T)."""
    y = np.asarray(y)
    wrong = (np.asarray(outputs).argmax(axis=1) != y) & (y != 0)
    return float(1.0 - wrong.any(axis=1).mean()) if y.size else 0.0


LOSSES: dict[str, Callable] = {
    "cross_entropy": losses.cross_entropy,
    "mse": losses.mse_loss,
    "bce_with_logits": losses.binary_cross_entropy_with_logits,
    "binary_labels": _binary_logits_loss,
    "masked_cross_entropy": _masked_cross_entropy,
}


def resolve_loss(loss) -> Callable:
    """A loss callable ``(outputs, y) -> Tensor`` from a name, a module or a function."""
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
        return LOSSES[loss]
    if not callable(loss):
        raise TypeError(f"loss must be a name or a callable, got {type(loss).__name__}")
    return loss


def _labels(outputs: np.ndarray) -> np.ndarray:
    return m.labels_from_outputs(outputs)


METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": lambda y, out: m.accuracy(y, _labels(out)),
    "error": lambda y, out: 1.0 - m.accuracy(y, _labels(out)),
    "top5_accuracy": lambda y, out: m.top_k_accuracy(y, out, 5),
    "precision": lambda y, out: m.precision(y, _labels(out)),
    "recall": lambda y, out: m.recall(y, _labels(out)),
    "f1": lambda y, out: m.f1_score(y, _labels(out)),
    "mse": lambda y, out: m.mse(y, out),
    "mae": lambda y, out: m.mae(y, out),
    "r2": lambda y, out: m.r2(y, out),
    "token_accuracy": _token_accuracy,
    "sequence_accuracy": _sequence_accuracy,
}


def resolve_metrics(metrics: Sequence[str | Callable]) -> dict[str, Callable]:
    """Name → ``fn(y_true, outputs) -> float`` for each requested metric."""
    if isinstance(metrics, dict):  # already resolved (fit hands its own to evaluate)
        return dict(metrics)
    if isinstance(metrics, str):
        metrics = (metrics,)
    resolved = {}
    for metric in metrics:
        if isinstance(metric, str):
            if metric not in METRICS:
                raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
            resolved[metric] = METRICS[metric]
        elif callable(metric):
            resolved[getattr(metric, "__name__", "metric")] = metric
        else:
            raise TypeError(f"a metric must be a name or a callable, got {type(metric).__name__}")
    return resolved


def compute_metrics(metric_fns: dict[str, Callable], y_true: np.ndarray,
                    outputs: np.ndarray) -> dict[str, float]:
    """Each metric on the whole epoch's targets and outputs."""
    return {name: float(fn(y_true, outputs)) for name, fn in metric_fns.items()}

"""The run report's figures, drawn with matplotlib into PNG files.

Figures are built as ``matplotlib.figure.Figure`` objects, which render with the Agg
backend and never touch pyplot's global state (safe in scripts, servers and notebooks).
Every function takes plain arrays/dicts, writes ``path`` and returns it (None when the
data has nothing to show, e.g. a grid of samples for tabular inputs).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, NullFormatter

from ivanet.reports.runfolder import history_columns

TRAIN_COLOR, DEV_COLOR, MISTAKE_COLOR, RIGHT_COLOR = "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c"


def plot_curves(history: list[dict], path: str | Path) -> Path | None:
    """Train vs dev loss and each other metric (accuracy, MAE, ...) per epoch."""
    columns = history_columns(history)
    metrics = _paired_metrics(columns)
    if not metrics:
        return None
    epochs = _epochs(columns)
    fig = Figure(figsize=(5.0 * len(metrics), 3.8), layout="constrained")
    for axis, metric in zip(fig.subplots(1, len(metrics), squeeze=False)[0], metrics):
        for split, color in (("train", TRAIN_COLOR), ("dev", DEV_COLOR)):
            values = columns.get(f"{split}_{metric}")
            if values is not None and np.isfinite(values).any():
                axis.plot(epochs, values, "o-", color=color, markersize=3, label=split)
        axis.set(title=metric.replace("_", " "), xlabel="epoch", ylabel=metric)
        _epoch_axis(axis, epochs)
        axis.grid(alpha=0.3)
        axis.legend()
    return _save(fig, path)


def plot_learning_rate(history: list[dict], path: str | Path) -> Path | None:
    """The learning rate used in each epoch (log scale when it spans a decade or more)."""
    columns = history_columns(history)
    lr = columns.get("lr")
    if lr is None or not np.isfinite(lr).any():
        return None
    fig = Figure(figsize=(5.0, 3.2), layout="constrained")
    axis = fig.subplots()
    axis.plot(_epochs(columns), lr, "o-", color=TRAIN_COLOR, markersize=3)
    positive = lr[np.isfinite(lr) & (lr > 0)]
    if len(positive) and positive.max() >= 10 * positive.min():
        axis.set_yscale("log")
    axis.set(title="learning rate", xlabel="epoch", ylabel="lr")
    _epoch_axis(axis, _epochs(columns))
    axis.grid(alpha=0.3)
    return _save(fig, path)


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray,
                          class_names: list[str] | None, path: str | Path) -> Path:
    """Counts of (true, predicted) pairs; colours are row fractions (recall per class)."""
    y_true, y_pred = np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)
    k = max(len(class_names or ()), int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1)
    names = list(class_names) if class_names is not None and len(class_names) == k \
        else [str(i) for i in range(k)]
    counts = np.zeros((k, k), np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    fractions = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    side = min(max(4.5, 0.45 * k + 2.5), 14.0)
    fig = Figure(figsize=(side + 1.0, side), layout="constrained")
    axis = fig.subplots()
    image = axis.imshow(fractions, cmap="Blues", vmin=0.0, vmax=1.0)
    fig.colorbar(image, ax=axis, shrink=0.8, label="fraction of the true class")
    long_names = max(map(len, names)) > 3
    axis.set_xticks(range(k), names, rotation=45 if long_names else 0,
                    ha="right" if long_names else "center")
    axis.set_yticks(range(k), names)
    axis.set(xlabel="predicted", ylabel="true",
             title=f"confusion matrix ({int(np.trace(counts))}/{counts.sum()} right)")
    if k <= 20:
        for i, j in np.ndindex(k, k):
            if counts[i, j]:
                color = "white" if fractions[i, j] > 0.5 else "black"
                axis.text(j, i, str(counts[i, j]), ha="center", va="center", color=color,
                          fontsize=9 if k <= 10 else 7)
    return _save(fig, path)


def plot_sample_predictions(inputs: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray,
                            class_names: list[str] | None, path: str | Path,
                            columns: int = 8) -> Path | None:
    """A grid of input images titled with the prediction; mistakes in red with the truth."""
    images = as_images(np.asarray(inputs))
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if images is None or y_true.ndim != 1 or y_pred.ndim != 1:
        return None
    n = min(len(images), len(y_true), len(y_pred), 64)
    rows = -(-n // columns)
    fig = Figure(figsize=(1.25 * columns, 1.4 * rows + 0.4), layout="constrained")
    wrong = int(np.sum(y_true[:n] != y_pred[:n]))
    fig.suptitle(f"sample test predictions: {n - wrong} right, {wrong} wrong (red: pred (true))")
    for index, axis in enumerate(fig.subplots(rows, columns, squeeze=False).flat):
        axis.set_xticks([])
        axis.set_yticks([])
        if index >= n:
            axis.set_axis_off()
            continue
        image = images[index]
        axis.imshow(image, cmap="gray" if image.ndim == 2 else None, vmin=0.0, vmax=1.0)
        predicted, true = _name(y_pred[index], class_names), _name(y_true[index], class_names)
        mistake = y_pred[index] != y_true[index]
        axis.set_title(f"{predicted} ({true})" if mistake else predicted, fontsize=8,
                       color=MISTAKE_COLOR if mistake else RIGHT_COLOR)
        for spine in axis.spines.values():
            spine.set(color=MISTAKE_COLOR if mistake else "#bbbbbb", linewidth=3 if mistake else 1)
    return _save(fig, path)


def plot_score_vs_lr(lrs: np.ndarray, scores: np.ndarray, path: str | Path,
                     score_name: str = "score", best_index: int | None = None) -> Path:
    """One point per tuning trial: its score against its learning rate on a log axis."""
    lrs, scores = np.asarray(lrs, np.float64), np.asarray(scores, np.float64)
    fig = Figure(figsize=(5.5, 3.8), layout="constrained")
    axis = fig.subplots()
    done = np.isfinite(scores) & np.isfinite(lrs) & (lrs > 0)
    axis.scatter(lrs[done], scores[done], color=TRAIN_COLOR, label="trial")
    if best_index is not None and done[best_index]:
        axis.scatter(lrs[best_index], scores[best_index], s=160, facecolors="none",
                     edgecolors=MISTAKE_COLOR, linewidths=2, label="best")
    axis.set_xscale("log")
    if done.any():  # whole decades, so that the axis always shows labelled powers of ten
        low, high = np.log10(lrs[done].min()), np.log10(lrs[done].max())
        axis.set_xlim(10 ** np.floor(low), 10 ** max(np.ceil(high), np.floor(low) + 1))
    axis.xaxis.set_minor_formatter(NullFormatter())
    axis.set(title=f"{score_name} vs learning rate ({int(done.sum())} trials)",
             xlabel="learning rate (log scale)", ylabel=f"{score_name} (lower is better)")
    axis.grid(alpha=0.3, which="both")
    axis.legend()
    return _save(fig, path)


def as_images(inputs: np.ndarray) -> np.ndarray | None:
    """Inputs as displayable images in [0, 1]: (N, H, W) grey or (N, H, W, 3) colour.

    Accepts (N, C, H, W), (N, H, W) and flat (N, D) vectors whose D is a square (grey) or
    three squares (colour); returns None for other (tabular) inputs.
    """
    x = np.asarray(inputs, np.float64)
    if x.ndim == 2:
        side = int(round(np.sqrt(x.shape[1])))
        colour = int(round(np.sqrt(x.shape[1] / 3)))
        if side * side == x.shape[1] and side > 1:
            x = x.reshape(len(x), side, side)
        elif 3 * colour * colour == x.shape[1] and colour > 1:
            x = x.reshape(len(x), 3, colour, colour)
        else:
            return None
    if x.ndim == 4:
        x = x.transpose(0, 2, 3, 1) if x.shape[1] == 3 else x[:, 0]
    if x.ndim not in (3, 4):
        return None
    axes = tuple(range(1, x.ndim))
    low, high = x.min(axis=axes, keepdims=True), x.max(axis=axes, keepdims=True)
    return (x - low) / np.where(high > low, high - low, 1.0)


def _paired_metrics(columns: dict[str, np.ndarray]) -> list[str]:
    """Metric names present as train_<m> or dev_<m>, loss first."""
    names = []
    for column in columns:
        for prefix in ("train_", "dev_"):
            if column.startswith(prefix) and column[len(prefix):] not in names:
                names.append(column[len(prefix):])
    return sorted(names, key=lambda name: (name != "loss", name))


def _epochs(columns: dict[str, np.ndarray]) -> np.ndarray:
    epochs = columns.get("epoch")
    if epochs is None or not np.isfinite(epochs).all():
        n = len(next(iter(columns.values())))
        return np.arange(1, n + 1)
    return epochs


def _epoch_axis(axis, epochs: np.ndarray) -> None:
    """Whole-number epoch ticks; a short run gets half an epoch of room on each side."""
    finite = np.unique(epochs[np.isfinite(epochs)])
    if 0 < len(finite) <= 12:
        axis.set_xticks(finite)
        if np.ptp(finite) < 3:
            axis.set_xlim(finite.min() - 0.5, finite.max() + 0.5)
    else:
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))


def _name(label, class_names) -> str:
    index = int(label)
    if class_names is not None and 0 <= index < len(class_names):
        return str(class_names[index])
    return str(index)


def _save(fig: Figure, path: str | Path) -> Path:
    path = Path(path)
    fig.savefig(path, dpi=100, facecolor="white")
    return path

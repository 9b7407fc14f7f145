"""Attention heat-maps: output characters × input characters, one panel per example."""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ivanet.reports.plots import _save


def plot_attention(panels: Sequence[tuple[str, str, np.ndarray]], path: str | Path,
                   columns: int = 2, title: str = "") -> Path:
    """Each panel (input text, output text, weights (len(output), len(input))) as a grey
    heat-map: row t shows where the decoder looked while writing output character t."""
    if not panels:
        raise ValueError("plot_attention: no panels given")
    columns = max(1, min(columns, len(panels)))
    rows = math.ceil(len(panels) / columns)
    widest = max(len(text) for text, _, _ in panels)
    fig = Figure(figsize=(columns * (1.2 + 0.2 * widest), rows * 3.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).reshape(-1)
    for axis, (text, output, weights) in zip(axes, panels):
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != (len(output), len(text)):
            raise ValueError(f"plot_attention: weights of shape {weights.shape} do not match "
                             f"output {output!r} × input {text!r}")
        axis.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
        axis.set_xticks(range(len(text)), [c if c != " " else "␣" for c in text], fontsize=8)
        axis.set_yticks(range(len(output)), list(output), fontsize=8)
        axis.set_title(f"{text} → {output}", fontsize=9)
        axis.set_xlabel("input character")
        axis.set_ylabel("output character")
    for axis in axes[len(panels):]:
        axis.set_visible(False)
    if title:
        fig.suptitle(title)
    return _save(fig, path)

"""The 2-D map of word vectors: chosen words at their first two principal components."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ivanet.reports.plots import _save


def plot_word_map(points: np.ndarray, words: Sequence[str], path: str | Path,
                  pairs: Sequence[tuple[int, int]] = (), title: str = "",
                  size: tuple[float, float] = (8.0, 6.5)) -> Path:
    """``words`` at ``points`` (n, 2), labelled; each (i, j) in ``pairs`` draws an arrow
    from word i to word j (e.g. man → woman), so parallel arrows show an analogy."""
    points = np.asarray(points, dtype=np.float64)
    fig = Figure(figsize=size, layout="constrained")
    axis = fig.subplots()
    axis.scatter(points[:, 0], points[:, 1], s=14, color="tab:blue")
    for (x, y), word in zip(points, words):
        axis.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    for i, j in pairs:
        axis.annotate("", xy=points[j], xytext=points[i],
                      arrowprops={"arrowstyle": "->", "color": "tab:red", "alpha": 0.6})
    axis.set(title=title, xlabel="principal component 1", ylabel="principal component 2")
    axis.grid(alpha=0.3)
    return _save(fig, path)

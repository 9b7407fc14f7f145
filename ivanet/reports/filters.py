"""Figure of a filter at work: input image, kernel (with its numbers), output map."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure


def plot_filter(image: np.ndarray, kernel: np.ndarray, output: np.ndarray,
                path: str | Path | None = None, title: str | None = None) -> Figure:
    """Three panels: input (grey), kernel (values written in), output (diverging colours).

    Takes plain arrays (compute ``output`` with ``ivanet.vision.apply_filter``). Writes a
    PNG to ``path`` when given; returns the figure either way.
    """
    image, kernel, output = (np.asarray(a, dtype=np.float64) for a in (image, kernel, output))
    if kernel.ndim != 2 or output.ndim != 2 or image.ndim not in (2, 3):
        raise ValueError(f"plot_filter: expected image (H, W[, C]), kernel (f, f) and output "
                         f"(OH, OW), got {image.shape}, {kernel.shape}, {output.shape}")
    fig = Figure(figsize=(11.0, 3.8), layout="constrained")
    left, middle, right = fig.subplots(1, 3)
    left.imshow(image if image.ndim == 2 else _unit_range(image), cmap="gray")
    left.set_title(f"input {image.shape[0]}×{image.shape[1]}")
    bound = float(np.abs(kernel).max()) or 1.0
    middle.imshow(kernel, cmap="coolwarm", vmin=-bound, vmax=bound)
    if kernel.size <= 49:
        for (i, j), value in np.ndenumerate(kernel):
            middle.text(j, i, f"{value:g}", ha="center", va="center", fontsize=11)
    middle.set_title(f"kernel {kernel.shape[0]}×{kernel.shape[1]}")
    limit = float(np.abs(output).max()) or 1.0
    shown = right.imshow(output, cmap="coolwarm", vmin=-limit, vmax=limit)
    fig.colorbar(shown, ax=right, shrink=0.8)
    right.set_title(f"output {output.shape[0]}×{output.shape[1]}")
    for axis in (left, middle, right):
        axis.set_xticks([]), axis.set_yticks([])
    if title:
        fig.suptitle(title)
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig


def _unit_range(image: np.ndarray) -> np.ndarray:
    low, high = image.min(), image.max()
    return (image - low) / (high - low) if high > low else np.zeros_like(image)

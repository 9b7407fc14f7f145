"""Figures of the runnable course (``ivanet.lessons``), drawn from plain arrays.

Generic shapes that the lessons share: panels of curves, image grids, contour plots with
optimisation paths, decision boundaries, histograms and bar charts. Every function writes
``path`` (a PNG) and returns it.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ivanet.reports.plots import _save

# A series: (label, x, y) or (label, x, y, format) with a matplotlib format such as "o".
Series = tuple


def plot_panels(panels: Sequence[dict], path: str | Path, columns: int | None = None,
                title: str | None = None, panel_size: tuple[float, float] = (4.6, 3.4)) -> Path:
    """Panels of curves side by side.

    Each panel is a dict: ``title``, ``xlabel``, ``ylabel``, ``series`` (list of Series),
    optional ``logy``/``logx`` (bool), ``ylim`` (low, high), ``hline`` (y of a dotted line),
    ``legend`` (bool, default True).
    """
    columns = columns or len(panels)
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(panel_size[0] * columns, panel_size[1] * rows + (0.4 if title else 0)),
                 layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).flat
    for axis, panel in zip(axes, panels):
        for series in panel["series"]:
            label, x, y = series[:3]
            fmt = series[3] if len(series) > 3 else "-"
            axis.plot(np.asarray(x), np.asarray(y), fmt, label=label,
                      markersize=3 if "o" in fmt else None, alpha=0.6 if fmt == "o" else 1.0)
        if panel.get("logy"):
            axis.set_yscale("log")
        if panel.get("logx"):
            axis.set_xscale("log")
        if panel.get("ylim"):
            axis.set_ylim(*panel["ylim"])
        if panel.get("hline") is not None:
            axis.axhline(panel["hline"], color="grey", linestyle=":", linewidth=1)
        axis.set(title=panel.get("title", ""), xlabel=panel.get("xlabel", ""),
                 ylabel=panel.get("ylabel", ""))
        axis.grid(alpha=0.3)
        if panel.get("legend", True) and panel["series"]:
            axis.legend(fontsize=8)
    for axis in list(axes):
        axis.set_axis_off()
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def plot_images(images: Sequence[np.ndarray], titles: Sequence[str], path: str | Path,
                columns: int = 8, title: str | None = None, cmap: str = "gray",
                symmetric: bool = False, size: float = 1.4) -> Path:
    """A grid of 2-D arrays; ``symmetric`` centres a diverging colour map on 0."""
    rows = -(-len(images) // columns)
    fig = Figure(figsize=(size * columns, size * rows + 0.5 + 0.2 * rows), layout="constrained")
    for index, axis in enumerate(fig.subplots(rows, columns, squeeze=False).flat):
        axis.set_xticks([]), axis.set_yticks([])
        if index >= len(images):
            axis.set_axis_off()
            continue
        image = np.asarray(images[index], np.float64)
        if symmetric:
            bound = float(np.abs(image).max()) or 1.0
            axis.imshow(image, cmap="coolwarm", vmin=-bound, vmax=bound)
        else:
            axis.imshow(image, cmap=cmap)
        axis.set_title(titles[index], fontsize=8)
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def plot_contours(panels: Sequence[dict], path: str | Path,
                  panel_size: tuple[float, float] = (5.2, 4.6)) -> Path:
    """Cost contours with optimisation paths.

    Each panel: ``title``, ``w1``, ``w2`` (1-D grids), ``cost`` (len(w2), len(w1)),
    ``paths`` {label: (T, 2) array}, ``xlabel``, ``ylabel``, optional ``equal`` (bool).
    """
    fig = Figure(figsize=(panel_size[0] * len(panels), panel_size[1]), layout="constrained")
    for axis, panel in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        cost = np.asarray(panel["cost"])
        levels = np.quantile(cost, np.linspace(0.0, 0.9, 15) ** 2)
        axis.contour(panel["w1"], panel["w2"], cost, levels=np.unique(levels),
                     cmap="viridis", linewidths=0.8)
        for label, trajectory in panel.get("paths", {}).items():
            trajectory = np.asarray(trajectory)
            axis.plot(trajectory[:, 0], trajectory[:, 1], ".-", markersize=3, linewidth=1,
                      label=label)
        if "minimum" in panel:
            axis.plot(*panel["minimum"], "k*", markersize=12, label="minimum")
        if panel.get("equal"):
            axis.set_aspect("equal")
        axis.set_xlim(panel["w1"][0], panel["w1"][-1])
        axis.set_ylim(panel["w2"][0], panel["w2"][-1])
        axis.set(title=panel["title"], xlabel=panel.get("xlabel", "w1"),
                 ylabel=panel.get("ylabel", "w2"))
        axis.legend(fontsize=8, loc="upper right")
    return _save(fig, path)


def plot_decision_boundaries(panels: Sequence[dict], points: np.ndarray, labels: np.ndarray,
                             path: str | Path) -> Path:
    """Predicted class regions of several models over the same 2-D points.

    Each panel: ``title``, ``x1``, ``x2`` (1-D grids), ``prob`` (len(x2), len(x1)) the
    probability of class 1.
    """
    fig = Figure(figsize=(3.8 * len(panels), 3.9), layout="constrained")
    for axis, panel in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        axis.contourf(panel["x1"], panel["x2"], panel["prob"], levels=np.linspace(0, 1, 11),
                      cmap="RdBu_r", alpha=0.6)
        axis.contour(panel["x1"], panel["x2"], panel["prob"], levels=[0.5], colors="k",
                     linewidths=1.2)
        axis.scatter(points[:, 0], points[:, 1], c=labels, cmap="RdBu_r", s=6,
                     edgecolors="k", linewidths=0.2)
        axis.set(title=panel["title"], xticks=[], yticks=[])
        axis.set_aspect("equal")
    return _save(fig, path)


def plot_histograms(panels: Sequence[tuple[str, np.ndarray]], path: str | Path,
                    bins: int = 80, xlabel: str = "weight value", logy: bool = True) -> Path:
    """One histogram per (title, values) panel on a shared x range."""
    values = [np.asarray(v, np.float64).ravel() for _, v in panels]
    bound = max(float(np.quantile(np.abs(v), 0.999)) for v in values) or 1.0
    edges = np.linspace(-bound, bound, bins + 1)
    fig = Figure(figsize=(3.6 * len(panels), 3.2), layout="constrained")
    for axis, (title, _), data in zip(fig.subplots(1, len(panels), squeeze=False)[0],
                                      panels, values):
        axis.hist(np.clip(data, -bound, bound), bins=edges, color="#1f77b4")
        if logy:
            axis.set_yscale("log")
        axis.set(title=title, xlabel=xlabel, ylabel="count" + (" (log)" if logy else ""))
    return _save(fig, path)


def plot_bars(groups: Sequence[tuple[str, Sequence[str], np.ndarray]], path: str | Path,
              title: str | None = None, sharey: bool = False) -> Path:
    """Bar-chart panels: (panel title, bar names, heights); heights written on the bars.

    ``sharey`` puts every panel on the same y scale (for heights meant to be compared).
    """
    fig = Figure(figsize=(4.2 * len(groups), 3.4), layout="constrained")
    axes = fig.subplots(1, len(groups), squeeze=False, sharey=sharey)[0]
    for axis, (panel_title, names, heights) in zip(axes, groups):
        bars = axis.bar(range(len(names)), heights, color="#1f77b4")
        axis.bar_label(bars, labels=[f"{h:.3g}" for h in heights], fontsize=8)
        axis.set_xticks(range(len(names)), names)
        axis.set_title(panel_title)
        axis.margins(y=0.15)
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def plot_box_panels(image: np.ndarray, panels: Sequence[dict], path: str | Path,
                    columns: int = 4, size: float = 3.2) -> Path:
    """The same grey image in several panels, each with its own boxes drawn on it.

    Each panel is a dict: ``title`` and ``boxes``, a list of (corner box in pixels,
    colour, line style, label or "") drawn as rectangles with the label at the top left.
    """
    from matplotlib.patches import Rectangle  # noqa: PLC0415 (only this figure needs it)

    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(size * columns, size * rows + 0.3), layout="constrained")
    for index, axis in enumerate(fig.subplots(rows, columns, squeeze=False).flat):
        axis.set_xticks([]), axis.set_yticks([])
        if index >= len(panels):
            axis.set_axis_off()
            continue
        axis.imshow(np.asarray(image, np.float64), cmap="gray", vmin=0, vmax=1)
        for (x1, y1, x2, y2), colour, style, label in panels[index]["boxes"]:
            axis.add_patch(Rectangle((x1 - 0.5, y1 - 0.5), x2 - x1, y2 - y1, fill=False,
                                     edgecolor=colour, linestyle=style, linewidth=1.6))
            if label:
                axis.text(x1 - 0.5, y1 - 1, label, color=colour, fontsize=7,
                          va="bottom", ha="left")
        axis.set_title(panels[index]["title"], fontsize=9)
    return _save(fig, path)


def plot_mask_rows(images: np.ndarray, rows: Sequence[tuple[str, np.ndarray]],
                   path: str | Path, size: float = 1.7) -> Path:
    """Grey images (N, H, W) in the first row, then one row per (name, class masks (N, H, W))
    drawn over the image in a fixed colour per class (class 0, the background, clear)."""
    from ivanet.reports.detections import PALETTE  # noqa: PLC0415 (the detections' colours)

    count = len(images)
    fig = Figure(figsize=(size * count, size * (1 + len(rows)) + 0.3), layout="constrained")
    axes = fig.subplots(1 + len(rows), count, squeeze=False)
    colours = np.array(PALETTE, np.float64) / 255.0
    for column in range(count):
        for row in range(1 + len(rows)):
            axis = axes[row, column]
            axis.set_xticks([]), axis.set_yticks([])
            axis.imshow(images[column], cmap="gray", vmin=0, vmax=1)
            if row == 0:
                continue
            mask = np.asarray(rows[row - 1][1][column])
            overlay = np.zeros((*mask.shape, 4))
            overlay[..., :3] = colours[(mask - 1) % len(colours)]
            overlay[..., 3] = np.where(mask > 0, 0.6, 0.0)
            axis.imshow(overlay)
        axes[0, column].set_title(f"image {column + 1}", fontsize=8)
    for row, (name, _) in enumerate(rows, start=1):
        axes[row, 0].set_ylabel(name, fontsize=8)
    return _save(fig, path)


def plot_unit_heatmap(values: np.ndarray, characters: str, unit_names: Sequence[str],
                      path: str | Path, title: str | None = None) -> Path:
    """Hidden units (rows) over a text (columns, one per character, labelled with it):
    ``values`` (units, len(characters)) in [−1, 1], red positive, blue negative."""
    rows, columns = values.shape
    fig = Figure(figsize=(max(6.0, 0.13 * columns + 1.5), 0.3 * rows + 1.2),
                 layout="constrained")
    axis = fig.subplots()
    image = axis.imshow(values, cmap="coolwarm", vmin=-1, vmax=1, aspect="auto",
                        interpolation="nearest")
    shown = {"\n": "↵", " ": "␣"}
    axis.set_xticks(range(columns), [shown.get(c, c) for c in characters], fontsize=6,
                    fontfamily="monospace")
    axis.set_yticks(range(rows), unit_names, fontsize=7)
    fig.colorbar(image, ax=axis, shrink=0.8)
    if title:
        axis.set_title(title, fontsize=9)
    return _save(fig, path)

"""Pictures of a one-shot run: embeddings of unseen classes in 2-D, and one N-way episode.

Reads what ``python -m ivanet.training.siamese --out RUN`` wrote (unseen.npz,
results.json):

    python -m ivanet.reports.similarity RUN --images docs/images --prefix siamese-glyphs
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ivanet.data.registry import load
from ivanet.reports.plots import _save


def pca_2d(points: np.ndarray) -> np.ndarray:
    """(N, D) → (N, 2): the points on their first two principal components (NumPy SVD)."""
    centred = np.asarray(points, dtype=np.float64) - np.mean(points, axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)      # (D, D) rows
    return centred @ directions[:2].T


def plot_embedding_maps(panels: Sequence[tuple[str, np.ndarray]], labels: np.ndarray,
                        names: Sequence[str], path: str | Path, title: str = "") -> Path:
    """One scatter per (title, (N, D) vectors) panel, each projected by its own PCA, the
    points coloured by class; ``names[c]`` is the legend of class c."""
    classes = np.unique(labels)
    fig = Figure(figsize=(5.2 * len(panels) + 2.2, 5.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    palette = matplotlib.colormaps["tab10" if len(classes) <= 10 else "tab20"]
    colours = [palette(i % palette.N) for i in range(len(classes))]
    for axis, (panel_title, vectors) in zip(axes, panels):
        points = pca_2d(vectors)
        for colour, c in zip(colours, classes):
            mine = labels == c
            axis.scatter(points[mine, 0], points[mine, 1], s=14, color=colour,
                         label=names[int(c)], alpha=0.8)
        axis.set(title=panel_title, xlabel="principal component 1",
                 ylabel="principal component 2")
        axis.grid(alpha=0.3)
    axes[-1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def plot_episode(query: np.ndarray, support: np.ndarray, truth: int, chosen: int,
                 path: str | Path, title: str = "") -> Path:
    """A one-shot episode: the query (left) and the support set, one image per class; the
    chosen image framed green when right, red when wrong (the true one then framed blue)."""
    n = len(support)
    columns = int(np.ceil(n / 2)) if n > 5 else n
    rows = int(np.ceil(n / columns))
    fig = Figure(figsize=(1.1 * (columns + 2), 1.25 * rows + 0.6), layout="constrained")
    grid = fig.add_gridspec(rows, columns + 2)
    axis = fig.add_subplot(grid[:, :2])
    axis.imshow(query.squeeze(), cmap="gray")
    axis.set_title("query")
    axis.set_xticks([]), axis.set_yticks([])
    for i in range(n):
        axis = fig.add_subplot(grid[i // columns, 2 + i % columns])
        axis.imshow(support[i].squeeze(), cmap="gray")
        axis.set_xticks([]), axis.set_yticks([])
        frame = ("tab:green" if i == chosen == truth else "tab:red" if i == chosen
                 else "tab:blue" if i == truth else None)
        if frame:
            for spine in axis.spines.values():
                spine.set(color=frame, linewidth=4)
    fig.suptitle(title or f"{n}-way 1-shot: chosen {'right' if chosen == truth else 'wrong'}")
    return _save(fig, path)


def plot_distance_histograms(panels: Sequence[tuple[str, np.ndarray, np.ndarray, float]],
                             path: str | Path, bins: int = 40) -> Path:
    """Per (title, same-class distances, different-class distances, threshold) panel, the
    two distance histograms overlaid and the verification threshold as a dashed line."""
    fig = Figure(figsize=(4.6 * len(panels), 3.4), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for axis, (title, same, different, threshold) in zip(axes, panels):
        edges = np.linspace(0.0, max(np.max(same), np.max(different)) * 1.02, bins + 1)
        axis.hist(same, bins=edges, alpha=0.6, color="tab:green", label="same class")
        axis.hist(different, bins=edges, alpha=0.6, color="tab:red", label="different class")
        axis.axvline(threshold, color="black", linestyle="--", linewidth=1,
                     label=f"threshold {threshold:.3g}")
        axis.set(title=title, xlabel="distance", ylabel="pairs")
        axis.legend(fontsize=8)
    return _save(fig, path)


def _plot_classes(labels: np.ndarray, names: Sequence[str], count: int) -> np.ndarray:
    """``count`` unseen classes to draw, from as many alphabets (scripts) as possible."""
    classes = np.unique(labels)
    if len(classes) <= count:
        return classes
    scripts = np.array([names[int(c)].rsplit(" ", 1)[0] for c in classes])
    firsts = [classes[scripts == s][len(classes[scripts == s]) // 2] for s in np.unique(scripts)]
    picked = np.array(firsts[:: max(1, len(firsts) // count)][:count])
    return np.sort(picked)


def report(run: str | Path, images: str | Path, prefix: str, classes: int = 10) -> list[Path]:
    """The embedding map (pixels vs embedding) and the example episode of a run folder."""
    run, images = Path(run), Path(images)
    images.mkdir(parents=True, exist_ok=True)
    results = json.loads((run / "results.json").read_text())
    with np.load(run / "unseen.npz", allow_pickle=False) as saved:
        arrays = {key: saved[key] for key in saved.files}
    names = [str(name) for name in arrays["class_names"]]
    labels, vectors = arrays["labels"], arrays["embeddings"]
    test = load(results["data"]).test
    pixels = test.x[np.isin(test.y, np.unique(labels))].reshape(len(labels), -1)
    keep = np.isin(labels, _plot_classes(labels, names, classes))
    map_path = plot_embedding_maps(
        [("raw pixels", pixels[keep]), ("Siamese embedding", vectors[keep])], labels[keep],
        names, images / f"{prefix}-embedding.png",
        title=f"{results['data']}: classes never seen in training, PCA to 2-D")
    truth, chosen = (int(v) for v in arrays["episode"])
    episode_path = plot_episode(
        arrays["query_image"], arrays["support_images"], truth, chosen,
        images / f"{prefix}-episode.png",
        title=f"{len(arrays['support_images'])}-way 1-shot on unseen classes: "
              f"{'right' if truth == chosen else 'wrong'} (green = chosen and right, "
              f"red = chosen and wrong, blue = true)")
    return [map_path, episode_path]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="plots of a Siamese one-shot run")
    parser.add_argument("run")
    parser.add_argument("--images", default="docs/images")
    parser.add_argument("--prefix", default="siamese")
    parser.add_argument("--classes", type=int, default=10)
    args = parser.parse_args(argv)
    for path in report(args.run, args.images, args.prefix, args.classes):
        print(path)


if __name__ == "__main__":
    main()

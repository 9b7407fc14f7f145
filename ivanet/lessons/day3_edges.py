"""Day 3, edge detection: the slide's vertical and horizontal filters on a photograph.

First the slide's 6×6 step image (bright left half, dark right half) through the
vertical-edge filter [[1, 0, −1]] × 3: the output marks the edge with 30s. Then a real
photograph (scikit-image's CC0 cat ``chelsea``, in grey) through the vertical filter,
the horizontal one and the Sobel edge magnitude (``ivanet.vision``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.filters import plot_filter
from ivanet.reports.lessons_plots import plot_images
from ivanet.vision import HORIZONTAL_EDGE, VERTICAL_EDGE, apply_filter, edge_magnitude

STEP_IMAGE = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=np.float64)


def photograph(step: int) -> np.ndarray:
    """The cat photograph in grey levels 0–255, every ``step``-th pixel: (H, W) float64."""
    from skimage.data import chelsea  # noqa: PLC0415 (optional dependency, like load("faces"))

    rgb = chelsea().astype(np.float64)                      # (300, 451, 3)
    return (rgb @ np.array([0.299, 0.587, 0.114]))[::step, ::step]


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    step_out = apply_filter(STEP_IMAGE, VERTICAL_EDGE)
    stripes_out = apply_filter(STEP_IMAGE.T, VERTICAL_EDGE)   # the same edge, horizontal
    plot_filter(STEP_IMAGE, VERTICAL_EDGE, step_out, folder / "step.png",
                title="the slide's example: 6×6 ⋆ 3×3 → 4×4")
    photo = photograph(pick(size, 1, 4))
    vertical = apply_filter(photo, VERTICAL_EDGE, padding=1)
    horizontal = apply_filter(photo, HORIZONTAL_EDGE, padding=1)
    magnitude = edge_magnitude(photo, "sobel")
    correlation = float(np.corrcoef(np.abs(vertical).ravel(), np.abs(horizontal).ravel())[0, 1])
    plot_images([photo, vertical, horizontal, magnitude],
                ["photograph", "vertical-edge filter", "horizontal-edge filter",
                 "Sobel edge magnitude"], folder / "photo_edges.png", columns=4, size=3.4)
    rows = [{"image": "slide 6×6 step", "filter": "vertical", "output shape":
             str(step_out.shape), "first row": str(step_out[0].astype(int).tolist())},
            {"image": "slide step turned 90°", "filter": "vertical", "output shape":
             str(stripes_out.shape), "first row": str(stripes_out[0].astype(int).tolist())},
            {"image": f"photograph {photo.shape[0]}×{photo.shape[1]}", "filter": "vertical",
             "output shape": str(vertical.shape), "first row": "(figure)"}]
    return Outcome(
        tables=[Table("filters at work", rows)],
        figures=[("step.png", "The slide's example: input, kernel and output (red positive)."),
                 ("photo_edges.png", "A photograph and its filter outputs (for the two signed "
                  "filters zero is mid-grey). Each filter picks edges of its own orientation: "
                  "the whiskers, nearly horizontal lines, stand out in the horizontal-edge "
                  "output and fade in the vertical one.")],
        findings=[
            Finding("The vertical-edge filter marks the slide's vertical edge with 30s.",
                    np.array_equal(step_out, [[0, 30, 30, 0]] * 4),
                    f"output rows {step_out[0].astype(int).tolist()}"),
            Finding("It ignores a horizontal edge (the same step turned 90°).",
                    not np.any(stripes_out), f"largest |output| {np.abs(stripes_out).max():g}"),
            Finding("On the photograph the vertical and horizontal filters respond to "
                    "different edges.", abs(correlation) < 0.8,
                    f"correlation of |vertical| and |horizontal| responses {correlation:.2f}")])

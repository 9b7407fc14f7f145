"""Day 3, pooling: max vs average pooling of a real feature map, and robustness to shifts.

A feature map is the ReLU of the vertical-edge filter's response (``ivanet.vision``): on
the cat photograph for the figure, and on bundled MNIST digits for the measurement. Each
map is pooled 4×4 by ``nn.MaxPool2d`` and ``nn.AvgPool2d``. Then every digit is shifted
by 1–3 pixels and the relative change of its (pooled) feature map is measured,
‖f(shifted) − f(x)‖ / ‖f(x)‖: pooling summarises a window, so a small shift moves less.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn
from ivanet.autograd import no_grad
from ivanet.data import load
from ivanet.lessons.day3_edges import photograph
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_images, plot_panels
from ivanet.vision import VERTICAL_EDGE

SHIFTS = (1, 2, 3)
POOL = 4


def edge_features(images: np.ndarray) -> np.ndarray:
    """ReLU of the vertical-edge filter (no padding): (N, 1, H, W) → (N, 1, H − 2, W − 2)."""
    conv = nn.Conv2d(1, 1, 3)
    conv.weight.data[...] = VERTICAL_EDGE.astype(np.float32)
    conv.bias.data[...] = 0.0
    with no_grad():
        return nn.ReLU()(conv(Tensor(images.astype(np.float32)))).numpy()


def pooled(maps: np.ndarray, kind: str) -> np.ndarray:
    """Maps pooled POOL×POOL by max or average ("none" returns them unchanged)."""
    if kind == "none":
        return maps
    layer = nn.MaxPool2d(POOL) if kind == "max" else nn.AvgPool2d(POOL)
    with no_grad():
        return layer(Tensor(maps)).numpy()


def relative_change(before: np.ndarray, after: np.ndarray) -> float:
    """Mean over images of ‖after − before‖ / ‖before‖."""
    diff = np.linalg.norm((after - before).reshape(len(before), -1), axis=1)
    norm = np.linalg.norm(before.reshape(len(before), -1), axis=1)
    return float(np.mean(diff / np.maximum(norm, 1e-12)))


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    photo = photograph(pick(size, 1, 4)) / 255.0
    rows, cols = ((n - 2) // POOL * POOL + 2 for n in photo.shape)   # whole pooling windows
    photo = photo[:rows, :cols]
    photo_map = edge_features(photo[None, None])
    views = {kind: pooled(photo_map, kind)[0, 0] for kind in ("none", "max", "avg")}
    plot_images([photo, views["none"], views["max"], views["avg"]],
                ["photograph", "ReLU(vertical edges)", f"max pool {POOL}×{POOL}",
                 f"average pool {POOL}×{POOL}"], folder / "pooled_maps.png", columns=4,
                size=3.4)
    digits = load("mnist").train.x[:pick(size, 2000, 100)]
    rng = np.random.default_rng(seed)
    directions = rng.choice([-1, 1], size=(2,))          # one diagonal direction, seeded
    base = edge_features(digits)
    changes = {kind: [] for kind in ("none", "avg", "max")}
    for shift in SHIFTS:
        moved = edge_features(np.roll(digits, tuple(shift * directions), axis=(2, 3)))
        for kind in changes:
            changes[kind].append(relative_change(pooled(base, kind), pooled(moved, kind)))
    rows = [{"shift (pixels, diagonal)": shift, "no pooling": changes["none"][i],
             f"average pool {POOL}×{POOL}": changes["avg"][i],
             f"max pool {POOL}×{POOL}": changes["max"][i]} for i, shift in enumerate(SHIFTS)]
    names = {"none": "no pooling", "avg": f"average pool {POOL}×{POOL}",
             "max": f"max pool {POOL}×{POOL}"}
    plot_panels([{"title": f"{len(digits)} MNIST digits", "xlabel": "shift (pixels)",
                  "ylabel": "relative change of the feature map",
                  "series": [(names[k], SHIFTS, changes[k], "o-") for k in changes]}],
                folder / "shift_robustness.png", panel_size=(5.4, 3.8))
    peak = {kind: float(views[kind].max()) for kind in views}
    one = {kind: changes[kind][0] for kind in changes}
    return Outcome(
        tables=[Table("relative change of the feature map after a shift", rows),
                Table("the photograph's map", [{"map": names[k], "shape": str(views[k].shape),
                                                "largest value": peak[k]} for k in views])],
        figures=[("pooled_maps.png", "The photograph's vertical-edge map and its two "
                  "pooled versions (16 times fewer values)."),
                 ("shift_robustness.png", "How much a digit's edge map changes when the digit "
                  "moves by a few pixels, with and without pooling.")],
        findings=[
            Finding("Max pooling keeps each window's strongest response; average pooling "
                    "dilutes it.", np.isclose(peak["max"], peak["none"]) and
                    peak["avg"] < peak["none"],
                    f"largest value {peak['none']:.2f} before, {peak['max']:.2f} after max "
                    f"pooling, {peak['avg']:.2f} after average pooling"),
            Finding("Pooling makes the features more robust to a 1-pixel shift.",
                    max(one["avg"], one["max"]) < one["none"],
                    f"relative change {one['none']:.2f} without pooling, {one['avg']:.2f} "
                    f"average, {one['max']:.2f} max"),
            Finding("Max pooling is the more shift-robust of the two.",
                    all(m < a for m, a in zip(changes["max"], changes["avg"])),
                    "max vs average at shifts " + ", ".join(
                        f"{s}: {m:.2f}/{a:.2f}" for s, m, a in
                        zip(SHIFTS, changes["max"], changes["avg"])))],
        notes=["The edge filter is fixed here (not learned) so that only pooling differs."])

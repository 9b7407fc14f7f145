"""Day 3, inside a trained LeNet-5: its first-layer filters and its feature maps.

LeNet-5 (``create_model("lenet5")``: conv 5×5·6, pool, conv 5×5·16, pool, fc 120, 84, 10)
is trained briefly with Adam on the bundled MNIST digits. Then the six 5×5 filters of
conv1 are drawn before and after training, and one dev digit is passed through the
network to show the maps after conv1 (6 maps, 28×28) and conv2 (16 maps, 10×10).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.autograd import no_grad
from ivanet.data import load
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models import create_model
from ivanet.reports.lessons_plots import plot_images


def smoothness(filters: np.ndarray) -> float:
    """Mean correlation of horizontally and vertically neighbouring weights in each filter.

    Random filters give about 0; filters that detect strokes and edges (smooth blobs of one
    sign next to blobs of the other) give clearly positive values.
    """
    values = []
    for f in filters.reshape(-1, *filters.shape[-2:]):
        for a, b in ((f[:, :-1], f[:, 1:]), (f[:-1], f[1:])):
            values.append(np.corrcoef(a.ravel(), b.ravel())[0, 1])
    return float(np.mean(values))


def feature_maps(model, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ReLU maps of one image after conv1 (6, 28, 28) and after conv2 (16, 10, 10)."""
    layers = list(model.features)        # conv1, ReLU, pool, conv2, ReLU, pool
    maps = []
    with no_grad():
        x = Tensor(image[None])
        for index, layer in enumerate(layers):
            x = layer(x)
            if index in (1, 4):
                maps.append(x.numpy()[0])
    return maps[0], maps[1]


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("mnist")
    x, y = data.train.x[:pick(size, None, 256)], data.train.y[:pick(size, None, 256)]
    x_dev, y_dev = data.dev.x, data.dev.y
    model = create_model("lenet5", rng=np.random.default_rng(seed))
    before = model.features[0].weight.data[:, 0].copy()
    epochs = pick(size, 8, 1)
    costs = train_epochs(model, x, y, nn.CrossEntropyLoss(),
                         optim.Adam(model.parameters(), lr=1e-3), epochs, 64, seed)
    model.eval()
    after = model.features[0].weight.data[:, 0].copy()
    dev_error = error_rate(model, x_dev, y_dev)
    smooth_before, smooth_after = smoothness(before), smoothness(after)
    moved = float(np.linalg.norm(after - before) / np.linalg.norm(before))
    plot_images(list(before) + list(after),
                [f"init {i + 1}" for i in range(6)] + [f"trained {i + 1}" for i in range(6)],
                folder / "conv1_filters.png", columns=6, symmetric=True, size=1.6,
                title="conv1's six 5×5 filters (red +, blue −)")
    digit = x_dev[0]
    maps1, maps2 = feature_maps(model, digit)
    plot_images([digit[0]] + list(maps1), ["input"] + [f"conv1 map {i + 1}" for i in range(6)],
                folder / "conv1_maps.png", columns=7, cmap="viridis", size=1.7)
    plot_images(list(maps2), [f"conv2 map {i + 1}" for i in range(16)],
                folder / "conv2_maps.png", columns=8, cmap="viridis", size=1.4)
    active1, active2 = float(np.mean(maps1 > 0)), float(np.mean(maps2 > 0))
    rows = [{"epochs": epochs, "training images": len(x), "final training cost": float(costs[-1]),
             "dev error": percent(dev_error)}]
    maps_rows = [{"layer": "conv1 (after ReLU)", "maps": str(maps1.shape),
                  "fraction of units active": active1},
                 {"layer": "conv2 (after ReLU)", "maps": str(maps2.shape),
                  "fraction of units active": active2}]
    return Outcome(
        tables=[Table("training (Adam, α = 0.001, batch 64)", rows),
                Table(f"feature maps of one dev digit (a {int(y_dev[0])})", maps_rows)],
        figures=[("conv1_filters.png", "The first layer's filters at initialisation (top) and "
                  "after training (bottom)."),
                 ("conv1_maps.png", "A dev digit and conv1's six maps: each filter lights up "
                  "strokes of its own direction or side."),
                 ("conv2_maps.png", "conv2's sixteen 10×10 maps of the same digit: coarser, "
                  "each responds to a combination of strokes in a part of the digit.")],
        findings=[
            Finding("Brief training already gives a working digit classifier (dev error "
                    "under 5%).", dev_error < 0.05, f"dev error {percent(dev_error)}"),
            Finding("Training turns random first-layer filters into smooth stroke/edge "
                    "detectors (neighbouring weights correlate).",
                    smooth_after > smooth_before + 0.1,
                    f"neighbour correlation {smooth_before:.2f} at init → {smooth_after:.2f} "
                    f"trained; the filters moved by {percent(moved)} of their initial norm"),
            Finding("Deeper maps are sparser: fewer conv2 units fire than conv1 units.",
                    active2 < active1, f"active units {percent(active1)} in conv1, "
                    f"{percent(active2)} in conv2")],
        notes=[f"In {epochs} epoch(s) the filters moved {percent(moved)} of their initial "
               "norm: they stay close to their random start and are only slightly smoother "
               "(look at the figure), not the clean edge detectors of long-trained networks; "
               "the feature maps show the strokes they pick nevertheless."])

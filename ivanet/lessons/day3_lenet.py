"""Day 3, inside a trained LeNet-5: its first-layer filters and its feature maps.

LeNet-5 (``ivanet.models.lenet``) trained on the 8,000 bundled MNIST digits with Adam.
The six 5×5 filters of the first convolution are shown before and after training, and
one test digit is followed through both convolutions (after ReLU). A random filter is
noise; a trained one is a smooth pattern of light and dark (an edge or stroke detector),
which shows as correlated neighbouring weights.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.autograd import no_grad
from ivanet.data import load
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models.lenet import LeNet5
from ivanet.reports.lessons_plots import plot_images


def neighbour_correlation(filters: np.ndarray) -> float:
    """Mean correlation of horizontally and vertically adjacent weights, over filters."""
    values = []
    for kernel in filters:                                   # (f, f)
        pairs = [(kernel[:, :-1].ravel(), kernel[:, 1:].ravel()),
                 (kernel[:-1].ravel(), kernel[1:].ravel())]
        values += [np.corrcoef(a, b)[0, 1] for a, b in pairs]
    return float(np.mean(values))


def feature_maps(model: LeNet5, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The maps after conv1+ReLU (6, 28, 28) and conv2+ReLU (16, 10, 10) for one image."""
    layers = model.features
    with no_grad():
        first = layers[1](layers[0](Tensor(image[None])))
        second = layers[4](layers[3](layers[2](first)))
    return first.numpy()[0], second.numpy()[0]


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    data = load("mnist")
    limit = pick(size, None, 256)
    x, y = data.train.x[:limit], data.train.y[:limit]
    model = LeNet5(rng=np.random.default_rng(seed))
    before = model.features[0].weight.numpy()[:, 0].copy()   # (6, 5, 5)
    epochs = pick(size, 3, 1)
    costs = train_epochs(model, x, y, nn.CrossEntropyLoss(), optim.Adam(model.parameters()),
                         epochs, batch_size=64, seed=seed)
    after = model.features[0].weight.numpy()[:, 0]
    model.eval()
    test_error = error_rate(model, data.test.x, data.test.y)
    first, second = feature_maps(model, data.test.x[0])

    plot_images([*before, *after], [f"filter {i + 1}, start" for i in range(6)]
                + [f"filter {i + 1}, trained" for i in range(6)], folder / "filters.png",
                columns=6, symmetric=True, title="conv1's 5×5 filters (red +, blue −)")
    plot_images([data.test.x[0, 0], *first], ["input"] + [f"conv1 map {i + 1}"
                                                          for i in range(6)],
                folder / "maps1.png", columns=7, size=1.8, cmap="magma")
    plot_images(list(second), [f"conv2 map {i + 1}" for i in range(16)], folder / "maps2.png",
                columns=8, size=1.5, cmap="magma")
    smooth_before, smooth_after = neighbour_correlation(before), neighbour_correlation(after)
    rows = [{"quantity": "training images", "value": len(x)},
            {"quantity": "epochs", "value": epochs},
            {"quantity": "last epoch's training cost", "value": float(costs[-1])},
            {"quantity": "test error", "value": percent(test_error)},
            {"quantity": "neighbouring-weight correlation in conv1, at start",
             "value": smooth_before},
            {"quantity": "the same after training", "value": smooth_after}]
    return Outcome(
        tables=[Table("LeNet-5 on MNIST", rows)],
        figures=[("filters.png", "The first convolution's six filters at initialisation "
                  "(top) and after training (bottom), each on its own colour scale."),
                 ("maps1.png", "A test digit and the six conv1 feature maps (after ReLU): "
                  "each map lights up where its filter's pattern appears."),
                 ("maps2.png", "The sixteen conv2 maps (10×10) of the same digit: coarser, "
                  "combinations of the first layer's strokes.")],
        findings=[
            Finding("A small CNN classifies handwritten digits well.", test_error < 0.03,
                    f"test error {percent(test_error)} after {epochs} epoch(s)"),
            Finding("Training turns random filters into smooth stroke/edge patterns.",
                    smooth_after > smooth_before + 0.2,
                    f"neighbouring weights correlate {smooth_before:.2f} at start, "
                    f"{smooth_after:.2f} after training")])

"""Day 1, a single neuron: price = ReLU(w · size + b) fitted to real house sales.

Data: Windsor house sales (``ivanet data fetch housing``): lot size in 1000 sq ft →
price in $1000. One ``Linear(1, 1)`` followed by ``ReLU`` is the slide's neuron; it is
trained by batch gradient descent (Adam) on the mean squared error.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import train_full_batch
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels
from ivanet.training import predict

SIZE_COLUMN = 0  # "lotsize" in square feet


def house_sizes_and_prices(split) -> tuple[np.ndarray, np.ndarray]:
    """Size in 1000 sq ft (N, 1) and price in $1000 (N, 1), float32."""
    size = split.x[:, [SIZE_COLUMN]] / 1000.0
    return size.astype(np.float32), (split.y / 1000.0).astype(np.float32)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("housing")
    x, y = house_sizes_and_prices(data.train)
    held_out = [house_sizes_and_prices(part) for part in (data.dev, data.test)]
    x_test, y_test = (np.concatenate(arrays) for arrays in zip(*held_out))  # 218 sales
    rng = np.random.default_rng(seed)
    neuron = nn.Sequential(nn.Linear(1, 1, rng=rng), nn.ReLU())
    optimizer = optim.Adam(neuron.parameters(), lr=0.5)
    costs = train_full_batch(neuron, x, y, nn.MSELoss(), optimizer, pick(size, 600, 100))
    w, b = float(neuron[0].weight.data[0, 0]), float(neuron[0].bias.data[0])

    test_mse = float(np.mean((predict(neuron, x_test) - y_test) ** 2))
    baseline_mse = float(np.mean((y.mean() - y_test) ** 2))
    grid = np.linspace(-5.0, float(x.max()) * 1.05, 400, dtype=np.float32)[:, None]
    curve = predict(neuron, grid)[:, 0]
    kink = -b / w if w != 0 else float("nan")

    plot_panels([{
        "title": "one neuron: price = ReLU(w·size + b)", "xlabel": "lot size (1000 sq ft)",
        "ylabel": "price ($1000)",
        "series": [("train sales", x[:, 0], y[:, 0], "o"), ("held-out sales", x_test[:, 0],
                   y_test[:, 0], "o"), ("neuron", grid[:, 0], curve, "-")]},
        {"title": "cost per iteration", "xlabel": "iteration", "ylabel": "MSE ($1000²)",
         "logy": True, "series": [("train cost", np.arange(len(costs)), costs)]}],
        folder / "neuron.png")
    rows = [{"quantity": "weight w ($1000 per 1000 sq ft)", "value": w},
            {"quantity": "bias b ($1000)", "value": b},
            {"quantity": "kink of the ReLU at size (1000 sq ft)", "value": kink},
            {"quantity": "held-out MSE of the neuron", "value": test_mse},
            {"quantity": "held-out MSE of predicting the mean price", "value": baseline_mse}]
    in_range = 0.0 < kink < float(x.max())
    return Outcome(
        tables=[Table("the fitted neuron", rows)],
        figures=[("neuron.png", "Left: the sales and the neuron's function, drawn from size "
                  "−5 so that the ReLU's flat part shows. Right: the cost per iteration.")],
        findings=[
            Finding("The neuron learns that price rises with size and predicts better than "
                    "the mean price.", w > 0 and test_mse < baseline_mse,
                    f"w = {w:.2f}, held-out MSE {test_mse:.0f} vs {baseline_mse:.0f} for the mean"),
            Finding("The learnt function is a ReLU: zero below some size, never negative.",
                    bool(curve.min() >= 0.0) and np.isfinite(kink),
                    f"minimum prediction {curve.min():.1f}; kink at size {kink:.2f} "
                    f"({'inside' if in_range else 'outside'} the range of real houses)")],
        notes=["Real sales start at a lot size of about 1,650 sq ft, so the flat part of "
               "the ReLU lies where there are no houses; within the data the neuron is a "
               "straight line."] if not in_range else [])

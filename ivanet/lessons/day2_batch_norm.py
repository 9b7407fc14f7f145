"""Day 2, batch normalisation on and off.

A 784-100-100-100-100-10 ReLU network on the 8,000 bundled MNIST digits, plain mini-batch
SGD (batch 64), trained with and without ``BatchNorm1d`` between each z and its
activation (``nn.MLP(..., batch_norm=True)``), at a moderate and at a large learning
rate. Batch norm keeps every layer's z at mean β and spread γ whatever the weights do, so
a larger learning rate stays usable.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, flat, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels

LAYERS = [784, 100, 100, 100, 100, 10]
LEARNING_RATES = (0.02, 0.5)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("mnist")
    x, y = flat(data.train, limit=pick(size, None, 512))
    x_dev, y_dev = flat(data.dev)
    epochs = pick(size, 3, 1)
    rows, panels, results = [], [], {}
    for lr in LEARNING_RATES:
        series = []
        for batch_norm in (False, True):
            model = nn.MLP(LAYERS, batch_norm=batch_norm, rng=np.random.default_rng(seed))
            step_costs: list = []
            train_epochs(model, x, y, nn.CrossEntropyLoss(),
                         optim.SGD(model.parameters(), lr=lr), epochs, batch_size=64,
                         seed=seed, step_costs=step_costs)
            costs = np.array(step_costs)
            finished = len(costs) == epochs * int(np.ceil(len(x) / 64))
            dev_error = error_rate(model, x_dev, y_dev) if finished else 1.0
            name = "with batch norm" if batch_norm else "without"
            results[(lr, batch_norm)] = (float(np.mean(costs[-50:])) if finished
                                         else float("inf"), dev_error)
            rows.append({"α": lr, "batch norm": "on" if batch_norm else "off",
                         "mean cost, last 50 steps": results[(lr, batch_norm)][0]
                         if finished else "diverged", "dev error": percent(dev_error)})
            width = min(20, len(costs))
            series.append((name, np.arange(len(costs) - width + 1) / (len(x) / 64),
                           np.convolve(costs, np.ones(width) / width, mode="valid")))
        panels.append({"title": f"α = {lr}", "xlabel": "epoch", "ylabel": "cost (log)",
                       "logy": True, "series": series})
    plot_panels(panels, folder / "batch_norm.png", panel_size=(5.0, 3.6))
    slow, fast = LEARNING_RATES
    return Outcome(
        tables=[Table(f"{epochs} epoch(s) of SGD, batch 64", rows)],
        figures=[("batch_norm.png", "Training cost per step (moving average of 20) with and "
                  "without batch norm, at each learning rate.")],
        findings=[
            Finding(f"Batch norm speeds up training at the same learning rate (α = {slow}).",
                    results[(slow, True)][0] < 0.9 * results[(slow, False)][0],
                    f"final cost {results[(slow, True)][0]:.3f} with vs "
                    f"{results[(slow, False)][0]:.3f} without"),
            Finding(f"With batch norm the large α = {fast} trains at least as well as the "
                    "best run without it.",
                    results[(fast, True)][1] <= min(results[(lr, False)][1]
                                                    for lr in LEARNING_RATES),
                    f"dev error {percent(results[(fast, True)][1])} vs best without "
                    f"{percent(min(results[(lr, False)][1] for lr in LEARNING_RATES))}")])

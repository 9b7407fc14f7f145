"""Day 1, deep networks: logistic regression and 1, 2 and 5 hidden layers on one 2-D task.

The data are two interleaved spirals (generated, seeded: the label of each point is exact
by construction), a task no straight line separates. Every network has 8 units per
hidden layer, ReLU activations and He initialisation, and is trained by Adam on the
whole training set; the figure shows each model's decision boundary.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.lessons.common import error_rate, percent, train_full_batch
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_decision_boundaries
from ivanet.training import predict

MODELS = {"logistic regression": [2, 1], "1 hidden layer": [2, 8, 1],
          "2 hidden layers": [2, 8, 8, 1], "5 hidden layers": [2] + [8] * 5 + [1]}


def two_spirals(n: int, rng: np.random.Generator, noise: float = 0.15):
    """``n`` points on two interleaved spirals: x (n, 2) float32, y (n,) in {0, 1}."""
    label = np.arange(n) % 2
    turn = np.sqrt(rng.uniform(0.0, 1.0, n)) * 5.0 * np.pi          # up to 2.5 turns
    angle = turn + np.pi * label
    radius = turn / (5.0 * np.pi) * 2.0
    x = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    x += rng.normal(0.0, noise * 0.3, x.shape)
    return x.astype(np.float32), label.astype(np.int64)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    rng = np.random.default_rng(seed)
    x, y = two_spirals(pick(size, 600, 200), rng)
    x_dev, y_dev = two_spirals(400, rng)
    grid = np.linspace(-2.5, 2.5, pick(size, 200, 40), dtype=np.float32)
    points = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)   # (G·G, 2)
    rows, panels = [], []
    for name, sizes in MODELS.items():
        model = nn.MLP(sizes, rng=np.random.default_rng(seed))
        optimizer = optim.Adam(model.parameters(), lr=0.01)
        costs = train_full_batch(model, x, y[:, None].astype(np.float32),
                                 nn.BCEWithLogitsLoss(), optimizer, pick(size, 1000, 50))
        train_error, dev_error = error_rate(model, x, y), error_rate(model, x_dev, y_dev)
        rows.append({"model": name, "hidden layers": len(sizes) - 2,
                     "parameters": sum(p.size for p in model.parameters()),
                     "last cost": float(costs[-1]), "train error": percent(train_error),
                     "dev error": percent(dev_error)})
        logits = predict(model, points)[:, 0]
        prob = (1 / (1 + np.exp(-logits))).reshape(len(grid), len(grid))
        panels.append({"title": f"{name}\ndev error {percent(dev_error)}", "x1": grid,
                       "x2": grid, "prob": prob, "dev_error": dev_error})
    plot_decision_boundaries(panels, x, y, folder / "boundaries.png")
    errors = [panel["dev_error"] for panel in panels]
    return Outcome(
        tables=[Table("the same spirals, deeper and deeper networks", rows)],
        figures=[("boundaries.png", "Probability of the red class (colour) and the decision "
                  "boundary p = 0.5 (black line) of each model, over the training points.")],
        findings=[
            Finding("Logistic regression can only draw a straight line: it fails here.",
                    errors[0] > 0.3, f"dev error {percent(errors[0])}"),
            Finding("Deeper networks draw more complex boundaries and fit better.",
                    errors[3] < errors[1] and errors[2] <= errors[1] + 0.01,
                    "dev error by depth (0, 1, 2, 5 hidden layers): "
                    + ", ".join(percent(e) for e in errors))])

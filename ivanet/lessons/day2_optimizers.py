"""Day 2, optimisation algorithms: gradient descent, momentum, RMSprop and Adam.

Two views. First a 2-D loss surface, J(w) = 0.05·w₁² + 2·w₂², a long narrow valley (the
shape that unnormalised inputs give): each optimiser starts at the same point, and its
path is drawn over the contours. Then a real task: a 784-128-10 network on 8,000 MNIST
digits, mini-batches of 64, each optimiser with its usual learning rate. Momentum uses
the course's form (``optim.Momentum``), Adam follows Kingma & Ba (docs/errata.md).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.data import load
from ivanet.lessons.common import flat, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.nn import Parameter
from ivanet.reports.lessons_plots import plot_contours, plot_panels

CURVATURE = np.array([0.1, 4.0])          # J = ½ Σ curvature·w², so 0.05·w₁² + 2·w₂²
START = np.array([-9.0, 1.5])
# name: (optimizer class, options on the surface, options on MNIST)
OPTIMIZERS = {
    "gradient descent": (optim.SGD, {"lr": 0.4}, {"lr": 0.05}),
    "momentum (β=0.9)": (optim.Momentum, {"lr": 0.4, "beta": 0.9}, {"lr": 0.05, "beta": 0.9}),
    "RMSprop (β₂=0.9)": (optim.RMSprop, {"lr": 0.3, "alpha": 0.9}, {"lr": 1e-3, "alpha": 0.9}),
    "Adam": (optim.Adam, {"lr": 0.3}, {"lr": 1e-3}),
}


def surface_path(make, options: dict, steps: int) -> np.ndarray:
    """The optimiser's path (steps + 1, 2) on the 2-D valley, from START."""
    w = Parameter(START.copy())
    optimizer = make([w], **options)
    path = [w.data.copy()]
    curvature = Tensor(CURVATURE)
    for _ in range(steps):
        loss = (curvature * w * w).sum() * 0.5
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append(w.data.copy())
    return np.array(path)


def valley_cost(path: np.ndarray) -> np.ndarray:
    return 0.5 * (path ** 2 * CURVATURE).sum(axis=-1)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    steps = pick(size, 60, 10)
    paths = {name: surface_path(make, options, steps)
             for name, (make, options, _) in OPTIMIZERS.items()}
    w1, w2 = np.linspace(-10, 10, 200), np.linspace(-3, 3, 120)
    grid = np.stack(np.meshgrid(w1, w2), axis=-1)
    plot_contours([{"title": f"J = 0.05·w₁² + 2·w₂², {steps} steps", "w1": w1, "w2": w2,
                    "cost": valley_cost(grid), "paths": paths, "minimum": (0.0, 0.0),
                    "equal": True}], folder / "trajectories.png", panel_size=(11.0, 4.0))

    x, y = flat(load("mnist").train, limit=pick(size, None, 512))
    epochs = pick(size, 5, 1)
    curves, rows = {}, []
    for name, (make, _, options) in OPTIMIZERS.items():
        model = nn.MLP([784, 128, 10], rng=np.random.default_rng(seed))
        step_costs: list = []
        train_epochs(model, x, y, nn.CrossEntropyLoss(), make(model.parameters(), **options),
                     epochs, batch_size=64, seed=seed, step_costs=step_costs)
        curves[name] = _smooth(np.array(step_costs))
        flips = np.mean(np.diff(np.sign(paths[name][:, 1])) != 0)
        rows.append({"optimizer": name, "valley: J after the steps":
                     float(valley_cost(paths[name][-1])), "valley: w₂ sign flips":
                     f"{100 * flips:.0f}%", "MNIST options": str(options),
                     "MNIST: mean cost, last 50 steps": float(np.mean(step_costs[-50:]))})
    per_epoch = len(curves["Adam"]) / epochs
    plot_panels([{"title": "MNIST 784-128-10: cost per step (moving average of 20)",
                  "xlabel": "epoch", "ylabel": "cross-entropy (log)", "logy": True,
                  "series": [(name, np.arange(len(c)) / per_epoch, c)
                             for name, c in curves.items()]}],
                folder / "mnist_costs.png", panel_size=(7.0, 4.0))
    return Outcome(tables=[Table("four optimisers", rows)],
                   figures=[("trajectories.png", "Paths over the cost's contours from the "
                             "same start (same scale on both axes)."),
                            ("mnist_costs.png", "Training cost per mini-batch on MNIST, "
                             "smoothed over 20 steps.")],
                   findings=_findings(rows),
                   notes=["The course's momentum, v = βv + (1 − β)dw, w −= αv, moves by α·dw "
                          "per step once v settles, like gradient descent with the same α: it "
                          "smooths the direction but does not lengthen the step. Its sum "
                          "form (PyTorch's) with the same α steps 1/(1 − β) = 10 times further."])


def _smooth(values: np.ndarray, width: int = 20) -> np.ndarray:
    width = min(width, len(values))
    return np.convolve(values, np.ones(width) / width, mode="valid")


def _findings(rows: list[dict]) -> list[Finding]:
    gd, *others = rows
    valley = {row["optimizer"]: row["valley: J after the steps"] for row in rows}
    mnist = {row["optimizer"]: row["MNIST: mean cost, last 50 steps"] for row in rows}
    flips = {row["optimizer"]: float(row["valley: w₂ sign flips"].rstrip("%")) for row in rows}
    findings = []
    for row in others:
        name, base = row["optimizer"], gd["optimizer"]
        findings += [
            Finding(f"{name} gets further down the valley than gradient descent.",
                    valley[name] < valley[base], f"J = {valley[name]:.3g} vs {valley[base]:.3g}"),
            Finding(f"{name} damps the oscillation across the valley.",
                    flips[name] < flips[base], f"w₂ changed sign in {flips[name]:.0f}% of "
                    f"steps vs {flips[base]:.0f}%"),
            Finding(f"{name} trains the MNIST network faster than gradient descent.",
                    mnist[name] < 0.95 * mnist[base], f"mean cost of the last 50 steps "
                    f"{mnist[name]:.3f} vs {mnist[base]:.3f}")]
    return findings

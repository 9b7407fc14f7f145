"""Day 1, random initialisation: zeros vs small random vs large random vs He.

A ReLU network ``MLP([64, 32, 32, 10])`` on the 8×8 handwritten digits (``load("digits")``),
trained four times with the same data order and optimiser, changing only how the weights
start: all zeros; N(0, 0.01²); N(0, 1) (the slide's advice, see docs/errata.md); He,
N(0, 2/n_in). With zeros every hidden unit computes the same thing and receives the same
gradient, so they stay equal: symmetry is never broken.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, flat, percent, standardized, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_images, plot_panels

LAYERS = [64, 32, 32, 10]


def normal_init(std: float):
    """An init callable for ``nn.MLP``: weights ~ N(0, std²)."""
    def init(weight: np.ndarray, rng: np.random.Generator) -> None:
        weight[...] = rng.normal(0.0, std, weight.shape)
    return init


INITS = {"zeros": "zeros", "small random N(0, 0.01²)": normal_init(0.01),
         "large random N(0, 1)": normal_init(1.0), "He N(0, 2/n_in)": "he"}


def distinct_units(weight: np.ndarray) -> int:
    """How many hidden units (rows of W) differ from each other beyond rounding."""
    return len(np.unique(np.round(weight, 5), axis=0))


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("digits")
    (x, y), (x_dev, y_dev) = flat(data.train, limit=pick(size, None, 256)), flat(data.dev)
    x, x_dev = standardized(x, x_dev)
    epochs = pick(size, 40, 3)
    rows, curves, first_layers = [], [], []
    for name, init in INITS.items():
        model = nn.MLP(LAYERS, init=init, rng=np.random.default_rng(seed))
        optimizer = optim.SGD(model.parameters(), lr=0.01)
        costs = train_epochs(model, x, y, nn.CrossEntropyLoss(), optimizer, epochs,
                             batch_size=32, seed=seed)
        weight = model.layers[0].weight.numpy()
        diverged = not np.isfinite(costs).all()
        rows.append({"initialisation": name, "first-epoch cost": float(costs[0]),
                     "last cost": float(costs[-1]) if not diverged else "diverged",
                     "train error": percent(error_rate(model, x, y)) if not diverged else "-",
                     "dev error": percent(error_rate(model, x_dev, y_dev))
                     if not diverged else "-",
                     "distinct units in layer 1 (of 32)": distinct_units(weight)})
        curves.append((name, np.arange(1, epochs + 1), costs))
        first_layers.append(weight)
    plot_panels([{"title": "training cost per epoch", "xlabel": "epoch",
                  "ylabel": "cross-entropy (log scale)", "logy": True, "series": curves}],
                folder / "init_costs.png", panel_size=(7.0, 4.0))
    units = [weight[unit].reshape(8, 8) for weight in first_layers for unit in range(8)]
    titles = [f"{name.split()[0]}: unit {unit + 1}" for name in INITS for unit in range(8)]
    plot_images(units, titles, folder / "init_units.png", columns=8, symmetric=True,
                title="first 8 hidden units' weights W[1] after training, as 8×8 images")
    return Outcome(tables=[Table(f"SGD (α = 0.01, batch 32) for {epochs} epochs", rows)],
                   figures=[("init_costs.png", "Training cost per epoch for each "
                             "initialisation (log scale). Zeros and small random lie on top "
                             "of each other at ln 10 ≈ 2.30: they never learn."),
                            ("init_units.png", "The incoming weights of the first 8 hidden "
                             "units after training, one row per initialisation (red positive, "
                             "blue negative, each image on its own scale). Zeros: every unit "
                             "is the same (all zero).")],
                   findings=_findings(rows))


def _findings(rows: list[dict]) -> list[Finding]:
    zeros, small, large, he = rows
    units = "distinct units in layer 1 (of 32)"

    def error(row):
        return float(row["dev error"].rstrip("%")) if row["dev error"] != "-" else 100.0
    return [
        Finding("Zero initialisation never breaks symmetry: all hidden units stay equal.",
                zeros[units] == 1, f"{zeros[units]} distinct unit(s) after training with "
                f"zeros vs {he[units]} with He"),
        Finding("He initialisation clearly beats zero initialisation.",
                error(he) + 10 < error(zeros), f"dev error {he['dev error']} (He) vs "
                f"{zeros['dev error']} (zeros)"),
        Finding("He initialisation trains at least as well as the small and large random "
                "ones.", error(he) <= min(error(small), error(large)) + 1.0,
                f"dev error He {he['dev error']}, small {small['dev error']}, large "
                f"{large['dev error']}")]

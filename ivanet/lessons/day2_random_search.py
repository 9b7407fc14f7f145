"""Day 2, hyperparameter search: sample the learning rate on a log scale, not a linear one.

The same budget of random trials twice, α drawn from [10⁻⁴, 1]: uniformly (linear
scale: 90% of draws land in [0.1, 1]) or as 10^r with r uniform in [−4, 0] (log scale:
each decade gets a quarter). Each trial trains softmax regression on the 8×8 digits
(``load("digits")``, standardised) with plain SGD for a few epochs and reports its dev error.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, flat, standardized, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels

LOW, HIGH = 1e-4, 1.0
DECADES = [(1e-4, 1e-3), (1e-3, 1e-2), (1e-2, 1e-1), (1e-1, 1.0)]


def sample(scheme: str, trials: int, rng: np.random.Generator) -> np.ndarray:
    """``trials`` learning rates in [LOW, HIGH], uniform on a linear or a log scale."""
    if scheme == "linear":
        return rng.uniform(LOW, HIGH, trials)
    return 10.0 ** rng.uniform(np.log10(LOW), np.log10(HIGH), trials)


def trial(lr: float, data: tuple, epochs: int, seed: int) -> float:
    """Dev error of softmax regression trained with learning rate ``lr``."""
    x, y, x_dev, y_dev = data
    model = nn.Linear(x.shape[1], 10, rng=np.random.default_rng(seed))
    costs = train_epochs(model, x, y, nn.CrossEntropyLoss(), optim.SGD(model.parameters(),
                                                                          lr=lr),
                         epochs, batch_size=32, seed=seed)
    return error_rate(model, x_dev, y_dev) if np.isfinite(costs).all() else 1.0


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    splits = load("digits")
    (x, y), (x_dev, y_dev) = flat(splits.train), flat(splits.dev)
    x, x_dev = standardized(x, x_dev)
    data, rng = (x, y, x_dev, y_dev), np.random.default_rng(seed)
    trials, epochs = pick(size, 16, 4), pick(size, 2, 1)
    results = {}
    for scheme in ("linear", "log"):
        lrs = np.sort(sample(scheme, trials, rng))
        results[scheme] = (lrs, np.array([trial(lr, data, epochs, seed) for lr in lrs]))
    rows = []
    for scheme, (lrs, errors) in results.items():
        counts = [int(np.sum((lrs >= low) & (lrs < high))) for low, high in DECADES]
        best = int(np.argmin(errors))
        rows.append({"scale": scheme, **{f"trials in [{low:g}, {high:g})": count
                                         for (low, high), count in zip(DECADES, counts)},
                     "best α": float(lrs[best]), "best dev error": float(errors[best])})
    plot_panels([{"title": f"{trials} trials per scale, {epochs} epoch(s) each",
                  "xlabel": "learning rate α (log scale)", "ylabel": "dev error", "logx": True,
                  "series": [(f"{scheme} scale", lrs, errors, "o")
                             for scheme, (lrs, errors) in results.items()]}],
                folder / "random_search.png", panel_size=(7.0, 4.0))
    linear, log = rows
    top = "trials in [0.1, 1)"
    return Outcome(
        tables=[Table("random search over α ∈ [1e-4, 1]", rows)],
        figures=[("random_search.png", "Dev error of every trial against its learning rate, "
                  "on a log axis: the linear-scale trials crowd into the top decade.")],
        findings=[
            Finding("A linear scale spends most trials in the top decade [0.1, 1).",
                    linear[top] >= 0.75 * trials, f"{linear[top]} of {trials} (linear) vs "
                    f"{log[top]} of {trials} (log)"),
            Finding("A log scale explores every decade.",
                    all(log[f"trials in [{lo:g}, {hi:g})"] > 0 for lo, hi in DECADES),
                    "trials per decade (log scale): " + ", ".join(
                        str(log[f"trials in [{lo:g}, {hi:g})"]) for lo, hi in DECADES)),
            Finding("The log-scale search finds a learning rate at least as good.",
                    log["best dev error"] <= linear["best dev error"],
                    f"best dev error {log['best dev error']:.3f} (log) vs "
                    f"{linear['best dev error']:.3f} (linear)")],
        notes=["Where the good values of α span several decades, as here, both searches may "
               "find a good one; the log scale is the one that also tells you where α stops "
               "working (see the figure)."])

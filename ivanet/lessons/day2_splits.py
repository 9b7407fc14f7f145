"""Day 2, train/dev/test splits and mismatched distributions.

Two real sources of handwritten digits: MNIST (28×28, US Census staff and students,
shrunk here to 8×8: centre 24×24 crop, 3×3 averages) and the UCI 8×8 digits
(``load("digits")``, other writers, another scanner, 16 grey levels): think "simulation"
and "camera". A 64-64-10 network is trained (Adam, batch 64) in two set-ups:

- mismatched: train on MNIST only, dev on the UCI digits. A *train-dev* set (held-out
  MNIST) separates variance (train → train-dev) from mismatch (train-dev → dev);
- mixed (the slide's fix): both sources shuffled together into train, dev and test.

A second table shows why big data sets can give dev and test only 1% each.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load, split_sizes
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_images


def shrink_mnist(images: np.ndarray) -> np.ndarray:
    """(N, 1, 28, 28) → (N, 64): the centre 24×24, averaged over 3×3 blocks."""
    centre = images[:, 0, 2:26, 2:26]
    return centre.reshape(len(images), 8, 3, 8, 3).mean(axis=(2, 4)).reshape(len(images), 64)


def train_model(x: np.ndarray, y: np.ndarray, epochs: int, seed: int) -> nn.Module:
    model = nn.MLP([64, 64, 10], rng=np.random.default_rng(seed))
    train_epochs(model, x, y, nn.CrossEntropyLoss(), optim.Adam(model.parameters()), epochs,
                 batch_size=64, seed=seed)
    return model


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    mnist, uci = load("mnist"), load("digits")
    limit = pick(size, None, 600)
    sim_x, sim_y = shrink_mnist(mnist.train.x[:limit]), mnist.train.y[:limit]
    sim_dev_x, sim_dev_y = shrink_mnist(mnist.dev.x), mnist.dev.y
    cam_x = np.concatenate([uci.train.x, uci.dev.x]).reshape(-1, 64)
    cam_y = np.concatenate([uci.train.y, uci.dev.y])
    epochs = pick(size, 15, 1)

    mismatched = train_model(sim_x, sim_y, epochs, seed)
    mismatch_row = {"set-up": "mismatched: train MNIST, dev UCI",
                    "train error": error_rate(mismatched, sim_x, sim_y),
                    "train-dev error (held-out MNIST)": error_rate(mismatched, sim_dev_x,
                                                                   sim_dev_y),
                    "dev error": error_rate(mismatched, cam_x, cam_y),
                    "error on UCI dev digits": error_rate(mismatched, cam_x, cam_y)}

    rng = np.random.default_rng(seed)
    pool_x = np.concatenate([sim_x, sim_dev_x, cam_x])
    pool_y = np.concatenate([sim_y, sim_dev_y, cam_y])
    is_uci = np.r_[np.zeros(len(sim_x) + len(sim_dev_x), bool), np.ones(len(cam_x), bool)]
    order = rng.permutation(len(pool_x))
    n_train, n_dev, _ = split_sizes(len(order), (0.8, 0.1, 0.1))
    train, dev = order[:n_train], order[n_train:n_train + n_dev]
    mixed = train_model(pool_x[train], pool_y[train], epochs, seed)
    uci_dev = dev[is_uci[dev]]
    mixed_row = {"set-up": "mixed: both sources in every split",
                 "train error": error_rate(mixed, pool_x[train], pool_y[train]),
                 "train-dev error (held-out MNIST)": None,   # MNIST dev is in the pool now
                 "dev error": error_rate(mixed, pool_x[dev], pool_y[dev]),
                 "error on UCI dev digits": error_rate(mixed, pool_x[uci_dev], pool_y[uci_dev])}
    rows = [{key: percent(value) if isinstance(value, float) else value
             for key, value in row.items()} for row in (mismatch_row, mixed_row)]
    plot_images([*sim_x[:6].reshape(-1, 8, 8), *cam_x[:6].reshape(-1, 8, 8)],
                [f"MNIST {label}" for label in sim_y[:6]] + [f"UCI {label}" for label in
                                                            cam_y[:6]],
                folder / "sources.png", columns=6, title="the two sources at 8×8")
    gap_variance = mismatch_row["train-dev error (held-out MNIST)"] - mismatch_row["train error"]
    gap_mismatch = mismatch_row["dev error"] - mismatch_row["train-dev error (held-out MNIST)"]
    return Outcome(
        tables=[Table("one network, two ways of splitting", rows), _size_table()],
        figures=[("sources.png", "Six digits from each source, shrunk to 8×8: the writing "
                  "and the framing differ.")],
        findings=[
            Finding("With dev data from another distribution, the dev error rises far above "
                    "what variance explains.", gap_mismatch > max(0.05, 2 * gap_variance),
                    f"train → train-dev +{percent(gap_variance)} (variance), train-dev → dev "
                    f"+{percent(gap_mismatch)} (mismatch)"),
            Finding("Mixing both sources into every split removes the mismatch: the UCI "
                    "digits are classified far better.",
                    mixed_row["error on UCI dev digits"]
                    < mismatch_row["error on UCI dev digits"] / 2,
                    f"error on UCI digits {percent(mixed_row['error on UCI dev digits'])} "
                    f"(mixed) vs {percent(mismatch_row['error on UCI dev digits'])} "
                    "(mismatched)")])


def _size_table() -> Table:
    """Split sizes for a small and a big data set, and how precisely each dev set measures
    a 5% error (one standard error)."""
    rows = []
    for total, ratios in ((10_000, (0.6, 0.2, 0.2)), (1_000_000, (0.6, 0.2, 0.2)),
                          (1_000_000, (0.98, 0.01, 0.01))):
        train, dev, test = split_sizes(total, ratios)
        rows.append({"examples": total, "split": "/".join(f"{100 * r:g}" for r in ratios),
                     "train": train, "dev": dev, "test": test,
                     "± on a 5% dev error": f"{100 * math.sqrt(0.05 * 0.95 / dev):.2f} points"})
    return Table("split sizes: a 1% dev set of a million examples is already precise", rows)

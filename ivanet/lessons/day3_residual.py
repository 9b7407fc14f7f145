"""Day 3, plain vs residual networks of the same depth: training error as depth grows.

Two narrow CNNs per depth on a subset of Fashion-MNIST, identical but for the shortcut:
a stride-2 3×3 stem (28×28 → 14×14), ``n`` blocks of two 3×3 convolutions with batch norm
(``ivanet.models.resnet.BasicBlock``, or the same two convolutions without the "+ x"),
global average pooling and a linear layer: 2n + 2 weight layers. Each is trained the same
way (SGD with momentum, same seed) and its training error measured; the slide's claim is
that the deeper plain net trains worse while the deeper residual net does not.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models.resnet import BasicBlock, conv3x3
from ivanet.reports.lessons_plots import plot_panels

WIDTH = 8


def plain_block(channels: int, rng) -> nn.Sequential:
    """A BasicBlock without its shortcut: conv, BN, ReLU, conv, BN, ReLU."""
    return nn.Sequential(conv3x3(channels, channels, 1, rng), nn.BatchNorm2d(channels),
                         nn.ReLU(), conv3x3(channels, channels, 1, rng),
                         nn.BatchNorm2d(channels), nn.ReLU())


def network(blocks: int, residual: bool, seed: int) -> nn.Sequential:
    """Stem, ``blocks`` blocks, pooling, classifier: 2·blocks + 2 weight layers.

    Shape: (N, 1, 28, 28) → (N, 10).
    """
    rng = np.random.default_rng(seed)
    body = [BasicBlock(WIDTH, WIDTH, 1, rng) if residual else plain_block(WIDTH, rng)
            for _ in range(blocks)]
    return nn.Sequential(conv3x3(1, WIDTH, 2, rng), nn.BatchNorm2d(WIDTH), nn.ReLU(), *body,
                         nn.GlobalAvgPool2d(), nn.Linear(WIDTH, 10, rng=rng))


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("fashion-mnist")
    count = pick(size, 2000, 64)
    x, y = data.train.x[:count], data.train.y[:count]
    depths = pick(size, (3, 12), (1, 3))             # blocks → 8 and 26 weight layers
    epochs = pick(size, 4, 1)
    rows, series, errors, costs = [], [], {}, {}
    per_epoch = -(-count // 64)
    for blocks in depths:
        for residual in (False, True):
            model = network(blocks, residual, seed)
            step_costs: list = []
            train_epochs(model, x, y, nn.CrossEntropyLoss(),
                         optim.SGD(model.parameters(), lr=0.05, momentum=0.9), epochs, 64,
                         seed, step_costs=step_costs)
            model.eval()
            layers = 2 * blocks + 2
            kind = "residual" if residual else "plain"
            costs[(layers, kind)] = float(np.mean(step_costs[-per_epoch:]))
            errors[(layers, kind)] = error_rate(model, x, y)
            rows.append({"network": kind, "weight layers": layers,
                         "training cost, last epoch": costs[(layers, kind)],
                         "training error (eval mode)": percent(errors[(layers, kind)])})
            width = min(10, len(step_costs))
            smooth = np.convolve(step_costs, np.ones(width) / width, mode="valid")
            series.append((f"{kind}, {layers} layers", np.arange(len(smooth)), smooth))
    plot_panels([{"title": f"{count} Fashion-MNIST images, width {WIDTH}",
                  "xlabel": "step", "ylabel": "training cost (moving average of 10)",
                  "logy": True, "series": series}], folder / "residual.png",
                panel_size=(6.0, 4.0))
    shallow, deep = (2 * b + 2 for b in depths)
    plain_gap = costs[(deep, "plain")] - costs[(shallow, "plain")]
    res_gap = costs[(deep, "residual")] - costs[(shallow, "residual")]
    return Outcome(
        tables=[Table(f"{epochs} epochs of SGD with momentum (α = 0.05, batch 64)", rows)],
        figures=[("residual.png", "Training cost per step of the four networks.")],
        findings=[
            Finding(f"The deeper plain network ({deep} layers) trains worse than the "
                    f"shallower one ({shallow}).", plain_gap > 0,
                    f"last-epoch training cost {costs[(shallow, 'plain')]:.3f} → "
                    f"{costs[(deep, 'plain')]:.3f}"),
            Finding("The deeper residual network trains at least as well as the shallower "
                    "one.", res_gap <= 0.01,
                    f"last-epoch training cost {costs[(shallow, 'residual')]:.3f} → "
                    f"{costs[(deep, 'residual')]:.3f}"),
            Finding(f"At {deep} layers the residual network trains better than the plain one.",
                    costs[(deep, "residual")] < costs[(deep, "plain")],
                    f"last-epoch training cost {costs[(deep, 'residual')]:.3f} residual vs "
                    f"{costs[(deep, 'plain')]:.3f} plain")],
        notes=["Training is measured by the mean cost over the last epoch (batch norm in "
               "training mode, what the optimiser sees). The error column re-scores the "
               "training images in eval mode with batch norm's running averages, which lag "
               "behind after so few steps, most of all in the deeper networks."])

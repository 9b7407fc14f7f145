"""Day 2, batch vs mini-batch vs stochastic gradient descent.

Softmax regression (``Linear(784, 10)``) on the 8,000 bundled MNIST training digits, plain
SGD with the same learning rate, for the same number of epochs; only the batch size
changes: all 8,000 (batch GD: one step per epoch), 64 (mini-batch) or 1 (stochastic).
The cost on the whole training set is measured 20 times per epoch.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.data import ArrayDataset, DataLoader, load
from ivanet.lessons.common import flat
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels
from ivanet.training import evaluate

LEARNING_RATE = 0.05
CHECKS_PER_EPOCH = 20


def descend(x, y, batch_size: int, epochs: int, seed: int) -> dict:
    """Train from zeros; full-set cost at 20 checks per epoch, every step's batch cost."""
    model = nn.Linear(x.shape[1], 10, init="zeros")
    optimizer = optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn, data = nn.CrossEntropyLoss(), ArrayDataset(x, y)
    loader = DataLoader(data, batch_size, shuffle=True, seed=seed)
    every = max(1, len(loader) // CHECKS_PER_EPOCH)
    seen, costs, step_costs, seconds = [0.0], [evaluate(model, data)["loss"]], [], 0.0
    for epoch in range(epochs):
        loader.set_epoch(epoch)
        for step, (x_batch, y_batch) in enumerate(loader, start=1):
            started = time.perf_counter()
            loss = loss_fn(model(Tensor(x_batch)), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seconds += time.perf_counter() - started
            step_costs.append(float(loss.data))
            if step % every == 0 or step == len(loader):
                seen.append(epoch + step / len(loader))
                costs.append(evaluate(model, data)["loss"])
    return {"epochs": np.array(seen), "costs": np.array(costs),
            "steps": np.array(step_costs), "seconds": seconds}


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    x, y = flat(load("mnist").train, limit=pick(size, None, 512))
    epochs = pick(size, 3, 1)
    sizes = {"batch GD (all)": len(x), "mini-batch (64)": 64, "stochastic (1)": 1}
    results = {name: descend(x, y, batch, epochs, seed) for name, batch in sizes.items()}
    rows = []
    for name, result in results.items():
        one_epoch = float(np.interp(1.0, result["epochs"], result["costs"]))
        rises = float(np.mean(np.diff(result["steps"]) > 0)) if len(result["steps"]) > 1 \
            else 0.0
        result.update(one_epoch=one_epoch, rises=rises)
        rows.append({"method": name, "batch size": sizes[name],
                     "steps per epoch": int(np.ceil(len(x) / sizes[name])),
                     "cost after 1 epoch": one_epoch, "final cost": float(result["costs"][-1]),
                     "steps where the batch cost rose": f"{100 * rises:.0f}%",
                     "compute seconds per epoch": result["seconds"] / epochs})
    _plot(folder, results)
    batch, mini, single = results.values()
    return Outcome(
        tables=[Table(f"softmax regression on {len(x)} digits, SGD α = {LEARNING_RATE}, "
                      f"{epochs} epoch(s)", rows)],
        figures=[("minibatch.png", "Left: cost on the whole training set against epochs "
                  "(passes over the data). Right: the cost of each step's own batch, first "
                  "300 steps (log y): one example at a time is far noisier.")],
        findings=[
            Finding("Mini-batch gradient descent makes progress before a whole epoch is seen: "
                    "after one epoch it is far ahead of batch GD.",
                    mini["one_epoch"] < batch["one_epoch"] - 0.1,
                    f"cost after 1 epoch: {mini['one_epoch']:.3f} (mini-batch) vs "
                    f"{batch['one_epoch']:.3f} (batch)"),
            Finding("Mini-batch updates are noisy; stochastic ones the noisiest.",
                    batch["rises"] == 0 and 0 < mini["rises"] < single["rises"],
                    f"the batch cost rose in {100 * batch['rises']:.0f}% (batch GD), "
                    f"{100 * mini['rises']:.0f}% (mini-batch) and {100 * single['rises']:.0f}% "
                    "(stochastic) of steps"),
            Finding("Stochastic GD loses the speed of vectorisation: an epoch takes longest.",
                    single["seconds"] > mini["seconds"],
                    f"{single['seconds'] / epochs:.2f} s vs {mini['seconds'] / epochs:.2f} s per "
                    "epoch (mini-batch)")])


def _plot(folder: Path, results: dict) -> None:
    steps = [(name, np.arange(1, min(300, len(r["steps"])) + 1), r["steps"][:300],
              "o-" if len(r["steps"]) < 20 else "-") for name, r in results.items()]
    plot_panels([{"title": "cost on the whole training set", "xlabel": "epoch",
                  "ylabel": "cross-entropy", "series": [(name, r["epochs"], r["costs"])
                                                        for name, r in results.items()]},
                 {"title": "cost of each step's batch", "xlabel": "step", "logy": True,
                  "ylabel": "cross-entropy (log)", "series": steps}],
                folder / "minibatch.png", panel_size=(5.4, 3.8))

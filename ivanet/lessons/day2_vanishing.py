"""Day 2, vanishing and exploding gradients: how depth and initialisation scale them.

Deep ReLU networks (64 units per hidden layer) take one batch of MNIST digits; one
backward pass gives ‖∂J/∂W[l]‖ for every layer l. Each layer multiplies the backward
signal by about std(W)·√(n/2): below 1 the gradient of the first layers vanishes
geometrically with depth, above 1 it explodes. He initialisation, std = √(2/n), makes the
factor 1.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn
from ivanet.data import load
from ivanet.lessons.common import flat
from ivanet.lessons.day1_init import normal_init
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels

WIDTH = 64
INITS = {"small N(0, 0.01²)": normal_init(0.01), "large N(0, 1)": normal_init(1.0),
         "He N(0, 2/n)": "he"}


def layer_gradient_norms(model: nn.MLP, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """‖∂J/∂W[l]‖_F for l = 1..L after one forward and backward pass (inf on overflow)."""
    with np.errstate(over="ignore", invalid="ignore"):
        loss = nn.CrossEntropyLoss()(model(Tensor(x)), y)
        loss.backward()
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    return np.array([np.linalg.norm(w.grad.astype(np.float64)) for w in weights])


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    x, y = flat(load("mnist").train, limit=pick(size, 512, 64))
    depths = pick(size, (5, 10, 20, 30), (5, 10))
    rows, profiles = [], {}
    for name, init in INITS.items():
        for depth in depths:
            model = nn.MLP([784] + [WIDTH] * depth + [10], init=init,
                           rng=np.random.default_rng(seed))
            norms = layer_gradient_norms(model, x, y)
            ratio = norms[0] / norms[-1] if np.isfinite(norms).all() else np.inf
            rows.append({"initialisation": name, "hidden layers": depth,
                         "‖dW[1]‖": float(norms[0]), "‖dW[L]‖": float(norms[-1]),
                         "‖dW[1]‖ / ‖dW[L]‖": float(ratio)})
            if depth == depths[-1]:
                profiles[name] = norms
    deepest = depths[-1]
    plot_panels([{"title": f"gradient norm per layer, {deepest} hidden layers",
                  "xlabel": "layer l (1 = next to the input)", "ylabel": "‖∂J/∂W[l]‖ (log)",
                  "logy": True, "series": [(name, np.arange(1, len(n) + 1), np.where(
                      np.isfinite(n) & (n > 0), n, np.nan), "o-") for name, n in
                      profiles.items()]}],
                folder / "gradient_norms.png", panel_size=(7.0, 4.2))
    ratios = {row["initialisation"]: row["‖dW[1]‖ / ‖dW[L]‖"] for row in rows
              if row["hidden layers"] == deepest}
    small, large, he = (ratios[name] for name in INITS)
    return Outcome(
        tables=[Table("gradient of the first vs the last layer, one batch of "
                      f"{len(x)} digits", rows)],
        figures=[("gradient_norms.png", "The gradient's norm at each layer of the deepest "
                  "network: it shrinks towards the input with small weights, grows with "
                  "large ones and stays level with He initialisation.")],
        findings=[
            Finding("With small weights the first layers' gradients vanish.", small < 1e-3,
                    f"‖dW[1]‖/‖dW[L]‖ = {small:.2g} at {deepest} hidden layers"),
            Finding("With large weights they explode.", large > 1e3,
                    f"‖dW[1]‖/‖dW[L]‖ = {large:.2g} at {deepest} hidden layers"),
            Finding("He initialisation keeps them of the same order through the depth.",
                    0.01 < he < 100, f"‖dW[1]‖/‖dW[L]‖ = {he:.2g}")])

"""Day 2, vanishing and exploding gradients: how depth and initialisation scale them.

Deep ReLU networks (64 units per hidden layer) take one batch of MNIST digits; one
backward pass gives ‖∂J/∂W[l]‖ for every layer l. Each layer multiplies the signal by
about std(W)·√(n/2), forward and backward: below 1 the gradients vanish geometrically
with depth, above 1 they explode. He initialisation, std = √(2/n), makes the factor 1.
In a ReLU network ∂J/∂W[l] = δ[l]·a[l−1]ᵀ, and the activations a shrink (or grow) in the
opposite direction to the backward signal δ, so all layers' weight gradients shrink or
grow together: the effect shows as depth grows, at every layer.
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
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    x, y = flat(load("mnist").train, limit=pick(size, 512, 64))
    depths = pick(size, (5, 10, 20, 30), (5, 10))
    rows, profiles = [], {}
    for name, init in INITS.items():
        for depth in depths:
            model = nn.MLP([784] + [WIDTH] * depth + [10], init=init,
                           rng=np.random.default_rng(seed))
            norms = layer_gradient_norms(model, x, y)
            rows.append({"initialisation": name, "hidden layers": depth,
                         "‖dW[1]‖": float(norms[0]), "‖dW[L]‖": float(norms[-1]),
                         "smallest ‖dW[l]‖": float(norms.min()),
                         "largest ‖dW[l]‖": float(norms.max())})
            profiles.setdefault(name, {})[depth] = norms
    shallow, deepest = depths[0], depths[-1]
    plot_panels([
        {"title": "first layer's gradient vs depth", "xlabel": "hidden layers",
         "ylabel": "‖∂J/∂W[1]‖ (log)", "logy": True,
         "series": [(name, depths, [by_depth[d][0] for d in depths], "o-")
                    for name, by_depth in profiles.items()]},
        {"title": f"every layer, {deepest} hidden layers", "ylabel": "‖∂J/∂W[l]‖ (log)",
         "xlabel": "layer l (1 = next to the input)", "logy": True,
         "series": [(name, np.arange(1, deepest + 2), by_depth[deepest], "o-")
                    for name, by_depth in profiles.items()]}],
        folder / "gradient_norms.png", panel_size=(5.6, 4.2))
    growth = {name: by_depth[deepest][0] / by_depth[shallow][0]
              for name, by_depth in profiles.items()}
    small, large, he = (growth[name] for name in INITS)
    return Outcome(
        tables=[Table(f"weight gradients at initialisation, one batch of {len(x)} digits",
                      rows)],
        figures=[("gradient_norms.png", "Left: the first layer's gradient norm as the "
                  "network gets deeper (log scale). Right: every layer's gradient norm in the "
                  "deepest network.")],
        findings=[
            Finding("With small weights the gradients vanish as the network gets deeper.",
                    small < 1e-6, f"‖dW[1]‖ shrinks {1 / small:.2g}× from {shallow} to "
                    f"{deepest} hidden layers"),
            Finding("With large weights they explode.", large > 1e6,
                    f"‖dW[1]‖ grows {large:.2g}× from {shallow} to {deepest} hidden layers"),
            Finding("He initialisation keeps them of the same order at every depth.",
                    0.1 < he < 10, f"‖dW[1]‖ changes {he:.2g}× from {shallow} to {deepest} "
                    "hidden layers")])

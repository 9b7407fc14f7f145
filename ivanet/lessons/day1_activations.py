"""Day 1, activation functions and their derivatives, the derivatives taken by autograd.

For each activation g, z is a Tensor with ``requires_grad``; ``g(z).sum().backward()``
leaves g'(z) in ``z.grad`` (each output depends only on its own input). The derivative is
checked against its formula.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.ops.activations import elu, leaky_relu
from ivanet.reports.lessons_plots import plot_panels


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# name: (function of a Tensor, formula of the derivative)
ACTIVATIONS = {
    "sigmoid": (lambda z: z.sigmoid(), lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "tanh": (lambda z: z.tanh(), lambda z: 1 - np.tanh(z) ** 2),
    "ReLU": (lambda z: z.relu(), lambda z: (z > 0).astype(float)),
    "leaky ReLU (0.1)": (lambda z: leaky_relu(z, 0.1), lambda z: np.where(z > 0, 1.0, 0.1)),
    "ELU (α=1)": (lambda z: elu(z, 1.0), lambda z: np.where(z > 0, 1.0, np.exp(z))),
}


def value_and_derivative(function, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g(z) and g'(z) by back-propagation through ivanet's op."""
    tensor = Tensor(z, requires_grad=True)
    out = function(tensor)
    out.sum().backward()
    return out.numpy(), tensor.grad


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    # Points avoid z = 0 exactly, where ReLU-like functions have no derivative.
    z = np.linspace(-6.0, 6.0, pick(size, 1200, 120)) + 1e-4
    rows, panels = [], []
    for name, (function, formula) in ACTIVATIONS.items():
        value, grad = value_and_derivative(function, z)
        error = float(np.max(np.abs(grad - formula(z))))
        far = np.abs(z) >= 5
        rows.append({"activation": name, "largest g'(z)": float(grad.max()),
                     "g'(z) at z = −5": float(np.interp(-5, z, grad)),
                     "g'(z) at z = +5": float(np.interp(5, z, grad)),
                     "mean g' where |z| ≥ 5": float(grad[far].mean()),
                     "max |autograd − formula|": error})
        panels.append({"title": name, "xlabel": "z", "ylabel": "", "hline": 0.0,
                       "series": [("g(z)", z, value), ("g'(z) (autograd)", z, grad, "--")]})
    plot_panels(panels, folder / "activations.png", columns=5, panel_size=(3.2, 3.0))
    by_name = {row["activation"]: row for row in rows}
    sigmoid_peak = by_name["sigmoid"]["largest g'(z)"]
    worst = max(row["max |autograd − formula|"] for row in rows)
    saturating = [by_name[n]["mean g' where |z| ≥ 5"] for n in ("sigmoid", "tanh")]
    relu_grad = value_and_derivative(ACTIVATIONS["ReLU"][0], z)[1]
    return Outcome(
        tables=[Table("activations and their derivatives on z ∈ [−6, 6]", rows)],
        figures=[("activations.png", "Each activation g(z) (solid) and its derivative g'(z) "
                  "computed by ivanet's autograd (dashed).")],
        findings=[
            Finding("Autograd's derivatives agree with the formulas.", worst < 1e-5,
                    f"largest difference {worst:.1e}"),
            Finding("Sigmoid and tanh saturate: the derivative vanishes for large |z| "
                    "(sigmoid's is at most 0.25).",
                    max(saturating) < 0.01 and sigmoid_peak <= 0.25,
                    f"mean derivative where |z| ≥ 5: sigmoid {saturating[0]:.4f}, tanh "
                    f"{saturating[1]:.5f}; largest sigmoid' {sigmoid_peak:.3f}"),
            Finding("ReLU's derivative is 0 or 1: it does not saturate for z > 0.",
                    bool(np.all(np.isin(relu_grad, (0.0, 1.0)))),
                    f"distinct ReLU derivatives: {sorted(set(relu_grad.tolist()))}")],
        notes=["Maxout, max(w₁ᵀx + b₁, w₂ᵀx + b₂), has parameters of its own, so it has no "
               "single curve to draw; it is ivanet.nn.Maxout."])

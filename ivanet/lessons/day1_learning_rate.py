"""Day 1, the learning rate α: too small, good, too large and diverging.

Linear regression of standardised house prices on the 11 standardised features of the
Windsor sales (``load("housing")``), trained by batch gradient descent (``optim.SGD``).
The cost J = mean((x·w + b − y)²) is a quadratic bowl whose steepest curvature λ_max
(largest eigenvalue of its Hessian, 2/m·X̃ᵀX̃) sets the limit: gradient descent converges
for α < 2/λ_max and diverges above. Each α is a fraction of that limit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.data import load
from ivanet.lessons.common import standardized
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_panels

FRACTIONS = {"too small": 0.02, "good": 0.5, "too large": 0.95, "diverging": 1.05}


def descend(x: np.ndarray, y: np.ndarray, alpha: float, steps: int):
    """Batch gradient descent from zero weights; cost and (weights, bias) per step."""
    model = nn.Linear(x.shape[1], 1, init="zeros")
    optimizer = optim.SGD(model.parameters(), lr=alpha)
    loss_fn, inputs = nn.MSELoss(), Tensor(x)
    costs, path = [], []
    for _ in range(steps):
        path.append(np.r_[model.weight.data[0], model.bias.data])
        loss = loss_fn(model(inputs), y)
        costs.append(float(loss.data))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return np.array(costs), np.array(path)


def parabola_steps(alpha: float, curvature: float, minimum: float, steps: int) -> np.ndarray:
    """w after each step of gradient descent on J(w) = curvature/2 · (w − minimum)², from 0."""
    w = [0.0]
    for _ in range(steps):
        w.append(w[-1] - alpha * curvature * (w[-1] - minimum))
    return np.array(w)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("housing")
    x, = standardized(data.train.x)
    y, = standardized(data.train.y)
    design = np.c_[x, np.ones(len(x))].astype(np.float64)          # (m, n_x + 1)
    hessian = 2.0 / len(x) * design.T @ design
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    limit = 2.0 / eigenvalues[-1]
    optimum = np.linalg.lstsq(design, y[:, 0].astype(np.float64), rcond=None)[0]
    best_cost = float(np.mean((design @ optimum - y[:, 0]) ** 2))
    steps = pick(size, 300, 40)
    runs = {name: descend(x, y, fraction * limit, steps) for name, fraction in
            FRACTIONS.items()}

    rows, oscillation = [], {}
    for name, (costs, path) in runs.items():
        along_top = ((path - optimum) @ eigenvectors[:, -1])[:20]   # first 20 steps
        along_top = along_top[np.abs(along_top) > 1e-3 * abs(along_top[0])]  # not yet there
        flips = np.mean(np.sign(along_top[1:]) != np.sign(along_top[:-1])) \
            if len(along_top) > 1 else 0.0
        oscillation[name] = float(flips)
        close = np.flatnonzero(costs <= 1.01 * best_cost)
        rows.append({"α": name, "value": float(FRACTIONS[name] * limit),
                     "α / (2/λ_max)": FRACTIONS[name], "first J": float(costs[0]),
                     "J after 10 steps": float(costs[min(10, steps - 1)]),
                     "last J": float(costs[-1]), "steps to within 1% of min J":
                     int(close[0]) if len(close) else f"> {steps}",
                     "sign flips along steepest direction (first 20 steps)":
                     f"{100 * flips:.0f}%"})
    _plot(folder, runs, limit, best_cost)
    costs = {name: run_costs / best_cost for name, (run_costs, _) in runs.items()}
    return Outcome(
        tables=[Table(f"gradient descent for {steps} steps (2/λ_max = {limit:.3f})", rows)],
        figures=[("learning_rate.png", "J − J_min per step for each α (log scale; float32 "
                  "rounding floors it near 1e-7); a diverging run leaves the top of the plot."),
                 ("parabola.png", "The same four α (as fractions of 2/λ) on a one-weight "
                  "cost J(w) = (w − 1)²: the path of w over 8 steps.")],
        findings=_findings(costs, oscillation))


def _findings(costs: dict, oscillation: dict) -> list[Finding]:
    small, good, large, diverging = (costs[n] for n in FRACTIONS)
    return [
        Finding("A too small α converges, but slowly.",
                bool(np.all(np.diff(small) <= 1e-6) and _steps(small) > 3 * _steps(good)),
                f"steps to within 1% of the minimum cost: {_steps(small)} (too small) vs "
                f"{_steps(good)} (good)"),
        Finding("A too large α oscillates from side to side of the valley.",
                oscillation["too large"] > 0.5 and oscillation["good"] < 0.5,
                f"sign flips along the steepest direction: {100 * oscillation['too large']:.0f}%"
                f" of steps vs {100 * oscillation['good']:.0f}% for the good α"),
        Finding("Above 2/λ_max gradient descent diverges.", bool(diverging[-1] > diverging[0]),
                f"J went from {diverging[0]:.3g}·J_min to {diverging[-1]:.3g}·J_min")]


def _steps(relative_costs: np.ndarray) -> int:
    """Steps until J is within 1% of its minimum (the run's length if never)."""
    close = np.flatnonzero(relative_costs <= 1.01)
    return int(close[0]) if len(close) else len(relative_costs)


def _plot(folder: Path, runs: dict, limit: float, best_cost: float) -> None:
    series = [(f"{name} (α={FRACTIONS[name] * limit:.3f})", np.arange(len(costs)),
               np.maximum(costs - best_cost, 1e-7)) for name, (costs, _) in runs.items()]
    plot_panels([{"title": "cost above its minimum, per step", "xlabel": "step",
                  "ylabel": "J − J_min (log scale)", "logy": True, "series": series,
                  "ylim": (1e-7, 1e2)}],
                folder / "learning_rate.png", panel_size=(7.0, 4.0))
    grid = np.linspace(-0.6, 2.6, 200)
    panels = []
    for name, fraction in FRACTIONS.items():
        w = parabola_steps(fraction, 2.0, 1.0, 8)                 # 2/λ = 1 for curvature 2
        panels.append({"title": f"{name}: α = {fraction}·2/λ", "xlabel": "w", "ylabel": "J(w)",
                       "legend": False, "ylim": (-0.1, 2.7),
                       "series": [("J", grid, (grid - 1.0) ** 2, "-"),
                                  ("steps", w, (w - 1.0) ** 2, "o-")]})
    plot_panels(panels, folder / "parabola.png", panel_size=(3.6, 3.2))

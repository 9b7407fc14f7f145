"""Day 2, input normalisation: the cost's contours before and after standardising.

Linear regression of the (standardised) house price on lot size (in 1000 sq ft, about
2–16) and number of bedrooms (1–6), by batch gradient descent. Inputs on different scales
stretch the cost's bowl into a long valley: the safe learning rate is set by the steep
direction, so progress along the flat one is slow. x̂ = (x − μ)/σ (``Standardizer``)
makes the bowl round. The same comparison is then made with all 11 raw features.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.data import load
from ivanet.lessons.common import standardized
from ivanet.lessons.day1_learning_rate import descend
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_contours

FEATURES = (0, 1)  # lotsize, bedrooms


def bowl(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Hessian of J = mean((x·w + b − y)²) over (w, b), the minimiser and the least J."""
    design = np.c_[x, np.ones(len(x))].astype(np.float64)
    optimum = np.linalg.lstsq(design, y[:, 0].astype(np.float64), rcond=None)[0]
    return (2.0 / len(x) * design.T @ design, optimum,
            float(np.mean((design @ optimum - y[:, 0]) ** 2)))


def compare(x: np.ndarray, y: np.ndarray, steps: int) -> dict:
    """Gradient descent with α = 1/λ_max; its path, costs and the bowl's numbers."""
    hessian, optimum, best = bowl(x, y)
    eigenvalues = np.linalg.eigvalsh(hessian)
    costs, path = descend(x, y, 1.0 / eigenvalues[-1], steps)
    close = np.flatnonzero(costs <= 1.01 * best)
    return {"condition": float(eigenvalues[-1] / eigenvalues[0]), "costs": costs,
            "path": path, "optimum": optimum, "best": best, "alpha": 1.0 / eigenvalues[-1],
            "steps": int(close[0]) if len(close) else None}


def contour_panel(title: str, x: np.ndarray, y: np.ndarray, result: dict,
                  labels: tuple[str, str]) -> dict:
    """The cost over (w1, w2) with b at its best for each w, and the descent's path."""
    centre = result["optimum"][:2]
    half = 1.15 * max(np.abs(centre).max(), 0.05)
    w1 = np.linspace(centre[0] - half, centre[0] + half, 120)
    w2 = np.linspace(centre[1] - half, centre[1] + half, 120)
    grid = np.stack(np.meshgrid(w1, w2), axis=-1)                     # (120, 120, 2)
    residual = (x @ grid.reshape(-1, 2).T) - y                          # (m, 120·120)
    residual -= residual.mean(axis=0)                                   # best b for each w
    cost = np.mean(residual ** 2, axis=0).reshape(len(w2), len(w1))
    return {"title": title, "w1": w1, "w2": w2, "cost": cost, "equal": True,
            "paths": {f"gradient descent, α = {result['alpha']:.3g}": result["path"][:, :2]},
            "minimum": tuple(centre), "xlabel": labels[0], "ylabel": labels[1]}


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("housing")
    y, = standardized(data.train.y)
    raw = data.train.x[:, FEATURES] / np.array([1000.0, 1.0], np.float32)
    scaled, = standardized(raw)
    centred = raw - raw.mean(axis=0)          # the picture: scale alone (b stays at 0)
    steps = pick(size, 200, 20)
    before, after = compare(raw, y, steps), compare(scaled, y, steps)
    only_centred = compare(centred, y, steps)
    plot_contours([contour_panel("centred, not scaled", centred, y, only_centred,
                                 ("w (lot size, 1000 sq ft)", "w (bedrooms)")),
                   contour_panel("standardised inputs", scaled, y, after,
                                 ("w (lot size, standardised)", "w (bedrooms, standardised)"))],
                  folder / "contours.png")
    all_raw = data.train.x.astype(np.float32)
    long_steps = pick(size, 3000, 30)
    every_before, every_after = (compare(x, y, long_steps)
                                 for x in (all_raw, standardized(all_raw)[0]))
    rows = []
    for inputs, result, limit in (("2 features, raw", before, steps),
                                  ("2 features, centred only", only_centred, steps),
                                  ("2 features, standardised", after, steps),
                                  ("11 features, raw", every_before, long_steps),
                                  ("11 features, standardised", every_after, long_steps)):
        rows.append({"inputs": inputs, "condition number λ_max/λ_min": result["condition"],
                     "α = 1/λ_max": result["alpha"], "last J / least J":
                     float(result["costs"][-1] / result["best"]),
                     "steps to within 1% of least J": result["steps"] or f"> {limit}"})
    return Outcome(
        tables=[Table("batch gradient descent before and after standardising", rows)],
        figures=[("contours.png", "Contours of the cost over the two weights, same scale on "
                  "both axes, with the path of gradient descent from w = 0 (the star is the "
                  "minimum). Both inputs are centred, so the bias stays 0 and the pictures "
                  "show the effect of scale alone; raw (uncentred) inputs are worse still "
                  "(table).")],
        findings=[
            Finding("Standardising makes the contours rounder.",
                    after["condition"] < before["condition"] / 2,
                    f"condition number {before['condition']:.1f} → {after['condition']:.1f} "
                    f"(2 features), {every_before['condition']:.3g} → "
                    f"{every_after['condition']:.3g} (11 features)"),
            Finding("Gradient descent reaches the minimum in fewer steps.",
                    _fewer(after["steps"], before["steps"])
                    and _fewer(every_after["steps"], every_before["steps"]),
                    f"steps to within 1%: {before['steps']} → {after['steps']} (2 features), "
                    f"{every_before['steps']} → {every_after['steps']} (11 features; None: "
                    "not reached)")])


def _fewer(after: int | None, before: int | None) -> bool:
    return after is not None and (before is None or after < before)

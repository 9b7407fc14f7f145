"""Day 2, the softmax classifier: the slide's output-layer vector through ivanet's softmax.

softmax(z)_i = e^{z_i} / Σ_j e^{z_j} turns the five scores into probabilities that sum to
one; the largest score takes most of the mass because the exponential magnifies gaps.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor
from ivanet.lessons.outcome import Finding, Outcome, Table
from ivanet.reports.lessons_plots import plot_bars

SLIDE_LOGITS = [1.3, 5.1, 2.2, 0.7, 1.1]
SLIDE_PROBABILITIES = [0.02, 0.90, 0.05, 0.01, 0.02]


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    z = Tensor(np.array(SLIDE_LOGITS, np.float64))
    probabilities = z.softmax(axis=-1).numpy()
    exponentials = np.exp(z.numpy())
    rows = [{"class": i + 1, "z": zi, "e^z": float(ei), "softmax": float(pi),
             "slide": si, "rounded to 2 decimals": float(np.round(pi, 2))}
            for i, (zi, ei, pi, si) in enumerate(zip(SLIDE_LOGITS, exponentials,
                                                     probabilities, SLIDE_PROBABILITIES))]
    names = [f"class {i + 1}" for i in range(len(SLIDE_LOGITS))]
    plot_bars([("scores z (output layer)", names, np.array(SLIDE_LOGITS)),
               ("e^z", names, exponentials),
               ("softmax(z): probabilities", names, probabilities)],
              folder / "softmax.png")
    matches = np.array_equal(np.round(probabilities, 2), SLIDE_PROBABILITIES)
    return Outcome(
        tables=[Table("softmax of the slide's vector", rows)],
        figures=[("softmax.png", "The scores, their exponentials and the probabilities "
                  "(the exponentials divided by their sum, "
                  f"{exponentials.sum():.2f}).")],
        findings=[
            Finding("softmax([1.3, 5.1, 2.2, 0.7, 1.1]) = [0.02, 0.90, 0.05, 0.01, 0.02] "
                    "(rounded).", bool(matches), "ivanet gives "
                    + ", ".join(f"{p:.4f}" for p in probabilities)),
            Finding("The outputs are a probability distribution (positive, sum 1).",
                    bool(np.all(probabilities > 0) and abs(probabilities.sum() - 1) < 1e-12),
                    f"sum = {probabilities.sum():.15f}")])

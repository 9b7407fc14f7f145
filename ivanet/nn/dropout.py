"""``Dropout``: inverted dropout, active in training mode only (Day 2 regularisation)."""
from __future__ import annotations

import numpy as np

from ivanet.nn.checks import check_probability
from ivanet.nn.module import Module
from ivanet.ops.dropout import dropout


class Dropout(Module):
    """Zero each activation with probability p and scale the survivors by 1/(1 − p).

    The scaling (the slide's keep_prob = 1 − p) keeps the expected activation the same, so
    evaluation simply skips the layer: in ``eval()`` mode it returns its input.

    Shape: any → same.
    """

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p = check_probability("Dropout p", p)
        self.rng = rng if rng is not None else np.random.default_rng()

    def forward(self, x):
        return dropout(x, self.p, self.training, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"

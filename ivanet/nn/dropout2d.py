"""``Dropout2d``: drop whole feature maps (channels) at random, in training mode only."""
from __future__ import annotations

import numpy as np

from ivanet.nn.checks import check_probability
from ivanet.nn.module import Module
from ivanet.ops.arithmetic import mul


class Dropout2d(Module):
    """Zero each channel of each example with probability p, scale the rest by 1/(1 − p).

    Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels
    hardly regularises a conv net; dropping the whole map does (Tompson et al., 2015).
    The identity in ``eval()`` mode.

    Shape: (N, C, H, W) → same.
    """

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p = check_probability("Dropout2d p", p)
        self.rng = rng if rng is not None else np.random.default_rng()

    def forward(self, x):
        shape = tuple(getattr(x, "shape", ()))
        if len(shape) != 4:
            raise ValueError(f"{self.describe()}: expected a 4-D input (N, C, H, W), "
                             f"got shape {shape}")
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        mask = (self.rng.random(shape[:2] + (1, 1)) < keep).astype(x.dtype)
        mask *= 1.0 / keep
        return mul(x, mask)                       # (N, C, H, W) · (N, C, 1, 1)

    def extra_repr(self) -> str:
        return f"p={self.p}"

"""``Flatten``: merge dimensions into one (e.g. images to vectors before a ``Linear``)."""
from __future__ import annotations

from ivanet.nn.module import Module
from ivanet.ops.shape import reshape


class Flatten(Module):
    """Merge the dimensions from ``start_dim`` on (default: all but the batch).

    Shape: (N, C, H, W) → (N, C·H·W).
    """

    def __init__(self, start_dim: int = 1) -> None:
        super().__init__()
        self.start_dim = start_dim

    def forward(self, x):
        if x.ndim <= self.start_dim:
            raise ValueError(f"{self.describe()}: cannot flatten from dim {self.start_dim} an "
                             f"input of shape {tuple(x.shape)}")
        return reshape(x, tuple(x.shape[:self.start_dim]) + (-1,))

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}"

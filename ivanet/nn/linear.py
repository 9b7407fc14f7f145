"""``Linear``: the fully connected layer z = x Wᵀ + b, and ``Identity``."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.nn.checks import check_dtype, check_features, check_size
from ivanet.nn.init import init_linear_
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops.linear import linear


class Linear(Module):
    """z = x Wᵀ + b, the course's z[l] = W[l] a[l−1] + b[l] with examples as rows.

    ``weight`` has shape (out_features, in_features) — the course's W[l] of shape
    (n[l], n[l−1]) and PyTorch's layout; ``bias`` (out_features,). ``init`` picks the
    weight initialisation (see ``ivanet.nn.init.init_linear_``): "he" for ReLU networks
    (default), "xavier" for tanh/sigmoid, "torch" for PyTorch's default, ...

    Shape: (N, *, in_features) → (N, *, out_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 init: str | Callable = "he", rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        super().__init__()
        self.in_features = check_size("in_features", in_features)
        self.out_features = check_size("out_features", out_features)
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.register_parameter(
            "bias", Parameter(np.empty(out_features, dtype=dtype)) if bias else None)
        init_linear_(self.weight, self.bias, init, rng)

    def forward(self, x):
        check_features(self, x, self.in_features)
        check_dtype(self, x, self.weight.data.dtype)
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. for a removed head).

    Shape: any → same.
    """

    def forward(self, x):
        return x


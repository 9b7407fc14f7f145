"""Activation layers (Day 1): sigmoid, tanh, ReLU, leaky ReLU, ELU, maxout, softmax."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.nn.checks import check_features, check_size
from ivanet.nn.init import init_linear_
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops import activations
from ivanet.ops.linear import linear


class Sigmoid(Module):
    """a = σ(z) = 1 / (1 + e^(−z)), the output of binary classifiers.

    Shape: any → same.
    """

    def forward(self, x):
        return activations.sigmoid(x)


class Tanh(Module):
    """a = tanh(z), zero-centred (the course's choice for hidden layers before ReLU).

    Shape: any → same.
    """

    def forward(self, x):
        return activations.tanh(x)


class ReLU(Module):
    """a = max(0, z).

    Shape: any → same.
    """

    def forward(self, x):
        return activations.relu(x)


class LeakyReLU(Module):
    """a = max(slope·z, z): a small slope for z < 0 keeps units from dying.

    The slide draws slope 0.1; the default here is PyTorch's 0.01.
    Shape: any → same.
    """

    def __init__(self, slope: float = 0.01) -> None:
        super().__init__()
        self.slope = float(slope)

    def forward(self, x):
        return activations.leaky_relu(x, self.slope)

    def extra_repr(self) -> str:
        return f"slope={self.slope}"


class ELU(Module):
    """a = z for z ≥ 0, α(eᶻ − 1) for z < 0.

    Shape: any → same.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        return activations.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Maxout(Module):
    """a = max(w₁ᵀx + b₁, …, w_kᵀx + b_k) per output unit (Goodfellow et al. 2013).

    A linear layer makes ``pieces`` candidates for each of ``out_features`` units, grouped
    as (out_features, pieces) along the last axis (``weight`` row u·pieces + j is piece j
    of unit u), and the layer keeps the largest. With pieces=2 it is the slide's
    max(w₁ᵀx + b₁, w₂ᵀx + b₂); ReLU is the special case w₂ = 0, b₂ = 0.

    Shape: (N, *, in_features) → (N, *, out_features).
    """

    def __init__(self, in_features: int, out_features: int, pieces: int = 2,
                 bias: bool = True, init: str | Callable = "xavier",
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        self.in_features = check_size("in_features", in_features)
        self.out_features = check_size("out_features", out_features)
        self.pieces = check_size("pieces", pieces)
        rows = out_features * pieces
        self.weight = Parameter(np.empty((rows, in_features), dtype=dtype))
        self.register_parameter("bias", Parameter(np.empty(rows, dtype=dtype)) if bias else None)
        init_linear_(self.weight, self.bias, init, rng)

    def forward(self, x):
        check_features(self, x, self.in_features)
        z = linear(x, self.weight, self.bias)          # (N, *, out_features·pieces)
        return activations.maxout(z, self.pieces, axis=-1)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"pieces={self.pieces}")


class Softmax(Module):
    """aᵢ = e^(zᵢ) / Σⱼ e^(zⱼ) along ``axis``: a probability distribution over classes.

    Shape: any → same.
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return activations.softmax(x, self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    """log softmax(z) = z − logsumexp(z) along ``axis`` (stable; pairs with NLL loss).

    Shape: any → same.
    """

    def forward(self, x):
        return activations.log_softmax(x, self.axis)


ACTIVATIONS: dict[str, type[Module]] = {
    "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU,
}


def activation_layer(name: str) -> Module:
    """A fresh activation module by name ("relu", "tanh", "sigmoid", "leaky_relu", "elu")."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]()

"""``MLP``: the course's L-layer fully connected network, built from the layers above."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ivanet.nn.activation import ACTIVATIONS, LogSoftmax, Softmax, activation_layer
from ivanet.nn.checks import check_probability
from ivanet.nn.containers import Sequential
from ivanet.nn.dropout import Dropout
from ivanet.nn.linear import Linear
from ivanet.nn.module import Module
from ivanet.nn.normalization import BatchNorm1d

_OUTPUTS: dict[str, Callable[[], Module]] = {"softmax": Softmax, "log_softmax": LogSoftmax}


class MLP(Module):
    """[Linear → (BatchNorm1d) → activation → (Dropout)] × (L − 1) → Linear.

    ``layer_sizes`` are the course's n[0], n[1], …, n[L] (inputs first, outputs last), so
    ``MLP([784, 128, 10])`` is a one-hidden-layer network with W[1] of shape (128, 784).
    Batch norm goes between z and the activation, as on the slide; its β replaces the
    linear layer's bias, which is then left out (it would cancel in z − μ). The output
    layer returns logits (pair with ``CrossEntropyLoss``) unless ``output_activation`` names
    one. ``init`` defaults to "he" for ReLU-like activations and "xavier" for tanh/sigmoid.
    Layers live in ``self.layers`` (a Sequential): names are "layers.0.weight", ….

    Shape: (N, n[0]) → (N, n[L]).
    """

    def __init__(self, layer_sizes: Sequence[int], activation: str = "relu",
                 dropout: float = 0.0, batch_norm: bool = False,
                 output_activation: str | None = None, init: str | Callable | None = None,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        sizes = list(layer_sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least an input and an output size, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of "
                             f"{', '.join(ACTIVATIONS)}")
        check_probability("dropout", dropout)
        rng = rng if rng is not None else np.random.default_rng()
        init = init if init is not None else (
            "xavier" if activation in ("tanh", "sigmoid") else "he")
        self.layer_sizes = sizes
        layers = Sequential()
        for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
            layers.append(Linear(n_in, n_out, bias=not batch_norm, init=init, rng=rng))
            if batch_norm:
                layers.append(BatchNorm1d(n_out))
            layers.append(activation_layer(activation))
            if dropout > 0:
                layers.append(Dropout(dropout, rng=rng))
        layers.append(Linear(sizes[-2], sizes[-1], init=init, rng=rng))
        if output_activation is not None:
            layers.append(_output_layer(output_activation))
        self.layers = layers

    def forward(self, x):
        return self.layers(x)

    def extra_repr(self) -> str:
        return f"layer_sizes={self.layer_sizes}"


def _output_layer(name: str) -> Module:
    if name in _OUTPUTS:
        return _OUTPUTS[name]()
    if name in ACTIVATIONS:
        return activation_layer(name)
    raise ValueError(f"unknown output_activation {name!r}; expected one of "
                     f"{', '.join([*ACTIVATIONS, *_OUTPUTS])}")

"""LeNet-5 (LeCun et al., 1998): the first successful CNN, for 32×32 (or padded 28×28) digits.

    input (N, 1, 32, 32)  or (N, 1, 28, 28) with the first conv padded by 2
    conv 5×5, 6    → (N, 6, 28, 28)     pool 2×2 → (N, 6, 14, 14)
    conv 5×5, 16   → (N, 16, 10, 10)    pool 2×2 → (N, 16, 5, 5)
    flatten        → (N, 400)
    fc 120 → fc 84 → fc num_classes     (61,706 parameters for 10 classes)

The 1998 network used tanh-like units and average ("subsampling") pooling; ReLU and max
pooling (the defaults here) train faster. Names follow torchvision's ``features`` /
``classifier`` split, so weights move between the two frameworks unchanged.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import AvgPool2d, MaxPool2d
from ivanet.vision.shapes import conv_output_size

_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class LeNet5(nn.Module):
    """LeNet-5: two conv/pool stages and three fully connected layers.

    Shape: (N, C, H, W) → (N, num_classes) logits; H, W ≥ 28 (28 → first conv padded by 2).
    """

    def __init__(self, input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 10,
                 activation: str = "relu", pool: str = "max",
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if activation not in _ACTIVATIONS or pool not in ("max", "avg"):
            raise ValueError(f"activation must be one of {list(_ACTIVATIONS)} and pool 'max' "
                             f"or 'avg', got {activation!r}, {pool!r}")
        channels, height, width = input_shape
        if min(height, width) < 28:
            raise ValueError(f"LeNet-5 needs images of at least 28×28, got {height}×{width}")
        padding = 2 if min(height, width) < 32 else 0
        act, pooling = _ACTIVATIONS[activation], MaxPool2d if pool == "max" else AvgPool2d
        init = "he" if activation == "relu" else "xavier"
        self.features = nn.Sequential(
            Conv2d(channels, 6, 5, padding=padding, init=init, rng=rng), act(), pooling(2),
            Conv2d(6, 16, 5, init=init, rng=rng), act(), pooling(2))
        h, w = (conv_output_size(conv_output_size(n + 2 * padding - 4, 2, 0, 2) - 4, 2, 0, 2)
                for n in (height, width))
        self.classifier = nn.Sequential(
            nn.Linear(16 * h * w, 120, init=init, rng=rng), act(),
            nn.Linear(120, 84, init=init, rng=rng), act(),
            nn.Linear(84, num_classes, init=init, rng=rng))

    def forward(self, x):
        x = self.features(x)                          # (N, 16, 5, 5)
        x = x.reshape(x.shape[0], -1)                 # (N, 400)
        return self.classifier(x)                     # (N, num_classes)


@register_model("lenet5", "LeNet-5 (1998): conv5-6, pool, conv5-16, pool, fc120, fc84, fc")
def lenet5(input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 10,
           activation: str = "relu", pool: str = "max",
           rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return LeNet5(tuple(input_shape), num_classes, activation, pool, rng)

"""``mlp``: a fully connected classifier for images or feature vectors (Day 1–2).

Flatten → [Linear → ReLU → Dropout] × len(hidden) → Linear, He-initialised. The defaults
(512 and 256 hidden units, dropout 0.3) reach about 98 % test accuracy on the bundled
MNIST (8,000 training images) with ``TrainConfig()``'s 50 epochs of Adam (lr 2e-3, cosine
schedule) on images shifted by up to ±2 pixels; without the shifts it fits the training
set perfectly and stays near 96.5 % (high variance).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model


@register_model("mlp", "multi-layer perceptron: flatten, ReLU hidden layers with dropout")
def mlp(input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 10,
        hidden: Sequence[int] = (512, 256), dropout: float = 0.3, activation: str = "relu",
        batch_norm: bool = False, rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits (pair with cross-entropy)."""
    sizes = [math.prod(input_shape), *hidden, num_classes]  # the course's n[0], ..., n[L]
    return nn.Sequential(nn.Flatten(),
                         nn.MLP(sizes, activation=activation, dropout=dropout,
                                batch_norm=batch_norm, rng=rng))

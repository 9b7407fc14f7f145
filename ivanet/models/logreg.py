"""``logreg``: logistic regression, the course's first model (Day 1), as one ``Linear``.

Two classes: one output z = wᵀx + b with ŷ = σ(z) (binary cross-entropy). More classes:
K outputs with softmax (multinomial logistic regression). The model returns z; the
sigmoid or softmax lives in the loss, which computes it stably.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model


@register_model("logreg", "logistic regression: one linear layer + sigmoid / softmax")
def logreg(input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 10,
           init: str = "zeros", rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, 1) logits for 2 classes, else (N, num_classes).

    ``init="zeros"`` as on the slides (a single layer has no symmetry to break).
    """
    outputs = 1 if num_classes == 2 else num_classes
    return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(input_shape), outputs, init=init,
                                                 rng=rng))

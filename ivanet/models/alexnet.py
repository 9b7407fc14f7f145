"""AlexNet (Krizhevsky, Sutskever & Hinton, 2012), in torchvision's one-GPU form.

    input (N, 3, 224, 224)
    conv 11×11/4, 64, pad 2 → (N, 64, 55, 55)    maxpool 3/2 → (N, 64, 27, 27)
    conv 5×5, 192, pad 2    → (N, 192, 27, 27)   maxpool 3/2 → (N, 192, 13, 13)
    conv 3×3, 384 → conv 3×3, 256 → conv 3×3, 256 (pad 1)  → (N, 256, 13, 13)
    maxpool 3/2 → (N, 256, 6, 6)    adaptive avg pool → (N, 256, 6, 6)
    flatten → (N, 9216) → dropout, fc 4096 → dropout, fc 4096 → fc num_classes

61,100,840 parameters for 1000 classes, like ``torchvision.models.alexnet()``; the names
(``features.0.weight`` ...) are torchvision's too. ``width`` scales every conv's channels
and ``hidden`` the two 4096-unit layers (small versions for tests and laptops).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import AdaptiveAvgPool2d, MaxPool2d


class AlexNet(nn.Module):
    """Five conv layers, three max pools, three fully connected layers with dropout.

    Shape: (N, C, H, W) → (N, num_classes); H, W ≥ 63 (the third max pool needs 3×3).
    """

    def __init__(self, in_channels: int = 3, num_classes: int = 1000, width: float = 1.0,
                 hidden: int = 4096, dropout: float = 0.5,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        c1, c2, c3, c4 = (max(1, round(c * width)) for c in (64, 192, 384, 256))
        rng = rng if rng is not None else np.random.default_rng()
        self.features = nn.Sequential(
            Conv2d(in_channels, c1, 11, stride=4, padding=2, rng=rng), nn.ReLU(),
            MaxPool2d(3, 2),
            Conv2d(c1, c2, 5, padding=2, rng=rng), nn.ReLU(), MaxPool2d(3, 2),
            Conv2d(c2, c3, 3, padding=1, rng=rng), nn.ReLU(),
            Conv2d(c3, c4, 3, padding=1, rng=rng), nn.ReLU(),
            Conv2d(c4, c4, 3, padding=1, rng=rng), nn.ReLU(), MaxPool2d(3, 2))
        self.avgpool = AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(dropout, rng=rng), nn.Linear(c4 * 6 * 6, hidden, rng=rng), nn.ReLU(),
            nn.Dropout(dropout, rng=rng), nn.Linear(hidden, hidden, rng=rng), nn.ReLU(),
            nn.Linear(hidden, num_classes, rng=rng))

    def forward(self, x):
        x = self.avgpool(self.features(x))            # (N, 256, 6, 6)
        x = x.reshape(x.shape[0], -1)                 # (N, 9216)
        return self.classifier(x)                     # (N, num_classes)


@register_model("alexnet", "AlexNet (2012): 5 conv + 3 fc layers, ReLU, dropout (61.1 M)")
def alexnet(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
            width: float = 1.0, hidden: int = 4096, dropout: float = 0.5,
            rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    if min(input_shape[1:]) < 63:
        raise ValueError(f"AlexNet needs images of at least 63×63, got {tuple(input_shape)}")
    return AlexNet(input_shape[0], num_classes, width, hidden, dropout, rng)

"""VGG-16 (Simonyan & Zisserman, 2014): only 3×3 convs and 2×2 max pools, deep and uniform.

    input (N, 3, 224, 224)
    [conv 3×3 64] ×2,  pool → (N, 64, 112, 112)
    [conv 3×3 128] ×2, pool → (N, 128, 56, 56)
    [conv 3×3 256] ×3, pool → (N, 256, 28, 28)
    [conv 3×3 512] ×3, pool → (N, 512, 14, 14)
    [conv 3×3 512] ×3, pool → (N, 512, 7, 7)      adaptive avg pool → (N, 512, 7, 7)
    flatten → (N, 25088) → fc 4096, dropout → fc 4096, dropout → fc num_classes

138,357,544 parameters for 1000 classes (``torchvision.models.vgg16()``, same names). The
adaptive pool lets smaller images through (32×32 → 1×1 maps, replicated to 7×7).
``width`` scales the channels and ``hidden`` the fully connected layers.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import AdaptiveAvgPool2d, MaxPool2d

VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
         512, 512, 512, "M")


def make_features(config, in_channels: int, width: float, batch_norm: bool,
                  rng: np.random.Generator) -> nn.Sequential:
    """The conv stack: a number is conv 3×3 (+ batch norm) + ReLU, "M" a 2×2 max pool."""
    layers = []
    for item in config:
        if item == "M":
            layers.append(MaxPool2d(2, 2))
            continue
        channels = max(1, round(item * width))
        layers.append(Conv2d(in_channels, channels, 3, padding=1, rng=rng))
        if batch_norm:
            layers.append(nn.BatchNorm2d(channels))
        layers.append(nn.ReLU())
        in_channels = channels
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """``features`` (conv stack), ``avgpool`` to 7×7, ``classifier`` (three fc layers).

    Shape: (N, C, H, W) → (N, num_classes); H, W ≥ 32 (five halvings).
    """

    def __init__(self, config=VGG16, in_channels: int = 3, num_classes: int = 1000,
                 width: float = 1.0, hidden: int = 4096, dropout: float = 0.5,
                 batch_norm: bool = False, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.features = make_features(config, in_channels, width, batch_norm, rng)
        last = max(1, round([c for c in config if c != "M"][-1] * width))
        self.avgpool = AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(last * 7 * 7, hidden, rng=rng), nn.ReLU(), nn.Dropout(dropout, rng=rng),
            nn.Linear(hidden, hidden, rng=rng), nn.ReLU(), nn.Dropout(dropout, rng=rng),
            nn.Linear(hidden, num_classes, rng=rng))

    def forward(self, x):
        x = self.avgpool(self.features(x))            # (N, 512, 7, 7)
        x = x.reshape(x.shape[0], -1)                 # (N, 25088)
        return self.classifier(x)                     # (N, num_classes)


@register_model("vgg16", "VGG-16 (2014): 13 conv 3×3 + 3 fc layers (138.4 M)")
def vgg16(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
          width: float = 1.0, hidden: int = 4096, dropout: float = 0.5,
          batch_norm: bool = False, rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    if min(input_shape[1:]) < 32:
        raise ValueError(f"VGG-16 needs images of at least 32×32, got {tuple(input_shape)}")
    return VGG(VGG16, input_shape[0], num_classes, width, hidden, dropout, batch_norm, rng)

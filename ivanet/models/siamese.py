"""A Siamese (twin) network: one embedding network applied to both inputs, shared weights.

Two images are alike when their embeddings are near (Bromley et al., 1993; Koch et al.,
2015 for one-shot learning). Trained with a contrastive or triplet loss
(``ivanet.similarity``); evaluated N-way K-shot on classes it never saw.

    input (N, C, H, W)
    [conv 3×3 → BN → ReLU → pool 2] × 2   → (N, 2w, H/4, W/4)
    conv 3×3 → ReLU                       → (N, 4w, H/4, W/4)
    global average pool                   → (N, 4w)
    linear                                → (N, embedding)
    ÷ its length (``normalize``)          → (N, embedding) the embedding f(x), ‖f(x)‖ = 1

Unit-length embeddings keep the distances in [0, 2], so a margin has a fixed meaning and
the network cannot shrink the loss by shrinking every embedding (FaceNet does the same).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.normalization import BatchNorm2d
from ivanet.nn.pooling import GlobalAvgPool2d, MaxPool2d
from ivanet.similarity.losses import euclidean


class SiameseNet(nn.Module):
    """Shape: (N, C, H, W) → (N, embedding). ``distance(x1, x2)`` → (N,) runs both inputs
    through the same weights."""

    def __init__(self, input_shape: Sequence[int] = (1, 28, 28), embedding: int = 32,
                 width: int = 16, normalize: bool = True,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        channels, w, self.normalize = input_shape[0], width, normalize
        self.features = nn.Sequential(
            Conv2d(channels, w, 3, padding=1, bias=False, rng=rng), BatchNorm2d(w), nn.ReLU(),
            MaxPool2d(2),
            Conv2d(w, 2 * w, 3, padding=1, bias=False, rng=rng), BatchNorm2d(2 * w),
            nn.ReLU(), MaxPool2d(2),
            Conv2d(2 * w, 4 * w, 3, padding=1, rng=rng), nn.ReLU(), GlobalAvgPool2d())
        self.embed = nn.Linear(4 * w, embedding, init="xavier", rng=rng)

    def forward(self, x):
        x = self.features(x)                           # (N, 4w) after global pooling
        x = self.embed(x.reshape(x.shape[0], -1))      # (N, embedding)
        if self.normalize:
            x = x / ((x * x).sum(axis=1, keepdims=True) + 1e-12).sqrt()
        return x

    def distance(self, x1, x2):
        """‖f(x1) − f(x2)‖ per pair, both through the one network."""
        return euclidean(self(x1), self(x2))


@register_model("siamese", "Siamese twin network: conv embedding with shared weights")
def siamese(input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 32,
            width: int = 16, normalize: bool = True,
            rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) embeddings (num_classes = its size)."""
    return SiameseNet(tuple(input_shape), num_classes, width, normalize, rng)

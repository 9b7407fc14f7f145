"""A convolutional autoencoder: squeeze the image to a small code, rebuild it from the code.

    input (N, C, 28, 28)
    conv 3×3 stride 2 → ReLU            → (N, w, 14, 14)
    conv 3×3 stride 2 → ReLU            → (N, 2w, 7, 7)
    conv 1×1                            → (N, code, 7, 7)       the code
    transposed conv 2×2 stride 2 → ReLU → (N, 2w, 14, 14)
    transposed conv 2×2 stride 2 → ReLU → (N, w, 28, 28)
    conv 3×3 (padding 1)                → (N, C, 28, 28) logits; sigmoid gives the image

Trained with ``binary_cross_entropy_with_logits`` (or MSE after a sigmoid) against the
clean image, from the clean image (reconstruction) or a noisy one (denoising).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d, ConvTranspose2d


class ConvAutoencoder(nn.Module):
    """Shape: (N, C, H, W) → (N, C, H, W) logits; H, W multiples of 4. ``encode`` gives the
    code (N, code_channels, H/4, W/4), ``decode`` maps it back."""

    def __init__(self, input_shape: Sequence[int] = (1, 28, 28), code_channels: int = 4,
                 width: int = 16, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        channels, height, width_px = input_shape
        if height % 4 or width_px % 4:
            raise ValueError(f"ConvAutoencoder needs H and W multiples of 4, got "
                             f"{height}×{width_px}")
        w = width
        self.encoder = nn.Sequential(
            Conv2d(channels, w, 3, stride=2, padding=1, rng=rng), nn.ReLU(),
            Conv2d(w, 2 * w, 3, stride=2, padding=1, rng=rng), nn.ReLU(),
            Conv2d(2 * w, code_channels, 1, init="xavier", rng=rng))
        self.decoder = nn.Sequential(
            ConvTranspose2d(code_channels, 2 * w, 2, stride=2, rng=rng), nn.ReLU(),
            ConvTranspose2d(2 * w, w, 2, stride=2, rng=rng), nn.ReLU(),
            Conv2d(w, channels, 3, padding=1, init="xavier", rng=rng))

    def encode(self, x):
        return self.encoder(x)                          # (N, code, H/4, W/4)

    def decode(self, code):
        return self.decoder(code)                       # (N, C, H, W) logits

    def forward(self, x):
        return self.decode(self.encode(x))


@register_model("conv_autoencoder", "convolutional autoencoder: 2 strided convs down, "
                "2 transposed convs up")
def conv_autoencoder(input_shape: Sequence[int] = (1, 28, 28), num_classes: int = 1,
                     code_channels: int = 4, width: int = 16,
                     rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, *input_shape) logits (``num_classes`` is ignored: the
    output has the input's channels)."""
    return ConvAutoencoder(tuple(input_shape), code_channels, width, rng)

"""U-Net (Ronneberger et al., 2015): an encoder, a decoder of transposed convolutions, and
skip connections that hand the decoder the encoder's full-resolution features.

    input (N, C_in, H, W)
    enc1  [conv 3×3 → BN → ReLU] × 2        → (N, w, H, W)  ───────────────┐ skip
    pool 2, enc2 [conv-BN-ReLU] × 2         → (N, 2w, H/2, W/2) ─────┐ skip │
    pool 2, bottom [conv-BN-ReLU] × 2       → (N, 4w, H/4, W/4)      │      │
    up2  transposed conv 2×2, stride 2      → (N, 2w, H/2, W/2)      │      │
    concat with enc2, [conv-BN-ReLU] × 2    → (N, 2w, H/2, W/2) ◄────┘      │
    up1  transposed conv 2×2, stride 2      → (N, w, H, W)                  │
    concat with enc1, [conv-BN-ReLU] × 2    → (N, w, H, W) ◄────────────────┘
    conv 1×1                                → (N, num_classes, H, W) logits per pixel
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d, ConvTranspose2d
from ivanet.nn.normalization import BatchNorm2d
from ivanet.nn.pooling import MaxPool2d
from ivanet.ops.shape import concat


def double_conv(in_channels: int, out_channels: int, rng) -> nn.Sequential:
    """[conv 3×3 (padding 1) → BN → ReLU] × 2; keeps H and W."""
    return nn.Sequential(
        Conv2d(in_channels, out_channels, 3, padding=1, bias=False, rng=rng),
        BatchNorm2d(out_channels), nn.ReLU(),
        Conv2d(out_channels, out_channels, 3, padding=1, bias=False, rng=rng),
        BatchNorm2d(out_channels), nn.ReLU())


class UNet(nn.Module):
    """Two-level U-Net. Shape: (N, C_in, H, W) → (N, num_classes, H, W); H, W multiples of 4."""

    def __init__(self, input_shape: Sequence[int] = (1, 64, 64), num_classes: int = 11,
                 width: int = 16, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        channels, height, width_px = input_shape
        if height % 4 or width_px % 4:
            raise ValueError(f"UNet needs H and W multiples of 4, got {height}×{width_px}")
        w = width
        self.enc1, self.enc2 = double_conv(channels, w, rng), double_conv(w, 2 * w, rng)
        self.pool = MaxPool2d(2)
        self.bottom = double_conv(2 * w, 4 * w, rng)
        self.up2 = ConvTranspose2d(4 * w, 2 * w, 2, stride=2, rng=rng)
        self.dec2 = double_conv(4 * w, 2 * w, rng)
        self.up1 = ConvTranspose2d(2 * w, w, 2, stride=2, rng=rng)
        self.dec1 = double_conv(2 * w, w, rng)
        self.head = Conv2d(w, num_classes, 1, init="xavier", rng=rng)

    def forward(self, x):
        skip1 = self.enc1(x)                                   # (N, w, H, W)
        skip2 = self.enc2(self.pool(skip1))                    # (N, 2w, H/2, W/2)
        x = self.bottom(self.pool(skip2))                      # (N, 4w, H/4, W/4)
        x = self.dec2(concat([self.up2(x), skip2], axis=1))    # (N, 2w, H/2, W/2)
        x = self.dec1(concat([self.up1(x), skip1], axis=1))    # (N, w, H, W)
        return self.head(x)                                    # (N, classes, H, W)


@register_model("unet", "U-Net: 2-level encoder/decoder, transposed convs, skip connections")
def unet(input_shape: Sequence[int] = (1, 64, 64), num_classes: int = 11, width: int = 16,
         rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes, H, W) per-pixel logits."""
    return UNet(tuple(input_shape), num_classes, width, rng)

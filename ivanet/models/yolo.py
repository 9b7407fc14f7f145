"""A small YOLO-style detector (Redmon et al., 2016; anchors as in YOLOv2, 2017).

One pass of a fully convolutional network maps the image to an S×S grid; each cell
predicts, for each of B anchors, 5 + C raw numbers t (see ``ivanet.detection.yolo``):

    input (N, 1, 64, 64)
    [conv 3×3 → BN → leaky ReLU] × 1, pool 2   → (N, w, 32, 32)
    [conv 3×3 → BN → leaky ReLU] × 1, pool 2   → (N, 2w, 16, 16)
    [conv 3×3 → BN → leaky ReLU] × 2, pool 2   → (N, 4w, 8, 8)      S = H / 8
    [conv 3×3 → BN → leaky ReLU] × 2           → (N, 8w, 8, 8)
    conv 1×1                                   → (N, B·(5 + C), 8, 8)

The receptive field of a cell's output is 67 pixels, enough to see a whole 36-pixel item
around its centre. ``num_classes`` is C; the anchors themselves live with the run (they
scale the predicted sizes, they are not weights).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.normalization import BatchNorm2d
from ivanet.nn.pooling import MaxPool2d


def _block(in_channels: int, out_channels: int, rng) -> list[nn.Module]:
    return [Conv2d(in_channels, out_channels, 3, padding=1, bias=False, rng=rng),
            BatchNorm2d(out_channels), nn.LeakyReLU(0.1)]


class TinyYolo(nn.Module):
    """YOLO-style detector, stride 8.

    Shape: (N, C_in, H, W) → (N, B·(5 + num_classes), H/8, W/8) raw predictions;
    H and W multiples of 8.
    """

    def __init__(self, input_shape: Sequence[int] = (1, 64, 64), num_classes: int = 10,
                 num_anchors: int = 3, width: int = 16,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        channels, height, width_px = input_shape
        if height % 8 or width_px % 8:
            raise ValueError(f"TinyYolo needs H and W multiples of 8, got {height}×{width_px}")
        if num_classes < 1 or num_anchors < 1:
            raise ValueError(f"num_classes and num_anchors must be ≥ 1, got {num_classes}, "
                             f"{num_anchors}")
        self.num_classes, self.num_anchors = num_classes, num_anchors
        w = width
        self.features = nn.Sequential(
            *_block(channels, w, rng), MaxPool2d(2),
            *_block(w, 2 * w, rng), MaxPool2d(2),
            *_block(2 * w, 4 * w, rng), *_block(4 * w, 4 * w, rng), MaxPool2d(2),
            *_block(4 * w, 8 * w, rng), *_block(8 * w, 8 * w, rng))
        self.head = Conv2d(8 * w, num_anchors * (5 + num_classes), 1, init="xavier", rng=rng)

    def forward(self, x):
        return self.head(self.features(x))          # (N, B·(5 + C), H/8, W/8)


@register_model("yolo", "YOLO-style detector: 6 conv-BN blocks, stride 8, B anchors per cell")
def yolo(input_shape: Sequence[int] = (1, 64, 64), num_classes: int = 10,
         num_anchors: int = 3, width: int = 16,
         rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_anchors·(5 + num_classes), H/8, W/8)."""
    return TinyYolo(tuple(input_shape), num_classes, num_anchors, width, rng)

"""GoogLeNet / Inception v1 (Szegedy et al., 2014), torchvision's version without aux heads.

An Inception block runs four branches side by side and stacks their outputs (channels):
1×1 | 1×1 reduce → 3×3 | 1×1 reduce → "5×5" | 3×3 max pool → 1×1 projection. The 1×1
reductions cut the cost of the big kernels about tenfold (the slide's 1×1 convolution).
As in torchvision, the "5×5" branch uses a 3×3 kernel, every conv is followed by batch
norm (eps 0.001) and ReLU, and the max pools round up (``ceil_mode``).

    input (N, 3, 224, 224)
    conv 7×7/2, 64 → (N, 64, 112, 112)   maxpool 3/2 → (N, 64, 56, 56)
    conv 1×1, 64 → conv 3×3, 192 → (N, 192, 56, 56)   maxpool → (N, 192, 28, 28)
    3a, 3b → (N, 480, 28, 28)   maxpool → (N, 480, 14, 14)
    4a … 4e → (N, 832, 14, 14)  maxpool 2/2 → (N, 832, 7, 7)
    5a, 5b → (N, 1024, 7, 7)    global avg pool → (N, 1024) → dropout → fc

6,624,904 parameters for 1000 classes.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import GlobalAvgPool2d, MaxPool2d
from ivanet.ops.shape import concat

# name: (in, 1×1, 3×3 reduce, 3×3, 5×5 reduce, 5×5, pool projection)
BLOCKS = {
    "inception3a": (192, 64, 96, 128, 16, 32, 32),
    "inception3b": (256, 128, 128, 192, 32, 96, 64),
    "inception4a": (480, 192, 96, 208, 16, 48, 64),
    "inception4b": (512, 160, 112, 224, 24, 64, 64),
    "inception4c": (512, 128, 128, 256, 24, 64, 64),
    "inception4d": (512, 112, 144, 288, 32, 64, 64),
    "inception4e": (528, 256, 160, 320, 32, 128, 128),
    "inception5a": (832, 256, 160, 320, 32, 128, 128),
    "inception5b": (832, 384, 192, 384, 48, 128, 128),
}
POOL_AFTER = {"inception3b": (3, 2), "inception4e": (2, 2)}


class BasicConv2d(nn.Module):
    """conv (no bias) → batch norm → ReLU.  Shape: (N, C_in, H, W) → (N, C_out, H', W')."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, stride: int = 1,
                 padding: int = 0, rng=None) -> None:
        super().__init__()
        self.conv = Conv2d(c_in, c_out, kernel_size, stride, padding, bias=False, rng=rng)
        self.bn = nn.BatchNorm2d(c_out, eps=0.001)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    """Four parallel branches concatenated along channels.

    Shape: (N, C_in, H, W) → (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W).
    """

    def __init__(self, c_in: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int,
                 ch5x5: int, pool_proj: int, rng=None) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(c_in, ch1x1, 1, rng=rng)
        self.branch2 = nn.Sequential(BasicConv2d(c_in, ch3x3red, 1, rng=rng),
                                     BasicConv2d(ch3x3red, ch3x3, 3, padding=1, rng=rng))
        self.branch3 = nn.Sequential(BasicConv2d(c_in, ch5x5red, 1, rng=rng),
                                     BasicConv2d(ch5x5red, ch5x5, 3, padding=1, rng=rng))
        self.branch4 = nn.Sequential(MaxPool2d(3, 1, 1, ceil_mode=True),
                                     BasicConv2d(c_in, pool_proj, 1, rng=rng))
        self.out_channels = ch1x1 + ch3x3 + ch5x5 + pool_proj

    def forward(self, x):
        branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]
        return concat(branches, axis=1)               # (N, out_channels, H, W)


class GoogLeNet(nn.Module):
    """Stem, nine Inception blocks with max pools between stages, global pool, ``fc``.

    ``width`` scales every channel count (small versions for tests). Shape: (N, C, H, W)
    → (N, num_classes); H, W ≥ 17.
    """

    def __init__(self, in_channels: int = 3, num_classes: int = 1000, width: float = 1.0,
                 dropout: float = 0.2, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()

        def scale(c: int) -> int:
            return max(1, round(c * width))

        self.conv1 = BasicConv2d(in_channels, scale(64), 7, stride=2, padding=3, rng=rng)
        self.maxpool1 = MaxPool2d(3, 2, ceil_mode=True)
        self.conv2 = BasicConv2d(scale(64), scale(64), 1, rng=rng)
        self.conv3 = BasicConv2d(scale(64), scale(192), 3, padding=1, rng=rng)
        self.maxpool2 = MaxPool2d(3, 2, ceil_mode=True)
        c_in, self.stages = scale(192), []
        for name, (_, *channels) in BLOCKS.items():
            block = Inception(c_in, *(scale(c) for c in channels), rng=rng)
            setattr(self, name, block)
            self.stages.append(name)
            c_in = block.out_channels
            if name in POOL_AFTER:
                pool_name = "maxpool3" if name == "inception3b" else "maxpool4"
                setattr(self, pool_name, MaxPool2d(*POOL_AFTER[name], ceil_mode=True))
                self.stages.append(pool_name)
        self.avgpool = GlobalAvgPool2d()
        self.dropout = nn.Dropout(dropout, rng=rng)
        self.fc = nn.Linear(c_in, num_classes, rng=rng)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))              # (N, 64, H/4, W/4)
        x = self.maxpool2(self.conv3(self.conv2(x)))  # (N, 192, H/8, W/8)
        for name in self.stages:                      # 3a … 5b, pools after 3b and 4e
            x = getattr(self, name)(x)
        x = self.avgpool(x)                           # (N, 1024)
        return self.fc(self.dropout(x))               # (N, num_classes)


@register_model("googlenet", "GoogLeNet / Inception v1: 9 Inception blocks, no aux heads (6.6 M)")
def googlenet(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
              width: float = 1.0, dropout: float = 0.2,
              rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    if min(input_shape[1:]) < 17:
        raise ValueError(f"GoogLeNet needs images of at least 17×17, got {tuple(input_shape)}")
    return GoogLeNet(input_shape[0], num_classes, width, dropout, rng)

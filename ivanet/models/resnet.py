"""ResNets (He et al., 2015): residual blocks a[l+2] = ReLU(z[l+2] + a[l]) let depth help.

ImageNet ResNets (torchvision's layout and names, stride in the 3×3 conv: "v1.5"):

    input (N, 3, 224, 224)
    conv 7×7/2, 64, BN, ReLU → (N, 64, 112, 112)     maxpool 3/2 → (N, 64, 56, 56)
    layer1 (stride 1)  → (N, 64·e, 56, 56)
    layer2 (stride 2)  → (N, 128·e, 28, 28)
    layer3 (stride 2)  → (N, 256·e, 14, 14)
    layer4 (stride 2)  → (N, 512·e, 7, 7)            global avg pool → (N, 512·e)
    fc → (N, num_classes)

with e = 1 for BasicBlock (two 3×3 convs: resnet18 [2,2,2,2], resnet34 [3,4,6,3]) and e = 4
for Bottleneck (1×1 reduce, 3×3, 1×1 expand: resnet50 [3,4,6,3]). CIFAR ResNets (He et
al. §4.2) use one 3×3 stem and three stages of 16/32/64 channels on 32×32 images.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import GlobalAvgPool2d, MaxPool2d


def conv3x3(c_in: int, c_out: int, stride: int, rng) -> Conv2d:
    return Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False, rng=rng)


def conv1x1(c_in: int, c_out: int, stride: int, rng) -> Conv2d:
    return Conv2d(c_in, c_out, 1, stride=stride, bias=False, rng=rng)


class BasicBlock(nn.Module):
    """x → conv3×3 (stride s), BN, ReLU → conv3×3, BN → + shortcut(x) → ReLU.

    The shortcut is the identity, or a strided 1×1 conv + BN when the shape changes.
    Shape: (N, C_in, H, W) → (N, C_out, ⌈H/s⌉, ⌈W/s⌉).
    """

    expansion = 1

    def __init__(self, c_in: int, channels: int, stride: int = 1, rng=None) -> None:
        super().__init__()
        c_out = channels * self.expansion
        self.conv1, self.bn1 = conv3x3(c_in, channels, stride, rng), nn.BatchNorm2d(channels)
        self.conv2, self.bn2 = conv3x3(channels, c_out, 1, rng), nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(conv1x1(c_in, c_out, stride, rng),
                                            nn.BatchNorm2d(c_out))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.bn1(self.conv1(x), relu=True)      # ReLU(BN(z)), one fused op
        return self.bn2(self.conv2(out), residual=shortcut, relu=True)  # ReLU(BN(z) + x)


class Bottleneck(nn.Module):
    """x → 1×1 reduce → 3×3 (stride s) → 1×1 expand (×4), BN after each → + shortcut → ReLU.

    Shape: (N, C_in, H, W) → (N, 4·channels, ⌈H/s⌉, ⌈W/s⌉).
    """

    expansion = 4

    def __init__(self, c_in: int, channels: int, stride: int = 1, rng=None) -> None:
        super().__init__()
        c_out = channels * self.expansion
        self.conv1, self.bn1 = conv1x1(c_in, channels, 1, rng), nn.BatchNorm2d(channels)
        self.conv2, self.bn2 = conv3x3(channels, channels, stride, rng), nn.BatchNorm2d(channels)
        self.conv3, self.bn3 = conv1x1(channels, c_out, 1, rng), nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(conv1x1(c_in, c_out, stride, rng),
                                            nn.BatchNorm2d(c_out))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.bn1(self.conv1(x), relu=True)
        out = self.bn2(self.conv2(out), relu=True)
        return self.bn3(self.conv3(out), residual=shortcut, relu=True)


BLOCKS = {"basic": BasicBlock, "bottleneck": Bottleneck}


class ResNet(nn.Module):
    """Stem, stages ``layer1``… of residual blocks, global average pool, ``fc``.

    ``stem="imagenet"``: 7×7/2 conv + 3×3/2 max pool; ``stem="cifar"``: one 3×3 conv.
    Stage i has ``widths[i]`` channels (×4 for bottlenecks), ``layers[i]`` blocks, and
    halves the size except the first.

    Shape: (N, C, H, W) → (N, num_classes).
    """

    def __init__(self, block: str, layers: Sequence[int], widths: Sequence[int],
                 in_channels: int = 3, num_classes: int = 1000, stem: str = "imagenet",
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if block not in BLOCKS or stem not in ("imagenet", "cifar"):
            raise ValueError(f"block must be one of {list(BLOCKS)} and stem 'imagenet' or "
                             f"'cifar', got {block!r}, {stem!r}")
        rng = rng if rng is not None else np.random.default_rng()
        block_type, c = BLOCKS[block], widths[0]
        if stem == "imagenet":
            self.conv1 = Conv2d(in_channels, c, 7, stride=2, padding=3, bias=False, rng=rng)
        else:
            self.conv1 = Conv2d(in_channels, c, 3, padding=1, bias=False, rng=rng)
        self.bn1, self.relu = nn.BatchNorm2d(c), nn.ReLU()
        self.maxpool = MaxPool2d(3, 2, 1) if stem == "imagenet" else None
        for i, (count, width) in enumerate(zip(layers, widths)):
            blocks = [block_type(c, width, 1 if i == 0 else 2, rng)]
            c = width * block_type.expansion
            blocks += [block_type(c, width, 1, rng) for _ in range(count - 1)]
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.num_stages = len(layers)
        self.avgpool = GlobalAvgPool2d()
        self.fc = nn.Linear(c, num_classes, rng=rng)

    def forward(self, x):
        x = self.bn1(self.conv1(x), relu=True)        # (N, 64, H/2, W/2) for ImageNet
        if self.maxpool is not None:
            x = self.maxpool(x)                       # (N, 64, H/4, W/4)
        for i in range(self.num_stages):
            x = getattr(self, f"layer{i + 1}")(x)     # channels ×2, size ÷2 per stage
        x = self.avgpool(x)                           # (N, C_last)
        return self.fc(x)                             # (N, num_classes)


def _imagenet(block: str, layers, input_shape, num_classes, width, rng) -> ResNet:
    widths = [max(1, round(w * width)) for w in (64, 128, 256, 512)]
    return ResNet(block, layers, widths, input_shape[0], num_classes, "imagenet", rng)


@register_model("resnet18", "ResNet-18: basic blocks [2, 2, 2, 2] (11.7 M)")
def resnet18(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
             width: float = 1.0, rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return _imagenet("basic", (2, 2, 2, 2), input_shape, num_classes, width, rng)


@register_model("resnet34", "ResNet-34: basic blocks [3, 4, 6, 3] (21.8 M)")
def resnet34(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
             width: float = 1.0, rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return _imagenet("basic", (3, 4, 6, 3), input_shape, num_classes, width, rng)


@register_model("resnet50", "ResNet-50: bottleneck blocks [3, 4, 6, 3] (25.6 M)")
def resnet50(input_shape: Sequence[int] = (3, 224, 224), num_classes: int = 1000,
             width: float = 1.0, rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return _imagenet("bottleneck", (3, 4, 6, 3), input_shape, num_classes, width, rng)


@register_model("resnet_cifar", "CIFAR ResNet (6n+2 layers, 16/32/64 channels; n=1: ResNet-8)")
def resnet_cifar(input_shape: Sequence[int] = (3, 32, 32), num_classes: int = 10,
                 depth: int = 8, rng: np.random.Generator | None = None) -> nn.Module:
    """ResNet-8/20/32/56 for 32×32 images (projection shortcuts). Shape: (N, *input_shape)
    → (N, num_classes)."""
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f"depth must be 6n + 2 (8, 14, 20, 32, 56, ...), got {depth}")
    n = (depth - 2) // 6
    return ResNet("basic", (n, n, n), (16, 32, 64), input_shape[0], num_classes, "cifar", rng)


@register_model("resnet8", "CIFAR ResNet-8: 3 stages × 1 basic block, 16/32/64 channels")
def resnet8(input_shape: Sequence[int] = (3, 32, 32), num_classes: int = 10,
            rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return resnet_cifar(input_shape, num_classes, 8, rng)


@register_model("resnet20", "CIFAR ResNet-20: 3 stages × 3 basic blocks, 16/32/64 channels")
def resnet20(input_shape: Sequence[int] = (3, 32, 32), num_classes: int = 10,
             rng: np.random.Generator | None = None) -> nn.Module:
    """Shape: (N, *input_shape) → (N, num_classes) logits."""
    return resnet_cifar(input_shape, num_classes, 20, rng)

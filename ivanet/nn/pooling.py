"""Pooling and resizing layers: max, average, adaptive/global average, upsampling."""
from __future__ import annotations

from ivanet.nn.checks import named_errors
from ivanet.nn.module import Module
from ivanet.ops.im2col import pair
from ivanet.ops.pooling import adaptive_avg_pool2d, avg_pool2d, global_avg_pool2d, max_pool2d
from ivanet.ops.shape import reshape
from ivanet.ops.upsample import MODES, interpolate


def _check_4d(layer: Module, x) -> None:
    shape = tuple(getattr(x, "shape", ()))
    if len(shape) != 4:
        raise ValueError(f"{layer.describe()}: expected a 4-D input (N, C, H, W), "
                         f"got shape {shape}")


def _check_padding(name: str, padding: tuple[int, int], kernel: tuple[int, int]) -> None:
    """PyTorch's rule, checked when the layer is built: a pooling window may not be more
    than half padding (a max over padding alone would be −∞)."""
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{name}: padding {padding} must be at most half the kernel size "
                         f"{kernel}")


class MaxPool2d(Module):
    """Maximum over each KH×KW window (no parameters); stride defaults to the kernel size.

    Shape: (N, C, H, W) → (N, C, ⌊(H + 2p − KH)/s⌋ + 1, ⌊(W + 2p − KW)/s⌋ + 1) (⌈ ⌉ with
    ``ceil_mode=True``).
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.ceil_mode = ceil_mode
        self.kernel_size = pair(kernel_size, "kernel_size", "MaxPool2d")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride",
                                                                   "MaxPool2d")
        self.padding = pair(padding, "padding", "MaxPool2d")
        _check_padding("MaxPool2d", self.padding, self.kernel_size)
        self.dilation = pair(dilation, "dilation", "MaxPool2d")

    def forward(self, x):
        _check_4d(self, x)
        with named_errors(self):
            return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}")


class AvgPool2d(Module):
    """Mean over each KH×KW window; padded zeros count unless ``count_include_pad=False``.

    Shape: (N, C, H, W) → (N, C, ⌊(H + 2p − KH)/s⌋ + 1, ⌊(W + 2p − KW)/s⌋ + 1).
    """

    def __init__(self, kernel_size, stride=None, padding=0,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", "AvgPool2d")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride",
                                                                   "AvgPool2d")
        self.padding = pair(padding, "padding", "AvgPool2d")
        _check_padding("AvgPool2d", self.padding, self.kernel_size)
        self.count_include_pad = count_include_pad

    def forward(self, x):
        _check_4d(self, x)
        with named_errors(self):
            return avg_pool2d(x, self.kernel_size, self.stride, self.padding,
                              self.count_include_pad)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}")


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size whatever the input size (PyTorch's bins).

    Shape: (N, C, H, W) → (N, C, OH, OW).
    """

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = pair(output_size, "output_size", "AdaptiveAvgPool2d")

    def forward(self, x):
        _check_4d(self, x)
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class GlobalAvgPool2d(Module):
    """Mean of each channel over all positions (the head of ResNet and GoogLeNet).

    Shape: (N, C, H, W) → (N, C), or (N, C, 1, 1) with ``keepdims=True``.
    """

    def __init__(self, keepdims: bool = False) -> None:
        super().__init__()
        self.keepdims = keepdims

    def forward(self, x):
        _check_4d(self, x)
        out = global_avg_pool2d(x)
        return out if self.keepdims else reshape(out, tuple(out.shape[:2]))

    def extra_repr(self) -> str:
        return f"keepdims={self.keepdims}"


class Upsample(Module):
    """Resize by ``scale_factor`` or to ``size``, 'nearest' or 'bilinear' (PyTorch's rules).

    Shape: (N, C, H, W) → (N, C, ⌊H·s⌋, ⌊W·s⌋) or (N, C, *size).
    """

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest",
                 align_corners: bool | None = None) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"Upsample: mode must be one of {MODES}, got {mode!r}")
        if (size is None) == (scale_factor is None):
            raise ValueError("Upsample: give exactly one of size= and scale_factor=")
        self.size, self.scale_factor = size, scale_factor
        self.mode, self.align_corners = mode, align_corners

    def forward(self, x):
        _check_4d(self, x)
        return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners)

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else (
            f"scale_factor={self.scale_factor}")
        return f"{what}, mode={self.mode!r}"

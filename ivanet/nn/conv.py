"""Convolution layers: ``Conv2d`` and ``ConvTranspose2d`` (weights in PyTorch's layout)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.nn.checks import check_dtype, check_size, named_errors
from ivanet.nn.init import init_linear_
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops.conv import conv2d, conv_transpose2d
from ivanet.ops.im2col import pair


def check_channels(layer: Module, x, channels: int) -> None:
    """A ``ValueError`` naming ``layer`` unless x is (N, channels, H, W)."""
    shape = tuple(getattr(x, "shape", ()))
    if len(shape) != 4:
        raise ValueError(f"{layer.describe()}: expected a 4-D input (N, C, H, W), "
                         f"got shape {shape}")
    if shape[1] != channels:
        raise ValueError(f"{layer.describe()}: expected {channels} input channels, got "
                         f"{shape[1]} (input shape {shape})")
    check_dtype(layer, x, layer.weight.data.dtype)


def _check_groups(in_channels: int, out_channels: int, groups: int) -> int:
    groups = check_size("groups", groups)
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide in_channels={in_channels} and "
                         f"out_channels={out_channels}")
    return groups


class Conv2d(Module):
    """2-D convolution: out[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c] (cross-correlation).

    ``weight`` (out_channels, in_channels/groups, KH, KW) and ``bias`` (out_channels,) as in
    PyTorch; He initialisation by default (``init`` as for ``Linear``). ``padding``: int,
    pair, 'valid' or 'same' (any stride; TensorFlow's split).

    Shape: (N, C_in, H, W) → (N, C_out, ⌊(H + 2p − d·(KH − 1) − 1)/s⌋ + 1, same for W).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 padding=0, dilation=1, groups: int = 1, bias: bool = True,
                 init: str | Callable = "he", rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        super().__init__()
        self.in_channels = check_size("in_channels", in_channels)
        self.out_channels = check_size("out_channels", out_channels)
        self.groups = _check_groups(in_channels, out_channels, groups)
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d")
        self.stride = pair(stride, "stride", "Conv2d")
        self.dilation = pair(dilation, "dilation", "Conv2d")
        self.padding = padding if isinstance(padding, str) else pair(padding, "padding",
                                                                     "Conv2d")
        shape = (out_channels, in_channels // groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.register_parameter(
            "bias", Parameter(np.empty(out_channels, dtype=dtype)) if bias else None)
        init_linear_(self.weight, self.bias, init, rng)

    def forward(self, x):
        check_channels(self, x, self.in_channels)
        with named_errors(self):
            return conv2d(x, self.weight, self.bias, self.stride, self.padding,
                          self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}")
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + f", bias={self.bias is not None}"


class ConvTranspose2d(Module):
    """Transposed convolution (learned upsampling, the "deconvolution" of segmentation).

    ``weight`` (in_channels, out_channels/groups, KH, KW) as in PyTorch.

    Shape: (N, C_in, H, W) → (N, C_out, (H − 1)·s − 2p + d·(KH − 1) + output_padding + 1, …).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 padding=0, output_padding=0, groups: int = 1, bias: bool = True,
                 dilation=1, init: str | Callable = "he",
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        self.in_channels = check_size("in_channels", in_channels)
        self.out_channels = check_size("out_channels", out_channels)
        self.groups = _check_groups(in_channels, out_channels, groups)
        self.kernel_size = pair(kernel_size, "kernel_size", "ConvTranspose2d")
        self.stride = pair(stride, "stride", "ConvTranspose2d")
        self.padding = pair(padding, "padding", "ConvTranspose2d")
        self.output_padding = pair(output_padding, "output_padding", "ConvTranspose2d")
        self.dilation = pair(dilation, "dilation", "ConvTranspose2d")
        shape = (in_channels, out_channels // groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.register_parameter(
            "bias", Parameter(np.empty(out_channels, dtype=dtype)) if bias else None)
        init_linear_(self.weight, self.bias, init, rng)

    def forward(self, x):
        check_channels(self, x, self.in_channels)
        with named_errors(self):
            return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding,
                                    self.output_padding, self.groups, self.dilation)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, "
                f"output_padding={self.output_padding}, bias={self.bias is not None}")

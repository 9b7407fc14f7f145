"""2-D convolution (cross-correlation, as in every framework) and its transpose.

conv2d:  z[n, o, y, x] = b[o] + Σ_{c,i,j} w[o, c, i, j] · x_pad[n, c, y·s + i·d, x·s + j·d]
computed as ONE matrix product  W (C_out, C·KH·KW) @ cols (C·KH·KW, N·OH·OW)  where cols is
the im2col copy of a strided view (see ``ivanet.ops.im2col``). Backward:
  dL/dW = g @ colsᵀ,  dL/db = Σ g,  dL/dx = col2im(Wᵀ @ g)
(for stride 1 and C_out ≤ C, dL/dx is computed as the convolution of the padded g with the
flipped kernel: the same numbers, one copy and one GEMM instead of KH·KW scatter-adds).
conv_transpose2d is the same pair of maps run the other way round (its forward is conv2d's
input gradient), so it upsamples: H_out = (H − 1)·s − 2p + d·(K − 1) + output_padding + 1.
"""
from __future__ import annotations

import os

import numpy as np

from ivanet.autograd.function import Function
from ivanet.ops import conv_gemm, direct_conv, phase_conv, threads, winograd
from ivanet.ops.allocator import retain_freed_memory
from ivanet.ops.conv_kernels import col2im_cropped
from ivanet.ops.im2col import (as_matrix, check_window, col2im, col2im_rows, crop, im2col,
                               pad_channel_major, pair, resolve_padding)

retain_freed_memory()   # conv nets allocate large temporaries every step (see allocator.py)


def _grouped(matrix: np.ndarray, groups: int) -> np.ndarray:
    """(R, M) → (groups, R/groups, M) (a view)."""
    return matrix.reshape(groups, matrix.shape[0] // groups, matrix.shape[1])


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b on (g, ·, ·) stacks; a plain 2-D product when there is one group."""
    if a.shape[0] == 1:
        return (a[0] @ b[0])[None]
    return np.matmul(a, b)


def _algorithm(x, weight, stride, dilation, groups, pads) -> str:
    """'winograd' for 3×3 stride-1 layers with ≥ 32 channels in and out, 'direct' for the
    other 3×3 stride-1 layers and for 3×3 stride-2 ones with ≤ 32 input channels
    (``phase_conv``), else 'im2col'. ``IVANET_CONV`` = im2col / direct / winograd forces one
    where it applies (for comparisons); unset or 'auto' picks as above."""
    choice = os.environ.get("IVANET_CONV", "auto")
    if choice == "im2col":
        return "im2col"
    fast = winograd.applies(x, weight, stride, dilation, groups)
    phases = phase_conv.applies(x, weight, stride, dilation, groups, pads)
    direct = direct_conv.applies(x, weight, stride, dilation, groups, pads) or phases
    if choice == "winograd" and fast:
        return "winograd"
    if choice == "direct" and direct:
        return "direct"
    if fast and min(weight.shape[:2]) >= winograd.MIN_CHANNELS:
        return "winograd"
    if phases and x.shape[1] > phase_conv.MAX_CHANNELS:
        return "im2col"
    return "direct" if direct else "im2col"


def _check_weight(op: str, x_shape, w_shape, groups: int, in_axis: int) -> None:
    if len(w_shape) != 4:
        raise ValueError(f"{op}: weight must be 4-D, got shape {tuple(w_shape)}")
    if len(x_shape) != 4:
        raise ValueError(f"{op}: expected a 4-D input (N, C, H, W), got shape {tuple(x_shape)}")
    if groups < 1 or w_shape[0] % groups or x_shape[1] % groups:
        raise ValueError(f"{op}: groups={groups} must divide the input channels "
                         f"({x_shape[1]}) and the weight's first dimension ({w_shape[0]})")
    expected = w_shape[1] * groups if in_axis == 1 else w_shape[0]
    if x_shape[1] != expected:
        raise ValueError(f"{op}: input has {x_shape[1]} channels but the weight of shape "
                         f"{tuple(w_shape)} (groups={groups}) expects {expected} "
                         f"(input shape {tuple(x_shape)})")


def _check_bias(op: str, bias, channels: int) -> None:
    if bias is not None and tuple(bias.shape) != (channels,):
        raise ValueError(f"{op}: bias must have shape ({channels},), got {tuple(bias.shape)}")


class Conv2d(Function):
    """z = W ⋆ x + b over (N, C, H, W) → (N, C_out, OH, OW); see the module docstring."""

    def forward(self, x, weight, bias, stride=1, padding=0, dilation=1, groups=1):
        _check_weight("conv2d", x.shape, weight.shape, groups, in_axis=1)
        C_out, _, KH, KW = weight.shape
        _check_bias("conv2d", bias, C_out)
        kernel = (KH, KW)
        stride, dilation = pair(stride, "stride", "conv2d"), pair(dilation, "dilation", "conv2d")
        pads = resolve_padding(padding, x.shape[2:], kernel, stride, dilation, "conv2d")
        OH, OW = check_window("conv2d", x.shape, kernel, stride, pads, dilation)
        w_mat = _grouped(weight.reshape(C_out, -1), groups)           # (g, C_out/g, C/g·KK)
        self.cols, self.winograd = None, None
        window = (kernel, stride, pads, dilation, (OH, OW))
        self.direct, self.algorithm = None, _algorithm(x, weight, stride, dilation, groups, pads)
        self.w_shape = weight.shape
        if self.algorithm == "winograd":
            xc = np.ascontiguousarray(x.transpose(1, 0, 2, 3))           # (C, N, H, W)
            keep = self.needs_input_grad[1]                            # dL/dw will need V
            out, plan, u, kept = winograd.forward(xc, weight, bias, pads, (OH, OW), keep=keep)
            self.winograd, self.xc = (plan, u, kept), xc
            return out.transpose(1, 0, 2, 3)                           # (N, C_out, OH, OW)
        if self.algorithm == "direct":
            kernel = direct_conv if stride == (1, 1) else phase_conv
            out, src, grid = kernel.forward(x.transpose(1, 0, 2, 3), weight, bias, pads)
            self.direct, self.weight = (kernel, src, grid), weight
            return out.transpose(1, 0, 2, 3)                           # (N, C_out, OH, OW)
        if groups == 1:                  # chunked: the windows never leave the cache
            self.view = conv_gemm.padded_windows(x, *window)           # kept for dL/dW
            out = conv_gemm.windows_gemm(w_mat[0], self.view)          # (C_out, N·OH·OW)
        else:
            self.cols = conv_gemm.padded_im2col(x, *window)            # (C·KK, N·OH·OW)
            out = _matmul(w_mat, _grouped(self.cols, groups)).reshape(C_out, -1)
        if bias is not None:
            out += bias[:, None]
        self.w_mat, self.groups, self.w_shape = w_mat, groups, weight.shape
        N, C, H, W = x.shape
        padded_shape = (C, N, H + sum(pads[0]), W + sum(pads[1]))
        self.geometry, self.out_hw = (padded_shape, pads, kernel, stride, dilation), (OH, OW)
        return out.reshape(C_out, N, OH, OW).transpose(1, 0, 2, 3)    # (N, C_out, OH, OW)

    def backward(self, grad):
        if self.winograd is not None:
            return self._winograd_backward(grad)
        if self.direct is not None:
            return self._direct_backward(grad)
        g = self.groups
        grad_m = _grouped(as_matrix(grad), g)                         # (g, C_out/g, N·OH·OW)
        grad_x = grad_w = grad_b = None
        if self.needs_input_grad[0]:
            grad_x = self._input_grad(grad, grad_m)                   # (N, C, H, W)
        if self.needs_input_grad[1]:
            grad_w = self._weight_grad(grad_m)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_b = grad_m.reshape(grad_m.shape[0] * grad_m.shape[1], -1).sum(axis=1)
        return grad_x, grad_w, grad_b

    def _winograd_backward(self, grad):
        grad_c = np.ascontiguousarray(grad.transpose(1, 0, 2, 3))     # (C_out, N, OH, OW)
        need = self.needs_input_grad
        grad_x, grad_w = winograd.backward(self.xc, *self.winograd, grad_c, need[0], need[1])
        grad_b = grad_c.sum(axis=(1, 2, 3)) if len(need) > 2 and need[2] else None
        return (None if grad_x is None else grad_x.transpose(1, 0, 2, 3)), grad_w, grad_b

    def _direct_backward(self, grad):
        grad_c = grad.transpose(1, 0, 2, 3)                           # (C_out, N, OH, OW)
        need = self.needs_input_grad
        kernel, src, grid = self.direct
        grad_x, grad_w = kernel.backward(src, grid, self.weight, grad_c, need[0], need[1])
        grad_b = grad_c.sum(axis=(1, 2, 3)) if len(need) > 2 and need[2] else None
        return (None if grad_x is None else grad_x.transpose(1, 0, 2, 3)), grad_w, grad_b

    def _weight_grad(self, grad_m):
        """dL/dW = g @ colsᵀ, computed as (cols @ gᵀ)ᵀ: BLAS packs the short g (C_out rows)
        instead of transposing the long cols, measured 1.3–1.7× faster for C_out ≤ 64."""
        if self.cols is None:            # groups == 1: the chunks of forward, again
            return conv_gemm.windows_gemm_t(self.view, grad_m[0]).T.reshape(self.w_shape)
        cols = _grouped(self.cols, self.groups)                       # (g, C/g·KK, N·OH·OW)
        grad_w_t = _matmul(cols, grad_m.transpose(0, 2, 1))           # (g, C/g·KK, C_out/g)
        return grad_w_t.transpose(0, 2, 1).reshape(self.w_shape)

    def _input_grad(self, grad, grad_m):
        """dL/dx = col2im(Wᵀ @ g); for stride 1 with C_out ≤ C, the same numbers as the
        convolution of the padded g with the flipped kernel (one im2col + GEMM)."""
        (C, N, Hp, Wp), pads, kernel, stride, dilation = self.geometry
        flipped_pads = tuple((d * (k - 1) - low, d * (k - 1) - high)
                             for (low, high), k, d in zip(pads, kernel, dilation))
        if (self.groups == 1 and stride == (1, 1) and self.w_shape[0] <= C
                and min(flipped_pads[0] + flipped_pads[1]) >= 0):
            return self._flipped_kernel_grad(grad, flipped_pads)
        w_t = self.w_mat.transpose(0, 2, 1)                           # (g, C/g·KK, C_out/g)
        if stride == (1, 1):         # rows at full padded width: contiguous scatter-adds
            C_out, (OH, OW) = self.w_shape[0], grad.shape[2:]
            grad_rows = np.zeros((C_out, N, OH, Wp), dtype=grad.dtype)
            grad_rows[:, :, :, :OW] = grad.transpose(1, 0, 2, 3)
            cols_grad = _matmul(w_t, _grouped(grad_rows.reshape(C_out, -1), self.groups))
            cols_grad = cols_grad.reshape((C,) + kernel + (N, OH * Wp))
            grad_xc = col2im_rows(cols_grad, (Hp, Wp), kernel, dilation)
        else:
            if dilation == (1, 1) and self.groups == 1:
                return self._scatter_grad(grad_m[0], w_t[0])
            cols_grad = _matmul(w_t, grad_m).reshape((C,) + kernel + (N,) + grad.shape[2:])
            grad_xc = col2im(cols_grad, (Hp, Wp), kernel, stride, dilation)
        return crop(grad_xc, pads).transpose(1, 0, 2, 3)              # (N, C, H, W)

    def _scatter_grad(self, grad_m, w_t):
        """dL/dx = col2im(Wᵀ @ g) scattered straight into the unpadded gradient, a chunk of
        images at a time (the chunk's columns stay in cache between GEMM and scatter)."""
        (C, N, Hp, Wp), pads, kernel, stride, _ = self.geometry
        hw, (OH, OW) = (Hp - sum(pads[0]), Wp - sum(pads[1])), self.out_hw
        grad_xc = np.empty((C, N) + hw, dtype=np.result_type(w_t, grad_m))

        def work(start: int, stop: int) -> None:
            for n0, n1 in conv_gemm.chunks(start, stop, w_t.shape[0], OH * OW,
                                           grad_m.itemsize):
                cols = w_t @ grad_m[:, n0 * OH * OW:n1 * OH * OW]     # (C·KK, n·OH·OW)
                cols = cols.reshape((C,) + kernel + (n1 - n0, OH, OW))
                col2im_cropped(cols, hw, stride, pads, out=grad_xc[:, n0:n1])

        threads.split(work, N)
        return grad_xc.transpose(1, 0, 2, 3)                          # (N, C, H, W)

    def _flipped_kernel_grad(self, grad, flipped_pads):
        """dL/dx[c] = Σ_o g[o] ⋆ flip(w[o, c]) with g padded by d·(K − 1) − p on each side."""
        (C, N, Hp, Wp), pads, kernel, _, dilation = self.geometry
        H, W = Hp - sum(pads[0]), Wp - sum(pads[1])
        flipped = self.w_mat[0].reshape(self.w_shape)[:, :, ::-1, ::-1]
        w_flip = flipped.transpose(1, 0, 2, 3).reshape(C, -1)        # (C, C_out·KK), a copy
        view = conv_gemm.padded_windows(grad, kernel, (1, 1), flipped_pads, dilation, (H, W))
        grad_x = conv_gemm.windows_gemm(w_flip, view)
        return grad_x.reshape(C, N, H, W).transpose(1, 0, 2, 3)


class ConvTranspose2d(Function):
    """Transposed convolution: conv2d's input gradient as a forward map (learned upsampling).

    weight (C_in, C_out/g, KH, KW); out[n, o] = b[o] + col2im(Wᵀ @ x), cropped by the padding.
    """

    def forward(self, x, weight, bias, stride=1, padding=0, output_padding=0, groups=1,
                dilation=1):
        op = "conv_transpose2d"
        _check_weight(op, x.shape, weight.shape, groups, in_axis=0)
        C_in, C_out_g, KH, KW = weight.shape
        _check_bias(op, bias, C_out_g * groups)
        kernel = (KH, KW)
        stride, dilation = pair(stride, "stride", op), pair(dilation, "dilation", op)
        ph, pw = pair(padding, "padding", op)
        extra = pair(output_padding, "output_padding", op)
        if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)) or min(extra) < 0:
            raise ValueError(f"{op}: output_padding {extra} must be smaller than the stride "
                             f"{stride} or the dilation {dilation}")
        N, _, H, W = x.shape
        full = tuple((n - 1) * s + d * (f - 1) + 1 + e for n, s, d, f, e in
                     zip((H, W), stride, dilation, kernel, extra))
        pads = ((ph, ph), (pw, pw))
        if full[0] - 2 * ph <= 0 or full[1] - 2 * pw <= 0:
            raise ValueError(f"{op}: padding {(ph, pw)} leaves an empty output for input "
                             f"{H}×{W} (uncropped output {full[0]}×{full[1]})")
        x_m = _grouped(as_matrix(x), groups)                          # (g, C_in/g, N·H·W)
        w_mat = _grouped(weight.reshape(C_in, -1), groups)            # (g, C_in/g, C_out/g·KK)
        cols = _matmul(w_mat.transpose(0, 2, 1), x_m)                 # (g, C_out/g·KK, N·H·W)
        C_out = C_out_g * groups
        cols = cols.reshape((C_out,) + kernel + (N, H, W))
        out = crop(col2im(cols, full, kernel, stride, dilation), pads)  # (C_out, N, OH, OW)
        if bias is not None:
            out += bias[:, None, None, None]
        self.x_m, self.w_mat, self.groups, self.w_shape = x_m, w_mat, groups, weight.shape
        self.geometry = ((H, W), pads, kernel, stride, dilation)
        return out.transpose(1, 0, 2, 3)                              # (N, C_out, OH, OW)

    def backward(self, grad):
        (H, W), pads, kernel, stride, dilation = self.geometry
        g, w_mat = self.groups, self.w_mat
        grad_c = pad_channel_major(grad, pads)                        # (C_out, N, H', W')
        cols = _grouped(im2col(grad_c, kernel, stride, dilation, (H, W)), g)
        grad_x = grad_w = grad_b = None
        if self.needs_input_grad[0]:
            N = grad.shape[0]
            grad_x = _matmul(w_mat, cols).reshape(-1, N, H, W).transpose(1, 0, 2, 3)
        if self.needs_input_grad[1]:
            grad_w = _matmul(self.x_m, cols.transpose(0, 2, 1)).reshape(self.w_shape)
        if len(self.needs_input_grad) > 2 and self.needs_input_grad[2]:
            grad_b = grad.sum(axis=(0, 2, 3))
        return grad_x, grad_w, grad_b


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) of x (N, C, H, W) with weight (C_out, C/g, KH, KW).

    ``padding``: int, (ph, pw), ((top, bottom), (left, right)), 'valid' or 'same' (any
    stride: TensorFlow's split, the extra row/column at the bottom/right).
    Output (N, C_out, ⌊(H + 2p − d·(KH − 1) − 1)/s⌋ + 1, same for W).
    """
    return Conv2d.apply(x, weight, bias, stride=stride, padding=padding, dilation=dilation,
                        groups=groups)


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 2-D convolution of x (N, C_in, H, W) with weight (C_in, C_out/g, KH, KW).

    Output H_out = (H − 1)·s − 2p + d·(KH − 1) + output_padding + 1 (PyTorch's argument order).
    """
    return ConvTranspose2d.apply(x, weight, bias, stride=stride, padding=padding,
                                 output_padding=output_padding, groups=groups,
                                 dilation=dilation)

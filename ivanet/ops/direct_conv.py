"""3×3 stride-1 convolution computed directly over zero-padded planes (numba, no im2col).

The input is laid out once as rows of its zero-padded images, one row per channel:
src[c, q] with q = (n·Hp + y)·Wp + x. The output at grid position q is then a sum of
shifted rows,
    z[o, q] = b[o] + Σ_c Σ_{i,j} w[o, c, i, j] · src[c, q + i·Wp + j],
so the kernel runs long unit-stride loops (four output channels and one kernel row per
loop: few enough streams for LLVM to vectorise) and writes no 9× window matrix. Each image
has Hp·Wp grid positions; the OH·OW valid ones are cropped out (the others cost 13 % extra
work at 32×32; storing only them from inside the kernel measured 1.5× slower). Backward:
    dL/dx = the same kernel over dY zero-padded by 2 − p, with w flipped and transposed;
    dL/dw[o, c, i, j] = Σ_q dY_grid[o, q] · src[c, q + i·Wp + j]   (dY zero off the valid
    positions; twelve running sums per loop, float32 within a block, float64 across).
Used for 3×3 stride-1 layers with fewer than ``winograd.MIN_CHANNELS`` channels, where
im2col's product has only C_out = 16 rows and ran at ~14 GF/s: this kernel measured 25–30
GF/s (ResNet-8's 16-channel layer, one thread), and needs no window copies.
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import jit, threads

numba = jit.numba

BLOCK = 2048                # grid positions per loop: a block of 4 outputs + 1 input in L1


def fits(x: np.ndarray, weight: np.ndarray, dilation, groups: int, pads) -> bool:
    """What the direct kernels need apart from the stride: 3×3, undilated, one group,
    padding ≤ 2 on every side, one float dtype, NumPy arrays, numba installed."""
    return (numba is not None and isinstance(x, np.ndarray) and isinstance(weight, np.ndarray)
            and tuple(weight.shape[2:]) == (3, 3) and dilation == (1, 1) and groups == 1
            and max(pads[0] + pads[1]) <= 2 and x.dtype == weight.dtype
            and x.dtype in (np.float32, np.float64))


def applies(x: np.ndarray, weight: np.ndarray, stride, dilation, groups: int, pads) -> bool:
    """``fits`` at stride 1 (padding ≤ 2, so dL/dx is the same kernel over dY padded by
    2 − p)."""
    return stride == (1, 1) and fits(x, weight, dilation, groups, pads)


class Grid:
    """The padded layout: cells of Hp × Wp per image, valid outputs at the top left."""

    def __init__(self, N: int, hw, pads):
        self.N, (self.top, self.bottom), (self.left, self.right) = N, *pads
        self.Hp, self.Wp = hw[0] + sum(pads[0]), hw[1] + sum(pads[1])
        self.size = N * self.Hp * self.Wp
        self.out_hw = (self.Hp - 2, self.Wp - 2)
        # tap (i, j) reads source plane 0 at q + i·Wp + j
        self.taps = np.array([[(0, i * self.Wp + j) for j in range(3)] for i in range(3)])

    def empty_rows(self, C: int, dtype) -> np.ndarray:
        """(1, C, size + 2·Wp + 2) for ``place_cells`` to fill, the tail already zero."""
        out = np.empty((1, C, self.size + 2 * self.Wp + 2), dtype=dtype)
        out[0, :, self.size:] = 0
        return out


CHUNK_BYTES = 1 << 18      # a run of images whose padded rows stay in L2 from copy to crop


def chunks(start: int, stop: int, image_bytes: int, cell: int) -> list[tuple[int, int]]:
    """[(a, b), ...]: runs of the images start:stop of about CHUNK_BYTES each, and of at
    least BLOCK grid positions (``cell`` per image: the kernels' loops stay long)."""
    step = max(-(-BLOCK // cell), CHUNK_BYTES // max(1, image_bytes))
    return threads.even_runs(start, stop, max(1, min(stop - start, step)))


def longest(runs: list[tuple[int, int]]) -> int:
    """The most images in one run (a scratch buffer's size)."""
    return max(b - a for a, b in runs)


def forward(xc: np.ndarray, weight: np.ndarray, bias, pads) -> tuple:
    """(z (C_out, N, OH, OW), src, grid) for channel-major xc (C, N, H, W).

    The images are shared between threads, a few at a time each: place their padded rows,
    convolve them into a scratch grid, crop it, while the rows are still in cache. The
    outputs of a run's last cell read a little of the next run's rows (which another
    thread may be writing): only positions off the valid outputs do, and the crop drops
    them."""
    (C, N), C_out = xc.shape[:2], weight.shape[0]
    grid = Grid(N, xc.shape[2:], pads)
    cell = grid.Hp * grid.Wp
    src = grid.empty_rows(C, xc.dtype)
    z = np.empty((C_out, N) + grid.out_hw, dtype=xc.dtype)
    shift = np.zeros(C_out, xc.dtype) if bias is None else bias.astype(xc.dtype)
    w = np.ascontiguousarray(weight)

    def work(n0: int, n1: int) -> None:
        runs = chunks(n0, n1, C * cell * xc.itemsize, cell)
        scratch = np.empty((C_out, longest(runs) * cell), dtype=xc.dtype)
        for a, b in runs:
            place_cells(xc[:, a:b], grid.top, grid.left, grid.Hp, grid.Wp, a * cell, 0,
                         0, src[0])
            convolve(src, grid.taps, w, shift, a * cell, b * cell, scratch, a * cell)
            crop(scratch, grid.Hp, grid.Wp, z[:, a:b])

    threads.split(work, N)
    return z, src, grid


def backward(src, grid: Grid, weight, grad_c, need_x: bool, need_w: bool):
    """(dL/dx (C, N, H, W) or None, dL/dw or None) from grad_c (C_out, N, OH, OW), a few
    images at a time per thread as in ``forward``."""
    (C_out, N), C = grad_c.shape[:2], weight.shape[1]
    hw = (grid.Hp - grid.top - grid.bottom, grid.Wp - grid.left - grid.right)
    flipped = Grid(N, grad_c.shape[2:],
                   ((2 - grid.top, 2 - grid.bottom), (2 - grid.left, 2 - grid.right)))
    # the same cells: dY at the top left of grid's cells is dY at (2 − top, 2 − left) of
    # flipped's, read ``offset`` further on; else dY is laid out on grid's cells as well
    shared = need_x and (flipped.Hp, flipped.Wp) == (grid.Hp, grid.Wp)
    offset = flipped.top * grid.Wp + flipped.left if shared else 0
    g_flip = flipped.empty_rows(C_out, grad_c.dtype) if need_x else None
    g_own = grid.empty_rows(C_out, grad_c.dtype)[0] if need_w and not shared else None
    g_w = g_flip[0] if shared else g_own
    grad_x = np.empty((C, N) + hw, dtype=grad_c.dtype) if need_x else None
    w_flip = np.ascontiguousarray(weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    no_shift = np.zeros(C, grad_c.dtype)
    cell, f_cell = grid.Hp * grid.Wp, flipped.Hp * flipped.Wp

    def work(n0: int, n1: int):
        runs = chunks(n0, n1, max(C, C_out) * f_cell * grad_c.itemsize, f_cell)
        scratch = np.empty((C, longest(runs) * f_cell), dtype=grad_c.dtype)
        total = np.zeros((C_out, C, 3, 3)) if need_w else None
        for a, b in runs:
            if need_x:   # (the spill: the next cell's top border, read by dw's shifted g)
                place_cells(grad_c[:, a:b], flipped.top, flipped.left, flipped.Hp,
                             flipped.Wp, a * f_cell, 0, offset, g_flip[0])
            if need_w:
                if not shared:
                    place_cells(grad_c[:, a:b], 0, 0, grid.Hp, grid.Wp, a * cell, 0, 0,
                                 g_own)
                total += weight_sums(src, grid.taps, g_w, offset, a * cell, b * cell)
            if need_x:
                convolve(g_flip, flipped.taps, w_flip, no_shift, a * f_cell, b * f_cell,
                          scratch, a * f_cell)
                crop(scratch, flipped.Hp, flipped.Wp, grad_x[:, a:b])
        return total

    parts = threads.split(work, N)
    grad_w = threads.total(parts).astype(src.dtype) if need_w else None
    return grad_x, grad_w


if numba is not None:
    _jit = numba.njit(cache=True, nogil=True, fastmath=True, boundscheck=False,
                      error_model="numpy")

    @_jit
    def block_size(count):
        """Blocks of at most BLOCK positions, about equal and a multiple of 64 (2,106
        positions as 1,088 + 1,018, not 2,048 + 58; unrounded sizes measured 8 % slower)."""
        blocks = max(1, -(-count // BLOCK))
        return -(-count // (blocks * 64)) * 64

    @_jit
    def place_cells(planes, top, left, Hp, Wp, start, before, after, out):
        """out[c, start:] = planes[c] (C, n, h, w) placed at (top, left) of n cells of Hp ×
        Wp, zeros elsewhere in them (each value written once), and ``before`` zeros before
        and ``after`` zeros after them (cells' zero borders that shifted reads reach)."""
        C, N, h, w = planes.shape
        end = min(out.shape[1], start + N * Hp * Wp + after)
        for c in range(C):
            row = out[c]
            row[max(0, start - before):start] = 0
            for n in range(N):
                cell = start + n * Hp * Wp
                row[cell:cell + top * Wp] = 0
                line_of = planes[c, n]
                for y in range(h):
                    at = cell + (top + y) * Wp
                    row[at:at + left] = 0
                    line = line_of[y]
                    for x in range(w):
                        row[at + left + x] = line[x]
                    row[at + left + w:at + Wp] = 0
                row[cell + (top + h) * Wp:cell + Hp * Wp] = 0
            row[start + N * Hp * Wp:end] = 0

    @_jit
    def crop(grid, Hp, Wp, out):
        """out[c, n, y, x] = grid[c, (n·Hp + y)·Wp + x] for the (h, w) of out."""
        C, N, h, w = out.shape
        for c in range(C):
            src = grid[c]
            for n in range(N):
                for y in range(h):
                    start, dst = (n * Hp + y) * Wp, out[c, n, y]
                    for x in range(w):      # an explicit loop: 1.35 against 1.86 ms for
                        dst[x] = src[start + x]     # a slice copy (16 × 64 × 32 × 32)

    @_jit
    def convolve(src, taps, w, shift, q_start, q_stop, out, out_start):
        """Grid positions q_start:q_stop, BLOCK at a time, into out[:, q − out_start]:
        shift[o] + Σ_c Σ_ij w[o, c, i, j] · src[taps[i, j, 0], c, q + taps[i, j, 1]]."""
        C_out, C = w.shape[0], w.shape[1]
        step = block_size(q_stop - q_start)
        for q0 in range(q_start, q_stop, step):
            n = min(q_stop, q0 + step) - q0
            p0 = q0 - out_start
            o = 0
            while o + 4 <= C_out:
                d0, d1 = out[o, p0:p0 + n], out[o + 1, p0:p0 + n]
                d2, d3 = out[o + 2, p0:p0 + n], out[o + 3, p0:p0 + n]
                d0[:] = shift[o]
                d1[:] = shift[o + 1]
                d2[:] = shift[o + 2]
                d3[:] = shift[o + 3]
                for c in range(C):
                    for i in range(3):
                        r0 = src[taps[i, 0, 0], c, q0 + taps[i, 0, 1]:]
                        r1 = src[taps[i, 1, 0], c, q0 + taps[i, 1, 1]:]
                        r2 = src[taps[i, 2, 0], c, q0 + taps[i, 2, 1]:]
                        a0, b0, e0 = w[o, c, i, 0], w[o, c, i, 1], w[o, c, i, 2]
                        a1, b1, e1 = w[o + 1, c, i, 0], w[o + 1, c, i, 1], w[o + 1, c, i, 2]
                        a2, b2, e2 = w[o + 2, c, i, 0], w[o + 2, c, i, 1], w[o + 2, c, i, 2]
                        a3, b3, e3 = w[o + 3, c, i, 0], w[o + 3, c, i, 1], w[o + 3, c, i, 2]
                        for k in range(n):
                            x0, x1, x2 = r0[k], r1[k], r2[k]
                            d0[k] += a0 * x0 + b0 * x1 + e0 * x2
                            d1[k] += a1 * x0 + b1 * x1 + e1 * x2
                            d2[k] += a2 * x0 + b2 * x1 + e2 * x2
                            d3[k] += a3 * x0 + b3 * x1 + e3 * x2
                o += 4
            for o in range(o, C_out):                # the last C_out % 4 channels
                d0 = out[o, p0:p0 + n]
                d0[:] = shift[o]
                for c in range(C):
                    for i in range(3):
                        r0 = src[taps[i, 0, 0], c, q0 + taps[i, 0, 1]:]
                        r1 = src[taps[i, 1, 0], c, q0 + taps[i, 1, 1]:]
                        r2 = src[taps[i, 2, 0], c, q0 + taps[i, 2, 1]:]
                        a0, b0, e0 = w[o, c, i, 0], w[o, c, i, 1], w[o, c, i, 2]
                        for k in range(n):
                            d0[k] += a0 * r0[k] + b0 * r1[k] + e0 * r2[k]

    @_jit
    def weight_sums(src, taps, g, offset, q_start, q_stop):
        """Σ over q in [q_start, q_stop) of g[o, offset + q] · src[taps[i, j, 0], c, q +
        taps[i, j, 1]]
        → (C_out, C, 3, 3) float64 (g's rows are passed whole, so they stay C-contiguous
        to numba, which vectorises only those)."""
        C, C_out = src.shape[1], g.shape[0]
        total = np.zeros((C_out, C, 3, 3))
        zero = np.zeros(1, dtype=src.dtype)[0]
        step = block_size(q_stop - q_start)
        for q0 in range(q_start, q_stop, step):
            n = min(q_stop, q0 + step) - q0
            o = 0
            while o < C_out:
                p0 = offset + q0
                g0, g1 = g[o, p0:p0 + n], g[min(o + 1, C_out - 1), p0:p0 + n]
                g2, g3 = g[min(o + 2, C_out - 1), p0:p0 + n], g[min(o + 3, C_out - 1), p0:p0 + n]
                for c in range(C):
                    for i in range(3):
                        r0 = src[taps[i, 0, 0], c, q0 + taps[i, 0, 1]:]
                        r1 = src[taps[i, 1, 0], c, q0 + taps[i, 1, 1]:]
                        r2 = src[taps[i, 2, 0], c, q0 + taps[i, 2, 1]:]
                        s00 = s01 = s02 = s10 = s11 = s12 = zero
                        s20 = s21 = s22 = s30 = s31 = s32 = zero
                        for k in range(n):
                            x0, x1, x2 = r0[k], r1[k], r2[k]
                            s00 += g0[k] * x0
                            s01 += g0[k] * x1
                            s02 += g0[k] * x2
                            s10 += g1[k] * x0
                            s11 += g1[k] * x1
                            s12 += g1[k] * x2
                            s20 += g2[k] * x0
                            s21 += g2[k] * x1
                            s22 += g2[k] * x2
                            s30 += g3[k] * x0
                            s31 += g3[k] * x1
                            s32 += g3[k] * x2
                        sums = ((s00, s01, s02), (s10, s11, s12), (s20, s21, s22),
                                (s30, s31, s32))
                        for d in range(min(4, C_out - o)):
                            total[o + d, c, i, 0] += sums[d][0]
                            total[o + d, c, i, 1] += sums[d][1]
                            total[o + d, c, i, 2] += sums[d][2]
                o += 4
        return total

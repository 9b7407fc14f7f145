"""3×3 stride-2 convolution computed directly over four phase planes (numba, no im2col).

Split the zero-padded input by the parity of its row and column: P_rs[Y, X] = x_pad[2Y + r,
2X + s]. The stride-2 output is then a stride-1 sum over those planes,
    z[o, Y, X] = b[o] + Σ_c Σ_{i,j} w[o, c, i, j] · P_{i%2, j%2}[c, Y + i//2, X + j//2],
so the kernel of ``ivanet.ops.direct_conv`` runs unchanged over them: each plane is laid out
as rows of cells of (OH + 1) × (OW + 1), and tap (i, j) reads plane (i%2, j%2) at offset
(i//2)·(OW + 1) + j//2. Backward:
    dL/dw = the same running sums over dY laid on that grid (zero off the valid outputs);
    dL/dx: each phase plane of dL/dx_pad gets its own taps of dY (four for plane (0, 0),
    two, two and one for the others, nine in all), one loop over all four planes per input
    channel (``_phase_grad``); the planes are then interleaved back into dL/dx.
im2col for these layers copies 9× the output into a window matrix whose product has only
C_out = 32 or 64 rows (and scatters 9 windows back for dL/dx). Layers with more than
``MAX_CHANNELS`` input channels keep im2col, measured the faster of the two at 64.
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import direct_conv, threads

numba = direct_conv.numba
# Chosen up to this many input channels. Measured per layer (forward + backward, batch 64,
# one thread, against im2col): 16→32 at 32² 24.7 against 32.2 ms, 32→64 at 16² 24.0
# against 27.0; 64→128 at 8² 27.6 against 24.4 (im2col's product has 128 rows there).
MAX_CHANNELS = 32


def applies(x: np.ndarray, weight: np.ndarray, stride, dilation, groups: int, pads) -> bool:
    """``direct_conv.fits`` at stride 2."""
    return stride == (2, 2) and direct_conv.fits(x, weight, dilation, groups, pads)


class PhaseGrid:
    """Cells of (OH + 1) × (OW + 1) per image holding the four phase planes of x_pad; the
    valid outputs sit at the top left of each cell."""

    def __init__(self, N: int, hw, pads):
        self.N, self.hw, (self.top, self.left) = N, tuple(hw), (pads[0][0], pads[1][0])
        padded = (hw[0] + sum(pads[0]), hw[1] + sum(pads[1]))
        self.out_hw = tuple((p - 3) // 2 + 1 for p in padded)
        self.Hp, self.Wp = self.out_hw[0] + 1, self.out_hw[1] + 1
        self.size = N * self.Hp * self.Wp
        self.taps = np.array([[(2 * (i % 2) + j % 2, (i // 2) * self.Wp + j // 2)
                               for j in range(3)] for i in range(3)])


def forward(xc: np.ndarray, weight: np.ndarray, bias, pads) -> tuple:
    """(z (C_out, N, OH, OW), src, grid) for channel-major xc (C, N, H, W), a few images at
    a time per thread (as ``direct_conv.forward``)."""
    (C, N), C_out = xc.shape[:2], weight.shape[0]
    grid = PhaseGrid(N, xc.shape[2:], pads)
    cell = grid.Hp * grid.Wp
    src = np.empty((4, C, grid.size + grid.Wp + 1), dtype=xc.dtype)
    src[:, :, grid.size:] = 0
    z = np.empty((C_out, N) + grid.out_hw, dtype=xc.dtype)
    shift = np.zeros(C_out, xc.dtype) if bias is None else bias.astype(xc.dtype)
    w = np.ascontiguousarray(weight)

    def work(n0: int, n1: int) -> None:
        runs = direct_conv.chunks(n0, n1, 4 * C * cell * xc.itemsize, cell)
        scratch = np.empty((C_out, direct_conv.longest(runs) * cell), dtype=xc.dtype)
        for a, b in runs:
            _split_phases(xc[:, a:b], grid.top, grid.left, grid.Hp, grid.Wp, a * cell, src)
            direct_conv.convolve(src, grid.taps, w, shift, a * cell, b * cell, scratch,
                                 a * cell)
            direct_conv.crop(scratch, grid.Hp, grid.Wp, z[:, a:b])

    threads.split(work, N)
    return z, src, grid


def backward(src, grid: PhaseGrid, weight, grad_c, need_x: bool, need_w: bool):
    """(dL/dx (C, N, H, W) or None, dL/dw or None) from grad_c (C_out, N, OH, OW), a few
    images at a time per thread."""
    (C_out, N), C = grad_c.shape[:2], weight.shape[1]
    cell = grid.Hp * grid.Wp
    # dY at the top left of each cell after a head of Wp + 1 zeros: the taps of dY at
    # (Y − a, X − b), a, b ∈ {0, 1}, that _phase_grad reads are then at offsets ≥ 0, and
    # they read zeros off the image (a cell's last row and column are zero)
    head = grid.Wp + 1
    g = np.empty((C_out, head + grid.size + grid.Wp + 1), dtype=grad_c.dtype)
    g[:, head + grid.size:] = 0
    w = np.ascontiguousarray(weight)
    grad_x = np.empty((C, N) + grid.hw, dtype=grad_c.dtype) if need_x else None

    def work(n0: int, n1: int):
        runs = direct_conv.chunks(n0, n1, 4 * max(C, C_out) * cell * grad_c.itemsize,
                                  cell)
        phases = np.empty((4, C, direct_conv.longest(runs) * cell), dtype=grad_c.dtype)
        total = np.zeros((C_out, C, 3, 3)) if need_w else None
        for a, b in runs:        # (and the previous cell's zero last row, read as Y − 1)
            direct_conv.place_cells(grad_c[:, a:b], 0, 0, grid.Hp, grid.Wp, head + a * cell,
                                    head, 0, g)
            if need_w:
                total += direct_conv.weight_sums(src, grid.taps, g, head, a * cell, b * cell)
            if need_x:
                _phase_grad(g, w, grid.Wp, a * cell, b * cell, phases, a * cell)
                _merge_phases(phases, grid.top, grid.left, grid.Hp, grid.Wp, grad_x[:, a:b])
        return total

    parts = threads.split(work, N)
    return grad_x, (threads.total(parts).astype(src.dtype) if need_w else None)


if numba is not None:
    _jit = numba.njit(cache=True, nogil=True, fastmath=True, boundscheck=False,
                      error_model="numpy")
    block_size = direct_conv.block_size

    @_jit
    def _split_phases(planes, top, left, Hp, Wp, start, out):
        """out[2r + s, c, start + (n·Hp + Y)·Wp + X] = x_pad[c, n, 2Y + r, 2X + s] (x_pad =
        planes padded by top, left and zeros beyond), zeros elsewhere in those cells."""
        C, N, H, W = planes.shape
        half, odd = W // 2, left % 2      # x = 2k goes to plane s = left % 2
        for c in range(C):
            for p in range(4):
                out[p, c, start:start + N * Hp * Wp] = 0
            for n in range(N):
                for y in range(H):
                    r, Y = (y + top) % 2, (y + top) // 2
                    base = start + (n * Hp + Y) * Wp + left // 2
                    line = planes[c, n, y]
                    a = out[2 * r + odd, c, base:]                  # x = 2k at X = k + …
                    b = out[2 * r + 1 - odd, c, base + odd:]        # x = 2k + 1
                    for k in range(half):
                        a[k] = line[2 * k]
                        b[k] = line[2 * k + 1]
            if W % 2:                  # the last column (apart: in the loop above it
                for n in range(N):     # stopped LLVM vectorising, 1.6 against 0.9 ms)
                    for y in range(H):
                        r, Y = (y + top) % 2, (y + top) // 2
                        base = start + (n * Hp + Y) * Wp + left // 2
                        out[2 * r + odd, c, base + half] = planes[c, n, y, W - 1]

    @_jit
    def _phase_grad(g, w, Wp, q_start, q_stop, out, out_start):
        """The four phase planes of dL/dx_pad on the grid's cells: plane (r, s) at (Y, X) =
        Σ_o Σ_{i%2=r, j%2=s} w[o, c, i, j] · dY[Y − i//2, X − j//2], read as g[o, q + (1 −
        i//2)·Wp + 1 − j//2] (g: dY on the cells after a head of Wp + 1 zeros)."""
        C_out, C = w.shape[0], w.shape[1]
        step = block_size(q_stop - q_start)
        for q0 in range(q_start, q_stop, step):
            n = min(q_stop, q0 + step) - q0
            p0 = q0 - out_start
            for c in range(C):
                e0, f0 = out[0, c, p0:p0 + n], out[1, c, p0:p0 + n]
                e1, f1 = out[2, c, p0:p0 + n], out[3, c, p0:p0 + n]
                e0[:] = 0
                f0[:] = 0
                e1[:] = 0
                f1[:] = 0
                for o in range(C_out):
                    g0, g1 = g[o, q0 + Wp + 1:], g[o, q0 + Wp:]     # dY at (Y, X), (Y, X − 1)
                    g2, g3 = g[o, q0 + 1:], g[o, q0:]               # (Y − 1, X), (Y − 1, X − 1)
                    w00, w01, w02 = w[o, c, 0, 0], w[o, c, 0, 1], w[o, c, 0, 2]
                    w10, w11, w12 = w[o, c, 1, 0], w[o, c, 1, 1], w[o, c, 1, 2]
                    w20, w21, w22 = w[o, c, 2, 0], w[o, c, 2, 1], w[o, c, 2, 2]
                    for k in range(n):
                        a, b, d, e = g0[k], g1[k], g2[k], g3[k]
                        e0[k] += w00 * a + w02 * b + w20 * d + w22 * e
                        f0[k] += w01 * a + w21 * d
                        e1[k] += w10 * a + w12 * b
                        f1[k] += w11 * a

    @_jit
    def _merge_phases(phases, top, left, Hp, Wp, out):
        """out[c, n, y, x] = phase plane ((y + top)%2, (x + left)%2) at ((y + top)//2,
        (x + left)//2) of cells Hp × Wp: dL/dx from the phase planes of dL/dx_pad."""
        C, N, H, W = out.shape
        for c in range(C):
            for n in range(N):
                for y in range(H):
                    r, Y = (y + top) % 2, (y + top) // 2
                    start = (n * Hp + Y) * Wp
                    for x0 in range(min(2, W)):             # the even and odd columns
                        s, X0 = (x0 + left) % 2, (x0 + left) // 2
                        row = phases[2 * r + s, c, start + X0:]
                        line = out[c, n, y]
                        for k in range((W - x0 + 1) // 2):
                            line[x0 + 2 * k] = row[k]

"""3×3 stride-1 convolution by Winograd's minimal filtering F(m×m, 3×3) (numba + BLAS).

Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks". An m×m output tile
of the zero-padded input's α×α patch d (α = m + 2) is
    Y = Aᵀ [ Σ_c (G w[o, c] Gᵀ) ⊙ (Bᵀ d[c] B) ] A,
so with U[k] = (G w Gᵀ)[k] (C_out, C) and V[k] = (Bᵀ d B)[k] (C, tiles) for the α² positions
k, the sum over channels is α² matrix products M[k] = U[k] @ V[k]: F(4×4, 3×3) does 36
multiplies per tile and channel pair where the direct sum does 144 (4×).
Backward runs the same linear maps transposed, which is exact, not a second approximation:
dM = A dY Aᵀ, dU[k] = dM[k] @ V[k]ᵀ, dw = Gᵀ dU G, dV[k] = U[k]ᵀ @ dM[k], dx = Σ B dV Bᵀ.

Layout. Tiles are ordered (tile row, tile column, image) so that every transform is a few
long unit-stride loops over tile-column × image blocks, whatever the image size; the
input is read once into m "phase" planes Q[s][y, x′, n] = d[n, y, m·x′ + s] (zero padding
written there, no padded copy), from which the patch column m·x′ + s is a shifted block.
Training keeps each chunk's V from forward for dU (``keep``: 2.25× the input's memory
until backward, one input transform fewer per step); otherwise it is rebuilt there.
"""
from __future__ import annotations

import functools

import numpy as np

from ivanet.ops import jit, threads

numba = jit.numba

# Bᵀ, G, Aᵀ of F(2×2, 3×3) and F(4×4, 3×3) (Lavin & Gray 2016, sections 4.1 and 4.2)
MATRICES = {
    2: (np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]),
        np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]]),
        np.array([[1, 1, 1, 0], [0, 1, -1, -1]])),
    4: (np.array([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                  [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]]),
        np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                  [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]]),
        np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0],
                  [0, 1, -1, 8, -8, 1]])),
}

CHUNK_BYTES = 1 << 22       # a chunk's V (α², C, tiles): 4 MiB measured best (1 and 16 slower)


MIN_CHANNELS = 32           # below this the K = C products are too thin to pay (measured)


def applies(x: np.ndarray, weight: np.ndarray, stride, dilation, groups: int) -> bool:
    """A 3×3, stride-1, undilated, ungrouped convolution of float32/float64 input and
    weight of one dtype (NumPy arrays), with numba installed (conv2d takes it from
    ``MIN_CHANNELS`` channels)."""
    return (numba is not None and isinstance(x, np.ndarray) and isinstance(weight, np.ndarray)
            and tuple(weight.shape[2:]) == (3, 3) and stride == (1, 1)
            and dilation == (1, 1) and groups == 1 and x.dtype == weight.dtype
            and x.dtype in (np.float32, np.float64))


def sparse_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(count (R,), column (R, K), value (R, K)): each row's nonzeros, for loops that skip
    the zeros of a transform matrix (about 40 % of F(4×4, 3×3)'s Bᵀ). Past ``count`` the
    values are 0, so the kernels can always take nonzeros two at a time."""
    rows = [np.flatnonzero(row) for row in matrix]
    width = max(len(r) for r in rows) + 1                 # room for a (column, 0) pad term
    count = np.array([len(r) for r in rows], dtype=np.int64)
    column = np.zeros((len(rows), width), dtype=np.int64)
    value = np.zeros((len(rows), width), dtype=matrix.dtype)
    for i, r in enumerate(rows):
        column[i], value[i, :len(r)] = r[0], matrix[i, r]
        column[i, :len(r)] = r
    return count, column, value


class Plan:
    """Tile geometry and transform matrices for one convolution's shapes."""

    def __init__(self, out_hw, pads, dtype, m: int = 4):
        B_T, G, A_T = (a.astype(dtype) for a in MATRICES[m])
        self.G, self.m, self.alpha = G, m, m + 2
        self.GG = np.kron(G, G)         # (α², 9): vec(G w Gᵀ) = (G ⊗ G) vec(w), row-major
        self.B_T, self.B = sparse_rows(B_T), sparse_rows(B_T.T)
        self.A_T, self.A = sparse_rows(A_T), sparse_rows(A_T.T)
        self.TH, self.TW = -(-out_hw[0] // m), -(-out_hw[1] // m)
        self.top, self.left = pads[0][0], pads[1][0]
        self.out_hw, self.dtype = tuple(out_hw), dtype

    def chunks(self, start: int, stop: int, channels: int) -> list[tuple[int, int]]:
        """Runs of images start:stop whose V (α², channels, tiles) is about CHUNK_BYTES."""
        per_image = self.alpha ** 2 * channels * self.TH * self.TW * np.dtype(self.dtype).itemsize
        step = max(1, min(stop - start, CHUNK_BYTES // max(1, per_image)))
        return threads.even_runs(start, stop, step)

    def weight_transform(self, weight: np.ndarray) -> np.ndarray:
        """U (α², C_out, C) = G w Gᵀ for each (o, c), flattened over the α×α positions: one
        GEMM (G ⊗ G) @ w as (9, C_out·C) (two GEMMs and transposes measured 3× slower)."""
        C_out, C = weight.shape[:2]
        u = threads.serial_blas(np.matmul, self.GG, weight.reshape(C_out * C, 9).T)
        return u.reshape(self.alpha ** 2, C_out, C)

    def weight_grad(self, grad_u: np.ndarray) -> np.ndarray:
        """dL/dw (C_out, C, 3, 3) = Gᵀ dU G from dU (α², C_out, C): (G ⊗ G)ᵀ @ dU."""
        C_out, C = grad_u.shape[1], grad_u.shape[2]
        grad_w = threads.serial_blas(np.matmul, self.GG.T,
                                     grad_u.reshape(self.alpha ** 2, C_out * C))  # (9, C_out·C)
        return grad_w.T.reshape(C_out, C, 3, 3)

    def input_transform(self, xc, n0, n1) -> np.ndarray:
        """V (α², C, tiles) of images n0:n1 of channel-major xc (C, N, H, W)."""
        v = np.empty((self.alpha ** 2, xc.shape[0], self.TH * self.TW * (n1 - n0)), self.dtype)
        _input_transform(xc, n0, n1, self.top, self.left, self.TH, self.TW, *self.B_T, v)
        return v


@functools.lru_cache(maxsize=64)
def _plan(out_hw, pads, dtype, m: int) -> Plan:
    """One Plan per geometry: its sparse matrices cost ~0.2 ms of Python to build."""
    return Plan(out_hw, pads, dtype, m)


def forward(xc: np.ndarray, weight: np.ndarray, bias, pads, out_hw, m: int = 4,
            keep: bool = False) -> tuple:
    """Convolution of channel-major xc (C, N, H, W) → ((C_out, N, OH, OW), plan, U, kept):
    ``kept`` maps each run of images (n0, n1) to its V when ``keep`` (dL/dw will need it:
    2.25× the input's memory instead of a second input transform), else it is empty."""
    plan = _plan(tuple(out_hw), pads, xc.dtype, m)
    u = plan.weight_transform(weight)
    C, N = xc.shape[:2]
    out = np.empty((u.shape[1], N) + plan.out_hw, dtype=xc.dtype)
    shift = np.zeros(u.shape[1], xc.dtype) if bias is None else bias.astype(xc.dtype)
    kept: dict = {}

    def work(start: int, stop: int) -> None:
        for n0, n1 in plan.chunks(start, stop, max(C, u.shape[1])):
            v = plan.input_transform(xc, n0, n1)                      # (α², C, tiles)
            if keep:
                kept[n0, n1] = v
            products = np.matmul(u, v)                                # (α², C_out, tiles)
            _output_transform(products, shift, n0, n1, plan.TH, plan.TW, *plan.A_T, out)

    threads.split(work, N)
    return out, plan, u, kept


def backward(xc, plan: Plan, u, kept: dict, grad_c, need_x: bool, need_w: bool):
    """(dL/dx (C, N, H, W) or None, dL/dw or None) from grad_c (C_out, N, OH, OW); the V
    of forward's runs of images in ``kept`` are used (and dropped) where the runs match."""
    C, N = xc.shape[:2]
    grad_x = np.empty_like(xc) if need_x else None
    u_t = u.transpose(0, 2, 1)                                       # (α², C, C_out)

    def work(start: int, stop: int):
        grad_u = np.zeros(u.shape, dtype=xc.dtype) if need_w else None
        for n0, n1 in plan.chunks(start, stop, max(C, u.shape[1])):
            grad_m = np.empty((plan.alpha ** 2, u.shape[1], plan.TH * plan.TW * (n1 - n0)),
                              dtype=xc.dtype)
            _grad_transform(grad_c, n0, n1, plan.TH, plan.TW, *plan.A, grad_m)
            if need_w:
                v = kept.pop((n0, n1), None)
                v = plan.input_transform(xc, n0, n1) if v is None else v
                grad_u += np.matmul(grad_m, v.transpose(0, 2, 1))
            if need_x:
                grad_v = np.matmul(u_t, grad_m)                       # (α², C, tiles)
                _input_adjoint(grad_v, n0, n1, plan.top, plan.left, plan.TH, plan.TW,
                               *plan.B, grad_x)
        return grad_u

    parts = threads.split(work, N)
    return grad_x, (plan.weight_grad(threads.total(parts)) if need_w else None)


if numba is not None:
    _jit = numba.njit(cache=True, nogil=True, boundscheck=False, error_model="numpy")

    @_jit
    def _pair(dst, first, base, c0, src0, off0, c1, src1, off1, length):
        """dst[:length] = base + (or, unless ``first``, +=) c0·src0[off0:] + c1·src1[off1:].

        Two terms a pass: one store per two products, and only three streams, so LLVM
        vectorises it (a pass per term costs 1.7× the memory traffic; a pass over all
        terms has too many possibly-aliased streams for LLVM's runtime checks).
        """
        if first:
            for q in range(length):
                dst[q] = base + c0 * src0[off0 + q] + c1 * src1[off1 + q]
        else:
            for q in range(length):
                dst[q] += c0 * src0[off0 + q] + c1 * src1[off1 + q]

    @_jit
    def _phase_positions(W, left, m, n, row, rows):
        """where[x]: the flat offset of input column x (image 0) in the (m, rows, row)
        phase planes of one input row: phase (x + left) % m, tile column (x + left) // m."""
        where = np.empty(W, dtype=np.int64)
        for x in range(W):
            p = x + left
            where[x] = (p % m) * rows * row + (p // m) * n
        return where

    @_jit
    def _tile_positions(OW, m, n, block):
        """where[x]: the flat offset of output column x (image 0) in an (m, block) tile row:
        tile position x % m, tile column x // m."""
        where = np.empty(OW, dtype=np.int64)
        for x in range(OW):
            where[x] = (x % m) * block + (x // m) * n
        return where

    @_jit
    def _input_transform(xc, n0, n1, top, left, TH, TW, count, column, value, v):
        """v[r·α + j, c, (ty, tx, i)] = (Bᵀ d B)[r, j] of image n0 + i's patch (ty, tx)."""
        alpha = count.shape[0]
        m, n, (C, _, H, W) = alpha - 2, n1 - n0, xc.shape
        PH, block = m * TH + 2, TW * (n1 - n0)
        phases = np.zeros((m, PH, (TW + 1) * n), dtype=v.dtype)     # Q[s][y, x′·n + i]
        cols = np.empty((alpha, PH, block), dtype=v.dtype)           # (d B)[y, j] blocks
        where = _phase_positions(W, left, m, n, phases.shape[2], PH)
        flat = phases.reshape(-1)
        for c in range(C):
            for i in range(n):
                for y in range(H):
                    src, at = xc[c, n0 + i, y], (y + top) * phases.shape[2] + i
                    for x in range(W):
                        flat[where[x] + at] = src[x]
            for j in range(alpha):               # column transform: patch column s is
                for y in range(PH):              # phase s % m shifted by s // m tiles
                    for q in range(0, count[j], 2):
                        s0, s1 = column[j, q], column[j, q + 1]
                        _pair(cols[j, y], q == 0, 0, value[j, q], phases[s0 % m, y],
                              (s0 // m) * n, value[j, q + 1], phases[s1 % m, y], (s1 // m) * n,
                              block)
            for r in range(alpha):               # row transform, one tile row at a time
                for j in range(alpha):
                    out = v[r * alpha + j, c]
                    for ty in range(TH):
                        dst, y = out[ty * block:(ty + 1) * block], m * ty
                        for q in range(0, count[r], 2):
                            _pair(dst, q == 0, 0, value[r, q], cols[j, y + column[r, q]], 0,
                                  value[r, q + 1], cols[j, y + column[r, q + 1]], 0, block)

    @_jit
    def _output_transform(mm, shift, n0, n1, TH, TW, count, column, value, out):
        """out[o, n0 + i] = Aᵀ M A per tile (+ shift[o]), cropped to (OH, OW)."""
        m, alpha = count.shape[0], mm.shape[0] ** 0.5
        alpha = int(alpha + 0.5)
        n, block = n1 - n0, TW * (n1 - n0)
        C_out, _, OH, OW = out.shape
        rows = np.empty((m, alpha, block), dtype=out.dtype)          # (Aᵀ M)[a, j]
        tile = np.empty((m, m, block), dtype=out.dtype)              # (Aᵀ M A)[a, b]
        where = _tile_positions(OW, m, n, block)
        for o in range(C_out):
            for ty in range(TH):
                for a in range(m):
                    for j in range(alpha):
                        for q in range(0, count[a], 2):
                            i0, i1 = column[a, q], column[a, q + 1]
                            _pair(rows[a, j], q == 0, 0, value[a, q], mm[i0 * alpha + j, o],
                                  ty * block, value[a, q + 1], mm[i1 * alpha + j, o],
                                  ty * block, block)
                    for b in range(m):
                        for q in range(0, count[b], 2):
                            _pair(tile[a, b], q == 0, shift[o], value[b, q],
                                  rows[a, column[b, q]], 0, value[b, q + 1],
                                  rows[a, column[b, q + 1]], 0, block)
                for a in range(min(m, OH - m * ty)):
                    src = tile[a].reshape(-1)
                    for i in range(n):
                        row = out[o, n0 + i, m * ty + a]
                        for x in range(OW):
                            row[x] = src[where[x] + i]

    @_jit
    def _grad_transform(grad_c, n0, n1, TH, TW, count, column, value, grad_m):
        """grad_m[i·α + j, o, tile] = (A dY Aᵀ)[i, j] for the tile's m×m gradient dY (zero
        past the edge); count/column/value are A's rows."""
        alpha = count.shape[0]
        m, n, block = alpha - 2, n1 - n0, TW * (n1 - n0)
        C_out, _, OH, OW = grad_c.shape
        tile = np.zeros((m, m, block), dtype=grad_m.dtype)           # dY[a, b]
        where = _tile_positions(OW, m, n, block)
        rows = np.empty((m, alpha, block), dtype=grad_m.dtype)       # (dY Aᵀ)[a, j]
        for o in range(C_out):
            for ty in range(TH):
                if m * ty + m > OH or m * TW > OW:
                    tile[:] = 0
                for a in range(min(m, OH - m * ty)):
                    dst = tile[a].reshape(-1)
                    for i in range(n):
                        row = grad_c[o, n0 + i, m * ty + a]
                        for x in range(OW):
                            dst[where[x] + i] = row[x]
                for a in range(m):               # (dY Aᵀ)[a, j] = Σ_b dY[a, b] A[j, b]
                    for j in range(alpha):
                        for q in range(0, count[j], 2):
                            _pair(rows[a, j], q == 0, 0, value[j, q], tile[a, column[j, q]], 0,
                                  value[j, q + 1], tile[a, column[j, q + 1]], 0, block)
                base = ty * block
                for i in range(alpha):           # dM[i, j] = Σ_a A[i, a] (dY Aᵀ)[a, j]
                    for j in range(alpha):
                        dst = grad_m[i * alpha + j, o, base:base + block]
                        for q in range(0, count[i], 2):
                            _pair(dst, q == 0, 0, value[i, q], rows[column[i, q], j], 0,
                                  value[i, q + 1], rows[column[i, q + 1], j], 0, block)

    @_jit
    def _input_adjoint(grad_v, n0, n1, top, left, TH, TW, count, column, value, grad_x):
        """grad_x[c, n0 + i] = Σ over tiles of B dV Bᵀ added at the patch, padding dropped:
        the input transform's steps transposed, in reverse order, each written as a gather
        (count/column/value are B's rows, Bᵀ's columns)."""
        alpha = count.shape[0]
        m, n, (C, _, H, W) = alpha - 2, n1 - n0, grad_x.shape
        PH, block = m * TH + 2, TW * (n1 - n0)
        phases = np.empty((m, PH, (TW + 1) * n), dtype=grad_x.dtype)
        cols = np.empty((alpha, PH, block), dtype=grad_x.dtype)
        where = _phase_positions(W, left, m, n, phases.shape[2], PH)
        flat = phases.reshape(-1)
        for c in range(C):
            for j in range(alpha):               # row y of a patch column: row s = y − m·ty
                for y in range(PH):              # of the one or two tiles that cover it
                    dst, first = cols[j, y], True
                    for ty in range(max(0, -((alpha - 1 - y) // m)), min(TH, y // m + 1)):
                        s = y - m * ty
                        for q in range(0, count[s], 2):
                            _pair(dst, first, 0, value[s, q], grad_v[column[s, q] * alpha + j, c],
                                  ty * block, value[s, q + 1],
                                  grad_v[column[s, q + 1] * alpha + j, c], ty * block, block)
                            first = False
            for p in range(m):                   # phase p gets patch columns p and p + m,
                for y in range(PH):              # the latter one tile to the right
                    row = phases[p, y]
                    for q in range(0, count[p], 2):
                        _pair(row, q == 0, 0, value[p, q], cols[column[p, q], y], 0,
                              value[p, q + 1], cols[column[p, q + 1], y], 0, block)
                    row[block:] = 0
                    s = p + m
                    if s < alpha:
                        for q in range(0, count[s], 2):
                            _pair(row[n:], False, 0, value[s, q], cols[column[s, q], y], 0,
                                  value[s, q + 1], cols[column[s, q + 1], y], 0, block)
            for i in range(n):
                for y in range(H):
                    dst, at = grad_x[c, n0 + i, y], (y + top) * phases.shape[2] + i
                    for x in range(W):
                        dst[x] = flat[where[x] + at]

"""The LSTM step's elementwise work as one numba loop each way (float32, contiguous).

``ivanet.ops.recurrent_kernels.lstm_forward`` / ``lstm_backward`` call these after (before)
the step's matrix product when numba is installed; otherwise they run the same formulas as
a dozen NumPy passes over the (b, 4H) gate block, about 290 µs of a 1,080 µs forward step
for the benchmark's LSTM (b = 32, H = 256), measured. Here each row of the block is read
once while it is in L1.

Forward, per row (the gates hold the scaled pre-activations, see ``lstm_constants``):
    a = gx + h W_hhᵀ (scaled);  gate = numerator / (1 + eᵃ), minus 1 for g (tanh);
    c' = f c + i g;  tanh c' = 2 / (1 + e^(−2c')) − 1;  h' = o tanh c'.
Backward, per row, with the gate slopes computed on the fly (σ' = s (1 − s),
tanh' = 1 − g²) instead of in two passes over all steps:
    dc_total = dc + dh o (1 − tanh² c');
    d(i, f, g, o) = (dc_total g, dc_total c, dc_total i, dh tanh c') × slopes;  dc ← dc_total f.
The exponentials are ``ivanet.ops.exp_kernels``' vectorised Cephes expf.
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import jit

numba = jit.numba

_ONE, _TWO = np.float32(1.0), np.float32(2.0)


def fused(*arrays: np.ndarray) -> bool:
    """True when the numba kernels apply: numba installed, all float32 and C-contiguous."""
    return numba is not None and all(a.dtype == np.float32 and a.flags.c_contiguous
                                     for a in arrays)


if numba is not None:
    from ivanet.ops.exp_kernels import exp_kernel   # defined only where numba is

    @numba.njit(cache=True, boundscheck=False, error_model="numpy")
    def lstm_forward_rows(gates, hidden, c, numerator, shifts, c_out, tanh_c, h_out):
        """gates (b, 4H): scaled gx in, activated i, f, g, o out; ``hidden`` (b, 4H) is
        h W_hhᵀ (scaled); c (b, H) the previous cell; writes c_out, tanh_c, h_out (b, H)."""
        rows, G = gates.shape
        H = G // 4
        for r in range(rows):
            row, add = gates[r], hidden[r]
            for j in range(G):
                row[j] += add[j]
            exp_kernel(row, shifts)
            for j in range(G):
                row[j] = numerator[j] / (row[j] + _ONE)
            for j in range(2 * H, 3 * H):
                row[j] -= _ONE
            c_prev, c_new, t_new, h_new = c[r], c_out[r], tanh_c[r], h_out[r]
            for j in range(H):
                value = row[H + j] * c_prev[j] + row[j] * row[2 * H + j]
                c_new[j] = value
                t_new[j] = -_TWO * value
            exp_kernel(t_new, shifts)
            for j in range(H):
                t = _TWO / (t_new[j] + _ONE) - _ONE
                t_new[j] = t
                h_new[j] = row[3 * H + j] * t

    @numba.njit(cache=True, boundscheck=False, error_model="numpy")
    def lstm_backward_rows(dh, dc, gates, c_prev, tanh_c, dgates):
        """dgates (b, 4H) ← the pre-activation gradients; dc ← the previous step's dc."""
        rows, G = gates.shape
        H = G // 4
        for r in range(rows):
            gate, d, dh_r, dc_r, cp, tc = gates[r], dgates[r], dh[r], dc[r], c_prev[r], tanh_c[r]
            for j in range(H):
                i, f, g, o = gate[j], gate[H + j], gate[2 * H + j], gate[3 * H + j]
                t = tc[j]
                dhj = dh_r[j]
                total = dc_r[j] + dhj * o * (_ONE - t * t)
                d[j] = total * g * i * (_ONE - i)
                d[H + j] = total * cp[j] * f * (_ONE - f)
                d[2 * H + j] = total * i * (_ONE - g * g)
                d[3 * H + j] = dhj * t * o * (_ONE - o)
                dc_r[j] = total * f

"""One time step of the RNN, GRU and LSTM cells, forward and backward, on raw arrays.

The sequence and cell ops (``ivanet.ops.recurrent``) call these in their time loops. Each
step works on the first ``b`` rows (the sequences still running, longest first), writes
into storage the op owns (``out=``, no temporaries per step) and returns nothing.

Input projections ``gx = x W_ihᵀ + b`` are computed for all steps at once before the loop;
a step adds only the recurrent product h W_hhᵀ. Gate layouts are PyTorch's: LSTM (i, f, g, o)
with W rows in that order, GRU (r, z, n).
"""
from __future__ import annotations

import numpy as np

from ivanet.ops import lstm_kernels
from ivanet.ops.exp_kernels import exp_


def transposed(w: np.ndarray) -> np.ndarray:
    """wᵀ as a contiguous copy: h @ wᵀ on a transposed view runs about 1.5 times slower in
    OpenBLAS for the small-batch (N, H) @ (H, G·H) products of a time loop."""
    return np.ascontiguousarray(w.T)


def sigmoid_(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e⁻ˣ) in place. An exp is cheaper than NumPy's tanh, so this is
    twice as fast as ½ tanh(x/2) + ½; a huge e⁻ˣ gives 0 (callers silence the overflow
    warning with ``np.errstate``). ``exp_``: see ``ivanet.ops.exp_kernels``."""
    np.negative(x, out=x)
    exp_(x)
    np.add(x, 1.0, out=x)
    np.divide(1.0, x, out=x)
    return x


def tanh_(x: np.ndarray) -> np.ndarray:
    """tanh(x) = 1 − 2 / (e²ˣ + 1) in place (exp-based, see ``sigmoid_``)."""
    np.multiply(x, 2.0, out=x)
    exp_(x)
    np.add(x, 1.0, out=x)
    np.divide(-2.0, x, out=x)
    np.add(x, 1.0, out=x)
    return x


def _sigmoid_grad_(grad: np.ndarray, s: np.ndarray, scratch: np.ndarray) -> None:
    """grad *= σ'(z) = s (1 − s), given s = σ(z)."""
    np.subtract(1.0, s, out=scratch)
    scratch *= s
    grad *= scratch


def _tanh_grad_(grad: np.ndarray, t: np.ndarray, scratch: np.ndarray) -> None:
    """grad *= tanh'(z) = 1 − t², given t = tanh(z)."""
    np.multiply(t, t, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    grad *= scratch


# ----------------------------------------------------------------------------- RNN
def rnn_forward(gx, h, w_hh_t, h_out, *, relu: bool) -> None:
    """h' = act(gx + h W_hhᵀ), act = tanh or ReLU (gx already holds both biases).

    ``w_hh_t`` is W_hhᵀ as a contiguous array (see ``transposed``)."""
    np.matmul(h, w_hh_t, out=h_out)
    h_out += gx
    if relu:
        np.maximum(h_out, 0.0, out=h_out)
    else:
        tanh_(h_out)


def rnn_backward(dh, h_new, w_hh, dpre, *, relu: bool) -> None:
    """dpre = dh · act'(z); dh ← dpre W_hh (the gradient for the previous state)."""
    if relu:
        np.multiply(dh, h_new > 0, out=dpre)
    else:
        np.multiply(h_new, h_new, out=dpre)
        np.subtract(1.0, dpre, out=dpre)
        dpre *= dh
    np.matmul(dpre, w_hh, out=dh)


# ----------------------------------------------------------------------------- LSTM
# All four gates take one exp per step: σ(x) = 1/(1 + e⁻ˣ) and tanh(x) = 2/(1 + e⁻²ˣ) − 1,
# so with the pre-activations scaled by the "scale" constants (−1 for i, f, o; −2 for g, folded into
# W_hh and gx before the loop) every gate is NUMERATOR / (1 + e^(scaled)) (− 1 for g), on
# the whole contiguous (b, 4H) block instead of four strided slices.
def lstm_constants(H: int, dtype) -> dict[str, np.ndarray]:
    """Per-column constants of the gate block (i, f, g, o)."""
    def row(i, f, g, o):
        return np.repeat(np.array([i, f, g, o], dtype=dtype), H)
    return {"scale": row(-1, -1, -2, -1), "numerator": row(1, 1, 2, 1),
            "slope": row(1, 1, 0, 1), "offset": row(0, 0, 1, 0)}


def lstm_forward(gates, h, c, w_hh_scaled_t, numerator, scratch, c_out, tanh_c, h_out) -> None:
    """i, f, g, o = σ, σ, tanh, σ of gx + h W_hhᵀ;  c' = f c + i g;  h' = o tanh(c').

    ``gates`` (b, 4H) holds the scaled gx on entry and the activated gates on exit (kept
    for backward); ``w_hh_scaled_t`` is W_hhᵀ (contiguous) with its columns multiplied by the
    "scale" constants.
    """
    H = h_out.shape[1]
    np.matmul(h, w_hh_scaled_t, out=scratch)
    if lstm_kernels.fused(gates, scratch, c, c_out, tanh_c, h_out):
        lstm_kernels.lstm_forward_rows(gates, scratch, c, numerator,
                                       np.empty(gates.shape[1], np.int32), c_out, tanh_c,
                                       h_out)
        return
    gates += scratch
    words = scratch.view(np.int32) if scratch.dtype == np.float32 else None  # exp's scratch
    exp_(gates, words)
    gates += 1.0
    np.divide(numerator, gates, out=gates)
    i, f, g, o = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]
    g -= 1.0
    np.multiply(f, c, out=c_out)
    np.multiply(i, g, out=h_out)              # h_out as scratch, overwritten below
    c_out += h_out
    np.multiply(c_out, -2.0, out=tanh_c)      # tanh c' = 2 / (1 + e^(−2c')) − 1
    exp_(tanh_c, words)
    tanh_c += 1.0
    np.divide(2.0, tanh_c, out=tanh_c)
    tanh_c -= 1.0
    np.multiply(o, tanh_c, out=h_out)


def lstm_gate_slopes(gates: np.ndarray, constants: dict, out: np.ndarray) -> np.ndarray:
    """d(gate)/d(pre-activation) for all steps at once: s (1 − s) for σ, 1 − g² for tanh."""
    np.subtract(constants["slope"], gates, out=out)
    out *= gates
    out += constants["offset"]
    return out


def lstm_backward(dh, dc, gates, c_prev, tanh_c, o_slope, w_hh, dgates, scratch) -> None:
    """Gate pre-activation gradients into ``dgates``; dh, dc become the gradients for the
    previous step (dh ← dgates W_hh, dc ← dc_total · f).

    ``o_slope`` None: the fused loop (``ivanet.ops.lstm_kernels``) computes the gate slopes
    itself. Otherwise ``dgates`` holds the gate slopes on entry (``lstm_gate_slopes``) and
    ``o_slope`` = o (1 − tanh² c'), both precomputed for all steps.
    """
    if o_slope is None:
        lstm_kernels.lstm_backward_rows(dh, dc, gates, c_prev, tanh_c, dgates)
        np.matmul(dgates, w_hh, out=dh)
        return
    H = dh.shape[1]
    i, f, g = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H]
    np.multiply(dh, tanh_c, out=scratch[:, 3 * H:])   # ∂h'/∂o = tanh c'
    tmp = scratch[:, :H]
    np.multiply(dh, o_slope, out=tmp)
    dc += tmp                                         # dc' += dh o (1 − tanh² c')
    np.multiply(dc, g, out=scratch[:, :H])
    np.multiply(dc, c_prev, out=scratch[:, H:2 * H])
    np.multiply(dc, i, out=scratch[:, 2 * H:3 * H])
    dc *= f                                           # dc for the previous step
    dgates *= scratch                                 # × the slopes: pre-activation grads
    np.matmul(dgates, w_hh, out=dh)


# ----------------------------------------------------------------------------- GRU
def gru_forward(gx, h, w_hh_t, b_hn, gates, gh, h_out) -> None:
    """r, z = σ(gx + h W_hhᵀ);  n = tanh(gx_n + r (h W_hnᵀ + b_hn));  h' = n + z (h − n).

    ``gx`` holds b_ih and the r, z parts of b_hh; ``gh`` (b, 3H) keeps h W_hhᵀ (+ b_hn in
    its n part) and ``gates`` (b, 3H) the activated r, z, n for backward. ``w_hh_t`` is
    W_hhᵀ, contiguous.
    """
    H = h_out.shape[1]
    np.matmul(h, w_hh_t, out=gh)
    if b_hn is not None:
        gh[:, 2 * H:] += b_hn
    rz = gates[:, :2 * H]
    np.add(gx[:, :2 * H], gh[:, :2 * H], out=rz)
    sigmoid_(rz)
    n = gates[:, 2 * H:]
    np.multiply(gates[:, :H], gh[:, 2 * H:], out=n)
    n += gx[:, 2 * H:]
    tanh_(n)
    np.subtract(h, n, out=h_out)
    h_out *= gates[:, H:2 * H]
    h_out += n


def gru_backward(dh, h_prev, gates, gh, w_hh, dgx, dgh, scratch) -> None:
    """Gradients of the input-side (``dgx``) and hidden-side (``dgh``) pre-activations;
    dh becomes the gradient for the previous state."""
    H = dh.shape[1]
    r, z, n = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:]
    dr, dz, dn = dgx[:, :H], dgx[:, H:2 * H], dgx[:, 2 * H:]
    np.subtract(h_prev, n, out=dz)
    dz *= dh                                          # ∂h'/∂z = h − n
    np.subtract(1.0, z, out=dn)
    dn *= dh                                          # ∂h'/∂n = 1 − z
    _tanh_grad_(dn, n, scratch)
    np.multiply(dn, gh[:, 2 * H:], out=dr)            # ∂n_pre/∂r = h W_hnᵀ + b_hn
    _sigmoid_grad_(dgx[:, :2 * H], gates[:, :2 * H], dgh[:, :2 * H])
    dgh[:, :2 * H] = dgx[:, :2 * H]
    np.multiply(dn, r, out=dgh[:, 2 * H:])
    dh *= z                                           # the direct path h → h'
    np.matmul(dgh, w_hh, out=scratch)
    dh += scratch

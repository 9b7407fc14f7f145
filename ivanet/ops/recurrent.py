"""Recurrent layers' math: a whole sequence, or one cell step, as ONE op with its own BPTT.

Per layer and direction the forward pass projects every time step's input at once
(gx = X W_ihᵀ + b, one matrix product over T·N rows), then loops over time adding only
h W_hhᵀ; backward loops back through time (iteratively, so 10,000 steps are fine) and
finishes with one product each for dX, dW_ih and dW_hh. Cells (PyTorch's gate layouts):

    RNN   h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)                      (or ReLU)
    LSTM  i, f, g, o = σ, σ, tanh, σ(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
          c' = f c + i g,  h' = o tanh(c')
    GRU   r, z = σ(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (their rows)
          n = tanh(x W_inᵀ + b_in + r (h W_hnᵀ + b_hn)),  h' = (1 − z) n + z h

The sequence op returns one array (T + k, N, H): the outputs h_1..h_T, then h_n (and c_n
for the LSTM); the functions below split it. Variable lengths: sequence j runs for
``lengths[j]`` steps, outputs past its end are 0 and its final state is the one at its
last true step; ``reverse`` runs each sequence backwards within its own length.
Truncated BPTT: pass a detached h0 (``h.detach()``).
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops import lstm_kernels
from ivanet.ops import recurrent_kernels as kernels
from ivanet.ops.allocator import prefault_blas_buffer
from ivanet.ops.embedding import check_ids, scatter_add_rows
from ivanet.ops.recurrent_order import SequenceOrder, check_inputs

prefault_blas_buffer()   # the time loops' small products run 1.45× faster (see allocator.py)

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}


class RecurrentSequence(Function):
    """A whole sequence through one RNN/GRU/LSTM layer direction (see the module docstring).

    Inputs x (T, N, I), h0 and c0 (N, H) or None (zeros), W_ih (G·H, I), W_hh (G·H, H),
    b_ih and b_hh (G·H,) or None; output (T + k, N, H).
    """

    def forward(self, x, h0, c0, w_ih, w_hh, b_ih, b_hh, *, mode, lengths=None,
                reverse=False, ids=None, padding_idx=None):
        check_inputs(mode, GATES[mode], x, h0, c0, w_ih, w_hh, b_ih, b_hh, lengths, ids)
        if ids is not None:
            check_ids(ids, x.shape[0], mode)
        T, N = x.shape[:2] if ids is None else ids.shape
        H = w_hh.shape[1]
        order = SequenceOrder(T, N, lengths, reverse)
        xw = order.gather(x if ids is None else ids)      # ids: (T, N) rows of the table x
        h0w = order.rows(h0) if h0 is not None else np.zeros((N, H), x.dtype)
        c0w = order.rows(c0) if c0 is not None else np.zeros((N, H), x.dtype)
        constants = kernels.lstm_constants(H, x.dtype) if mode == "lstm" else None
        scale = constants["scale"] if constants else None
        if ids is None:
            gx = self._input_projection(xw, w_ih, b_ih, b_hh, mode, H, scale)
        else:                        # project the V table rows once, then pick rows
            gx = self._input_projection(x[None], w_ih, b_ih, b_hh, mode, H, scale)[0][xw]
        k = 2 if mode == "lstm" else 1
        alloc = np.empty if order.uniform else np.zeros
        out = alloc((T + k, N, H), x.dtype)
        self.mode, self.order, self.sizes = mode, order, order.batch_sizes
        with np.errstate(over="ignore"):                     # e^x = inf is handled
            if mode == "lstm":
                saved = self._forward_lstm(gx, h0w, c0w, w_hh, out, constants)
            elif mode == "gru":
                saved = self._forward_gru(gx, h0w, w_hh, b_hh, out)
            else:
                saved = self._forward_rnn(gx, h0w, w_hh, out)
        order.final_state(out[T], out[:T])
        if self.recording:
            self.xw, self.h0w, self.c0w, self.w_ih, self.w_hh = xw, h0w, c0w, w_ih, w_hh
            self.table, self.padding_idx = (None, None) if ids is None else (x, padding_idx)
            self.out_work, self.saved = out, saved
        return order.scatter_output(out, T)

    @staticmethod
    def _input_projection(xw, w_ih, b_ih, b_hh, mode, H, scale=None):
        """gx = (X W_ihᵀ + b_ih + b_hh)·scale for all T·N rows, with one pass after the product.

        The GRU keeps b_hn out (r scales it). ``scale`` (per gate column, the LSTM's) is
        folded into W_ih and the summed bias, which are small, instead of into gx (8 MB for
        the benchmark's LSTM); its values are powers of two, so the products are unchanged.
        """
        T, N, I = xw.shape
        bias = None if b_ih is None else b_ih.copy()
        if b_hh is not None:
            part = b_hh[:2 * H] if mode == "gru" else b_hh
            if bias is None:
                bias = np.zeros(w_ih.shape[0], w_ih.dtype)
            bias[:part.shape[0]] += part
        if scale is not None:
            w_ih = w_ih * scale[:, None]
            bias = None if bias is None else bias * scale
        gx = (xw.reshape(T * N, I) @ w_ih.T).reshape(T, N, -1)   # (T, N, G·H)
        if bias is not None:
            gx += bias
        return gx

    def _forward_rnn(self, gx, h0, w_hh, out):
        relu = self.mode == "rnn_relu"
        w_hh_t = kernels.transposed(w_hh)
        for t, b in enumerate(self.sizes):
            h = h0[:b] if t == 0 else out[t - 1, :b]
            kernels.rnn_forward(gx[t, :b], h, w_hh_t, out[t, :b], relu=relu)
        return {}

    def _forward_lstm(self, gx, h0, c0, w_hh, out, constants):
        T, N, H = gx.shape[0], gx.shape[1], w_hh.shape[1]
        gates = gx               # already scaled; each step turns its gx into gates
        w_hh_scaled_t = kernels.transposed(w_hh) * constants["scale"]
        alloc = np.empty if self.order.uniform else np.zeros   # finished rows stay finite
        cs, tanh_c = alloc((2, T, N, H), gx.dtype)
        scratch = np.empty((N, 4 * H), gx.dtype)
        for t, b in enumerate(self.sizes):
            h, c = (h0[:b], c0[:b]) if t == 0 else (out[t - 1, :b], cs[t - 1, :b])
            kernels.lstm_forward(gates[t, :b], h, c, w_hh_scaled_t, constants["numerator"],
                                 scratch[:b], cs[t, :b], tanh_c[t, :b], out[t, :b])
        self.order.final_state(out[T + 1], cs)
        return {"gates": gates, "cs": cs, "tanh_c": tanh_c, "constants": constants}

    def _forward_gru(self, gx, h0, w_hh, b_hh, out):
        T, N, H = gx.shape[0], gx.shape[1], w_hh.shape[1]
        b_hn = b_hh[2 * H:] if b_hh is not None else None
        gates, gh = np.empty((2, T, N, 3 * H), gx.dtype)
        w_hh_t = kernels.transposed(w_hh)
        for t, b in enumerate(self.sizes):
            h = h0[:b] if t == 0 else out[t - 1, :b]
            kernels.gru_forward(gx[t, :b], h, w_hh_t, b_hn, gates[t, :b], gh[t, :b],
                                out[t, :b])
        return {"gates": gates, "gh": gh}

    def backward(self, grad):
        order, T = self.order, self.order.T
        dy, dh, dc = order.gather_grad(grad, T)
        alloc = np.empty if order.uniform else np.zeros
        dgx = alloc((T, order.N, self.w_hh.shape[0]), grad.dtype)
        if self.mode == "lstm":
            dgh = self._backward_lstm(dy, dh, dc, dgx)
        elif self.mode == "gru":
            dgh = self._backward_gru(dy, dh, dgx, alloc)
        else:
            dgh = self._backward_rnn(dy, dh, dgx)
        return self._parameter_grads(dgx, dgh, dh, dc)

    def _backward_rnn(self, dy, dh, dgx):
        relu = self.mode == "rnn_relu"
        for t in range(len(self.sizes) - 1, -1, -1):
            b = self.sizes[t]
            dh[:b] += dy[t, :b]
            kernels.rnn_backward(dh[:b], self.out_work[t, :b], self.w_hh, dgx[t, :b],
                                 relu=relu)
        return dgx

    def _backward_lstm(self, dy, dh, dc, dgx):
        saved, H = self.saved, dh.shape[1]
        gates, cs, tanh_c = saved["gates"], saved["cs"], saved["tanh_c"]
        fused = lstm_kernels.fused(dh, dc, gates, tanh_c, dgx, self.c0w)
        o_slope = None                       # the fused loop computes the slopes per step
        if not fused:
            kernels.lstm_gate_slopes(gates, saved["constants"], out=dgx)  # (T, N, 4H)
            o_slope = np.multiply(tanh_c, tanh_c)                          # o (1 − tanh² c)
            np.subtract(1.0, o_slope, out=o_slope)
            o_slope *= gates[:, :, 3 * H:]
        scratch = np.empty((dh.shape[0], 4 * H), dh.dtype)
        for t in range(len(self.sizes) - 1, -1, -1):
            b = self.sizes[t]
            dh[:b] += dy[t, :b]
            c_prev = self.c0w[:b] if t == 0 else cs[t - 1, :b]
            kernels.lstm_backward(dh[:b], dc[:b], gates[t, :b], c_prev, tanh_c[t, :b],
                                  None if fused else o_slope[t, :b], self.w_hh, dgx[t, :b],
                                  scratch[:b])
        if not self.order.uniform and not fused:
            for t, b in enumerate(self.sizes):          # finished rows: slopes, not grads
                dgx[t, b:] = 0
        return dgx

    def _backward_gru(self, dy, dh, dgx, alloc):
        gates, gh = self.saved["gates"], self.saved["gh"]
        dgh = alloc(dgx.shape, dgx.dtype)
        scratch = np.empty_like(dh)
        for t in range(len(self.sizes) - 1, -1, -1):
            b = self.sizes[t]
            dh[:b] += dy[t, :b]
            h_prev = self.h0w[:b] if t == 0 else self.out_work[t - 1, :b]
            kernels.gru_backward(dh[:b], h_prev, gates[t, :b], gh[t, :b], self.w_hh,
                                 dgx[t, :b], dgh[t, :b], scratch[:b])
        return dgh

    def _parameter_grads(self, dgx, dgh, dh0, dc0):
        """dX, dh0, dc0, dW_ih, dW_hh, db_ih, db_hh from the per-step pre-activation grads."""
        needs, order = self.needs_input_grad, self.order
        T, N, G = dgx.shape
        dgx_rows = dgx.reshape(T * N, G)
        if self.table is not None:
            dx, dw_ih = self._table_grads(dgx_rows, needs)
        else:
            I = self.xw.shape[2]
            dx = order.scatter_grad((dgx_rows @ self.w_ih).reshape(T, N, I)) \
                if needs[0] else None
            dw_ih = dgx_rows.T @ self.xw.reshape(T * N, I) if needs[3] else None
        dw_hh = None
        if needs[4]:
            dw_hh = dgh[0].T @ self.h0w
            if T > 1:
                H = self.w_hh.shape[1]
                dw_hh += dgh[1:].reshape(-1, G).T @ self.out_work[:T - 1].reshape(-1, H)
        shared = dgh is dgx                  # RNN, LSTM: both biases see the same gradient
        row_sum = dgx_rows.sum(axis=0) if needs[5] or (needs[6] and shared) else None
        db_ih = row_sum if needs[5] else None
        db_hh = None
        if needs[6]:
            db_hh = row_sum.copy() if shared else dgh.reshape(T * N, G).sum(axis=0)
        dh0 = order.unrows(dh0) if needs[1] else None
        dc0 = order.unrows(dc0) if needs[2] else None
        return dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh

    def _table_grads(self, dgx_rows, needs):
        """d(table) and dW_ih when the inputs are rows ``ids`` of a (V, I) table.

        The T·N rows' gradients are first summed per id into (V, G·H), one pass; then two
        products of the table's size replace dX (T·N, I) and dW_ih over T·N rows. The
        ``padding_idx`` row gets no gradient (as ``Embedding``); dW_ih still sees it.
        """
        d_rows = scatter_add_rows(self.xw.reshape(-1), dgx_rows,
                                  np.zeros((self.table.shape[0], dgx_rows.shape[1]),
                                           dgx_rows.dtype))
        dx = d_rows @ self.w_ih if needs[0] else None
        if dx is not None and self.padding_idx is not None:
            dx[self.padding_idx] = 0
        dw_ih = d_rows.T @ self.table if needs[3] else None
        return dx, dw_ih


class RecurrentCell(RecurrentSequence):
    """One step of an RNN/GRU/LSTM cell: x (N, I), h (N, H) → h' (N, H), or (2, N, H)
    holding h' and c' for the LSTM. Same math and backward as a sequence of length 1."""

    def forward(self, x, h, c, w_ih, w_hh, b_ih, b_hh, *, mode):
        if x.ndim != 2:
            raise ValueError(f"{mode} cell: input must be 2-D (batch, input_size), "
                             f"got shape {x.shape}")
        packed = super().forward(x[None], h, c, w_ih, w_hh, b_ih, b_hh, mode=mode)
        return packed[1:] if mode == "lstm" else packed[1]

    def backward(self, grad):
        full = np.zeros((3 if self.mode == "lstm" else 2,) + self.h0w.shape, grad.dtype)
        full[1:] = grad
        grads = super().backward(full)
        return (grads[0][0] if grads[0] is not None else None,) + grads[1:]


def _sequence(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, lengths, reverse, ids, padding_idx):
    lengths = None if lengths is None else np.asarray(lengths)
    ids = None if ids is None else np.asarray(ids.data if isinstance(ids, Tensor) else ids)
    return RecurrentSequence.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode=mode,
                                   lengths=lengths, reverse=reverse, ids=ids,
                                   padding_idx=padding_idx)


def rnn(x: Tensor, h0: Tensor | None, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
        b_hh: Tensor | None = None, *, nonlinearity: str = "tanh", lengths=None,
        reverse: bool = False, ids=None, padding_idx: int | None = None
        ) -> tuple[Tensor, Tensor]:
    """Elman RNN over a sequence. Shape: x (T, N, I), h0 (N, H) → out (T, N, H), h_n (N, H).

    ``ids`` (T, N): x is a (V, I) embedding table instead and step t of sequence n reads
    row ids[t, n] (see ``lstm``)."""
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"rnn: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    packed = _sequence(f"rnn_{nonlinearity}", x, h0, None, w_ih, w_hh, b_ih, b_hh, lengths,
                       reverse, ids, padding_idx)
    T = packed.shape[0] - 1
    return packed[:T], packed[T]


def gru(x: Tensor, h0: Tensor | None, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
        b_hh: Tensor | None = None, *, lengths=None, reverse: bool = False, ids=None,
        padding_idx: int | None = None) -> tuple[Tensor, Tensor]:
    """GRU over a sequence. Shape: x (T, N, I), h0 (N, H) → out (T, N, H), h_n (N, H).

    ``ids`` (T, N): x is a (V, I) embedding table instead (see ``lstm``)."""
    packed = _sequence("gru", x, h0, None, w_ih, w_hh, b_ih, b_hh, lengths, reverse, ids,
                       padding_idx)
    T = packed.shape[0] - 1
    return packed[:T], packed[T]


def lstm(x: Tensor, h0: Tensor | None, c0: Tensor | None, w_ih: Tensor, w_hh: Tensor,
         b_ih: Tensor | None = None, b_hh: Tensor | None = None, *, lengths=None,
         reverse: bool = False, ids=None, padding_idx: int | None = None
         ) -> tuple[Tensor, Tensor, Tensor]:
    """LSTM over a sequence.

    Shape: x (T, N, I), h0 and c0 (N, H) → out (T, N, H), h_n (N, H), c_n (N, H).

    With ``ids`` (T, N) integers, x is a (V, I) embedding table and step t of sequence n
    reads row ids[t, n]: the same result as ``lstm(embedding(ids, x), ...)``, but the V
    table rows are projected once instead of T·N looked-up rows (V = 65 against T·N =
    2,048 in the char LSTM), and x's gradient is summed per id before its products. Row
    ``padding_idx`` of x gets no gradient, as in ``embedding``.
    """
    packed = _sequence("lstm", x, h0, c0, w_ih, w_hh, b_ih, b_hh, lengths, reverse, ids,
                       padding_idx)
    T = packed.shape[0] - 2
    return packed[:T], packed[T], packed[T + 1]


def rnn_cell(x: Tensor, h: Tensor | None, w_ih: Tensor, w_hh: Tensor,
             b_ih: Tensor | None = None, b_hh: Tensor | None = None,
             nonlinearity: str = "tanh") -> Tensor:
    """One RNN step h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh). Shape: (N, I), (N, H) → (N, H)."""
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"rnn_cell: nonlinearity must be 'tanh' or 'relu', "
                         f"got {nonlinearity!r}")
    return RecurrentCell.apply(x, h, None, w_ih, w_hh, b_ih, b_hh, mode=f"rnn_{nonlinearity}")


def gru_cell(x: Tensor, h: Tensor | None, w_ih: Tensor, w_hh: Tensor,
             b_ih: Tensor | None = None, b_hh: Tensor | None = None) -> Tensor:
    """One GRU step (PyTorch's r, z, n). Shape: x (N, I), h (N, H) → h' (N, H)."""
    return RecurrentCell.apply(x, h, None, w_ih, w_hh, b_ih, b_hh, mode="gru")


def lstm_cell(x: Tensor, h: Tensor | None, c: Tensor | None, w_ih: Tensor, w_hh: Tensor,
              b_ih: Tensor | None = None, b_hh: Tensor | None = None
              ) -> tuple[Tensor, Tensor]:
    """One LSTM step (PyTorch's i, f, g, o). Shape: x (N, I), h, c (N, H) → h', c' (N, H)."""
    packed = RecurrentCell.apply(x, h, c, w_ih, w_hh, b_ih, b_hh, mode="lstm")
    return packed[0], packed[1]

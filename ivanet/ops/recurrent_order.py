"""Bookkeeping for the recurrent ops: the order in which sequences are processed, and checks.

With variable lengths the batch is sorted longest first, so the sequences still running
at step t are always the first ``batch_sizes[t]`` rows (plain slices, no masks — how
PyTorch's packed sequences work). ``reverse`` reads each sequence backwards within its own
length. One gather maps (time, row) of the user's layout to the work layout and one
scatter maps back; with equal lengths, forwards, both are the identity.
"""
from __future__ import annotations

import numpy as np


class SequenceOrder:
    """The work layout of a (T, N, ...) batch for given ``lengths`` and direction."""

    def __init__(self, T: int, N: int, lengths, reverse: bool) -> None:
        self.T, self.N, self.reverse = T, N, bool(reverse)
        self.uniform = lengths is None
        if self.uniform:
            self.perm = None
            self.batch_sizes = [N] * T
            return
        self.perm = np.argsort(-lengths, kind="stable")
        self.lengths = lengths[self.perm].astype(np.intp)            # longest first
        steps = np.arange(T)[:, None]
        self.batch_sizes = (self.lengths[None, :] > steps).sum(axis=1).tolist()
        running = steps < self.lengths[None, :]
        flipped = self.lengths[None, :] - 1 - steps
        self.time = np.where(running, flipped, steps) if self.reverse else np.broadcast_to(
            steps, (T, N))                                            # (T, N) user time

    @property
    def identity(self) -> bool:
        return self.uniform and not self.reverse

    def gather(self, seq: np.ndarray) -> np.ndarray:
        """(T, N, ...) in the user's layout → the work layout."""
        if self.uniform:
            return seq[::-1] if self.reverse else seq
        return seq[self.time, self.perm[None, :]]

    def scatter(self, seq: np.ndarray) -> np.ndarray:
        """(T, N, ...) in the work layout → the user's layout (a new array)."""
        if self.uniform:
            return np.ascontiguousarray(seq[::-1]) if self.reverse else seq
        result = np.empty_like(seq)
        result[self.time, self.perm[None, :]] = seq
        return result

    def rows(self, state: np.ndarray) -> np.ndarray:
        """(N, H) rows in the user's order → work order."""
        return state if self.perm is None else state[self.perm]

    def unrows(self, state: np.ndarray) -> np.ndarray:
        """(N, H) rows in work order → the user's order."""
        if self.perm is None:
            return state
        result = np.empty_like(state)
        result[self.perm] = state
        return result

    def final_state(self, dst: np.ndarray, seq: np.ndarray) -> None:
        """dst[j] = seq[last true step of row j] (work order)."""
        if self.uniform:
            dst[...] = seq[self.T - 1]
        else:
            dst[...] = seq[self.lengths - 1, np.arange(self.N)]

    def scatter_output(self, packed: np.ndarray, T: int) -> np.ndarray:
        """The (T + k, N, H) packed output in the user's layout."""
        if self.identity:
            return packed
        result = np.empty_like(packed)
        result[:T] = self.scatter(packed[:T])
        for row in range(T, packed.shape[0]):
            result[row] = self.unrows(packed[row])
        return result

    def gather_grad(self, grad: np.ndarray, T: int):
        """The packed output's gradient split into dy (work layout), dh_n and dc_n (copies)."""
        dy = self.gather(grad[:T])
        dh = np.array(self.rows(grad[T]), copy=True)
        dc = np.array(self.rows(grad[T + 1]), copy=True) if grad.shape[0] > T + 1 else None
        return dy, dh, dc

    def scatter_grad(self, dx: np.ndarray) -> np.ndarray:
        return self.scatter(dx)


def check_inputs(mode, gates, x, h0, c0, w_ih, w_hh, b_ih, b_hh, lengths, ids=None) -> None:
    """Clear errors for the recurrent ops' inputs (expected vs got). With ``ids`` (T, N),
    ``x`` is a (V, I) table whose rows ``ids`` are the inputs."""
    if ids is not None:
        if x.ndim != 2 or ids.ndim != 2 or ids.dtype.kind not in "iu":
            raise ValueError(f"{mode}: an input given as rows of a table needs a 2-D table "
                             f"(vocabulary, input_size) and 2-D integer ids (seq_len, batch), "
                             f"got table {x.shape} and ids {ids.shape} {ids.dtype}")
        T, N, I = ids.shape + x.shape[1:]
    elif x.ndim != 3:
        raise ValueError(f"{mode}: input must be 3-D (seq_len, batch, input_size), "
                         f"got shape {x.shape}")
    else:
        T, N, I = x.shape
    if T == 0:
        raise ValueError(f"{mode}: sequence length is 0 (input shape {(T, N, I)}); "
                         "a recurrent layer needs at least one time step")
    H = w_hh.shape[-1]
    if w_hh.shape != (gates * H, H):
        raise ValueError(f"{mode}: weight_hh must have shape ({gates * H}, {H}), "
                         f"got {w_hh.shape}")
    if w_ih.shape != (gates * H, I):
        raise ValueError(f"{mode}: weight_ih must have shape ({gates * H}, {I}) for "
                         f"input_size {I}, got {w_ih.shape}")
    for name, bias in (("bias_ih", b_ih), ("bias_hh", b_hh)):
        if bias is not None and bias.shape != (gates * H,):
            raise ValueError(f"{mode}: {name} must have shape ({gates * H},), got {bias.shape}")
    for name, state in (("h0", h0), ("c0", c0)):
        if state is not None and state.shape != (N, H):
            raise ValueError(f"{mode}: {name} must have shape ({N}, {H}) (batch, hidden_size), "
                             f"got {state.shape}")
    if lengths is not None:
        check_lengths(mode, lengths, T, N)


def check_lengths(where: str, lengths: np.ndarray, T: int, N: int) -> None:
    """Lengths: N integers in [1, T]."""
    if lengths.shape != (N,) or lengths.dtype.kind not in "iu":
        raise ValueError(f"{where}: lengths must be {N} integers (one per sequence), got "
                         f"shape {lengths.shape} dtype {lengths.dtype}")
    if N and (lengths.min() < 1 or lengths.max() > T):
        bad = int(lengths[(lengths < 1) | (lengths > T)][0])
        raise ValueError(f"{where}: every length must be in [1, {T}] (the padded sequence "
                         f"length), got {bad}")

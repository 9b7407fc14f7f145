"""Skip-gram negative-sampling loss as one op (word2vec, Mikolov et al. 2013).

For a centre word c, its context word o and K noise words n₁..n_K, with input vectors
v = W_in[c] and output vectors u = W_out[·]:

    J = −log σ(u_o·v_c) − Σ_k log σ(−u_{n_k}·v_c),   averaged over the batch.

One op instead of gather → dot → log-sigmoid → sum: its backward computes the gradient of
only the B·(K + 2) rows the batch used, then scatters it into the tables.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops.embedding import check_ids


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    """log σ(z) = −log(1 + e^(−z)), without overflow for large |z|."""
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class SkipGramNegativeSampling(Function):
    """J = −(1/B) Σ_b [log σ(s_b0) + Σ_k log σ(−s_bk)],  s_bj = W_out[t_bj]·W_in[c_b],
    t_b = (o_b, n_b1..n_bK).  With y = (+1, −1, …, −1) and
    g_bj = ∂J/∂s_bj = −(1/B)·y_bj·σ(−y_bj·s_bj):
    ∂J/∂W_in[c_b] += Σ_j g_bj W_out[t_bj],  ∂J/∂W_out[t_bj] += g_bj W_in[c_b]."""

    def forward(self, w_in, w_out, centres, targets):
        v = w_in[centres]                                    # (B, D)
        u = w_out[targets]                                   # (B, 1 + K, D)
        scores = np.einsum("bd,bjd->bj", v, u)               # (B, 1 + K)
        scores[:, 1:] *= -1                                  # y·s: + for o, − for noise
        if self.recording:
            self.saved = (v, u, scores, centres, targets, w_in.shape, w_out.shape)
        total = -_log_sigmoid(scores).sum(dtype=scores.dtype)
        return np.asarray(total / scores.dtype.type(len(v)))

    def backward(self, grad):
        v, u, scores, centres, targets, in_shape, out_shape = self.saved
        g = _sigmoid(-scores)                                # σ(−y·s)
        g *= -grad / len(v)
        g[:, 1:] *= -1                                       # g_bj = −y_bj σ(−y_bj s_bj) / B
        grad_in = grad_out = None
        if self.needs_input_grad[0]:
            grad_in = np.zeros(in_shape, dtype=v.dtype)
            np.add.at(grad_in, centres, np.einsum("bj,bjd->bd", g, u))
        if self.needs_input_grad[1]:
            grad_out = np.zeros(out_shape, dtype=v.dtype)
            rows = (g[:, :, None] * v[:, None, :]).reshape(-1, v.shape[1])
            np.add.at(grad_out, targets.reshape(-1), rows)
        return grad_in, grad_out, None, None


def sgns_loss(w_in: Tensor, w_out: Tensor, centres, contexts, negatives) -> Tensor:
    """Mean skip-gram negative-sampling loss of a batch (a scalar Tensor).

    Shape: w_in, w_out (V, D); centres, contexts (B,) int; negatives (B, K) int.
    """
    centres, contexts = np.asarray(centres), np.asarray(contexts)
    negatives = np.asarray(negatives)
    vocab = w_in.shape[0]
    if w_out.shape != w_in.shape:
        raise ValueError(f"sgns_loss: w_in and w_out must have the same shape (V, D), got "
                         f"{w_in.shape} and {w_out.shape}")
    if centres.ndim != 1 or contexts.shape != centres.shape or negatives.ndim != 2 \
            or negatives.shape[0] != centres.shape[0]:
        raise ValueError(f"sgns_loss: expected centres (B,), contexts (B,), negatives (B, K); "
                         f"got {centres.shape}, {contexts.shape}, {negatives.shape}")
    for ids, where in ((centres, "centres"), (contexts, "contexts"), (negatives, "negatives")):
        check_ids(ids, vocab, f"sgns_loss {where}")
    targets = np.concatenate([contexts[:, None], negatives], axis=1)   # (B, 1 + K)
    return SkipGramNegativeSampling.apply(w_in, w_out, centres, targets)

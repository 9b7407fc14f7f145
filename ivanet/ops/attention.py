"""Attention as fused ops: dot-product, scaled dot-product and additive (Bahdanau).

Every variant scores each query against each key, turns the scores into weights with a
softmax over the keys, and returns the weighted sum of the values:

    dot-product     s_ij = q_i · k_j
    scaled          s_ij = q_i · k_j / √d                      (Vaswani et al., 2017)
    additive        s_ij = wᵀ tanh(q_i + k_j)  on projected q, k  (Bahdanau et al., 2014)
    a_ij = softmax_j(s_ij),   out_i = Σ_j a_ij v_j

``mask`` (boolean, broadcast to (..., Lq, Lk)) is True where a query may look at a key;
masked keys get exactly zero weight, and a query with no allowed key gets zero output.
With ``return_weights`` the functions also return the weights a (a constant Tensor, for
plots: no gradient flows through it).
"""
from __future__ import annotations

import math

import numpy as np

from ivanet.autograd.broadcast import unbroadcast
from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor


def masked_softmax(scores: np.ndarray, mask) -> np.ndarray:
    """softmax over the last axis, in place on ``scores``; masked entries become exactly 0."""
    if mask is not None:
        np.copyto(scores, -np.inf, where=~mask)
    peak = scores.max(axis=-1, keepdims=True)
    if mask is not None:
        peak[~np.isfinite(peak)] = 0                      # a fully masked row
    scores -= peak
    np.exp(scores, out=scores)
    total = scores.sum(axis=-1, keepdims=True)
    if mask is not None:
        total[total == 0] = 1
    scores /= total
    return scores


def _softmax_backward(weights: np.ndarray, grad_weights: np.ndarray) -> np.ndarray:
    """ds = a ⊙ (da − Σ_j a_j da_j), in place on ``grad_weights``."""
    inner = (grad_weights * weights).sum(axis=-1, keepdims=True)
    grad_weights -= inner
    grad_weights *= weights
    return grad_weights


def _check_mask(mask, shape, where):
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"{where}: mask must be boolean (True = may attend), got {mask.dtype}")
    try:
        np.broadcast_shapes(mask.shape, shape)
    except ValueError:
        raise ValueError(f"{where}: mask of shape {mask.shape} does not broadcast to the "
                         f"scores' shape {shape} (..., queries, keys)") from None
    return mask


class ScaledDotProductAttention(Function):
    """out = softmax(q kᵀ · scale, masked) v;  with a = the weights and g = dL/dout:
    dv = aᵀ g,  ds = a ⊙ (g vᵀ − Σ_j a g vᵀ),  dq = ds k · scale,  dk = dsᵀ q · scale."""

    def forward(self, q, k, v, mask=None, scale=1.0, sink=None):
        if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
            raise ValueError(f"attention: queries {q.shape}, keys {k.shape} and values "
                             f"{v.shape} do not fit (need q (..., Lq, d), k (..., Lk, d), "
                             "v (..., Lk, dv))")
        scores = np.matmul(q, np.swapaxes(k, -1, -2))             # (..., Lq, Lk)
        scores *= scale
        mask = _check_mask(mask, scores.shape, "attention")
        weights = masked_softmax(scores, mask)
        if sink is not None:
            sink.append(weights)
        if self.recording:
            self.q, self.k, self.v, self.scale, self.a = q, k, v, scale, weights
        return np.matmul(weights, v)                              # (..., Lq, dv)

    def backward(self, grad):
        needs, a = self.needs_input_grad, self.a
        grad_v = _unbroadcast(np.matmul(np.swapaxes(a, -1, -2), grad), self.v.shape) \
            if needs[2] else None
        ds = _softmax_backward(a, np.matmul(grad, np.swapaxes(self.v, -1, -2)))
        ds *= self.scale
        grad_q = _unbroadcast(np.matmul(ds, self.k), self.q.shape) if needs[0] else None
        grad_k = _unbroadcast(np.matmul(np.swapaxes(ds, -1, -2), self.q), self.k.shape) \
            if needs[1] else None
        return grad_q, grad_k, grad_v


class AdditiveAttention(Function):
    """out = softmax(tanh(q_i + k_j) · w, masked) v with q, k already projected to A units.

    u = tanh(q_i + k_j) (..., Lq, Lk, A);  ds as for dot-product attention;
    dw = Σ ds u,  du = ds w (1 − u²),  dq = Σ_j du,  dk = Σ_i du.
    """

    def forward(self, q, k, w, v, mask=None, sink=None):
        if q.shape[-1] != k.shape[-1] or w.shape != q.shape[-1:]:
            raise ValueError(f"additive attention: projected queries {q.shape}, keys "
                             f"{k.shape} and score vector {w.shape} must share their last "
                             "dimension")
        u = np.tanh(q[..., :, None, :] + k[..., None, :, :])      # (..., Lq, Lk, A)
        scores = u @ w                                            # (..., Lq, Lk)
        mask = _check_mask(mask, scores.shape, "additive attention")
        weights = masked_softmax(scores, mask)
        if sink is not None:
            sink.append(weights)
        if self.recording:
            self.u, self.w, self.v, self.a = u, w, v, weights
            self.shapes = (q.shape, k.shape)
        return np.matmul(weights, v)

    def backward(self, grad):
        needs, a, u = self.needs_input_grad, self.a, self.u
        grad_v = _unbroadcast(np.matmul(np.swapaxes(a, -1, -2), grad), self.v.shape) \
            if needs[3] else None
        ds = _softmax_backward(a, np.matmul(grad, np.swapaxes(self.v, -1, -2)))
        grad_w = np.tensordot(ds, u, axes=ds.ndim) if needs[2] else None
        du = np.subtract(1.0, u * u)
        du *= ds[..., None]
        du *= self.w                                              # (..., Lq, Lk, A)
        grad_q = _unbroadcast(du.sum(axis=-2), self.shapes[0]) if needs[0] else None
        grad_k = _unbroadcast(du.sum(axis=-3), self.shapes[1]) if needs[1] else None
        return grad_q, grad_k, grad_w, grad_v


def _unbroadcast(grad: np.ndarray, shape) -> np.ndarray:
    """Sum the leading axes a batch broadcast added or stretched."""
    return unbroadcast(grad, shape)


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask=None,
                                 scale: float | None = None, return_weights: bool = False):
    """softmax(q kᵀ / √d) v with an optional boolean ``mask`` (True = may attend).

    Shape: q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv) → (..., Lq, dv)
    [, weights (..., Lq, Lk)].
    """
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    return _attend(ScaledDotProductAttention, (q, k, v, mask, scale), return_weights)


def dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask=None,
                          return_weights: bool = False):
    """softmax(q kᵀ) v (Luong's "dot" score). Shapes as ``scaled_dot_product_attention``."""
    return _attend(ScaledDotProductAttention, (q, k, v, mask, 1.0), return_weights)


def additive_attention(q: Tensor, k: Tensor, w: Tensor, v: Tensor, mask=None,
                       return_weights: bool = False):
    """Bahdanau's score wᵀ tanh(q_i + k_j) on queries and keys already projected
    (q = s W_qᵀ, k = h W_kᵀ, both with A units; see ``nn.AdditiveAttention``).

    Shape: q (..., Lq, A), k (..., Lk, A), w (A,), v (..., Lk, dv) → (..., Lq, dv)
    [, weights (..., Lq, Lk)].
    """
    return _attend(AdditiveAttention, (q, k, w, v, mask), return_weights)


def _attend(cls, args, return_weights: bool):
    sink: list = []                                  # forward appends its weights here
    out = cls.apply(*args, sink=sink if return_weights else None)
    return (out, Tensor(sink[0])) if return_weights else out

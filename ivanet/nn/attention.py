"""Attention layers: dot-product, additive (Bahdanau) and multi-head (Vaswani et al., 2017).

Masks follow PyTorch's layers: ``key_padding_mask`` (N, S) and a boolean ``attn_mask``
(L, S) or (N·heads, L, S) are True where attention is NOT allowed. (The functional ops in
``ivanet.ops.attention`` take the opposite, a mask that is True where it is allowed.)
"""
from __future__ import annotations

import math

import numpy as np

from ivanet.autograd.tensor import Tensor
from ivanet.nn.checks import check_features, check_size
from ivanet.nn.init import xavier_uniform_, zeros_
from ivanet.nn.linear import Linear
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops import attention as A
from ivanet.ops.linear import linear
from ivanet.ops.shape import getitem, reshape, swapaxes, transpose


def _allowed(layer, attn_mask, key_padding_mask, N: int, heads: int, L: int, S: int):
    """One boolean mask (N, heads, L, S) or broadcastable, True where attention is allowed."""
    allowed = None
    if attn_mask is not None:
        blocked = np.asarray(getattr(attn_mask, "data", attn_mask))
        if blocked.dtype != np.bool_:
            raise TypeError(f"{layer.describe()}: attn_mask must be boolean "
                            f"(True = not allowed), got dtype {blocked.dtype}")
        if blocked.shape == (N * heads, L, S):
            blocked = blocked.reshape(N, heads, L, S)
        elif blocked.shape != (L, S):
            raise ValueError(f"{layer.describe()}: attn_mask must have shape ({L}, {S}) or "
                             f"({N * heads}, {L}, {S}), got {blocked.shape}")
        allowed = ~blocked
    if key_padding_mask is not None:
        padding = np.asarray(getattr(key_padding_mask, "data", key_padding_mask))
        if padding.shape != (N, S) or padding.dtype != np.bool_:
            raise ValueError(f"{layer.describe()}: key_padding_mask must be boolean of shape "
                             f"({N}, {S}), got {padding.dtype} {padding.shape}")
        keep = ~padding[:, None, None, :]
        allowed = keep if allowed is None else allowed & keep
    return allowed


class MultiheadAttention(Module):
    """softmax(Q_h K_hᵀ/√d) V_h for each of ``num_heads`` heads, concatenated, then W_o.

    Parameters as PyTorch's: ``in_proj_weight`` (3E, E) and ``in_proj_bias`` (3E,) hold
    W_q, W_k, W_v stacked; ``out_proj`` is a Linear(E, E).
    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True)`` → (output, weights or None); the weights (N, L, S), or
    (N, heads, L, S) when not averaged, are a constant Tensor for plots.

    Shape: query (L, N, E), key and value (S, N, E); (N, L, E) etc. with batch_first →
    output like query.
    """

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True,
                 batch_first: bool = False, rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        super().__init__()
        self.embed_dim = check_size("embed_dim", embed_dim)
        self.num_heads = check_size("num_heads", num_heads)
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim {embed_dim} is not divisible by "
                             f"num_heads {num_heads}")
        self.head_dim = embed_dim // num_heads
        self.batch_first = bool(batch_first)
        self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype))
        self.register_parameter(
            "in_proj_bias", Parameter(np.zeros(3 * embed_dim, dtype)) if bias else None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, rng=rng, dtype=dtype)
        xavier_uniform_(self.in_proj_weight, rng=rng)
        if bias:
            zeros_(self.out_proj.bias)

    def _project(self, x, part: int):
        """x (B, T, E) → (B, heads, T, head_dim) with the ``part``-th third of in_proj."""
        E = self.embed_dim
        rows = slice(part * E, (part + 1) * E)
        bias = getitem(self.in_proj_bias, rows) if self.in_proj_bias is not None else None
        y = linear(x, getitem(self.in_proj_weight, rows), bias)
        B, T = y.shape[0], y.shape[1]
        return transpose(reshape(y, (B, T, self.num_heads, self.head_dim)), (0, 2, 1, 3))

    def forward(self, query, key, value, key_padding_mask=None, need_weights: bool = True,
                attn_mask=None, average_attn_weights: bool = True):
        for name, x in (("query", query), ("key", key), ("value", value)):
            check_features(self, x, self.embed_dim)
            if len(x.shape) != 3:
                raise ValueError(f"{self.describe()}: {name} must be 3-D, got {x.shape}")
        if not self.batch_first:
            query, key, value = (swapaxes(t, 0, 1) for t in (query, key, value))
        N, L, S = query.shape[0], query.shape[1], key.shape[1]
        if key.shape[0] != N or value.shape[:2] != key.shape[:2]:
            raise ValueError(f"{self.describe()}: query, key and value batch/length do not "
                             f"fit: {query.shape}, {key.shape}, {value.shape} (batch first)")
        allowed = _allowed(self, attn_mask, key_padding_mask, N, self.num_heads, L, S)
        q, k, v = self._project(query, 0), self._project(key, 1), self._project(value, 2)
        out, weights = A.scaled_dot_product_attention(q, k, v, mask=allowed,
                                                      return_weights=True)
        out = reshape(transpose(out, (0, 2, 1, 3)), (N, L, self.embed_dim))   # (N, L, E)
        out = self.out_proj(out)
        if not self.batch_first:
            out = swapaxes(out, 0, 1)
        if not need_weights:
            return out, None
        return out, Tensor(weights.data.mean(axis=1)) if average_attn_weights else weights

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"


class AdditiveAttention(Module):
    """Bahdanau attention: e_ij = vᵀ tanh(W_q q_i + W_k k_j + b), a = softmax_j e,
    context_i = Σ_j a_ij value_j.

    ``forward(query, keys, values=None, mask=None)`` → (context, weights); ``mask``
    (N, S) or (N, L, S) boolean, True where a key may be attended (e.g. not padding).
    Shape: query (N, L, query_size) or (N, query_size), keys (N, S, key_size),
    values (N, S, dv) (default: keys) → context (N, L, dv) or (N, dv), weights (N, L, S).
    """

    def __init__(self, query_size: int, key_size: int, attention_size: int,
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        self.query_proj = Linear(query_size, attention_size, bias=False, init="xavier",
                                 rng=rng, dtype=dtype)
        self.key_proj = Linear(key_size, attention_size, bias=True, init="xavier", rng=rng,
                               dtype=dtype)
        self.v = Parameter(np.empty(attention_size, dtype))
        bound = 1.0 / math.sqrt(attention_size)
        self.v.data[...] = (rng if rng is not None else np.random.default_rng()).uniform(
            -bound, bound, attention_size)

    def forward(self, query, keys, values=None, mask=None):
        values = keys if values is None else values
        single = len(query.shape) == 2
        if single:
            query = reshape(query, (query.shape[0], 1, query.shape[1]))
        if mask is not None:
            mask = np.asarray(getattr(mask, "data", mask))
            mask = mask[:, None, :] if mask.ndim == 2 else mask
        q, k = self.query_proj(query), self.key_proj(keys)
        context, weights = A.additive_attention(q, k, self.v, values, mask=mask,
                                                return_weights=True)
        if single:
            context = reshape(context, (context.shape[0], context.shape[2]))
            weights = Tensor(weights.data[:, 0])
        return context, weights


class DotProductAttention(Module):
    """softmax(q kᵀ · s) v with s = 1/√d (``scaled=True``, default) or 1 (Luong's dot).

    ``forward(query, keys, values=None, mask=None)`` → (context, weights); mask True where
    allowed. Shape: query (..., L, d), keys (..., S, d), values (..., S, dv) → (..., L, dv).
    """

    def __init__(self, scaled: bool = True) -> None:
        super().__init__()
        self.scaled = bool(scaled)

    def forward(self, query, keys, values=None, mask=None):
        values = keys if values is None else values
        fn = A.scaled_dot_product_attention if self.scaled else A.dot_product_attention
        return fn(query, keys, values, mask=mask, return_weights=True)

    def extra_repr(self) -> str:
        return f"scaled={self.scaled}"

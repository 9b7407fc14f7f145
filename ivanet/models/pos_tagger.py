"""``pos_tagger``: many-to-many sequence labelling with a bidirectional LSTM (Day 4).

Embedding (``<pad>`` = 0 stays a zero vector) → bidirectional LSTM told each sentence's
true length (padding never reaches a state) → Linear from both directions' outputs to the
tags at every position. Each word's tag sees the words before and after it.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.ops.shape import transpose


class BiLSTMTagger(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, num_tags, T),
    the class axis second as ``cross_entropy`` expects for (N, T) targets."""

    def __init__(self, vocab_size: int, num_tags: int, embedding_dim: int = 64,
                 hidden_size: int = 64, num_layers: int = 1, dropout: float = 0.2,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers,
                            batch_first=True, bidirectional=True, rng=rng)
        self.dropout = nn.Dropout(dropout, rng=rng)
        self.head = nn.Linear(2 * hidden_size, num_tags, init="torch", rng=rng)

    def forward(self, ids):
        data = np.asarray(getattr(ids, "data", ids))
        lengths = np.maximum((data != 0).sum(axis=1), 1)                 # (N,) true lengths
        out, _ = self.lstm(self.embedding(ids), lengths=lengths)         # (N, T, 2H)
        return transpose(self.head(self.dropout(out)), (0, 2, 1))        # (N, K, T)


@register_model("pos_tagger", "bidirectional LSTM sequence tagger: embedding, BiLSTM, "
                "linear per word")
def pos_tagger(input_shape: Sequence[int] = (64,), num_classes: int = 50,
               vocab_size: int = 10000, embedding_dim: int = 64, hidden_size: int = 64,
               num_layers: int = 1, dropout: float = 0.2,
               rng: np.random.Generator | None = None) -> nn.Module:
    """``num_classes`` is the tag count, ``vocab_size`` the word vocabulary's size (both
    from the data under ``ivanet train``). Shape: (N, T) → (N, num_classes, T)."""
    return BiLSTMTagger(vocab_size, num_classes, embedding_dim, hidden_size, num_layers,
                        dropout, rng)

"""``sentiment_rnn``: many-to-one text classification (Day 4's "sentiment classification").

Embedding (``<pad>`` = 0 stays a zero vector) → LSTM or GRU over the words, told each
sentence's true length so padding never reaches the state → the last hidden state (both
directions' when bidirectional) → dropout → Linear to the classes.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.ops.shape import reshape, transpose

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}


class SentimentRNN(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, num_classes)."""

    def __init__(self, vocab_size: int, num_classes: int = 2, embedding_dim: int = 64,
                 hidden_size: int = 64, cell: str = "lstm", num_layers: int = 1,
                 bidirectional: bool = False, dropout: float = 0.3,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ModelError(f"sentiment_rnn: cell must be one of {', '.join(CELLS)}, "
                             f"got {cell!r}")
        rng = rng if rng is not None else np.random.default_rng()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.rnn = CELLS[cell](embedding_dim, hidden_size, num_layers=num_layers,
                               batch_first=True, bidirectional=bidirectional, rng=rng)
        self.is_lstm, self.directions = cell == "lstm", 2 if bidirectional else 1
        self.dropout = nn.Dropout(dropout, rng=rng)
        self.head = nn.Linear(hidden_size * self.directions, num_classes, init="torch",
                              rng=rng)

    def forward(self, ids):
        data = np.asarray(getattr(ids, "data", ids))
        lengths = np.maximum((data != 0).sum(axis=1), 1)                 # (N,) true lengths
        _, final = self.rnn(self.embedding(ids), lengths=lengths)
        h_n = final[0] if self.is_lstm else final                        # (L·D, N, H)
        last = h_n[-self.directions:]                                    # (D, N, H)
        features = reshape(transpose(last, (1, 0, 2)), (last.shape[1], -1))  # (N, D·H)
        return self.head(self.dropout(features))


@register_model("sentiment_rnn", "many-to-one text classifier: embedding, LSTM/GRU, "
                "last state, linear")
def sentiment_rnn(input_shape: Sequence[int] = (60,), num_classes: int = 2,
                  vocab_size: int = 5000, embedding_dim: int = 64, hidden_size: int = 64,
                  cell: str = "lstm", num_layers: int = 1, bidirectional: bool = False,
                  dropout: float = 0.3, rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` comes from the data's vocabulary when trained by ``ivanet train``;
    ``input_shape`` (T,) is the padded length (any works). Shape: (N, T) → (N, classes)."""
    return SentimentRNN(vocab_size, num_classes, embedding_dim, hidden_size, cell,
                        num_layers, bidirectional, dropout, rng)

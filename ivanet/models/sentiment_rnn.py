"""``sentiment_rnn``: many-to-one text classification (Day 4's "sentiment classification").

Embedding (``<pad>`` = 0 stays a zero vector) → dropout → LSTM or GRU over the words, told
each sentence's true length so padding never reaches the state → a sentence vector →
dropout → Linear to the classes. The sentence vector is the last hidden state (both
directions' when bidirectional; ``pooling="last"``) or the max and the mean of the outputs
over the real words, concatenated (``pooling="max_mean"``): a strong word anywhere in the
sentence then reaches the classifier without having to survive to the last step.
``freeze_embedding`` keeps the word vectors as they start (e.g. pretrained ones:
``pretrained_embedding`` in a training config); then only the recurrent layer and head learn.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.ops.shape import concat, reshape, transpose

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}
POOLINGS = ("last", "max_mean")


class SentimentRNN(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, num_classes)."""

    def __init__(self, vocab_size: int, num_classes: int = 2, embedding_dim: int = 64,
                 hidden_size: int = 64, cell: str = "lstm", num_layers: int = 1,
                 bidirectional: bool = False, dropout: float = 0.3,
                 pooling: str = "last", embedding_dropout: float = 0.0,
                 freeze_embedding: bool = False,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ModelError(f"sentiment_rnn: cell must be one of {', '.join(CELLS)}, "
                             f"got {cell!r}")
        if pooling not in POOLINGS:
            raise ModelError(f"sentiment_rnn: pooling must be one of {', '.join(POOLINGS)}, "
                             f"got {pooling!r}")
        rng = rng if rng is not None else np.random.default_rng()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.embedding.weight.requires_grad = not freeze_embedding
        self.embedding_dropout = nn.Dropout(embedding_dropout, rng=rng)
        self.rnn = CELLS[cell](embedding_dim, hidden_size, num_layers=num_layers,
                               batch_first=True, bidirectional=bidirectional, rng=rng)
        self.is_lstm, self.directions = cell == "lstm", 2 if bidirectional else 1
        self.pooling = pooling
        self.dropout = nn.Dropout(dropout, rng=rng)
        features = hidden_size * self.directions * (2 if pooling == "max_mean" else 1)
        self.head = nn.Linear(features, num_classes, init="torch", rng=rng)

    def forward(self, ids):
        data = word_ids(ids, "sentiment_rnn")
        lengths = np.maximum((data != 0).sum(axis=1), 1)                 # (N,) true lengths
        data = data[:, :int(lengths.max())]      # padding columns only cost time: drop them
        vectors = self.embedding_dropout(self.embedding(data))           # (N, T, E)
        out, final = self.rnn(vectors, lengths=lengths)                  # (N, T, D·H)
        if self.pooling == "max_mean":
            return self.head(self.dropout(self._max_mean(out, lengths)))
        h_n = final[0] if self.is_lstm else final                        # (L·D, N, H)
        last = h_n[-self.directions:]                                    # (D, N, H)
        features = reshape(transpose(last, (1, 0, 2)), (last.shape[1], -1))  # (N, D·H)
        return self.head(self.dropout(features))

    @staticmethod
    def _max_mean(out, lengths: np.ndarray):
        """(N, T, F) outputs → (N, 2F): max and mean over each sentence's real steps."""
        N, T, _ = out.shape
        padding = np.arange(T)[None, :] >= lengths[:, None]              # (N, T)
        keep = (~padding).astype(out.data.dtype)[:, :, None]             # (N, T, 1)
        shift = (padding * np.float32(-1e4)).astype(out.data.dtype)[:, :, None]
        inverse = (1.0 / lengths).astype(out.data.dtype)[:, None]        # (N, 1)
        mean = (out * keep).sum(axis=1) * inverse                        # (N, F)
        return concat([(out + shift).max(axis=1), mean], axis=1)


@register_model("sentiment_rnn", "many-to-one text classifier: embedding, LSTM/GRU, "
                "last state or max+mean pooling, linear")
def sentiment_rnn(input_shape: Sequence[int] = (60,), num_classes: int = 2,
                  vocab_size: int = 5000, embedding_dim: int = 64, hidden_size: int = 64,
                  cell: str = "lstm", num_layers: int = 1, bidirectional: bool = False,
                  dropout: float = 0.3, pooling: str = "last", embedding_dropout: float = 0.0,
                  freeze_embedding: bool = False,
                  rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` comes from the data's vocabulary when trained by ``ivanet train``;
    ``input_shape`` (T,) is the padded length (any works). Shape: (N, T) → (N, classes)."""
    return SentimentRNN(vocab_size, num_classes, embedding_dim, hidden_size, cell,
                        num_layers, bidirectional, dropout, pooling, embedding_dropout,
                        freeze_embedding, rng)


def word_ids(ids, model: str) -> np.ndarray:
    """The (N, T) word ids (T ≥ 1, ``<pad>`` = 0) a many-to-one text model reads."""
    data = np.asarray(getattr(ids, "data", ids))
    if data.ndim != 2 or data.shape[1] == 0:
        raise ModelError(f"{model}: expected word ids (N, T) with T ≥ 1, got shape "
                         f"{data.shape}")
    return data

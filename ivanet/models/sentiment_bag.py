"""``sentiment_bag``: fastText's text classifier (Joulin et al. 2017, "Bag of Tricks").

The sentence vector is the mean of the vectors of its words and, with ``bigram_buckets``,
of its word pairs (each pair hashed into one of that many rows of a second table, as
fastText does): word order is lost beyond neighbours, and nothing has to survive a
recurrence. Then dropout → Linear to the classes. Padding (id 0) adds nothing; the pair
vectors start at zero, so the hashed pairs seen once in training do not add random noise
to every sentence that holds them.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.models.sentiment_rnn import word_ids

PAIR_PRIME = 1_000_003  # mixes the first word's id into the pair's hash


def bigram_ids(ids: np.ndarray, buckets: int) -> np.ndarray:
    """(N, T) word ids → (N, T − 1) pair ids in 1..buckets; 0 where either word is padding."""
    first, second = ids[:, :-1].astype(np.int64), ids[:, 1:].astype(np.int64)
    hashed = 1 + (first * PAIR_PRIME + second) % buckets
    return np.where((first != 0) & (second != 0), hashed, 0)


class SentimentBag(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, num_classes)."""

    def __init__(self, vocab_size: int, num_classes: int = 2, embedding_dim: int = 64,
                 bigram_buckets: int = 0, dropout: float = 0.0,
                 embedding_dropout: float = 0.0,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if bigram_buckets < 0:
            raise ModelError(f"sentiment_bag: bigram_buckets must be ≥ 0, got {bigram_buckets}")
        rng = rng if rng is not None else np.random.default_rng()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.bigram_buckets = bigram_buckets
        self.bigrams = None
        if bigram_buckets:  # zeros: a pair never seen in training adds nothing, not noise
            self.bigrams = nn.Embedding(bigram_buckets + 1, embedding_dim, padding_idx=0, rng=rng)
            self.bigrams.weight.data[...] = 0.0
        self.embedding_dropout = nn.Dropout(embedding_dropout, rng=rng)
        self.dropout = nn.Dropout(dropout, rng=rng)
        self.head = nn.Linear(embedding_dim, num_classes, init="torch", rng=rng)

    def forward(self, ids):
        data = word_ids(ids, "sentiment_bag")
        lengths = (data != 0).sum(axis=1)                                # (N,) true lengths
        data = data[:, :max(int(lengths.max()), 1)]
        total = self.embedding_dropout(self.embedding(data)).sum(axis=1)  # (N, E)
        count = lengths.astype(np.float32)
        if self.bigrams is not None and data.shape[1] > 1:
            pairs = bigram_ids(data, self.bigram_buckets)                # (N, T − 1)
            total = total + self.embedding_dropout(self.bigrams(pairs)).sum(axis=1)
            count = count + (pairs != 0).sum(axis=1)
        inverse = (1.0 / np.maximum(count, 1)).astype(np.float32)[:, None]  # (N, 1)
        return self.head(self.dropout(total * inverse))


@register_model("sentiment_bag", "fastText text classifier: mean of word (and hashed word "
                "pair) vectors, linear")
def sentiment_bag(input_shape: Sequence[int] = (60,), num_classes: int = 2,
                  vocab_size: int = 5000, embedding_dim: int = 64, bigram_buckets: int = 0,
                  dropout: float = 0.0, embedding_dropout: float = 0.0,
                  rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` comes from the data's vocabulary when trained by ``ivanet train``.
    Shape: (N, T) → (N, classes)."""
    return SentimentBag(vocab_size, num_classes, embedding_dim, bigram_buckets, dropout,
                        embedding_dropout, rng)

"""``pos_tagger``: many-to-many sequence labelling with a bidirectional LSTM (Day 4).

Embedding (``<pad>`` = 0 stays a zero vector) → bidirectional LSTM told each sentence's
true length (padding never reaches a state) → Linear from both directions' outputs to the
tags at every position. Each word's tag sees the words before and after it.

Inputs are word ids (N, T), or (N, T, F) ids of F features per word (the lower-cased word,
its suffixes, its shape: ``ivanet.data.sets.word_features``) read from one shared
embedding table and concatenated, so a word never seen in training is still tagged from
its spelling. The padding test looks at the first feature.

``word_dropout`` (training only) replaces each real word's id by the unknown word's with
that probability, fresh every batch, so the tagger also learns to tag from spelling and
context the words that are unknown at test time (Kiperwasser & Goldberg 2016). The unknown
word is id 1 (``<unk>``) for plain word ids and id 2 (``w?``) for word features, as
``ivanet.data.sets.word_features.FeatureVocabulary`` lays them out.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.ops.shape import reshape, transpose


class BiLSTMTagger(nn.Module):
    """Shape: ids (N, T) or (N, T, F) integers, padded at the end with 0 → logits
    (N, num_tags, T), the class axis second as ``cross_entropy`` expects for (N, T)
    targets."""

    def __init__(self, vocab_size: int, num_tags: int, embedding_dim: int = 64,
                 hidden_size: int = 64, num_layers: int = 1, dropout: float = 0.2,
                 features: int = 1, word_dropout: float = 0.0,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if features < 1:
            raise ModelError(f"tagger: features must be ≥ 1, got {features}")
        if not 0.0 <= word_dropout < 1.0:
            raise ModelError(f"tagger: word_dropout must be in [0, 1), got {word_dropout}")
        rng = rng if rng is not None else np.random.default_rng()
        self.features, self.word_dropout, self.rng = features, word_dropout, rng
        self.unknown_id = 1 if features == 1 else 2
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.lstm = nn.LSTM(features * embedding_dim, hidden_size, num_layers=num_layers,
                            batch_first=True, bidirectional=True, rng=rng)
        self.embedding_dropout = nn.Dropout(dropout, rng=rng)
        self.dropout = nn.Dropout(dropout, rng=rng)
        self.head = nn.Linear(2 * hidden_size, num_tags, init="torch", rng=rng)

    def forward(self, ids):
        data = np.asarray(getattr(ids, "data", ids))
        expected = "(N, T)" if self.features == 1 else f"(N, T, {self.features})"
        if data.ndim == 2 and self.features == 1:
            data = data[:, :, None]                                      # (N, T, 1)
        if data.ndim != 3 or data.shape[2] != self.features:
            raise ModelError(f"tagger: expected ids of shape {expected}, got {data.shape}")
        if data.shape[1] == 0:
            raise ModelError("tagger: the sentences are empty (T = 0)")
        N, T, F = data.shape
        lengths = np.maximum((data[:, :, 0] != 0).sum(axis=1), 1)       # (N,) true lengths
        if self.training and self.word_dropout > 0:
            drop = (data[:, :, 0] != 0) & (self.rng.random((N, T)) < self.word_dropout)
            data = data.copy()
            data[:, :, 0][drop] = self.unknown_id
        vectors = reshape(self.embedding(data), (N, T, -1))             # (N, T, F·E)
        out, _ = self.lstm(self.embedding_dropout(vectors), lengths=lengths)  # (N, T, 2H)
        return transpose(self.head(self.dropout(out)), (0, 2, 1))        # (N, K, T)


def tagger_from_shape(input_shape: Sequence[int], num_classes: int, vocab_size: int,
                      embedding_dim: int, hidden_size: int, num_layers: int, dropout: float,
                      word_dropout: float, rng: np.random.Generator | None) -> BiLSTMTagger:
    """A ``BiLSTMTagger`` whose feature count comes from the data: (T,) → 1, (T, F) → F."""
    features = int(input_shape[1]) if len(input_shape) > 1 else 1
    return BiLSTMTagger(vocab_size, num_classes, embedding_dim, hidden_size, num_layers,
                        dropout, features, word_dropout, rng)


@register_model("pos_tagger", "bidirectional LSTM sequence tagger: embedding (word or word "
                "features), BiLSTM, linear per word")
def pos_tagger(input_shape: Sequence[int] = (64,), num_classes: int = 50,
               vocab_size: int = 10000, embedding_dim: int = 64, hidden_size: int = 64,
               num_layers: int = 1, dropout: float = 0.2, word_dropout: float = 0.0,
               rng: np.random.Generator | None = None) -> nn.Module:
    """``num_classes`` is the tag count, ``vocab_size`` the vocabulary's size (both from
    the data under ``ivanet train``); ``input_shape`` (T,) for word ids, (T, F) for F
    feature ids per word. Shape: (N, T[, F]) → (N, num_classes, T)."""
    return tagger_from_shape(input_shape, num_classes, vocab_size, embedding_dim,
                             hidden_size, num_layers, dropout, word_dropout, rng)

"""``skipgram``: word2vec's skip-gram with negative sampling (Mikolov et al. 2013).

Two tables of word vectors: ``input`` (the centre word's v, the embedding one keeps) and
``output`` (the context word's u). A batch of (centre, context) pairs and K noise words
per pair gives the loss −log σ(u_o·v_c) − Σ_k log σ(−u_k·v_c) (``ivanet.ops.sgns``): the
model learns to tell the words seen near a word from random ones, and words met in the
same contexts end up with close vectors. Trained by ``ivanet train skipgram``
(``ivanet.training.skipgram``).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import register_model
from ivanet.ops.sgns import sgns_loss


class SkipGram(nn.Module):
    """Shape: centres (B,), contexts (B,), negatives (B, K) int ids → the mean loss ().

    Initialised as word2vec: input vectors U(−0.5/D, 0.5/D), output vectors zero.
    """

    def __init__(self, vocab_size: int, embedding_dim: int = 100,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.input = nn.Embedding(vocab_size, embedding_dim, rng=rng)
        self.output = nn.Embedding(vocab_size, embedding_dim, rng=rng)
        bound = 0.5 / embedding_dim
        self.input.weight.data[...] = rng.uniform(-bound, bound, (vocab_size, embedding_dim))
        self.output.weight.data[...] = 0.0

    def forward(self, centres, contexts=None, negatives=None):
        if contexts is None or negatives is None:
            raise TypeError("SkipGram takes (centres, contexts, negatives) and returns its "
                            "loss, not outputs for a loss: train it with `ivanet train "
                            "skipgram` (its own loop, also `python -m "
                            "ivanet.training.skipgram`), not with `fit`")
        return sgns_loss(self.input.weight, self.output.weight, centres, contexts, negatives)

    def vectors(self) -> np.ndarray:
        """The word vectors (V, D): the input table, a copy."""
        return self.input.weight.data.copy()


@register_model("skipgram", "word2vec skip-gram with negative sampling (two word tables)")
def skipgram(input_shape: Sequence[int] = (1,), num_classes: int = 10_000,
             embedding_dim: int = 100, rng: np.random.Generator | None = None) -> nn.Module:
    """``num_classes`` is the vocabulary size; ``input_shape`` is unused (one id per word).
    Shape: centres (B,), contexts (B,), negatives (B, K) → scalar loss."""
    return SkipGram(num_classes, embedding_dim, rng)

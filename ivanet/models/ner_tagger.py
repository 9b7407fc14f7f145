"""``ner_tagger``: named-entity tagging (BIO tags) with the ``pos_tagger`` architecture.

The same bidirectional LSTM tagger (``pos_tagger.BiLSTMTagger``), registered under its
own name so that a run folder says which task it learnt. With (T, F) word features (the
``ner-templates`` default) it reads each word's spelling: capitals, suffixes, shape, which
is how it tags names it never saw in training.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.pos_tagger import tagger_from_shape
from ivanet.models.registry import register_model


@register_model("ner_tagger", "named-entity BIO tagger: the pos_tagger BiLSTM over word "
                "features")
def ner_tagger(input_shape: Sequence[int] = (25, 4), num_classes: int = 11,
               vocab_size: int = 3000, embedding_dim: int = 32, hidden_size: int = 64,
               num_layers: int = 1, dropout: float = 0.3, word_dropout: float = 0.0,
               rng: np.random.Generator | None = None) -> nn.Module:
    """``num_classes`` (the tags), ``vocab_size`` and ``input_shape`` (T,) or (T, F) come
    from the data under ``ivanet train``. Shape: (N, T[, F]) → (N, num_classes, T)."""
    return tagger_from_shape(input_shape, num_classes, vocab_size, embedding_dim,
                             hidden_size, num_layers, dropout, word_dropout, rng)

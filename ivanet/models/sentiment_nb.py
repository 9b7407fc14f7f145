"""``sentiment_nb``: logistic regression on Naive-Bayes-scaled word and word-pair features.

Wang & Manning's NBSVM ("Baselines and Bigrams", 2012), with the logistic loss: a sentence
is the SET of its words and word pairs (each pair hashed into one of ``bigram_buckets``
rows, as ``sentiment_bag`` does), feature f counts once, and is scaled by its log-count
ratio, estimated from the labelled training rows with add-α smoothing:

    p = α + Σ_{positive rows holding f} 1,   q = α + Σ_{negative rows holding f} 1,
    r_f = log( (p_f / ‖p‖₁) / (q_f / ‖q‖₁) )

    logits[n] = b + Σ_{f ∈ set(n)} r_f · W[f]                   (W: features × 2)

r is a buffer (saved in the checkpoint, not trained), set by ``fit_data(ids, labels)``,
which ``ivanet train`` calls once on the training split before the first step; until then
r = 1 and the model is plain logistic regression on the binary features. W starts at zero.
The ratio makes a rare word that only ever appeared in positive rows count from the first
step, and gives the L2 penalty a per-feature prior (Wang & Manning §2.2).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.models.sentiment_bag import bigram_ids
from ivanet.models.sentiment_rnn import word_ids


def feature_sets(ids: np.ndarray, vocab_size: int, buckets: int) -> np.ndarray:
    """(N, T) word ids → (N, 2T − 1) feature ids, each row's distinct features once, 0 for
    padding and repeats. Words keep their id (1..vocab_size − 1); the pair hashed to bucket
    b (1..buckets) is feature vocab_size + b − 1."""
    ids = np.asarray(ids, dtype=np.int64)
    features = ids
    if buckets and ids.shape[1] > 1:
        pairs = bigram_ids(ids, buckets)
        features = np.concatenate([ids, np.where(pairs > 0, vocab_size + pairs - 1, 0)], axis=1)
    features = np.sort(features, axis=1)
    repeat = np.zeros(features.shape, dtype=bool)
    repeat[:, 1:] = features[:, 1:] == features[:, :-1]
    return np.where(repeat, 0, features)


class SentimentNB(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, 2)."""

    def __init__(self, vocab_size: int, bigram_buckets: int = 1 << 20, alpha: float = 1.0,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if bigram_buckets < 0:
            raise ModelError(f"sentiment_nb: bigram_buckets must be ≥ 0, got {bigram_buckets}")
        if alpha <= 0:
            raise ModelError(f"sentiment_nb: alpha (the count smoothing) must be > 0, got {alpha}")
        self.vocab_size, self.bigram_buckets, self.alpha = vocab_size, bigram_buckets, alpha
        num_features = vocab_size + bigram_buckets
        self.weights = nn.Embedding(num_features, 2, padding_idx=0, rng=rng)
        self.weights.weight.data[...] = 0.0
        self.bias = nn.Parameter(np.zeros(2, dtype=np.float32))
        ratio = np.ones(num_features, dtype=np.float32)
        ratio[0] = 0.0
        self.register_buffer("log_ratio", ratio)

    def features(self, ids) -> np.ndarray:
        """(N, T) word ids → (N, F) distinct feature ids (see :func:`feature_sets`)."""
        data = word_ids(ids, "sentiment_nb")
        if data.min(initial=0) < 0 or data.max(initial=0) >= self.vocab_size:
            raise ModelError(f"sentiment_nb: word ids must lie in 0..{self.vocab_size - 1} "
                             f"(the vocabulary), got {data.min()}..{data.max()}")
        return feature_sets(data, self.vocab_size, self.bigram_buckets)

    def fit_data(self, ids, labels) -> None:
        """Set r from labelled rows (labels 0 = negative, 1 = positive)."""
        labels = np.asarray(labels)
        if labels.ndim != 1 or not np.isin(labels, (0, 1)).all():
            raise ModelError("sentiment_nb: the log-count ratio needs labels 0/1 (two "
                             f"classes), got shape {labels.shape} with values "
                             f"{np.unique(labels)[:5].tolist()}")
        features = self.features(ids)
        size = len(self.log_ratio)
        counts = [np.bincount(features[labels == c].ravel(), minlength=size).astype(np.float64)
                  for c in (0, 1)]
        q, p = (count + self.alpha for count in counts)
        ratio = np.log(p / p[1:].sum()) - np.log(q / q[1:].sum())
        ratio[0] = 0.0                                                   # padding
        self.log_ratio[...] = ratio.astype(np.float32)

    def forward(self, ids):
        features = self.features(ids)
        features = features[:, (features != 0).any(axis=0)]           # drop all-padding columns
        scale = self.log_ratio[features][:, :, None]                     # (N, F, 1)
        return (self.weights(features) * scale).sum(axis=1) + self.bias


@register_model("sentiment_nb", "NBSVM: logistic regression on Naive-Bayes-scaled word and "
                "word-pair features")
def sentiment_nb(input_shape: Sequence[int] = (60,), num_classes: int = 2,
                 vocab_size: int = 5000, bigram_buckets: int = 1 << 20, alpha: float = 1.0,
                 rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` comes from the data's vocabulary when trained by ``ivanet train``;
    ``ivanet train`` calls ``fit_data`` on the training split. Shape: (N, T) → (N, 2)."""
    if num_classes != 2:
        raise ModelError(f"sentiment_nb: the Naive-Bayes ratio compares two classes, the data "
                         f"has {num_classes}")
    return SentimentNB(vocab_size, bigram_buckets, alpha, rng)

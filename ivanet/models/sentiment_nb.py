"""``sentiment_nb``: logistic regression on Naive-Bayes-scaled word, word-pair and
character n-gram features.

Wang & Manning's NBSVM ("Baselines and Bigrams", 2012), with the logistic loss: a sentence
is the SET of its words and word pairs (each pair hashed into one of ``bigram_buckets``
rows, as ``sentiment_bag`` does) and, with ``char_buckets`` > 0, the character n-grams of
its words (each word padded with a space on both sides, n = 2..5, hashed into one of
``char_buckets`` rows: "boring" and "bored" share " bor"); feature f counts once, and is
scaled by its log-count ratio, estimated from the labelled training rows with add-α
smoothing:

    p = α + Σ_{positive rows holding f} 1,   q = α + Σ_{negative rows holding f} 1,
    r_f = log( (p_f / ‖p‖₁) / (q_f / ‖q‖₁) )

    logits[n] = b + Σ_{f ∈ set(n)} r_f · W[f]                   (W: features × 2)

r is a buffer (saved in the checkpoint, not trained), set by ``fit_data(ids, labels,
vocabulary)``, which ``ivanet train`` calls once on the training split before the first
step; until then r = 1 and the model is plain logistic regression on the binary features.
The character n-grams of each vocabulary word are a buffer too (``word_chars``, filled by
``set_vocabulary``), so a checkpoint needs no vocabulary to run. W starts at zero.
The ratio makes a rare word that only ever appeared in positive rows count from the first
step, and gives the L2 penalty a per-feature prior (Wang & Manning §2.2).
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.models.registry import ModelError, register_model
from ivanet.models.sentiment_bag import bigram_ids
from ivanet.models.sentiment_rnn import word_ids


CHAR_SIZES = (2, 5)     # character n-gram lengths, as scikit-learn's analyzer="char_wb"


def char_ngrams(word: str, sizes: tuple[int, int] = CHAR_SIZES) -> list[str]:
    """The n-grams of " word " for n in sizes[0]..sizes[1] (" fun", "fun", "un ", ...)."""
    padded = f" {word} "
    return [padded[i:i + n] for n in range(sizes[0], sizes[1] + 1)
            for i in range(len(padded) - n + 1)]


RESERVED_IDS = 2        # ids 0 and 1 of every ivanet word vocabulary: <pad>, <unk>


def char_table(tokens: Sequence[str], buckets: int, width: int) -> np.ndarray:
    """(len(tokens), width) int32: row i holds the distinct hashed n-grams of tokens[i] as
    buckets 1..``buckets`` (crc32, the same in every process), 0 after them. The reserved
    ids 0 and 1 (<pad>, <unk>) get none; a word with more than ``width`` distinct n-grams
    keeps its first ``width``."""
    table = np.zeros((len(tokens), width), dtype=np.int32)
    for i, token in enumerate(tokens[RESERVED_IDS:], start=RESERVED_IDS):
        hashed = dict.fromkeys(zlib.crc32(gram.encode()) % buckets + 1
                               for gram in char_ngrams(token))
        row = list(hashed)[:width]
        table[i, :len(row)] = row
    return table


def feature_sets(ids: np.ndarray, vocab_size: int, buckets: int,
                 word_chars: np.ndarray | None = None) -> np.ndarray:
    """(N, T) word ids → (N, F) feature ids, each row's distinct features once, 0 for
    padding and repeats. Words keep their id (1..vocab_size − 1); the pair hashed to bucket
    b (1..buckets) is feature vocab_size + b − 1; with ``word_chars`` (see ``char_table``),
    character bucket c of a word is feature vocab_size + buckets + c − 1."""
    ids = np.asarray(ids, dtype=np.int64)
    parts = [ids]
    if buckets and ids.shape[1] > 1:
        pairs = bigram_ids(ids, buckets)
        parts.append(np.where(pairs > 0, vocab_size + pairs - 1, 0))
    if word_chars is not None:
        chars = word_chars[ids].reshape(len(ids), -1).astype(np.int64)   # (N, T·width)
        parts.append(np.where(chars > 0, vocab_size + buckets + chars - 1, 0))
    features = np.sort(np.concatenate(parts, axis=1), axis=1)
    repeat = np.zeros(features.shape, dtype=bool)
    repeat[:, 1:] = features[:, 1:] == features[:, :-1]
    return np.where(repeat, 0, features)


class SentimentNB(nn.Module):
    """Shape: ids (N, T) integers, padded at the end with 0 → logits (N, 2)."""

    def __init__(self, vocab_size: int, bigram_buckets: int = 1 << 20, alpha: float = 1.0,
                 char_buckets: int = 0, char_width: int = 48,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        for name, value in (("bigram_buckets", bigram_buckets), ("char_buckets", char_buckets)):
            if value < 0:
                raise ModelError(f"sentiment_nb: {name} must be ≥ 0, got {value}")
        if alpha <= 0:
            raise ModelError(f"sentiment_nb: alpha (the count smoothing) must be > 0, got {alpha}")
        if char_width < 1:
            raise ModelError(f"sentiment_nb: char_width must be ≥ 1, got {char_width}")
        self.vocab_size, self.bigram_buckets, self.alpha = vocab_size, bigram_buckets, alpha
        self.char_buckets = char_buckets
        num_features = vocab_size + bigram_buckets + char_buckets
        if char_buckets:
            self.register_buffer("word_chars", np.zeros((vocab_size, char_width), np.int32))
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
        chars = self.word_chars if self.char_buckets else None
        return feature_sets(data, self.vocab_size, self.bigram_buckets, chars)

    def set_vocabulary(self, tokens: Sequence[str]) -> None:
        """Fill ``word_chars`` with the character n-grams of the vocabulary's words (id i is
        ``tokens[i]``); needed once before training when ``char_buckets`` > 0."""
        if len(tokens) != self.vocab_size:
            raise ModelError(f"sentiment_nb: the vocabulary has {len(tokens)} tokens, the model "
                             f"was built for vocab_size={self.vocab_size}")
        if self.char_buckets:
            width = self.word_chars.shape[1]
            self.word_chars[...] = char_table(tokens, self.char_buckets, width)

    def fit_data(self, ids, labels, vocabulary: dict | None = None) -> None:
        """Set r from labelled rows (labels 0 = negative, 1 = positive); ``vocabulary``
        (``{"tokens": [...]}``, as ``DataSplits.vocabulary``) first sets the character
        n-grams when ``char_buckets`` > 0."""
        labels = np.asarray(labels)
        if labels.ndim != 1 or not np.isin(labels, (0, 1)).all():
            raise ModelError("sentiment_nb: the log-count ratio needs labels 0/1 (two "
                             f"classes), got shape {labels.shape} with values "
                             f"{np.unique(labels)[:5].tolist()}")
        if self.char_buckets:
            if vocabulary is None:
                raise ModelError("sentiment_nb: char_buckets > 0 needs the vocabulary's words "
                                 "(fit_data(ids, labels, vocabulary))")
            self.set_vocabulary(vocabulary["tokens"])
        size = len(self.log_ratio)
        counts = [np.zeros(size) for _ in (0, 1)]
        for start in range(0, len(labels), 4096):       # (rows, F) ids: bounded memory
            features = self.features(ids[start:start + 4096])
            chunk = labels[start:start + 4096]
            for c in (0, 1):
                counts[c] += np.bincount(features[chunk == c].ravel(), minlength=size)
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
                 char_buckets: int = 0, char_width: int = 48,
                 rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` comes from the data's vocabulary when trained by ``ivanet train``;
    ``ivanet train`` calls ``fit_data`` on the training split. ``char_buckets`` > 0 adds the
    words' character 2–5-grams (at most ``char_width`` per word). Shape: (N, T) → (N, 2)."""
    if num_classes != 2:
        raise ModelError(f"sentiment_nb: the Naive-Bayes ratio compares two classes, the data "
                         f"has {num_classes}")
    return SentimentNB(vocab_size, bigram_buckets, alpha, char_buckets, char_width, rng)

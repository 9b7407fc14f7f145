"""Per-word feature ids for taggers: the lower-cased word, its suffixes and its shape.

A word never seen in training still has a suffix ("-ing", "-ly") and a shape ("Xxxx" for a
capitalised word, "d.d" for a number) that tell much of its tag. Every word becomes ``F``
ids into ONE vocabulary whose tokens carry their feature's prefix (``w:the``, ``s3:ing``,
``sh:Xx``): one ``Embedding`` reads them all, and ``vocab_size`` stays a single number.
A feature value not seen in training maps to that feature's own unknown (``w?``), so a
rare word and a rare suffix do not share one vector. x has shape (N, T, F), padding 0.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ivanet.data.dataset import DataError
from ivanet.data.text import Vocabulary

FEATURES = ("w", "s2", "s3", "sh")  # lower-cased word, 2- and 3-letter suffix, shape


def word_shape(word: str) -> str:
    """Capital letters → X, small → x, digits → d, others kept; runs collapsed (≤ 2)."""
    classes = ["X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
               for c in word]
    shape = []
    for c in classes:
        if len(shape) < 2 or not (shape[-1] == c and shape[-2] == c):
            shape.append(c)
    return "".join(shape)


def word_features(word: str) -> tuple[str, ...]:
    """The prefixed feature tokens of one word, in the order of ``FEATURES``."""
    lower = word.lower()
    return (f"w:{lower}", f"s2:{lower[-2:]}", f"s3:{lower[-3:]}", f"sh:{word_shape(word)}")


class FeatureVocabulary(Vocabulary):
    """A ``Vocabulary`` of prefixed feature tokens; ``encode_words`` gives (T, F) ids."""

    @classmethod
    def build_from_words(cls, words: Sequence[str], min_count: int = 2) -> FeatureVocabulary:
        """Feature values seen at least ``min_count`` times in ``words`` (the training
        words), plus one unknown per feature (``w?``, ``s2?``, ...: no real token lacks
        the colon)."""
        counts = Counter(token for word in words for token in word_features(word))
        kept = [t for t, n in counts.most_common() if n >= min_count]
        return cls([f"{name}?" for name in FEATURES] + kept)

    def encode_words(self, words: Sequence[str]) -> np.ndarray:
        """(T, F) int64 ids of a sentence's words; unseen values → their feature's ``?``."""
        if not len(words):
            raise DataError("word features: a sentence must hold at least one word")
        get = self.index.get
        ids = [[get(token, self.index[f"{name}?"]) for name, token in
                zip(FEATURES, word_features(word))] for word in words]
        return np.array(ids, dtype=np.int64)

    def to_dict(self) -> dict:
        """Saved as a plain ``Vocabulary`` (the tokens are all a run needs to decode)."""
        return {"kind": "Vocabulary", "tokens": self.tokens}


def pad_features(sentences: Sequence[np.ndarray], max_len: int | None = None) -> np.ndarray:
    """(N, T, F) ids from per-sentence (T_i, F) ids, padded at the end with 0 and cut to
    ``max_len``; T is the longest kept length."""
    if not len(sentences):
        raise DataError("word features: no sentences given")
    lengths = [min(len(s), max_len) if max_len else len(s) for s in sentences]
    batch = np.zeros((len(sentences), max(lengths), sentences[0].shape[1]), dtype=np.int64)
    for row, (ids, n) in enumerate(zip(sentences, lengths)):
        batch[row, :n] = ids[:n]
    return batch

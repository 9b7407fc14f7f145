"""Word corpora and skip-gram training pairs (word2vec, Mikolov et al. 2013).

A corpus is a list of lower-case words (tokens with at least one letter; punctuation
dropped): ``"shakespeare"`` (the 42 works), ``"lee"`` (gensim's 300 news stories) or both,
``"shakespeare+lee"``; ``"sentiment"`` is the Pang & Lee review lines and training sentences
(no dev or test sentence), cut by ``tokenize_words`` as the ``sentiment`` data set is, so
punctuation stays and the words match that data set's vocabulary.

``build_corpus`` keeps the words seen ``min_count`` times and counts them; each epoch
``subsample`` drops frequent words, ``skipgram_pairs`` pairs every centre word with the words
in a random window around it and ``sample_negatives`` draws the noise words from the unigram
distribution raised to the power 3/4.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ivanet.data.dataset import DataError
from ivanet.data.sets import sentiment, shakespeare, word_tests
from ivanet.data.sets.common import cached_files
from ivanet.data.text import Vocabulary, tokenize_words

CORPORA = ("shakespeare", "lee", "shakespeare+lee", "sentiment")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters, inner apostrophes); everything else splits."""
    return _WORD.findall(text.lower())


def load_corpus(name: str = "shakespeare") -> list[str]:
    """The words of corpus ``name`` (one of ``CORPORA``; needs the data sets fetched)."""
    if name not in CORPORA:
        raise DataError(f"unknown word corpus {name!r}: known are {', '.join(CORPORA)}")
    if name == "sentiment":
        return [word for text in sentiment.training_texts() for word in tokenize_words(text)]
    words: list[str] = []
    if "shakespeare" in name:
        path = cached_files(shakespeare.NAME, shakespeare.FILES) / "shakespeare.txt"
        words += words_of(path.read_text(encoding="utf-8"))
    if "lee" in name:
        words += words_of(word_tests.read_corpus(word_tests.folder() / word_tests.LEE))
    return words


@dataclass
class SkipGramCorpus:
    """A corpus as ids: ``ids`` (N,) int64 of the kept words, ``counts`` (V,) per id
    (0 for ``<pad>`` and ``<unk>``, which never occur in ``ids``)."""

    vocabulary: Vocabulary
    counts: np.ndarray
    ids: np.ndarray


def build_corpus(words: Sequence[str], min_count: int = 5,
                 max_size: int | None = None) -> SkipGramCorpus:
    """Keep the words seen at least ``min_count`` times (at most ``max_size`` ids); the
    rest are removed from the text, as word2vec does, not replaced by ``<unk>``."""
    if min_count < 1:
        raise DataError(f"build_corpus: min_count must be ≥ 1, got {min_count}")
    vocabulary = Vocabulary.build(words, min_count=min_count, max_size=max_size)
    if len(vocabulary) < 4:
        raise DataError(f"build_corpus: only {len(vocabulary) - 2} words occur ≥ {min_count} "
                        f"times in a corpus of {len(words)} words (lower min_count)")
    ids = vocabulary.encode_tokens(words)
    ids = ids[ids > Vocabulary.unk_id]
    counts = np.bincount(ids, minlength=len(vocabulary)).astype(np.int64)
    return SkipGramCorpus(vocabulary, counts, ids)


def keep_probabilities(counts: np.ndarray, threshold: float = 1e-4) -> np.ndarray:
    """P(keep word w) = min(1, √(t/f_w) + t/f_w), f_w its frequency (word2vec's C code)."""
    frequency = counts / max(counts.sum(), 1)
    with np.errstate(divide="ignore"):
        ratio = np.where(frequency > 0, threshold / frequency, np.inf)
    return np.minimum(1.0, np.sqrt(ratio) + ratio)


def subsample(ids: np.ndarray, keep: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The ids that survive subsampling: each occurrence kept with probability keep[id]."""
    return ids[rng.random(len(ids)) < keep[ids]]


def skipgram_pairs(ids: np.ndarray, window: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(centres, contexts), each (P,) int64: every word with the words up to b positions
    before and after it, b drawn uniformly from 1..``window`` per centre (so near words
    count more), in a random order."""
    if window < 1:
        raise DataError(f"skipgram_pairs: window must be ≥ 1, got {window}")
    reach = rng.integers(1, window + 1, size=len(ids))
    centres, contexts = [], []
    for offset in range(1, window + 1):
        near = reach[:-offset] >= offset                 # centre i sees i + offset
        centres.append(ids[:-offset][near])
        contexts.append(ids[offset:][near])
        near = reach[offset:] >= offset                  # centre i sees i − offset
        centres.append(ids[offset:][near])
        contexts.append(ids[:-offset][near])
    centres, contexts = np.concatenate(centres), np.concatenate(contexts)
    order = rng.permutation(len(centres))
    return centres[order], contexts[order]


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """P_n(w) ∝ count(w)^power: the distribution the negative words are drawn from."""
    weights = counts.astype(np.float64) ** power
    return weights / weights.sum()


def sample_negatives(noise: np.ndarray, shape: tuple[int, ...],
                     rng: np.random.Generator) -> np.ndarray:
    """Ids of ``shape`` drawn from ``noise`` (its cumulative sum searched, not a table)."""
    cumulative = np.cumsum(noise)
    draws = np.searchsorted(cumulative, rng.random(shape) * cumulative[-1], side="right")
    return np.minimum(draws, len(noise) - 1).astype(np.int64)

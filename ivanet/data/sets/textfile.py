"""Any plain-text file as a character language-model data set (``--data my_text.txt``).

Read as UTF-8 and cut by position: the first 90 % train, the next 5 % dev, the last 5 %
test. Samples as for ``shakespeare``: (N, T) windows of character ids and their one-step
shifts; the vocabulary comes from the training part.
"""
from __future__ import annotations

import os
from pathlib import Path

from ivanet.data.dataset import DataError, DataSplits
from ivanet.data.sets.shakespeare import SEQ_LEN, SPLIT_FRACTIONS, language_model_splits

SUFFIX = ".txt"


def load_text_file(path: str | os.PathLike, seq_len: int = SEQ_LEN) -> DataSplits:
    """A character language-model ``DataSplits`` from the text file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"text file {str(path)!r} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {str(path)!r} as UTF-8 text: {error}") from None
    first = int(len(text) * SPLIT_FRACTIONS[0])
    second = int(len(text) * (SPLIT_FRACTIONS[0] + SPLIT_FRACTIONS[1]))
    shortest = min(first, second - first, len(text) - second)
    if shortest < seq_len + 1:
        raise DataError(f"{str(path)!r}: {len(text)} characters are too few for windows of "
                        f"{seq_len} + 1 in each of train/dev/test (90/5/5 %); need about "
                        f"{20 * (seq_len + 1)} or a smaller seq_len")
    return language_model_splits(path.stem, (text[:first], text[first:second], text[second:]),
                                 seq_len, f"characters of {path.name} (90/5/5 by position)")

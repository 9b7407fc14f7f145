"""Text through a trained sequence-to-sequence translator (``date_translator``): the output
string and the attention weights behind each output character.

    for t in translate_run("runs/date_translator-dates", ["lundi 9 mars 1987"]):
        print(t.text, "→", t.output)                  # lundi 9 mars 1987 → 1987-03-09

A character the model never saw is an error naming it (``unknown="error"``, the default);
``unknown="unk"`` is the documented fallback that reads it as ``<unk>``. An output position
where the model writes a special token (``<pad>``, ``<unk>``) shows as "?", so an output
always has the model's ``target_len`` characters and a failure is visible.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ivanet.data.dataset import DataError
from ivanet.data.text import Vocabulary, pad_sequences
from ivanet.training.generation import encode_prompt, run_vocabulary
from ivanet.training.loading import load_run

SPECIAL = "?"


@dataclass(frozen=True)
class Translation:
    """One input ``text``, the model's ``output`` and ``attention`` (len(output),
    len(text)): row t, the weights over the input characters while writing output t."""

    text: str
    output: str
    attention: np.ndarray


def encode_texts(vocabulary: Vocabulary, texts: Sequence[str],
                 unknown: str = "error") -> tuple[np.ndarray, np.ndarray]:
    """Padded ids (N, S) and lengths (N,) of ``texts``; empty texts and (by default)
    unseen characters are a ``DataError``."""
    if isinstance(texts, str) or not len(texts):
        raise DataError("translate: give a non-empty list of texts")
    if unknown not in ("error", "unk"):
        raise ValueError(f"unknown must be 'error' or 'unk', got {unknown!r}")
    encoded = []
    for i, text in enumerate(texts):
        if not text:
            raise DataError(f"translate: text {i} is empty (length 0)")
        if unknown == "unk":
            encoded.append(vocabulary.encode_tokens(text))
            continue
        try:
            encoded.append(encode_prompt(vocabulary, text))
        except DataError as error:
            raise DataError(f"translate: text {i} ({text!r}): {error}; pass unknown='unk' "
                            f"to read such characters as <unk>") from None
    return pad_sequences(encoded)


def translate(model, vocabulary: Vocabulary, texts: Sequence[str],
              unknown: str = "error") -> list[Translation]:
    """Greedy translations of ``texts`` by ``model`` (which has ``translate_ids``)."""
    if not hasattr(model, "translate_ids"):
        raise DataError(f"{type(model).__name__} is not a sequence-to-sequence translator")
    ids, lengths = encode_texts(vocabulary, texts, unknown)
    outputs, weights = model.translate_ids(ids)                # (N, T), (N, T, S)
    tokens = vocabulary.tokens
    results = []
    for text, row, n, attention in zip(texts, outputs, lengths, weights):
        output = "".join(tokens[i] if len(tokens[i]) == 1 else SPECIAL for i in row.tolist())
        results.append(Translation(text, output, attention[:, :n]))
    return results


def translate_run(run_dir: str | os.PathLike, texts: Sequence[str],
                  unknown: str = "error") -> list[Translation]:
    """``translate`` with the model and vocabulary of a run folder."""
    return translate(load_run(run_dir).model, run_vocabulary(run_dir), texts, unknown)

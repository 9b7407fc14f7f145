"""Text from a trained character language model's run folder (``ivanet generate``).

The run folder holds the model's weights and ``vocabulary.json``, the characters it was
trained on; the prompt is encoded with it (a character the model never saw is an error
naming it, never a silent ``<unk>``), then characters are drawn one at a time with the
LSTM state carried along, at a temperature and optionally from the top k only.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ivanet.data.dataset import DataError
from ivanet.data.text import CharVocabulary, Vocabulary, sample_logits
from ivanet.training.folder import VOCABULARY, read_json
from ivanet.training.loading import load_run


def run_vocabulary(run_dir: str | os.PathLike) -> Vocabulary:
    """The input vocabulary a text run saved, or ``DataError`` if it has none."""
    path = Path(run_dir) / VOCABULARY
    if not path.is_file():
        raise DataError(f"{str(run_dir)!r} was not trained on text: it has no {VOCABULARY}")
    return Vocabulary.from_dict(read_json(path, "vocabulary"))


def encode_prompt(vocabulary: CharVocabulary, prompt: str) -> np.ndarray:
    """The prompt's ids (T0,); ``DataError`` naming every character the model never saw."""
    if not prompt:
        raise DataError("the prompt is empty: give at least one character to start from")
    unseen = sorted({c for c in prompt if c not in vocabulary or c in ("<pad>", "<unk>")})
    if unseen:
        shown = ", ".join(repr(c) for c in unseen[:10])
        raise DataError(f"the prompt has {len(unseen)} character(s) the model never saw: "
                        f"{shown} (it knows {len(vocabulary) - 2} characters)")
    return vocabulary.encode(prompt)


def generate_text(run_dir: str | os.PathLike, prompt: str, length: int = 300,
                  temperature: float = 1.0, top_k: int | None = None,
                  seed: int | None = None) -> str:
    """``length`` characters that the run's model writes after ``prompt``.

    ``temperature`` 0 picks the most likely character each time; higher values sample
    more freely. ``seed`` makes the draw repeatable.
    """
    if length < 1:
        raise ValueError(f"length must be ≥ 1, got {length}")
    vocabulary = run_vocabulary(run_dir)
    if not isinstance(vocabulary, CharVocabulary):
        raise DataError(f"{str(run_dir)!r} is not a character language model (its "
                        f"vocabulary is a {type(vocabulary).__name__})")
    model = load_run(run_dir).model
    if not hasattr(model, "generate"):
        raise DataError(f"the model of {str(run_dir)!r} ({type(model).__name__}) cannot "
                        f"generate text")
    prompt_ids = encode_prompt(vocabulary, prompt)[None]                 # (1, T0)
    rng = np.random.default_rng(seed)
    new = model.generate(prompt_ids, length,
                         lambda z: sample_logits(z, temperature, top_k, rng=rng))
    return vocabulary.decode(new[0])

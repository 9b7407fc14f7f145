"""Start a model's word embedding from pretrained word vectors, matched word by word.

A config says ``pretrained_embedding = "PATH"`` among its ``model_options``; PATH is either

- a skip-gram run folder (``python -m ivanet.training.skipgram``): ``vectors.safetensors``
  (its ``input`` table, the centre-word vectors) and ``vocabulary.json``, or
- a ``.npz`` file with ``tokens`` (V,) strings and ``vectors`` (V, D) floats, read without
  pickle (vectors from elsewhere, converted once).

Rows are matched by the token, not by the id: the vectors' vocabulary and the data's may
list the words in another order or hold other words. Every data word found gets its vector;
the others (``<unk>``, words too rare for the vectors) keep the model's random start, and
``<pad>`` stays zero. The vectors are rescaled to the element spread of that random start,
so the layers after the embedding see inputs of the size their initialisation assumes.
A file of another width, or one that covers too few of the data's words (vectors of another
corpus or tokenizer), is a ``ConfigError`` that says so.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file

from ivanet.data.text import PAD, UNK
from ivanet.training.errors import ConfigError

OPTION = "pretrained_embedding"   # the model option that names the vectors
MIN_COVERAGE = 0.5                # fraction of the data's words that must have a vector
RUN_VECTORS, RUN_VOCABULARY, RUN_TABLE = "vectors.safetensors", "vocabulary.json", "input"
SPECIAL = (PAD, UNK)


def read_word_vectors(path: str | os.PathLike) -> tuple[list[str], np.ndarray]:
    """(tokens, vectors (V, D) float32) from a skip-gram run folder or a ``.npz`` file."""
    path = Path(path)
    if path.is_dir():
        return _read_run_folder(path)
    if path.suffix == ".npz" and path.is_file():
        return _read_npz(path)
    raise ConfigError(f"{OPTION}: {str(path)!r} is neither a skip-gram run folder "
                      f"(with {RUN_VECTORS} and {RUN_VOCABULARY}) nor a .npz file")


def _read_run_folder(folder: Path) -> tuple[list[str], np.ndarray]:
    missing = [name for name in (RUN_VECTORS, RUN_VOCABULARY) if not (folder / name).is_file()]
    if missing:
        raise ConfigError(f"{OPTION}: the folder {str(folder)!r} has no "
                          f"{' and no '.join(missing)}: not a skip-gram run folder")
    try:
        tables = load_file(str(folder / RUN_VECTORS))
        tokens = json.loads((folder / RUN_VOCABULARY).read_text(encoding="utf-8"))["tokens"]
    except (SafetensorError, OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{OPTION}: cannot read the vectors in {str(folder)!r}: "
                          f"{error}") from None
    if RUN_TABLE not in tables:
        raise ConfigError(f"{OPTION}: {str(folder / RUN_VECTORS)!r} has no {RUN_TABLE!r} "
                          f"table (found {', '.join(sorted(tables)) or 'none'})")
    return _checked(folder, tokens, tables[RUN_TABLE])


def _read_npz(path: Path) -> tuple[list[str], np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as arrays:
            found = sorted(arrays.files)
            if "tokens" not in found or "vectors" not in found:
                raise ConfigError(f"{OPTION}: {str(path)!r} must hold the arrays 'tokens' and "
                                  f"'vectors', found {', '.join(found) or 'none'}")
            tokens, vectors = arrays["tokens"], arrays["vectors"]
    except (OSError, ValueError) as error:   # a damaged file, or object arrays (pickle)
        raise ConfigError(f"{OPTION}: cannot read {str(path)!r} without pickle: "
                          f"{error}") from None
    if tokens.dtype.kind != "U":
        raise ConfigError(f"{OPTION}: 'tokens' in {str(path)!r} must be strings, got "
                          f"dtype {tokens.dtype}")
    return _checked(path, tokens.tolist(), vectors)


def _checked(where: Path, tokens, vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or len(tokens) != vectors.shape[0]:
        raise ConfigError(f"{OPTION}: {str(where)!r} holds {len(tokens)} tokens and vectors of "
                          f"shape {vectors.shape}; expected one row per token")
    if not np.issubdtype(vectors.dtype, np.floating) or not np.isfinite(vectors).all():
        raise ConfigError(f"{OPTION}: the vectors in {str(where)!r} must be finite floats")
    if len(set(tokens)) != len(tokens):
        raise ConfigError(f"{OPTION}: {str(where)!r} lists a token twice")
    return list(tokens), vectors.astype(np.float32)


def initialise_embedding(weight: np.ndarray, vocabulary: list[str], tokens: list[str],
                         vectors: np.ndarray, padding_idx: int | None = 0,
                         min_coverage: float = MIN_COVERAGE) -> dict:
    """Copy into ``weight`` (V_data, D), in place, the vector of every data word found.

    ``vocabulary``: the data's tokens by id; ``tokens``/``vectors``: the pretrained ones.
    ``<pad>`` and ``<unk>`` are no words: their rows are never copied (a skip-gram run's
    never learnt anything). Returns {"found", "words", "coverage", "scale"}.
    """
    if vectors.shape[1] != weight.shape[1]:
        raise ConfigError(f"{OPTION}: the vectors have {vectors.shape[1]} dimensions, the "
                          f"model's embedding {weight.shape[1]}: set embedding_dim = "
                          f"{vectors.shape[1]} in model_options")
    if len(vocabulary) != weight.shape[0]:
        raise ConfigError(f"{OPTION}: the data's vocabulary has {len(vocabulary)} tokens, the "
                          f"embedding {weight.shape[0]} rows")
    index = {token: row for row, token in enumerate(tokens) if token not in SPECIAL}
    words = [i for i, token in enumerate(vocabulary) if token not in SPECIAL and i != padding_idx]
    rows = [(i, index[vocabulary[i]]) for i in words if vocabulary[i] in index]
    words = len(words)
    coverage = len(rows) / max(words, 1)
    if coverage < min_coverage:
        raise ConfigError(f"{OPTION}: only {len(rows):,} of the data's {words:,} words "
                          f"({coverage:.0%}) have a vector (at least {min_coverage:.0%} must): "
                          f"were the vectors learnt on another corpus or tokenizer?")
    ours, theirs = (np.array(side, dtype=np.int64) for side in zip(*rows))
    start = np.delete(weight, [] if padding_idx is None else [padding_idx], axis=0)
    scale = float(start.std() / max(vectors[theirs].std(), 1e-12))
    weight[ours] = vectors[theirs] * scale
    return {"found": len(rows), "words": words, "coverage": coverage, "scale": scale}


def load_pretrained_embedding(model, path: str | os.PathLike, vocabulary: dict | None) -> dict:
    """Start ``model.embedding`` from the vectors at ``path`` for the data's ``vocabulary``
    (``DataSplits.vocabulary``); returns what ``initialise_embedding`` found."""
    embedding = getattr(model, "embedding", None)
    weight = getattr(getattr(embedding, "weight", None), "data", None)
    if not isinstance(weight, np.ndarray) or weight.ndim != 2:
        raise ConfigError(f"{OPTION}: the model {type(model).__name__} has no word embedding "
                          f"(an 'embedding' layer) to start from vectors")
    if vocabulary is None:
        raise ConfigError(f"{OPTION}: the data has no word vocabulary to match vectors to")
    tokens, vectors = read_word_vectors(path)
    return initialise_embedding(weight, list(vocabulary["tokens"]), tokens, vectors,
                                getattr(embedding, "padding_idx", None))

"""Text tools for sequence models: vocabularies, padding, language-model batches, sampling.

Pure NumPy (nothing here imports the engine). A vocabulary maps tokens to ids with two
reserved entries, ``<pad>`` = 0 and ``<unk>`` = 1: padding fills short sequences (pair
with ``Embedding(padding_idx=0)`` and recurrent ``lengths``); tokens never seen in
training become ``<unk>`` — or raise, with ``unknown="error"``, naming the tokens.

    vocab = CharVocabulary.build(text)
    ids = vocab.encode("To be")                        # int64 array
    for x, y in lm_batches(vocab.encode(text), batch_size=32, seq_len=64): ...
    next_id = sample_logits(logits, temperature=0.8, top_k=10, rng=rng)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

PAD, UNK = "<pad>", "<unk>"
_WORD = re.compile(r"\w+(?:'\w+)?|[^\w\s]")


class Vocabulary:
    """Tokens ↔ ids; ids 0 and 1 are ``<pad>`` and ``<unk>``, the rest by frequency."""

    def __init__(self, tokens: Sequence[str]) -> None:
        tokens = list(tokens)
        if tokens[:2] != [PAD, UNK]:
            tokens = [PAD, UNK] + [t for t in tokens if t not in (PAD, UNK)]
        if len(set(tokens)) != len(tokens):
            raise ValueError("Vocabulary: tokens must be unique")
        self.tokens = tokens
        self.index = {token: i for i, token in enumerate(tokens)}

    pad_id, unk_id = 0, 1

    @classmethod
    def build(cls, tokens: Iterable[str], min_count: int = 1,
              max_size: int | None = None) -> Vocabulary:
        """The tokens seen at least ``min_count`` times, most frequent first (ties in order
        of first appearance), at most ``max_size`` entries including the two specials."""
        counts = Counter(tokens)
        kept = [t for t, n in counts.most_common() if n >= min_count and t not in (PAD, UNK)]
        if max_size is not None:
            kept = kept[:max(max_size - 2, 0)]
        return cls(kept)

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: str) -> bool:
        return token in self.index

    def encode_tokens(self, tokens: Iterable[str], unknown: str = "unk") -> np.ndarray:
        """Ids of ``tokens``; unseen ones become ``<unk>`` or, with ``unknown="error"``, a
        ``KeyError`` listing them."""
        tokens = list(tokens)
        if unknown == "error":
            missing = sorted({t for t in tokens if t not in self.index})
            if missing:
                raise KeyError(f"{len(missing)} token(s) not in the vocabulary of "
                               f"{len(self)}: {missing[:10]!r}")
        elif unknown != "unk":
            raise ValueError(f"unknown must be 'unk' or 'error', got {unknown!r}")
        get = self.index.get
        return np.fromiter((get(t, 1) for t in tokens), dtype=np.int64, count=len(tokens))

    def decode_tokens(self, ids: Iterable[int], skip_pad: bool = True) -> list[str]:
        """Tokens of ``ids`` (``<pad>`` dropped unless ``skip_pad=False``)."""
        ids = np.asarray(ids).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            bad = int(ids[(ids < 0) | (ids >= len(self))][0])
            raise IndexError(f"id {bad} is out of range for a vocabulary of {len(self)}")
        return [self.tokens[i] for i in ids.tolist() if not (skip_pad and i == 0)]

    def to_dict(self) -> dict:
        """A JSON-ready description (saved next to a model's weights)."""
        return {"kind": type(self).__name__, "tokens": self.tokens}

    @staticmethod
    def from_dict(state: dict) -> Vocabulary:
        kinds = {"Vocabulary": Vocabulary, "CharVocabulary": CharVocabulary,
                 "WordVocabulary": WordVocabulary}
        return kinds[state.get("kind", "Vocabulary")](state["tokens"])


class CharVocabulary(Vocabulary):
    """A vocabulary of single characters: ``encode(str)`` and ``decode(ids) → str``."""

    @classmethod
    def build(cls, text: str, min_count: int = 1, max_size: int | None = None):
        return super().build(iter(text), min_count, max_size)

    def encode(self, text: str, unknown: str = "unk") -> np.ndarray:
        return self.encode_tokens(text, unknown)

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(t if len(t) == 1 else "" for t in self.decode_tokens(ids))


def tokenize_words(text: str, lower: bool = True) -> list[str]:
    """Words (with inner apostrophes) and punctuation marks, lower-cased by default."""
    return _WORD.findall(text.lower() if lower else text)


class WordVocabulary(Vocabulary):
    """A vocabulary of words from ``tokenize_words``: ``encode(str)``, ``decode → str``."""

    lower = True

    @classmethod
    def build(cls, texts: Iterable[str] | str, min_count: int = 1,
              max_size: int | None = None):
        texts = [texts] if isinstance(texts, str) else texts
        return super().build((w for text in texts for w in tokenize_words(text)),
                             min_count, max_size)

    def encode(self, text: str, unknown: str = "unk") -> np.ndarray:
        return self.encode_tokens(tokenize_words(text, self.lower), unknown)

    def decode(self, ids: Iterable[int]) -> str:
        return " ".join(self.decode_tokens(ids))


def pad_sequences(sequences: Sequence[Sequence[int]], pad_id: int = 0,
                  max_len: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A batch (N, T) of id sequences padded with ``pad_id`` (cut to ``max_len``), and
    their true lengths (N,) — what the recurrent layers' ``lengths`` expects."""
    if not len(sequences):
        raise ValueError("pad_sequences: no sequences given")
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    if max_len is not None:
        lengths = np.minimum(lengths, max_len)
    if lengths.min() == 0:
        raise ValueError(f"pad_sequences: sequence {int(np.argmin(lengths))} is empty")
    batch = np.full((len(sequences), int(lengths.max())), pad_id, dtype=np.int64)
    for row, (seq, n) in enumerate(zip(sequences, lengths)):
        batch[row, :n] = np.asarray(seq[:n])
    return batch, lengths


def lm_batches(ids: np.ndarray, batch_size: int, seq_len: int, shuffle: bool = False,
               rng: np.random.Generator | None = None) -> Iterator[tuple[np.ndarray, ...]]:
    """Language-model batches (x, y), each (batch_size, seq_len), y = x shifted by one.

    The stream is cut into ``batch_size`` equal contiguous parts (row b of batch k follows
    row b of batch k − 1, so a detached state can carry over: truncated BPTT); the tail
    that does not fill a part is dropped. ``shuffle`` visits the windows in random order.
    """
    ids = np.asarray(ids)
    if batch_size < 1 or seq_len < 1:
        raise ValueError(f"lm_batches: batch_size and seq_len must be ≥ 1, got "
                         f"{batch_size} and {seq_len}")
    per_row = (len(ids) - 1) // batch_size
    if per_row < seq_len:
        raise ValueError(f"lm_batches: a stream of {len(ids)} tokens is too short for "
                         f"{batch_size} rows of {seq_len} + 1 tokens")
    x_rows = ids[:per_row * batch_size].reshape(batch_size, per_row)
    y_rows = ids[1:per_row * batch_size + 1].reshape(batch_size, per_row)
    starts = np.arange(0, per_row - seq_len + 1, seq_len)
    if shuffle:
        starts = (rng if rng is not None else np.random.default_rng()).permutation(starts)
    for start in starts:
        yield x_rows[:, start:start + seq_len], y_rows[:, start:start + seq_len]


def random_windows(ids: np.ndarray, batch_size: int, seq_len: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One batch of ``batch_size`` windows at random offsets: x, y (batch_size, seq_len)."""
    ids = np.asarray(ids)
    if len(ids) < seq_len + 1:
        raise ValueError(f"random_windows: {len(ids)} tokens are fewer than seq_len + 1 = "
                         f"{seq_len + 1}")
    starts = rng.integers(0, len(ids) - seq_len, batch_size)
    index = starts[:, None] + np.arange(seq_len)                      # (B, T)
    return ids[index], ids[index + 1]


def softmax_temperature(logits: np.ndarray, temperature: float = 1.0,
                        top_k: int | None = None) -> np.ndarray:
    """Probabilities softmax(logits / T) over the last axis, kept to the ``top_k`` largest
    (the rest exactly 0). T → 0 approaches argmax, T > 1 flattens."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0 (use greedy decoding for 0), "
                         f"got {temperature}")
    z = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None:
        if top_k < 1:
            raise ValueError(f"top_k must be ≥ 1, got {top_k}")
        if top_k < z.shape[-1]:
            kth = np.partition(z, -top_k, axis=-1)[..., [-top_k]]     # (..., 1)
            z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def sample_logits(logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None,
                  rng: np.random.Generator | None = None) -> np.ndarray | int:
    """Draw an id from each row of ``logits`` (…, V); ``temperature=0`` picks the argmax.

    Returns an int for 1-D logits, else an int64 array of the leading shape.
    """
    logits = np.asarray(logits)
    if temperature == 0:
        choice = np.argmax(logits, axis=-1)
    else:
        p = softmax_temperature(logits, temperature, top_k).reshape(-1, logits.shape[-1])
        rng = rng if rng is not None else np.random.default_rng()
        cumulative = np.cumsum(p, axis=-1)
        u = rng.random((p.shape[0], 1)) * cumulative[:, -1:]      # u < total: no overrun
        choice = np.minimum((cumulative <= u).sum(axis=-1), p.shape[-1] - 1)
        choice = choice.reshape(logits.shape[:-1])
    return int(choice) if logits.ndim == 1 else choice.astype(np.int64)

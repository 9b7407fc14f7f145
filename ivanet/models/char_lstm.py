"""``char_lstm``: a character-level language model (Day 4's "RNN language model").

Embedding → LSTM (``num_layers`` deep) → Linear to the vocabulary: at every position the
logits of the next character. Trained with cross-entropy on (N, T) windows of a text
and its one-step shift; ``step`` carries the state along for sampling a character at a
time.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ivanet import nn
from ivanet.autograd.mode import no_grad
from ivanet.models.registry import register_model
from ivanet.ops.shape import transpose


class CharLSTM(nn.Module):
    """Shape: ids (N, T) integers → logits (N, vocab_size, T) — the class axis second,
    as ``cross_entropy`` expects for (N, T) targets; ``step`` gives (N, T, vocab_size)."""

    def __init__(self, vocab_size: int, embedding_dim: int = 64, hidden_size: int = 256,
                 num_layers: int = 1, dropout: float = 0.0,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, rng=rng)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers,
                            batch_first=True, dropout=dropout, rng=rng)
        self.head = nn.Linear(hidden_size, vocab_size, init="torch", rng=rng)

    def step(self, ids, state=None):
        """Logits (N, T, vocab_size) and the LSTM state (h, c) to continue from."""
        out, state = self.lstm(self.embedding(ids), state)              # (N, T, H)
        return self.head(out), state

    def forward(self, ids):
        logits, _ = self.step(ids)
        return transpose(logits, (0, 2, 1))                              # (N, V, T)

    def generate(self, prompt_ids, length: int,
                 sampler: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """``length`` new ids after ``prompt_ids`` (N, T0), one step at a time with the state
        carried along; ``sampler`` maps logits (N, V) to ids (N,), e.g.
        ``lambda z: ivanet.data.text.sample_logits(z, temperature=0.8, rng=rng)``."""
        ids = np.asarray(prompt_ids)
        if ids.ndim != 2 or ids.shape[1] == 0:
            raise ValueError(f"CharLSTM.generate: prompt_ids must be (N, T0) with T0 ≥ 1, "
                             f"got shape {ids.shape}")
        new = np.empty((ids.shape[0], length), dtype=np.int64)
        with no_grad():
            logits, state = self.step(ids)
            for t in range(length):
                new[:, t] = sampler(logits.data[:, -1])
                logits, state = self.step(new[:, t:t + 1], state)
        return new


@register_model("char_lstm", "character-level LSTM language model (embedding, LSTM, linear)")
def char_lstm(input_shape: Sequence[int] = (64,), num_classes: int = 65,
              embedding_dim: int = 64, hidden_size: int = 256, num_layers: int = 1,
              dropout: float = 0.0, rng: np.random.Generator | None = None) -> nn.Module:
    """``num_classes`` is the vocabulary size; ``input_shape`` (T,) the window length
    (any length works). Shape: (N, T) ids → (N, num_classes, T) logits."""
    return CharLSTM(num_classes, embedding_dim, hidden_size, num_layers, dropout, rng)

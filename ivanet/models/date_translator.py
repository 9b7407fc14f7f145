"""``date_translator``: sequence to sequence with Bahdanau attention, dates → ISO (Day 4).

Bahdanau, Cho & Bengio (2015), "Neural machine translation by jointly learning to align
and translate". Character embedding → bidirectional GRU encoder (told each input's true
length) → a GRU decoder that, before writing each of the ``target_len`` characters, scores
every encoder position with additive attention e_tj = vᵀ tanh(W_q s_{t−1} + W_k h_j + b),
reads the context c_t = Σ_j softmax_j(e_tj) h_j and updates its state from the previous
character and c_t; logits come from [s_t; c_t].

Input layout (see ``ivanet.data.sets.dates``): x (N, S + target_len) = the input's ids
padded with 0, then the target's ids. In training the decoder reads the target shifted by
one (teacher forcing); in eval mode it decodes greedily from its own outputs and never
reads the target columns. ``last_attention`` holds the weights (N, target_len, S) of the
latest forward pass, for plots.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ivanet import nn
from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.models.registry import register_model
from ivanet.ops import attention as A
from ivanet.ops.embedding import check_ids
from ivanet.ops.shape import concat, reshape, stack, transpose


class DateTranslator(nn.Module):
    """Shape: x (N, S + target_len) int ids → logits (N, vocab_size, target_len), the class
    axis second as ``cross_entropy`` expects for (N, target_len) targets."""

    def __init__(self, vocab_size: int, target_len: int = 10, embedding_dim: int = 32,
                 hidden_size: int = 64, attention_size: int = 64,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        H = hidden_size
        self.vocab_size, self.target_len, self.start_id = vocab_size, target_len, vocab_size
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0, rng=rng)
        self.encoder = nn.GRU(embedding_dim, H, batch_first=True, bidirectional=True, rng=rng)
        self.bridge = nn.Linear(2 * H, H, init="torch", rng=rng)
        self.attention = nn.AdditiveAttention(H, 2 * H, attention_size, rng=rng)
        self.target_embedding = nn.Embedding(vocab_size + 1, embedding_dim, rng=rng)  # +<start>
        self.decoder = nn.GRUCell(embedding_dim + 2 * H, H, rng=rng)
        self.head = nn.Linear(3 * H, vocab_size, init="torch", rng=rng)
        self.last_attention: np.ndarray | None = None

    def _split(self, x) -> tuple[np.ndarray, np.ndarray | None]:
        ids = np.asarray(getattr(x, "data", x))
        if ids.ndim != 2 or ids.shape[1] <= self.target_len:
            raise ValueError(f"DateTranslator: expected ids of shape (N, S + {self.target_len}) "
                             f"with S ≥ 1 input columns, got {ids.shape}")
        if ids.dtype.kind not in "iu":
            raise TypeError(f"DateTranslator: token ids must be integers, got {ids.dtype}")
        check_ids(ids, self.vocab_size, "DateTranslator input")
        return ids[:, :-self.target_len], ids[:, -self.target_len:]

    def encode(self, source: np.ndarray):
        """(keys (N, S, 2H), projected keys (N, S, A), mask (N, 1, S), first state (N, H))."""
        lengths = (source != 0).sum(axis=1)
        if source.shape[0] == 0 or lengths.min() == 0:
            row = int(np.argmin(lengths)) if source.shape[0] else 0
            raise ValueError(f"DateTranslator: input {row} is empty (length 0): a date needs "
                             f"at least one character")
        keys, h_n = self.encoder(self.embedding(source), lengths=lengths)   # (N, S, 2H)
        state = self.bridge(concat([h_n[0], h_n[1]], axis=1)).tanh()        # (N, H)
        mask = (source != 0)[:, None, :]                                    # (N, 1, S)
        return keys, self.attention.key_proj(keys), mask, state

    def step(self, previous, state, keys, projected, mask):
        """One decoder step: (features [s_t; c_t] (N, 3H), new state s_t, weights (N, S))."""
        query = self.attention.query_proj(state)                             # (N, A)
        query = reshape(query, (query.shape[0], 1, query.shape[1]))         # (N, 1, A)
        context, weights = A.additive_attention(query, projected, self.attention.v, keys,
                                                mask=mask, return_weights=True)
        context = reshape(context, (context.shape[0], context.shape[2]))    # (N, 2H)
        state = self.decoder(concat([self.target_embedding(previous), context], axis=1),
                             state)
        return concat([state, context], axis=1), state, weights.data[:, 0]

    def forward(self, x):
        source, target = self._split(x)
        keys, projected, mask, state = self.encode(source)
        N, features, weights = len(source), [], []
        previous = np.full(N, self.start_id, dtype=np.int64)
        for t in range(self.target_len):
            feature, state, attention = self.step(previous, state, keys, projected, mask)
            features.append(feature)
            weights.append(attention)
            if self.training:
                previous = target[:, t]                               # teacher forcing
            else:
                with no_grad():
                    previous = self.head(feature).data.argmax(axis=1)  # greedy
        self.last_attention = np.stack(weights, axis=1)                  # (N, T, S)
        logits = self.head(stack(features, axis=1))                      # (N, T, V)
        return transpose(logits, (0, 2, 1))                              # (N, V, T)

    def translate_ids(self, source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Greedy decoding of padded input ids (N, S): (output ids (N, target_len),
        attention weights (N, target_len, S)). Leaves the model in its former mode."""
        source = np.asarray(source)
        if source.ndim == 1:
            source = source[None]
        dummy = np.zeros((len(source), self.target_len), dtype=np.int64)
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                logits = self(Tensor(np.concatenate([source, dummy], axis=1))).data
        finally:
            self.train(was_training)
        return logits.argmax(axis=1), self.last_attention


@register_model("date_translator", "seq2seq with Bahdanau attention: BiGRU encoder, "
                "attentive GRU decoder (dates → ISO)")
def date_translator(input_shape: Sequence[int] = (48,), num_classes: int = 64,
                    vocab_size: int = 64, target_len: int = 10, embedding_dim: int = 32,
                    hidden_size: int = 64, attention_size: int = 64,
                    rng: np.random.Generator | None = None) -> nn.Module:
    """``vocab_size`` (inputs) and ``num_classes`` (outputs) come from the data's one
    character vocabulary and must be equal. Shape: (N, S + target_len) →
    (N, num_classes, target_len)."""
    if num_classes != vocab_size:
        raise ValueError(f"date_translator reads and writes one character vocabulary: "
                         f"num_classes ({num_classes}) must equal vocab_size ({vocab_size})")
    if input_shape[0] <= target_len:
        raise ValueError(f"input_shape {tuple(input_shape)} leaves no input columns before "
                         f"the {target_len} target columns")
    return DateTranslator(vocab_size, target_len, embedding_dim, hidden_size,
                          attention_size, rng)

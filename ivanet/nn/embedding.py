"""``Embedding``: a learned vector per token id (the slide's word representation)."""
from __future__ import annotations

import numpy as np

from ivanet.nn.checks import check_size
from ivanet.nn.init import normal_
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops.embedding import check_ids, embedding


class Embedding(Module):
    """Row ``id`` of ``weight`` (num_embeddings, embedding_dim) for every token id.

    Equal to a one-hot vector times the weight matrix, without building the one-hots.
    ``padding_idx``: that row starts at zero and never gets a gradient. Initialised
    N(0, 1) like PyTorch.

    Shape: ids (*) integers → (*, embedding_dim).
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        self.num_embeddings = check_size("num_embeddings", num_embeddings)
        self.embedding_dim = check_size("embedding_dim", embedding_dim)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx must be in [-{num_embeddings}, "
                                 f"{num_embeddings}), got {padding_idx}")
            padding_idx = int(padding_idx) % num_embeddings
        self.padding_idx = padding_idx
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
        normal_(self.weight, 0.0, 1.0, rng)
        if padding_idx is not None:
            self.weight.data[padding_idx] = 0

    def forward(self, ids):
        ids = np.asarray(getattr(ids, "data", ids))
        check_ids(ids, self.num_embeddings, self.describe())
        return embedding(ids, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        pad = f", padding_idx={self.padding_idx}" if self.padding_idx is not None else ""
        return f"{self.num_embeddings}, {self.embedding_dim}{pad}"

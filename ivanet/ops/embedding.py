"""Embedding lookup: row ``ids`` of a weight table, the one-hot product without the one-hots."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops import jit

numba = jit.numba                        # None: np.add.at gives the same numbers


def check_ids(ids: np.ndarray, num_embeddings: int, where: str = "embedding") -> None:
    """Integer ids in [0, num_embeddings), else an error naming the bad id."""
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{where}: token ids must be integers, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= num_embeddings):
        bad = int(ids[(ids < 0) | (ids >= num_embeddings)].flat[0])
        raise IndexError(f"{where}: token id {bad} is out of range for a vocabulary of "
                         f"{num_embeddings} (valid ids are 0..{num_embeddings - 1})")


if numba is not None:
    @numba.njit(cache=True)
    def _scatter_rows_kernel(rows, src, out):
        for r in range(rows.shape[0]):
            dst, values = out[rows[r]], src[r]
            for j in range(values.shape[0]):
                dst[j] += values[j]


def scatter_add_rows(rows: np.ndarray, src: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out[rows[r]] += src[r] for every r, in order (repeated rows add up); returns ``out``.

    Shape: rows (R,) integers, src (R, D), out (V, D). numba's loop is one pass (np.add.at,
    the fallback with the same numbers, took 2.8 ms for the char LSTM's 2,048 × 64).
    """
    if numba is not None and src.dtype == out.dtype and src.flags.c_contiguous \
            and out.flags.c_contiguous:
        _scatter_rows_kernel(rows, src, out)
    else:
        np.add.at(out, rows, src)
    return out


class Embedding(Function):
    """e = W[ids], the same as onehot(ids) W;  dL/dW[v] = Σ over positions with id v of dL/de.

    Rows at ``padding_idx`` get no gradient (they stay a fixed vector, usually zeros).
    """

    def forward(self, weight, ids, padding_idx=None):
        check_ids(ids, weight.shape[0])
        if self.recording:
            self.ids, self.shape, self.padding_idx = ids, weight.shape, padding_idx
        return weight[ids]                                   # (*ids.shape, D)

    def backward(self, grad):
        grad_w = np.zeros(self.shape, dtype=grad.dtype)
        rows = self.ids.reshape(-1)
        scatter_add_rows(rows, np.ascontiguousarray(grad.reshape(rows.size, self.shape[1])),
                         grad_w)
        if self.padding_idx is not None:
            grad_w[self.padding_idx] = 0
        return grad_w, None


def embedding(ids, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Look up rows of ``weight`` (V, D) for integer ``ids`` (array or Tensor).

    Shape: ids (*) → (*, D).
    """
    ids = ids.data if isinstance(ids, Tensor) else np.asarray(ids)
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return Embedding.apply(weight, ids, padding_idx)

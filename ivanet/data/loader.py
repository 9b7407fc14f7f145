"""``DataLoader``: seeded, resumable mini-batches of NumPy arrays.

Reproducible resumption comes from epoch-derived randomness, not from a saved generator:
the shuffle of epoch e is drawn from ``SeedSequence(seed, spawn_key=(e, 0))`` and the
augmentation of batch b of epoch e from ``SeedSequence(seed, spawn_key=(e, 1, b))``. So a
run resumed at epoch e (``loader.set_epoch(e)``), even in the middle of it
(``set_epoch(e, start_batch=b)``), sees exactly the batches an uninterrupted run saw,
with nothing to store but ``seed`` (``state_dict()``).

Each ``iter(loader)`` runs epoch ``loader.epoch`` and then advances it, so a plain
``for epoch ...: for x, y in loader:`` loop reshuffles every epoch; a trainer that calls
``set_epoch(epoch)`` at the top of each epoch is correct after a resume as well.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from ivanet.data.dataset import Dataset

Batch = tuple[np.ndarray, np.ndarray]
Transform = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def default_collate(items: Sequence[tuple[np.ndarray, np.ndarray]]) -> Batch:
    """Stack a list of ``(x, y)`` items into ``(x_batch, y_batch)``."""
    xs, ys = zip(*items, strict=True)
    return np.stack(xs), np.stack(ys)


class DataLoader:
    """Iterate a dataset in mini-batches ``(x_batch, y_batch)``; ``len()`` is batches per epoch.

    ``transform(x_batch, rng)`` (e.g. augmentations, training data only) changes inputs
    after batching. ``collate(items)`` builds a batch from a list of items; without it a
    dataset with ``batch(indices)`` is sliced once per batch (fast path). ``seed`` (or a
    seed drawn from ``rng``) fixes the shuffles and augmentations of every epoch.
    """

    def __init__(self, dataset: Dataset, batch_size: int, shuffle: bool = False,
                 drop_last: bool = False, rng: np.random.Generator | None = None,
                 seed: int | None = None, collate: Callable[[list], Batch] | None = None,
                 transform: Transform | None = None) -> None:
        if not isinstance(batch_size, int | np.integer) or batch_size < 1:
            raise ValueError(f"DataLoader batch_size must be a positive integer, got {batch_size}")
        if seed is not None and rng is not None:
            raise ValueError("DataLoader: give either seed or rng, not both")
        if seed is None:
            seed = int((rng or np.random.default_rng()).integers(2**63))
        if int(seed) < 0:
            raise ValueError(f"DataLoader seed must be non-negative, got {seed}")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.collate, self.transform = collate, transform
        self.seed = int(seed)
        self.epoch, self._start_batch = 0, 0

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def set_epoch(self, epoch: int, start_batch: int = 0) -> None:
        """Make the next ``iter()`` run epoch ``epoch`` from batch ``start_batch`` on."""
        if epoch < 0 or not 0 <= start_batch <= len(self):
            raise ValueError(f"set_epoch: need epoch >= 0 and 0 <= start_batch <= {len(self)}, "
                             f"got epoch={epoch}, start_batch={start_batch}")
        self.epoch, self._start_batch = int(epoch), int(start_batch)

    def state_dict(self) -> dict[str, int]:
        """``{"seed", "epoch"}``: the seed and the epoch the next ``iter()`` will run."""
        return {"seed": self.seed, "epoch": self.epoch}

    def load_state_dict(self, state: dict[str, int]) -> None:
        """Restore ``state_dict()``: same seed, next epoch as saved."""
        self.seed = int(state["seed"])
        self.set_epoch(int(state["epoch"]))

    def epoch_order(self, epoch: int) -> np.ndarray:
        """The sample order of ``epoch``: 0..N−1, or its seeded shuffle."""
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        sequence = np.random.SeedSequence(self.seed, spawn_key=(epoch, 0))
        return np.random.default_rng(sequence).permutation(n)

    def __iter__(self) -> Iterator[Batch]:
        epoch, start = self.epoch, self._start_batch
        self.epoch, self._start_batch = epoch + 1, 0
        return self._batches(epoch, start)

    def _batches(self, epoch: int, start: int) -> Iterator[Batch]:
        order = self.epoch_order(epoch)
        for b in range(start, len(self)):
            indices = order[b * self.batch_size:(b + 1) * self.batch_size]
            x, y = self._fetch(indices)
            if self.transform is not None:
                sequence = np.random.SeedSequence(self.seed, spawn_key=(epoch, 1, b))
                x = self.transform(x, np.random.default_rng(sequence))
            yield x, y

    def _fetch(self, indices: np.ndarray) -> Batch:
        batch = getattr(self.dataset, "batch", None)
        if self.collate is None and batch is not None:
            return batch(indices)
        items = [self.dataset[int(i)] for i in indices]
        return (self.collate or default_collate)(items)

    def __repr__(self) -> str:
        return (f"DataLoader(n={len(self.dataset)}, batch_size={self.batch_size}, "
                f"batches={len(self)}, shuffle={self.shuffle}, seed={self.seed})")

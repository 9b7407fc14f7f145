"""Samplers for metric learning and one-shot evaluation: pairs, triplets, P×K batches, episodes.

All return indices into a labelled set and draw from ``rng``.
"""
from __future__ import annotations

import numpy as np


def _by_class(labels: np.ndarray, need: int = 1) -> dict[int, np.ndarray]:
    groups = {int(c): np.flatnonzero(labels == c) for c in np.unique(labels)}
    usable = {c: g for c, g in groups.items() if len(g) >= need}
    if len(usable) < 2:
        raise ValueError(f"need at least two classes with ≥ {need} examples each, got "
                         f"{len(usable)}")
    return usable


def sample_pairs(labels, count: int, rng: np.random.Generator,
                 positive_fraction: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, same): ``count`` index pairs, a ``positive_fraction`` of them of one
    class (same = 1) and the rest of two different classes (same = 0)."""
    labels = np.asarray(labels)
    groups = _by_class(labels, need=2)
    classes = np.array(list(groups))
    same = (rng.uniform(size=count) < positive_fraction).astype(np.int64)
    first, second = np.empty(count, np.int64), np.empty(count, np.int64)
    for i in range(count):
        c1, c2 = rng.choice(classes, size=2, replace=False)
        if same[i]:
            first[i], second[i] = rng.choice(groups[int(c1)], size=2, replace=False)
        else:
            first[i], second[i] = rng.choice(groups[int(c1)]), rng.choice(groups[int(c2)])
    return first, second, same


def sample_triplets(labels, count: int, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(anchor, positive, negative) indices: positive of the anchor's class, another example;
    negative of another class."""
    first, second, _ = sample_pairs(labels, count, rng, positive_fraction=1.0)
    labels = np.asarray(labels)
    negative = np.empty(count, np.int64)
    for i in range(count):
        negative[i] = rng.choice(np.flatnonzero(labels != labels[first[i]]))
    return first, second, negative


def pk_batch(labels, classes_per_batch: int, per_class: int,
             rng: np.random.Generator) -> np.ndarray:
    """P classes × K examples each (the batch that batch-hard mining needs)."""
    groups = _by_class(np.asarray(labels), need=per_class)
    if classes_per_batch > len(groups):
        raise ValueError(f"asked for {classes_per_batch} classes per batch, only "
                         f"{len(groups)} have ≥ {per_class} examples")
    chosen = rng.choice(np.array(list(groups)), size=classes_per_batch, replace=False)
    return np.concatenate([rng.choice(groups[int(c)], per_class, replace=False)
                           for c in chosen])


def episode(labels, n_way: int, k_shot: int, queries: int, rng: np.random.Generator,
            alphabets: dict[int, str] | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One N-way K-shot episode: (support (n·k,), support classes 0…n−1, query (n·q,),
    query classes) indices, the n classes drawn among those with ≥ k + q examples.

    With ``alphabets`` (class → alphabet), the n classes all come from one alphabet drawn
    among those with ≥ n such classes: Omniglot's harder within-alphabet episodes."""
    groups = _by_class(np.asarray(labels), need=k_shot + queries)
    candidates = np.array(list(groups))
    if alphabets is not None:
        missing = [c for c in candidates if int(c) not in alphabets]
        if missing:
            raise ValueError(f"alphabets names no alphabet for class {missing[0]}")
        names = np.array([alphabets[int(c)] for c in candidates])
        unique, counts = np.unique(names, return_counts=True)
        if not (counts >= n_way).any():
            raise ValueError(f"{n_way}-way within-alphabet episodes need an alphabet with "
                             f"{n_way} classes of ≥ {k_shot + queries} examples; the "
                             f"largest has {counts.max()}")
        candidates = candidates[names == rng.choice(unique[counts >= n_way])]
    if n_way > len(candidates):
        raise ValueError(f"{n_way}-way episodes need {n_way} classes with ≥ {k_shot + queries}"
                         f" examples, there are {len(candidates)}")
    support, query = [], []
    for c in rng.choice(candidates, size=n_way, replace=False):
        picks = rng.choice(groups[int(c)], k_shot + queries, replace=False)
        support.append(picks[:k_shot]), query.append(picks[k_shot:])
    return (np.concatenate(support), np.repeat(np.arange(n_way), k_shot),
            np.concatenate(query), np.repeat(np.arange(n_way), queries))

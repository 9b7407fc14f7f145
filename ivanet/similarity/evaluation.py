"""N-way K-shot evaluation: classify queries by the nearest class mean of K support embeddings."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.similarity.samplers import episode


def nearest_prototype(support: np.ndarray, support_classes: np.ndarray,
                      queries: np.ndarray) -> np.ndarray:
    """Class of each query (Q, D): the support class whose mean embedding is nearest."""
    classes = np.unique(support_classes)
    prototypes = np.stack([support[support_classes == c].mean(axis=0) for c in classes])
    d2 = ((queries[:, None, :] - prototypes[None, :, :]) ** 2).sum(axis=-1)   # (Q, n)
    return classes[np.argmin(d2, axis=1)]


def n_way_k_shot_accuracy(embed: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                          labels, n_way: int, k_shot: int = 1, episodes: int = 200,
                          queries: int = 5, rng: np.random.Generator | None = None) -> float:
    """Mean query accuracy over ``episodes`` episodes. ``embed`` maps a batch of inputs to
    (B, D) embeddings (``lambda x: x.reshape(len(x), -1)`` is the nearest-neighbour-on-pixels
    baseline). Chance is 1/n_way."""
    rng = rng if rng is not None else np.random.default_rng(0)
    correct = total = 0
    for _ in range(episodes):
        support, support_classes, query, query_classes = episode(labels, n_way, k_shot,
                                                                 queries, rng)
        vectors = embed(x[np.concatenate([support, query])])
        vectors = np.asarray(vectors).reshape(len(support) + len(query), -1)
        predicted = nearest_prototype(vectors[:len(support)], support_classes,
                                      vectors[len(support):])
        correct += int((predicted == query_classes).sum())
        total += len(query)
    return correct / total

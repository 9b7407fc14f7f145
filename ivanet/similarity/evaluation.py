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


def n_way_k_shot_scores(embed: Callable[[np.ndarray], np.ndarray], x: np.ndarray, labels,
                        n_way: int, k_shot: int = 1, episodes: int = 200, queries: int = 5,
                        rng: np.random.Generator | None = None,
                        alphabets: dict[int, str] | None = None) -> np.ndarray:
    """Query accuracy of each of ``episodes`` episodes, (episodes,). ``embed`` maps a batch
    of inputs to (B, D) embeddings (``lambda x: x.reshape(len(x), -1)`` is the
    nearest-neighbour-on-pixels baseline); ``alphabets`` as in ``episode``."""
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1, got {episodes}")
    rng = rng if rng is not None else np.random.default_rng(0)
    scores = np.empty(episodes)
    for i in range(episodes):
        support, support_classes, query, query_classes = episode(labels, n_way, k_shot,
                                                                 queries, rng, alphabets)
        vectors = embed(x[np.concatenate([support, query])])
        vectors = np.asarray(vectors).reshape(len(support) + len(query), -1)
        predicted = nearest_prototype(vectors[:len(support)], support_classes,
                                      vectors[len(support):])
        scores[i] = (predicted == query_classes).mean()
    return scores


def n_way_k_shot_accuracy(embed: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                          labels, n_way: int, k_shot: int = 1, episodes: int = 200,
                          queries: int = 5, rng: np.random.Generator | None = None,
                          alphabets: dict[int, str] | None = None) -> float:
    """Mean query accuracy over ``episodes`` episodes (``n_way_k_shot_scores``). Chance is
    1/n_way."""
    return float(n_way_k_shot_scores(embed, x, labels, n_way, k_shot, episodes, queries, rng,
                                     alphabets).mean())


def interval95(scores: np.ndarray) -> tuple[float, float]:
    """Mean and half-width of its normal 95 % interval, 1.96·s/√n over episode scores."""
    scores = np.asarray(scores, dtype=np.float64)
    spread = scores.std(ddof=1) if len(scores) > 1 else 0.0
    return float(scores.mean()), float(1.96 * spread / np.sqrt(len(scores)))


def _check_pairs(distances: np.ndarray, same) -> tuple[np.ndarray, np.ndarray]:
    distances, same = np.asarray(distances, np.float64), np.asarray(same).astype(bool)
    if distances.ndim != 1 or distances.shape != same.shape:
        raise ValueError(f"distances and same must be (P,) each, got {distances.shape} and "
                         f"{same.shape}")
    if same.all() or not same.any():
        raise ValueError("verification needs both same-class and different-class pairs")
    return distances, same


def verification_accuracy(distances: np.ndarray, same, threshold: float) -> float:
    """Fraction of pairs judged right when "same class" means distance < ``threshold``."""
    distances, same = _check_pairs(distances, same)
    return float(np.mean((distances < threshold) == same))


def best_threshold(distances: np.ndarray, same) -> float:
    """The threshold (a midpoint between sorted distances) with the best verification
    accuracy on these pairs: choose it on one set of pairs, report on another."""
    distances, same = _check_pairs(distances, same)
    order = np.argsort(distances)
    d, s = distances[order], same[order]
    # accuracy of threshold just above d[i]: same pairs up to i right, different pairs after
    right = np.cumsum(s) + ((~s).sum() - np.cumsum(~s))
    i = int(np.argmax(right))
    return float((d[i] + d[i + 1]) / 2) if i + 1 < len(d) else float(d[i] + 1e-6)


def roc_auc(distances: np.ndarray, same) -> float:
    """Probability that a random same-class pair is nearer than a random different-class
    pair (ties count half): the area under the ROC curve of −distance."""
    distances, same = _check_pairs(distances, same)
    near, far = distances[same], distances[~same]
    below = np.searchsorted(np.sort(far), near, side="left")
    ties = np.searchsorted(np.sort(far), near, side="right") - below
    return float((len(far) - below - ties + 0.5 * ties).sum() / (len(near) * len(far)))

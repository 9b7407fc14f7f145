"""How good are word vectors: nearest neighbours, analogies, similarity rank correlation.

Pure NumPy on a (V, D) matrix of vectors and a vocabulary (token → id). Cosine similarity
throughout. Test items with a word outside the vocabulary are skipped and counted: every
score comes with its coverage.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import spearmanr

CHUNK = 1024  # analogy questions scored per matrix product


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (float64; a zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def nearest(vectors: np.ndarray, index: Mapping[str, int], tokens: Sequence[str], word: str,
            k: int = 5, skip: Sequence[int] = (0, 1)) -> list[tuple[str, float]]:
    """The ``k`` words closest to ``word`` by cosine, with their cosines (not ``skip`` ids)."""
    if word not in index:
        raise KeyError(f"nearest: {word!r} is not in the vocabulary")
    unit = unit_rows(vectors)
    cosines = unit @ unit[index[word]]
    cosines[[index[word], *skip]] = -np.inf
    best = np.argsort(-cosines)[:k]
    return [(tokens[i], float(cosines[i])) for i in best]


def analogy_accuracy(vectors: np.ndarray, index: Mapping[str, int], analogies: Sequence,
                     skip: Sequence[int] = (0, 1)) -> dict:
    """3CosAdd: for a : b :: c : d the answer is argmax cos(w, b − a + c) over the
    vocabulary without a, b, c (Mikolov et al. 2013). Questions with a word outside the
    vocabulary are left out; ``coverage`` is the fraction kept.

    ``analogies``: items with ``a, b, c, d`` and ``section`` attributes. Returns accuracy,
    correct, covered, total, coverage and ``sections``: {section: (correct, covered)}.
    """
    unit = unit_rows(vectors)
    kept = [q for q in analogies if all(w in index for w in (q.a, q.b, q.c, q.d))]
    ids = np.array([[index[w] for w in (q.a, q.b, q.c, q.d)] for q in kept],
                   dtype=np.int64).reshape(-1, 4)
    hits = np.zeros(len(kept), dtype=bool)
    for start in range(0, len(kept), CHUNK):
        a, b, c, d = ids[start:start + CHUNK].T
        scores = unit_rows(unit[b] - unit[a] + unit[c]) @ unit.T      # (n, V)
        rows = np.arange(len(a))
        for excluded in (a, b, c):
            scores[rows, excluded] = -np.inf
        scores[:, list(skip)] = -np.inf
        hits[start:start + CHUNK] = scores.argmax(axis=1) == d
    sections: dict[str, list[int]] = {}
    for question, hit in zip(kept, hits):
        tally = sections.setdefault(question.section, [0, 0])
        tally[0] += int(hit)
        tally[1] += 1
    covered = len(kept)
    return {"accuracy": float(hits.mean()) if covered else float("nan"),
            "correct": int(hits.sum()), "covered": covered, "total": len(analogies),
            "coverage": covered / max(len(analogies), 1),
            "sections": {name: tuple(tally) for name, tally in sections.items()}}


def similarity_correlation(vectors: np.ndarray, index: Mapping[str, int],
                           rows: Sequence[tuple[str, str, float]]) -> dict:
    """Spearman's ρ between cosine similarity and the human scores, over the pairs whose
    words are both in the vocabulary. Returns rho, covered, total, coverage."""
    unit = unit_rows(vectors)
    kept = [(first, second, score) for first, second, score in rows
            if first in index and second in index]
    cosines = [float(unit[index[first]] @ unit[index[second]]) for first, second, _ in kept]
    rho = (float(spearmanr(cosines, [score for *_, score in kept]).statistic)
           if len(kept) > 2 else float("nan"))
    return {"rho": rho, "covered": len(kept), "total": len(rows),
            "coverage": len(kept) / max(len(rows), 1)}


def project_2d(vectors: np.ndarray) -> np.ndarray:
    """The rows' coordinates on their first two principal components (PCA by SVD): (n, 2)."""
    centred = np.asarray(vectors, dtype=np.float64)
    centred = centred - centred.mean(axis=0)
    _, _, directions = np.linalg.svd(centred, full_matrices=False)    # directions (D, D)
    return centred @ directions[:2].T

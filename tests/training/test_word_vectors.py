"""Word-vector evaluation on hand-built vectors: neighbours, 3CosAdd analogies with
coverage, Spearman correlation, the 2-D projection."""
import numpy as np
import pytest

from ivanet.data.sets.word_tests import Analogy
from ivanet.training.word_vectors import (analogy_accuracy, nearest, project_2d,
                                          similarity_correlation)

TOKENS = ["<pad>", "<unk>", "man", "woman", "king", "queen", "apple"]
INDEX = {token: i for i, token in enumerate(TOKENS)}
# axes: royalty, gender, fruit; queen = king − man + woman exactly
VECTORS = np.array([[0, 0, 0], [0, 0, 0], [0, 1, 0.1], [0, -1, 0.1], [1, 1, 0.1],
                    [1, -1, 0.1], [0, 0, 1]], dtype=np.float32)


def test_analogies_exclude_the_question_words_and_count_coverage():
    questions = [Analogy("man", "woman", "king", "queen", "family"),
                 Analogy("woman", "man", "queen", "king", "family"),
                 Analogy("man", "king", "woman", "apple", "wrong"),
                 Analogy("man", "woman", "prince", "princess", "family")]
    result = analogy_accuracy(VECTORS, INDEX, questions)
    assert (result["correct"], result["covered"], result["total"]) == (2, 3, 4)
    assert result["coverage"] == 0.75 and result["accuracy"] == pytest.approx(2 / 3)
    assert result["sections"] == {"family": (2, 2), "wrong": (0, 1)}


def test_nearest_and_similarity():
    near = nearest(VECTORS, INDEX, TOKENS, "king", k=2)
    cos_man = 1.01 / (np.sqrt(2.01) * np.sqrt(1.01))        # king·man / (‖king‖ ‖man‖)
    assert [word for word, _ in near] == ["man", "apple"]
    assert near[0][1] == pytest.approx(cos_man)
    # cosines 0.005, 0.71, 0.07 rank (1, 3, 2); human scores 8, 6, 1 rank (3, 2, 1)
    rows = [("king", "queen", 8.0), ("man", "king", 6.0), ("apple", "king", 1.0),
            ("man", "unicorn", 5.0)]
    result = similarity_correlation(VECTORS, INDEX, rows)
    assert (result["covered"], result["total"]) == (3, 4)
    assert result["rho"] == pytest.approx(1 - 6 * (4 + 1 + 1) / (3 * 8))


def test_project_2d_keeps_a_plane_and_orders_by_variance():
    rng = np.random.default_rng(0)
    points = rng.standard_normal((50, 2)) * [5.0, 1.0]
    basis = np.linalg.qr(rng.standard_normal((4, 4)))[0][:, :2].T           # (2, 4) orthonormal
    projected = project_2d(points @ basis + 3.0)                            # (50, 4) → (50, 2)

    def distances(p):
        return np.linalg.norm(p[:, None] - p[None], axis=2)

    np.testing.assert_allclose(distances(projected), distances(points), atol=1e-8)
    assert projected[:, 0].var() > projected[:, 1].var()
    np.testing.assert_allclose(projected.mean(axis=0), 0, atol=1e-12)

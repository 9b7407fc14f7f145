"""Metrics against scikit-learn (where installed) and hand-made cases."""
import numpy as np
import pytest

from ivanet.training import metrics as m

sk = pytest.importorskip("sklearn.metrics")


@pytest.fixture
def labels(rng):
    y_true = rng.integers(0, 4, 200)
    y_pred = np.where(rng.random(200) < 0.6, y_true, rng.integers(0, 4, 200))
    return y_true, y_pred


def test_accuracy_and_confusion_match_sklearn(labels):
    y_true, y_pred = labels
    assert m.accuracy(y_true, y_pred) == pytest.approx(sk.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(m.confusion_matrix(y_true, y_pred, 4),
                                  sk.confusion_matrix(y_true, y_pred, labels=range(4)))


@pytest.mark.parametrize("name", ["precision", "recall", "f1"])
def test_macro_and_per_class_match_sklearn(labels, name):
    y_true, y_pred = labels
    ours = {"precision": m.precision, "recall": m.recall, "f1": m.f1_score}[name]
    theirs = {"precision": sk.precision_score, "recall": sk.recall_score,
              "f1": sk.f1_score}[name]
    assert ours(y_true, y_pred) == pytest.approx(theirs(y_true, y_pred, average="macro"))
    np.testing.assert_allclose(ours(y_true, y_pred, average=None),
                               theirs(y_true, y_pred, average=None))


def test_class_never_predicted_scores_zero_like_sklearn():
    y_true, y_pred = np.array([0, 1, 2, 2]), np.array([0, 1, 1, 1])
    precision, recall, f1 = m.precision_recall_f1(y_true, y_pred, average=None)
    np.testing.assert_allclose(precision, sk.precision_score(y_true, y_pred, average=None,
                                                             zero_division=0))
    assert f1[2] == 0.0 and recall[2] == 0.0


def test_top_k_accuracy_matches_sklearn(rng):
    y_true = rng.integers(0, 6, 100)
    scores = rng.normal(size=(100, 6))
    for k in (1, 3):
        assert m.top_k_accuracy(y_true, scores, k) == pytest.approx(
            sk.top_k_accuracy_score(y_true, scores, k=k, labels=range(6)))


def test_regression_metrics_match_sklearn(rng):
    y_true = rng.normal(size=(50, 2))
    y_pred = y_true + rng.normal(0, 0.3, (50, 2))
    assert m.mse(y_true, y_pred) == pytest.approx(sk.mean_squared_error(y_true, y_pred))
    assert m.mae(y_true, y_pred) == pytest.approx(sk.mean_absolute_error(y_true, y_pred))
    assert m.r2(y_true, y_pred) == pytest.approx(sk.r2_score(y_true, y_pred))
    column = y_true[:, :1]
    assert m.r2(column, y_pred[:, 0]) == pytest.approx(sk.r2_score(column[:, 0], y_pred[:, 0]))


def test_labels_from_outputs():
    np.testing.assert_array_equal(m.labels_from_outputs(np.array([[0.1, 2.0], [3.0, -1.0]])),
                                  [1, 0])
    np.testing.assert_array_equal(m.labels_from_outputs(np.array([[-0.5], [0.5]])), [0, 1])


def test_shape_errors_are_clear():
    with pytest.raises(ValueError, match="same shape"):
        m.accuracy(np.zeros(3, int), np.zeros(4, int))
    with pytest.raises(ValueError, match="1-D"):
        m.accuracy(np.zeros((3, 2), int), np.zeros((3, 2), int))
    with pytest.raises(ValueError, match=r"\(N, K\)"):
        m.top_k_accuracy(np.zeros(3, int), np.zeros(3), 1)
    with pytest.raises(ValueError, match="same shape"):
        m.mse(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="at least one"):
        m.accuracy(np.zeros(0, int), np.zeros(0, int))

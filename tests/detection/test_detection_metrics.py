"""Precision/recall, AP and mAP on hand-computed examples; images with no objects."""
import numpy as np
import pytest

from ivanet.detection.metrics import (average_precision, coco_map, mean_average_precision,
                                      precision_recall)

A, B, C = [0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 50, 50]
EMPTY = (np.zeros((0, 4)), np.zeros(0, int))


def _scene():
    """Three images: gt A | B, C | nothing. Detections by score: A ✓, miss ✗, B ✓, ✗."""
    targets = [(np.array([A]), [0]), (np.array([B, C]), [0, 0]), EMPTY]
    predictions = [(np.array([A]), [0.9], [0]),
                   (np.array([[60, 60, 70, 70], B]), [0.8, 0.7], [0, 0]),
                   (np.array([A]), [0.6], [0])]
    return predictions, targets


def test_precision_recall_by_hand():
    precision, recall, scores, total = precision_recall(*_scene(), label=0)
    assert total == 3
    np.testing.assert_allclose(precision, [1, 1 / 2, 2 / 3, 1 / 2])
    np.testing.assert_allclose(recall, [1 / 3, 1 / 3, 2 / 3, 2 / 3])
    np.testing.assert_allclose(scores, [0.9, 0.8, 0.7, 0.6])


def test_average_precision_all_point_interpolation_by_hand():
    # envelope: precision 1 up to recall 1/3, then 2/3 up to recall 2/3, then nothing
    value, per_class = mean_average_precision(*_scene(), num_classes=2)
    assert value == pytest.approx(1 / 3 + 1 / 3 * 2 / 3)
    assert np.isnan(per_class[1])               # no ground truth of class 1: left out
    assert average_precision([0.5, 1.0], [1.0, 0.5]) == pytest.approx(0.75)


def test_duplicates_are_false_positives_and_wrong_class_does_not_match():
    targets = [(np.array([A]), [0])]
    predictions = [(np.array([A, A, A]), [0.9, 0.8, 0.7], [0, 0, 1])]
    precision, recall, _, _ = precision_recall(predictions, targets, 0)
    np.testing.assert_allclose(precision, [1, 0.5])
    _, per_class = mean_average_precision(predictions, targets, 2)
    assert per_class[0] == pytest.approx(1.0) and np.isnan(per_class[1])


def test_perfect_detections_and_coco_thresholds():
    targets = [(np.array([A, B]), [0, 1]), EMPTY]
    perfect = [(np.array([A, B]), [0.9, 0.8], [0, 1]), (np.zeros((0, 4)), [], [])]
    assert mean_average_precision(perfect, targets, 2)[0] == 1.0
    assert coco_map(perfect, targets, 2) == 1.0
    # IoU 72/100 = 0.72: a hit at 0.50 … 0.70 (5 of the 10 COCO thresholds), a miss above
    shifted = [(np.array([[0, 0, 10, 7.2]]), [0.9], [0]), (np.zeros((0, 4)), [], [])]
    one = [(np.array([A]), [0]), EMPTY]
    assert coco_map(shifted, one, 1) == pytest.approx(0.5)


def test_no_objects_anywhere_and_no_detections():
    assert np.isnan(mean_average_precision([(np.zeros((0, 4)), [], [])], [EMPTY], 3)[0])
    nothing = [(np.zeros((0, 4)), [], [])]
    assert mean_average_precision(nothing, [(np.array([A]), [0])], 1)[0] == 0.0
    with pytest.raises(ValueError, match="images"):
        precision_recall(nothing * 2, [EMPTY], 0)

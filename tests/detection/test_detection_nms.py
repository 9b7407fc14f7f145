"""Non-max suppression: the course's procedure, by hand and as invariants."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivanet.detection.iou import pairwise_iou
from ivanet.detection.nms import non_max_suppression


def test_course_example_by_hand():
    boxes = np.array([[0, 0, 10, 10],      # 0.9  kept
                      [1, 1, 11, 11],      # 0.8  IoU 81/119 ≈ 0.68 with box 0: dropped
                      [20, 20, 30, 30],    # 0.7  kept
                      [0, 0, 10, 10],      # 0.6  p_c ≤ 0.6: discarded first
                      [5, 0, 15, 10]])     # 0.65 IoU 50/150 = 1/3 with box 0: kept
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.65])
    np.testing.assert_array_equal(non_max_suppression(boxes, scores), [0, 2, 4])
    # IoU ≥ threshold drops: at a threshold of exactly 1/3 box 4 goes too
    np.testing.assert_array_equal(non_max_suppression(boxes, scores, iou_threshold=1 / 3),
                                  [0, 2])


def test_per_class_boxes_do_not_suppress_other_classes():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 10], [1, 0, 10, 10]])
    scores = np.array([0.9, 0.8, 0.7])
    assert non_max_suppression(boxes, scores).tolist() == [0]
    assert non_max_suppression(boxes, scores, labels=[3, 5, 3]).tolist() == [0, 1]


def test_empty_and_bad_input():
    assert non_max_suppression(np.zeros((0, 4)), np.zeros(0)).tolist() == []
    assert non_max_suppression([[0, 0, 1, 1]], [0.1]).tolist() == []
    with pytest.raises(ValueError, match="scores"):
        non_max_suppression([[0, 0, 1, 1]], [0.9, 0.8])
    with pytest.raises(ValueError, match="iou_threshold"):
        non_max_suppression([[0, 0, 1, 1]], [0.9], iou_threshold=1.5)


@st.composite
def detections(draw):
    n = draw(st.integers(0, 12))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 20, (n, 2))
    wh = rng.uniform(1, 10, (n, 2))
    boxes = np.concatenate([xy, xy + wh], axis=1)
    return boxes, rng.uniform(0, 1, n), rng.integers(0, 3, n)


@settings(max_examples=60, deadline=None)
@given(detections(), st.floats(0.1, 0.9), st.floats(0.0, 0.8), st.booleans())
def test_nms_invariants(data, iou_threshold, score_threshold, per_class):
    boxes, scores, labels = data
    kept = non_max_suppression(boxes, scores, iou_threshold, score_threshold,
                               labels if per_class else None)
    assert len(set(kept.tolist())) == len(kept) and set(kept.tolist()) <= set(range(len(boxes)))
    assert np.all(scores[kept] > score_threshold)
    assert np.all(np.diff(scores[kept]) <= 0)
    overlaps = pairwise_iou(boxes, boxes)
    same = labels[:, None] == labels[None, :] if per_class else np.ones_like(overlaps, bool)
    for i in kept:                      # no two kept boxes (that compete) overlap that much
        for j in kept:
            if i != j and same[i, j]:
                assert overlaps[i, j] < iou_threshold
    for d in set(np.flatnonzero(scores > score_threshold)) - set(kept.tolist()):
        # every dropped candidate overlaps a kept competitor with at least its score
        assert any(overlaps[d, k] >= iou_threshold and scores[k] >= scores[d] and same[d, k]
                   for k in kept)

"""Box conversions, IoU (hand examples and invariants) and bad boxes."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivanet.detection.boxes import (BoxError, box_area, centers_to_corners, check_boxes,
                                    clip_boxes, corners_to_centers)
from ivanet.detection.iou import iou, pairwise_iou

coords = st.floats(0, 100, allow_nan=False, width=32)


@st.composite
def corner_boxes(draw, n: int = 1):
    """n valid corner boxes (x1 ≤ x2, y1 ≤ y2) as an (n, 4) float64 array."""
    rows = []
    for _ in range(n):
        x = sorted([draw(coords), draw(coords)])
        y = sorted([draw(coords), draw(coords)])
        rows.append([x[0], y[0], x[1], y[1]])
    return np.array(rows, dtype=np.float64)


def test_conversions_by_hand():
    corners = np.array([[10.0, 20.0, 30.0, 60.0]])
    np.testing.assert_allclose(corners_to_centers(corners), [[20, 40, 20, 40]])
    np.testing.assert_allclose(centers_to_corners([[20, 40, 20, 40]]), corners)
    assert box_area(corners)[0] == 800


@settings(max_examples=50, deadline=None)
@given(corner_boxes(3))
def test_conversions_round_trip(boxes):
    np.testing.assert_allclose(centers_to_corners(corners_to_centers(boxes)), boxes,
                               atol=1e-9)


def test_iou_by_hand():
    # overlap 1×1 = 1, union 4 + 4 − 1 = 7
    assert iou([0, 0, 2, 2], [1, 1, 3, 3]) == pytest.approx(1 / 7)
    assert iou([0, 0, 2, 2], [0, 0, 2, 2]) == pytest.approx(1.0)
    assert iou([0, 0, 1, 1], [1, 0, 2, 1]) == 0.0          # touching edges
    assert iou([0, 0, 1, 1], [5, 5, 6, 6]) == 0.0
    assert iou([0, 0, 4, 4], [1, 1, 2, 2]) == pytest.approx(1 / 16)   # contained
    assert iou([1, 1, 1, 1], [1, 1, 1, 1]) == 0.0          # empty boxes: defined as 0


@settings(max_examples=60, deadline=None)
@given(corner_boxes(4), corner_boxes(3))
def test_pairwise_iou_symmetric_bounded_and_matches_vectorised(a, b):
    matrix = pairwise_iou(a, b)
    assert matrix.shape == (4, 3)
    assert np.all((matrix >= 0) & (matrix <= 1))
    np.testing.assert_allclose(matrix, pairwise_iou(b, a).T)
    np.testing.assert_allclose(np.diag(pairwise_iou(a, a))[box_area(a) > 0], 1.0)
    np.testing.assert_allclose(iou(a[:, None], b[None]), matrix)


def test_check_boxes_errors():
    with pytest.raises(BoxError, match="negative size"):
        check_boxes([[5, 5, 2, 8]])
    with pytest.raises(BoxError, match="outside the 10×20 image"):
        check_boxes([[0, 0, 5, 5], [15, 2, 25, 8]], image_size=(10, 20))
    with pytest.raises(BoxError, match=r"shape \(\.\.\., 4\)"):
        check_boxes([[0, 0, 5]])
    with pytest.raises(BoxError, match="NaN"):
        check_boxes([[0, 0, np.nan, 1]])
    np.testing.assert_array_equal(check_boxes(np.zeros((0, 4)), (8, 8)).shape, (0, 4))


def test_clip_boxes():
    np.testing.assert_allclose(clip_boxes([[-3, 2, 12, 30]], (20, 10)), [[0, 2, 10, 20]])

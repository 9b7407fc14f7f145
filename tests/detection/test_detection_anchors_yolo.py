"""k-means anchors; YOLO target encoding and decoding (hand examples, round trip, errors)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivanet.detection.anchors import kmeans_anchors, mean_best_iou, shape_iou
from ivanet.detection.boxes import BoxError
from ivanet.detection.iou import pairwise_iou
from ivanet.detection.yolo import activate, decode, encode_batch, encode_targets


def test_shape_iou_by_hand():
    # 2×4 vs 4×2 centred: overlap 2×2 = 4, union 8 + 8 − 4 = 12
    assert shape_iou([[2, 4]], [[4, 2]])[0, 0] == pytest.approx(1 / 3)


def test_kmeans_finds_two_clusters_of_shapes():
    rng = np.random.default_rng(0)
    tall = np.column_stack([rng.uniform(9, 11, 50), rng.uniform(28, 32, 50)])
    wide = np.column_stack([rng.uniform(38, 42, 50), rng.uniform(9, 11, 50)])
    anchors = kmeans_anchors(np.concatenate([tall, wide]), 2, rng=np.random.default_rng(1))
    np.testing.assert_allclose(anchors, [[10, 30], [40, 10]], atol=1.5)
    assert mean_best_iou(np.concatenate([tall, wide]), anchors) > 0.85
    with pytest.raises(ValueError, match="k="):
        kmeans_anchors(tall, 0)
    with pytest.raises(ValueError, match="positive"):
        kmeans_anchors([[1, -2]], 1)


ANCHORS = np.array([[8.0, 8.0], [16.0, 8.0]])


def test_encode_by_hand():
    # a 64×64 image, a 4×4 grid of 16-pixel cells; box centre (40, 20), 16 wide, 8 high
    y = encode_targets([[32, 16, 48, 24]], [2], (64, 64), 4, ANCHORS, num_classes=3)
    assert y.shape == (4, 4, 2, 8)
    # cell row 1 (y 16–32), column 2 (x 32–48); the 16×8 anchor fits exactly
    np.testing.assert_allclose(y[1, 2, 1], [1, 0.5, 0.25, 0.5, 1.0, 0, 0, 1])
    assert y[..., 0].sum() == 1
    assert encode_targets(np.zeros((0, 4)), [], (64, 64), 4, ANCHORS, 3).sum() == 0


def test_decode_by_hand():
    y = np.zeros((2, 2, 1, 6), np.float32)
    y[0, 1, 0] = [0.9, 0.5, 0.5, 1.0, 0.5, 0.2]                  # one class, prob 0.2
    boxes, scores, labels = decode(y, (20, 40), score_threshold=0.1)
    # cell 10 high, 20 wide; centre (30, 5); 10 wide, 10 high
    np.testing.assert_allclose(boxes, [[25, 0, 35, 10]])
    np.testing.assert_allclose(scores, [0.18], rtol=1e-6)
    assert labels.tolist() == [0]


def test_two_objects_in_a_cell_take_two_anchors_then_error():
    boxes = [[0, 0, 16, 8], [2, 2, 10, 10]]
    y = encode_targets(boxes, [0, 1], (64, 64), 4, ANCHORS, 2)
    assert y[0, 0, :, 0].tolist() == [1, 1]
    with pytest.raises(BoxError, match="more objects than the 2 anchors"):
        encode_targets(boxes + [[1, 1, 9, 9]], [0, 1, 0], (64, 64), 4, ANCHORS, 2)
    y = encode_targets(boxes + [[1, 1, 9, 9]], [0, 1, 0], (64, 64), 4, ANCHORS, 2,
                       strict=False)
    assert y[..., 0].sum() == 2


def test_bad_input_errors():
    with pytest.raises(ValueError, match="beyond the model's 3 classes"):
        encode_targets([[0, 0, 8, 8]], [3], (64, 64), 4, ANCHORS, 3)
    with pytest.raises(BoxError, match="outside"):
        encode_targets([[60, 0, 70, 8]], [0], (64, 64), 4, ANCHORS, 3)
    with pytest.raises(BoxError, match="negative size"):
        encode_targets([[8, 0, 0, 8]], [0], (64, 64), 4, ANCHORS, 3)
    with pytest.raises(BoxError, match="zero width"):
        encode_targets([[8, 0, 8, 8]], [0], (64, 64), 4, ANCHORS, 3)
    with pytest.raises(ValueError, match="one per box"):
        encode_targets([[0, 0, 8, 8]], [0, 1], (64, 64), 4, ANCHORS, 3)


@st.composite
def scenes(draw):
    """Boxes in a 96×64 image whose centres fall in distinct cells of a 4×4 grid."""
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    n = draw(st.integers(0, 6))
    cells = rng.choice(16, size=n, replace=False)
    boxes = []
    for cell in cells:
        row, col = divmod(int(cell), 4)
        cx, cy = (col + rng.uniform(0.1, 0.9)) * 16, (row + rng.uniform(0.1, 0.9)) * 24
        w = rng.uniform(1, 2 * min(cx, 64 - cx))
        h = rng.uniform(1, 2 * min(cy, 96 - cy))
        boxes.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return np.array(boxes).reshape(-1, 4), rng.integers(0, 5, n)


@settings(max_examples=50, deadline=None)
@given(scenes())
def test_encode_decode_round_trip(scene):
    boxes, labels = scene
    y = encode_targets(boxes, labels, (96, 64), 4, ANCHORS, num_classes=5)
    decoded, scores, decoded_labels = decode(y, (96, 64), score_threshold=0.5)
    assert len(decoded) == len(boxes)
    if len(boxes):
        match = pairwise_iou(boxes, decoded).argmax(axis=1)
        np.testing.assert_allclose(decoded[match], boxes, atol=1e-3)
        assert decoded_labels[match].tolist() == labels.tolist()
        np.testing.assert_allclose(scores, 1.0)


def test_activate_is_the_inverse_of_the_loss_parameterisation():
    rng = np.random.default_rng(0)
    raw = rng.standard_normal((2, 2 * 8, 4, 4))
    y = activate(raw, ANCHORS, (64, 64))
    assert y.shape == (2, 4, 4, 2, 8)
    t = raw.reshape(2, 2, 8, 4, 4).transpose(0, 3, 4, 1, 2)
    np.testing.assert_allclose(y[..., 3], ANCHORS[:, 1] / 16 * np.exp(t[..., 3]))
    np.testing.assert_allclose(y[..., 4], ANCHORS[:, 0] / 16 * np.exp(t[..., 4]))
    np.testing.assert_allclose(y[..., 5:].sum(-1), 1.0)
    assert encode_batch([np.zeros((0, 4))] * 3, [[]] * 3, (64, 64), 4, ANCHORS, 3).shape == \
        (3, 4, 4, 2, 8)

"""Every worked example of the Day 3 slides, with the mathematically correct result.

Each expected array is also recomputed by SciPy's correlate2d (an independent oracle), so a
typo here cannot hide a bug there. Where the slide is wrong the test says so (docs/errata.md).
"""
import numpy as np
import pytest
from scipy.signal import correlate2d

from ivanet import Tensor
from ivanet.ops.conv import conv2d
from ivanet.ops.pooling import avg_pool2d, max_pool2d
from ivanet.vision import HORIZONTAL_EDGE, VERTICAL_EDGE, apply_filter, conv_output_size

STEP_IMAGE = np.array([[10, 10, 10, 0, 0, 0]] * 6)
FIVE_BY_FIVE = np.array([[7, 2, 3, 3, 8], [4, 5, 3, 8, 4], [3, 3, 2, 8, 4], [2, 8, 7, 2, 7],
                         [5, 4, 4, 5, 4]])
PADDING_IMAGE = np.array([[3, 3, 4, 4, 7, 0], [9, 7, 6, 5, 8, 2], [6, 5, 5, 6, 9, 2],
                          [7, 1, 3, 2, 7, 8], [0, 3, 7, 1, 8, 3], [4, 0, 4, 3, 2, 2]])
STRIDE_IMAGE = np.array([[2, 3, 7, 4, 6, 2, 9], [6, 6, 9, 8, 7, 4, 3], [3, 4, 8, 3, 8, 9, 7],
                         [7, 8, 3, 6, 6, 3, 4], [4, 2, 1, 8, 3, 4, 6], [3, 2, 4, 1, 9, 8, 3],
                         [0, 1, 3, 9, 2, 1, 4]])
STRIDE_KERNEL = np.array([[3, 4, 4], [1, 0, 2], [-1, 0, 3]])


def _oracle(image, kernel, stride=1, padding=0):
    return correlate2d(np.pad(image, padding), kernel, mode="valid")[::stride, ::stride]


def test_vertical_edge_6x6():
    out = apply_filter(STEP_IMAGE, VERTICAL_EDGE)
    np.testing.assert_array_equal(out, [[0, 30, 30, 0]] * 4)
    np.testing.assert_array_equal(out, _oracle(STEP_IMAGE, VERTICAL_EDGE))


def test_vertical_edge_5x5_first_value_is_6():
    out = apply_filter(FIVE_BY_FIVE, VERTICAL_EDGE)
    assert out[0, 0] == 7 + 4 + 3 - 3 - 3 - 2 == 6
    np.testing.assert_array_equal(out, [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]])
    np.testing.assert_array_equal(out, _oracle(FIVE_BY_FIVE, VERTICAL_EDGE))


def test_horizontal_edge_example_matches_the_slide():
    image = np.array([[10, 10, 10, 0, 0, 0]] * 3 + [[0, 0, 0, 10, 10, 10]] * 3)
    out = apply_filter(image, HORIZONTAL_EDGE)
    np.testing.assert_array_equal(out, [[0, 0, 0, 0], [30, 10, -10, -30],
                                        [30, 10, -10, -30], [0, 0, 0, 0]])
    np.testing.assert_array_equal(out, _oracle(image, HORIZONTAL_EDGE))


def test_padding_example_corrects_the_slide():
    """6×6 padded by 1 → 6×6. The slide's first rows "−10 −13 1 / −9 3 0" are wrong:
    −13 and −9 are column 0 of rows 3 and 4; rows 1-2 start −10 2 1 / −15 3 0."""
    out = apply_filter(PADDING_IMAGE, VERTICAL_EDGE, padding=1)
    assert out.shape == (6, 6)
    np.testing.assert_array_equal(out[:2], [[-10, 2, 1, -5, 7, 15], [-15, 3, 0, -9, 11, 24]])
    np.testing.assert_array_equal(out[:, 0], [-10, -15, -13, -9, -4, -3])
    np.testing.assert_array_equal(out, _oracle(PADDING_IMAGE, VERTICAL_EDGE, padding=1))
    np.testing.assert_array_equal(apply_filter(PADDING_IMAGE, VERTICAL_EDGE, padding="same"),
                                  out)


def test_stride_two_example_corrects_the_slide():
    """7×7 ⋆ 3×3, s = 2 → 3×3. The slide has 83 (should be 88) and 127 (should be 117)."""
    out = apply_filter(STRIDE_IMAGE, STRIDE_KERNEL, stride=2)
    np.testing.assert_array_equal(out, [[91, 100, 88], [69, 91, 117], [44, 72, 74]])
    np.testing.assert_array_equal(out, _oracle(STRIDE_IMAGE, STRIDE_KERNEL, stride=2))
    top_right = STRIDE_IMAGE[0:3, 4:7]
    assert (top_right * STRIDE_KERNEL).sum() == 88
    assert (STRIDE_IMAGE[2:5, 4:7] * STRIDE_KERNEL).sum() == 117
    assert conv_output_size(7, 3, p=0, s=2) == 3


def test_max_pool_4x4():
    x = np.array([[7, 3, 5, 2], [8, 7, 1, 6], [4, 9, 3, 9], [0, 8, 4, 5]], np.float64)
    out = max_pool2d(Tensor(x[None, None]), 2).data[0, 0]
    np.testing.assert_array_equal(out, [[8, 6], [9, 9]])


def test_max_and_average_pool_feature_map():
    x = np.array([[1, 3, 2, 5], [0, 8, 7, 0], [6, 3, 1, 9], [2, 3, 0, 7]], np.float64)
    np.testing.assert_array_equal(max_pool2d(Tensor(x[None, None]), 2).data[0, 0],
                                  [[8, 7], [6, 9]])
    np.testing.assert_array_equal(avg_pool2d(Tensor(x[None, None]), 2).data[0, 0],
                                  [[3, 3.5], [3.5, 4.25]])


def test_one_by_one_convolution_times_two():
    x = np.array([[1, 2, 3, 6, 5, 8], [3, 5, 5, 1, 3, 4], [2, 1, 3, 4, 9, 3],
                  [4, 7, 8, 5, 7, 9], [1, 5, 3, 7, 4, 8], [5, 4, 9, 8, 3, 5]], np.float64)
    out = conv2d(Tensor(x[None, None]), Tensor(np.full((1, 1, 1, 1), 2.0))).data[0, 0]
    np.testing.assert_array_equal(out, 2 * x)
    assert out[0].tolist() == [2, 4, 6, 12, 10, 16]


def test_one_by_one_convolution_mixes_32_channels(rng):
    """6×6×32 ⋆ (1×1×32) × n_f filters → 6×6×n_f: a dot product across channels per pixel."""
    x, w = rng.standard_normal((1, 32, 6, 6)), rng.standard_normal((5, 32, 1, 1))
    out = conv2d(Tensor(x), Tensor(w)).data
    np.testing.assert_allclose(out, np.einsum("nchw,oc->nohw", x, w[:, :, 0, 0]))


def test_3d_convolution_and_multiple_filters(rng):
    """6×6×3 ⋆ 3×3×3 → 4×4 (one map per filter); two filters stack to 4×4×2."""
    image, kernels = rng.standard_normal((6, 6, 3)), rng.standard_normal((2, 3, 3, 3))
    maps = [apply_filter(image, k) for k in kernels]
    assert maps[0].shape == (4, 4)
    expected = sum(correlate2d(image[:, :, c], kernels[0][:, :, c], "valid") for c in range(3))
    np.testing.assert_allclose(maps[0], expected)
    with pytest.raises(ValueError, match="channels"):
        apply_filter(image, np.ones((3, 3, 2)))


@pytest.mark.parametrize("n, f, p, s, expected", [(6, 3, 0, 1, 4), (6, 3, 1, 1, 6),
                                                  (7, 3, 0, 2, 3), (4, 2, 0, 2, 2),
                                                  (5, 3, 0, 1, 3)])
def test_output_size_formula_on_the_slide_examples(n, f, p, s, expected):
    assert conv_output_size(n, f, p, s) == expected

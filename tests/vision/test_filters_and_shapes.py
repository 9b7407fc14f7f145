"""Edge filters on a real photograph, shape arithmetic against the ops, the filter figure."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.ndimage import correlate
from skimage import data

from ivanet import Tensor
from ivanet.ops.conv import conv2d
from ivanet.reports.filters import plot_filter
from ivanet.vision import (KERNELS, apply_filter, conv_output_size, conv_parameters,
                           edge_magnitude, kernel, same_padding)


@pytest.fixture(scope="module")
def camera():
    return data.camera()[::4, ::4].astype(np.float64)      # 128×128 real photograph


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernels_on_a_photograph_match_scipy(camera, name):
    out = apply_filter(camera, name)
    expected = correlate(camera, KERNELS[name])[1:-1, 1:-1]   # interior: no border rule
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-9)


def test_vertical_kernels_see_vertical_edges(camera):
    stripes = np.tile(np.repeat([0.0, 255.0], 8), (32, 4))     # vertical stripes
    assert np.abs(apply_filter(stripes, "sobel_vertical")).max() > 0
    np.testing.assert_array_equal(apply_filter(stripes, "sobel_horizontal"), 0)
    magnitude = edge_magnitude(camera)
    assert magnitude.shape == camera.shape and magnitude.min() >= 0


def test_kernel_names_and_copies():
    k = kernel("scharr_vertical")
    k[0, 0] = 99
    assert kernel("scharr_vertical")[0, 0] == 3
    np.testing.assert_array_equal(kernel("horizontal"), kernel("vertical").T)
    with pytest.raises(ValueError, match="unknown kernel"):
        kernel("laplace")


@given(n=st.integers(1, 12), f=st.integers(1, 5), p=st.integers(0, 3), s=st.integers(1, 3),
       d=st.integers(1, 2))
def test_conv_output_size_agrees_with_conv2d(n, f, p, s, d):
    if n + 2 * p < d * (f - 1) + 1:
        with pytest.raises(ValueError, match="no window fits"):
            conv_output_size(n, f, p, s, d)
        return
    out = conv2d(Tensor(np.zeros((1, 1, n, n))), Tensor(np.zeros((1, 1, f, f))),
                 stride=s, padding=p, dilation=d)
    assert out.shape[2] == conv_output_size(n, f, p, s, d)


def test_same_padding_and_parameter_count():
    assert same_padding(3) == 1 and same_padding(5) == 2 and same_padding(3, d=2) == 2
    with pytest.raises(ValueError, match="even kernel"):
        same_padding(4)
    assert conv_parameters(3, 64, 3) == 64 * 3 * 9 + 64


def test_plot_filter_writes_a_png(camera, tmp_path):
    out = apply_filter(camera, "sobel_vertical")
    fig = plot_filter(camera, kernel("sobel_vertical"), out, path=tmp_path / "sobel.png",
                      title="Sobel")
    assert (tmp_path / "sobel.png").stat().st_size > 1000
    assert len(fig.axes) == 4                               # three panels + colour bar
    with pytest.raises(ValueError, match="plot_filter"):
        plot_filter(camera, np.ones(3), out)

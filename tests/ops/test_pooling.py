"""Pooling and resizing ops: finite differences, PyTorch parity (forward and gradients)."""
import numpy as np
import pytest
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st
from op_checks import check_op, normal, seeds

from ivanet import Tensor
from ivanet.ops.pooling import adaptive_avg_pool2d, avg_pool2d, global_avg_pool2d, max_pool2d
from ivanet.ops.upsample import interpolate, upsample_bilinear, upsample_nearest


@st.composite
def pool_cases(draw, dilation: bool = False):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dil = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 7)),
             draw(st.integers(1, 7)))
    for n, k, p, d in zip(shape[2:], kernel, padding, dil):
        assume(n + 2 * p >= d * (k - 1) + 1)
    return shape, kernel, stride, padding, dil


@given(case=pool_cases(dilation=True), seed=seeds, ceil_mode=st.booleans())
def test_max_pool2d(case, seed, ceil_mode):
    shape, kernel, stride, padding, dilation = case
    x, = normal(seed, shape)   # continuous values: no ties, so finite differences are valid
    # A dilated window can fall wholly in the padding: −inf there, as in PyTorch.
    assume(np.isfinite(max_pool2d(Tensor(x), kernel, stride, padding, dilation).data).all())
    check_op(lambda x: max_pool2d(x, kernel, stride, padding, dilation, ceil_mode),
             lambda x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode), x,
             seed=seed)


def test_max_pool2d_ties_go_to_the_first_maximum():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 2:, 2:] = 5.0
    check_op(lambda x: max_pool2d(x, 2), lambda x: F.max_pool2d(x, 2), x, fd=False)
    check_op(lambda x: max_pool2d(x, 3, 1), lambda x: F.max_pool2d(x, 3, 1), x, fd=False)


@given(case=pool_cases(), seed=seeds, include=st.booleans())
def test_avg_pool2d(case, seed, include):
    shape, kernel, stride, padding, _ = case
    x, = normal(seed, shape)
    check_op(lambda x: avg_pool2d(x, kernel, stride, padding, include),
             lambda x: F.avg_pool2d(x, kernel, stride, padding, count_include_pad=include),
             x, seed=seed)


def test_stride_defaults_to_kernel(rng):
    x = rng.standard_normal((1, 2, 6, 6))
    assert max_pool2d(Tensor(x), 2).shape == avg_pool2d(Tensor(x), 3).shape[:2] + (3, 3)


@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 6),
                       st.integers(1, 6)),
       out=st.tuples(st.integers(1, 4), st.integers(1, 4)), seed=seeds)
def test_adaptive_avg_pool2d(shape, out, seed):
    x, = normal(seed, shape)
    check_op(lambda x: adaptive_avg_pool2d(x, out),
             lambda x: F.adaptive_avg_pool2d(x, out), x, seed=seed)


@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 5),
                       st.integers(1, 5)), seed=seeds)
def test_global_avg_pool2d(shape, seed):
    x, = normal(seed, shape)
    check_op(global_avg_pool2d, lambda x: F.adaptive_avg_pool2d(x, 1), x, seed=seed)


@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 5),
                       st.integers(1, 5)),
       size=st.one_of(st.none(), st.tuples(st.integers(1, 9), st.integers(1, 9))),
       scale=st.sampled_from([2, 3, 0.5, 1.5, 2.7, (2, 1.25)]),
       mode=st.sampled_from(["nearest", "bilinear"]), seed=seeds)
def test_interpolate(shape, size, scale, mode, seed):
    x, = normal(seed, shape)
    kwargs = dict(size=size) if size is not None else dict(scale_factor=scale)
    factors = (scale, scale) if np.isscalar(scale) else scale
    assume(size is not None or min(int(n * f) for n, f in zip(shape[2:], factors)) >= 1)
    check_op(lambda x: interpolate(x, mode=mode, **kwargs),
             lambda x: F.interpolate(x, mode=mode, **kwargs), x, seed=seed)


@given(seed=seeds, size=st.tuples(st.integers(1, 7), st.integers(1, 7)))
def test_bilinear_align_corners(seed, size):
    x, = normal(seed, (1, 2, 3, 4))
    check_op(lambda x: upsample_bilinear(x, size, align_corners=True),
             lambda x: F.interpolate(x, size, mode="bilinear", align_corners=True), x, seed=seed)


def test_nearest_by_two_repeats_pixels():
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    out = upsample_nearest(Tensor(x), scale_factor=2).data
    np.testing.assert_array_equal(out[0, 0], np.repeat(np.repeat(x[0, 0], 2, 0), 2, 1))


def test_pooling_errors():
    x = Tensor(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"input 2×2 .*smaller than the kernel 3×3"):
        max_pool2d(x, 3)
    with pytest.raises(ValueError, match="at most half the kernel"):
        avg_pool2d(x, 2, padding=2)
    with pytest.raises(ValueError, match="4-D"):
        global_avg_pool2d(Tensor(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="exactly one of size"):
        interpolate(x)
    with pytest.raises(ValueError, match="mode must be one of"):
        interpolate(x, size=3, mode="bicubic")
    with pytest.raises(ValueError, match="empty output"):
        interpolate(x, scale_factor=0.25)


def test_float32_stays_float32(rng):
    x = Tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    for f in (lambda t: max_pool2d(t, 2), lambda t: avg_pool2d(t, 3, 1, 1),
              global_avg_pool2d, lambda t: adaptive_avg_pool2d(t, (4, 4)),
              lambda t: upsample_bilinear(t, scale_factor=2)):
        x.grad = None
        out = f(x)
        out.backward(np.ones(out.shape, np.float32))
        assert out.dtype == x.grad.dtype == np.float32

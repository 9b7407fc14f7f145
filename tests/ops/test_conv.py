"""conv2d and conv_transpose2d: finite differences, PyTorch parity, 'same' padding, errors."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from op_checks import check_op, normal, seeds

from ivanet import Tensor
from ivanet.ops.conv import conv2d, conv_transpose2d
from ivanet.ops.im2col import same_padding


@st.composite
def conv_cases(draw):
    """Small convolution problems whose output is not empty."""
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 1)))
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 6))
    assume(h + 2 * padding[0] >= dilation[0] * (kh - 1) + 1)
    assume(w + 2 * padding[1] >= dilation[1] * (kw - 1) + 1)
    n = draw(st.integers(1, 2))
    return dict(x=(n, c_in, h, w), w=(c_out, c_in // groups, kh, kw), b=(c_out,),
                args=dict(stride=stride, padding=padding, dilation=dilation, groups=groups))


@given(case=conv_cases(), seed=seeds, with_bias=st.booleans())
def test_conv2d_matches_torch_and_finite_differences(case, seed, with_bias):
    args = case["args"]
    if with_bias:
        x, w, b = normal(seed, case["x"], case["w"], case["b"])
        check_op(lambda x, w, b: conv2d(x, w, b, **args),
                 lambda x, w, b: F.conv2d(x, w, b, **args), x, w, b, seed=seed)
    else:
        x, w = normal(seed, case["x"], case["w"])
        check_op(lambda x, w: conv2d(x, w, **args), lambda x, w: F.conv2d(x, w, **args),
                 x, w, seed=seed)


@given(n=st.integers(1, 9), f=st.integers(1, 4), s=st.integers(1, 3), d=st.integers(1, 2),
       seed=seeds)
@settings(max_examples=30)
def test_same_padding_follows_tensorflow(n, f, s, d, seed):
    """Output ⌈n/s⌉; the total pad split low/high, the extra one at the bottom/right."""
    x, w = normal(seed, (1, 1, n, n + 1), (1, 1, f, f))
    out = conv2d(Tensor(x), Tensor(w), stride=s, padding="same", dilation=d)
    assert out.shape[2:] == (math.ceil(n / s), math.ceil((n + 1) / s))
    (t, b_), (l_, r) = (same_padding(n, f, s, d), same_padding(n + 1, f, s, d))
    total = max((math.ceil(n / s) - 1) * s + (f - 1) * d + 1 - n, 0)
    assert (t, b_) == (total // 2, total - total // 2)
    padded = F.pad(torch.tensor(x), (l_, r, t, b_))
    expected = F.conv2d(padded, torch.tensor(w), stride=s, dilation=d)
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-12, atol=1e-12)


@given(h=st.integers(1, 6), f=st.integers(1, 4), d=st.integers(1, 2), seed=seeds)
@settings(max_examples=15)
def test_same_padding_stride_one_equals_torch_same(h, f, d, seed):
    x, w = normal(seed, (1, 2, h, h + 2), (3, 2, f, f))
    check_op(lambda x, w: conv2d(x, w, padding="same", dilation=d),
             lambda x, w: F.conv2d(x, w, padding="same", dilation=d), x, w, seed=seed, fd=False)


@pytest.mark.parametrize("c_in, c_out, kernel, dilation, padding", [
    (3, 2, 2, 1, "same"), (2, 2, 4, 1, "same"), (2, 1, 3, 2, "same"), (2, 2, 3, 1, 2),
    (3, 3, (1, 3), (1, 2), (0, 2)), (2, 2, 3, 1, 3),      # the last one: col2im fallback
])
def test_input_gradient_by_flipped_kernel(c_in, c_out, kernel, dilation, padding, rng):
    """Stride 1 with C_out ≤ C takes the flipped-kernel route for dL/dx: asymmetric
    'same' pads, dilation and over-wide padding included."""
    x = rng.standard_normal((2, c_in, 5, 6))
    w = rng.standard_normal((c_out, c_in) + ((kernel, kernel) if isinstance(kernel, int)
                                             else kernel))
    if padding == "same":
        check_op(lambda x, w: conv2d(x, w, padding="same", dilation=dilation),
                 lambda x, w: F.conv2d(x, w, padding="same", dilation=dilation), x, w)
    else:
        check_op(lambda x, w: conv2d(x, w, padding=padding, dilation=dilation),
                 lambda x, w: F.conv2d(x, w, padding=padding, dilation=dilation), x, w)


def test_valid_padding_is_no_padding(rng):
    x, w = rng.standard_normal((1, 1, 5, 5)), rng.standard_normal((1, 1, 3, 3))
    valid = conv2d(Tensor(x), Tensor(w), padding="valid").data
    np.testing.assert_array_equal(valid, conv2d(Tensor(x), Tensor(w), padding=0).data)


def test_asymmetric_padding_pairs(rng):
    x, w = rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((3, 2, 3, 2))
    out = conv2d(Tensor(x), Tensor(w), padding=((0, 2), (1, 0)))
    expected = F.conv2d(F.pad(torch.tensor(x), (1, 0, 0, 2)), torch.tensor(w))
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-12, atol=1e-12)


@st.composite
def transpose_cases(draw):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), 1)
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1))
                           for s, d in zip(stride, dilation))
    padding = (draw(st.integers(0, 1)), draw(st.integers(0, 1)))
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    for n, s, d, k, e, p in zip((h, w), stride, dilation, (kh, kw), output_padding, padding):
        assume((n - 1) * s + d * (k - 1) + 1 + e - 2 * p > 0)
    return dict(x=(draw(st.integers(1, 2)), c_in, h, w), w=(c_in, c_out // groups, kh, kw),
                b=(c_out,), args=dict(stride=stride, padding=padding,
                                      output_padding=output_padding, groups=groups,
                                      dilation=dilation))


@given(case=transpose_cases(), seed=seeds)
def test_conv_transpose2d_matches_torch_and_finite_differences(case, seed):
    x, w, b = normal(seed, case["x"], case["w"], case["b"])
    args = case["args"]
    check_op(lambda x, w, b: conv_transpose2d(x, w, b, **args),
             lambda x, w, b: F.conv_transpose2d(x, w, b, **args), x, w, b, seed=seed)


def test_float32_stays_float32(rng):
    x = Tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros(4, np.float32), requires_grad=True)
    out = conv2d(x, w, b, padding=1)
    out.backward(np.ones(out.shape, np.float32))
    assert out.dtype == x.grad.dtype == w.grad.dtype == b.grad.dtype == np.float32


def test_error_input_smaller_than_kernel():
    with pytest.raises(ValueError, match=r"input 2×2 .*smaller than the kernel 3×3"):
        conv2d(Tensor(np.zeros((1, 1, 2, 2))), Tensor(np.zeros((1, 1, 3, 3))))


def test_error_dilated_kernel_too_big():
    with pytest.raises(ValueError, match=r"kernel 5×5"):
        conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((1, 1, 3, 3))), dilation=2)


def test_error_channel_mismatch():
    with pytest.raises(ValueError, match=r"input has 1 channels .* expects 3"):
        conv2d(Tensor(np.zeros((8, 1, 28, 28))), Tensor(np.zeros((6, 3, 5, 5))))


def test_error_groups_do_not_divide():
    with pytest.raises(ValueError, match="groups=2"):
        conv2d(Tensor(np.zeros((1, 3, 5, 5))), Tensor(np.zeros((4, 1, 3, 3))), groups=2)


def test_error_bias_shape_and_non_4d():
    with pytest.raises(ValueError, match=r"bias must have shape \(4,\)"):
        conv2d(Tensor(np.zeros((1, 3, 5, 5))), Tensor(np.zeros((4, 3, 3, 3))),
               Tensor(np.zeros(3)))
    with pytest.raises(ValueError, match=r"4-D input"):
        conv2d(Tensor(np.zeros((3, 5, 5))), Tensor(np.zeros((4, 3, 3, 3))))


def test_error_bad_padding_and_stride():
    x, w = Tensor(np.zeros((1, 1, 5, 5))), Tensor(np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="'valid', 'same'"):
        conv2d(x, w, padding="full")
    with pytest.raises(ValueError, match="stride"):
        conv2d(x, w, stride=0)
    with pytest.raises(TypeError, match="padding must be an int"):
        conv2d(x, w, padding=1.5)


def test_error_transpose_empty_output_and_output_padding():
    x, w = Tensor(np.zeros((1, 1, 1, 1))), Tensor(np.zeros((1, 1, 1, 1)))
    with pytest.raises(ValueError, match="empty output"):
        conv_transpose2d(x, w, padding=1)
    with pytest.raises(ValueError, match="output_padding"):
        conv_transpose2d(x, w, stride=2, output_padding=2)


def test_allocator_tuning_applies_on_glibc_and_can_be_turned_off(monkeypatch):
    import platform

    from ivanet.ops import allocator

    if platform.libc_ver()[0] == "glibc":
        assert allocator.retain_freed_memory() is True
        assert allocator.retain_freed_memory() is True          # idempotent
    monkeypatch.setattr(allocator, "_done", False)
    monkeypatch.setenv("IVANET_MALLOC_TUNING", "0")
    assert allocator.retain_freed_memory() is False

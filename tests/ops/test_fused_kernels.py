"""Fused batch norm (+ residual, + ReLU) and the cropped col2im: PyTorch parity, finite
differences, and the numba kernels against their NumPy fallbacks."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from op_checks import check_op, normal

from ivanet.ops import conv_kernels, normalization_kernels
from ivanet.ops.im2col import col2im, crop, im2col, pad_channel_major
from ivanet.ops.normalization import batch_norm

SHAPES = [(3, 2, 4, 5), (2, 3, 3, 3)]


def _bn_residual_relu(channels):
    def ours(x, gamma, beta, residual):
        return batch_norm(x, gamma, beta, np.zeros(channels), np.ones(channels), True,
                          residual=residual, relu=True)

    def theirs(x, gamma, beta, residual):
        zeros = torch.zeros(channels, dtype=x.dtype)
        ones = torch.ones(channels, dtype=x.dtype)
        return F.relu(F.batch_norm(x, zeros, ones, gamma, beta, training=True) + residual)

    return ours, theirs


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_batch_norm_residual_relu_matches_torch(shape, fused, monkeypatch):
    if not fused:
        monkeypatch.setattr(normalization_kernels, "numba", None)
    x, gamma, beta, residual = normal(1, shape, shape[1:2], shape[1:2], shape)
    check_op(*_bn_residual_relu(shape[1]), x * 2 + 1, gamma, beta, residual, fd_tol=1e-5)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_relu_without_residual_matches_torch(training):
    shape = (4, 3, 2, 3)
    x, gamma, beta = normal(2, shape, (3,), (3,))
    mean, var = np.full(3, 0.2), np.full(3, 1.5)

    def ours(x, gamma, beta):
        return batch_norm(x, gamma, beta, mean.copy(), var.copy(), training, relu=True)

    def theirs(x, gamma, beta):
        return F.relu(F.batch_norm(x, torch.tensor(mean), torch.tensor(var), gamma, beta,
                                   training=training))

    check_op(ours, theirs, x, gamma, beta)


@pytest.mark.parametrize("relu", [True, False])
def test_fused_kernels_equal_numpy_fallback(relu, monkeypatch):
    rng = np.random.default_rng(3)
    x, grad, residual = (rng.standard_normal((4, 50)).astype(np.float32) for _ in range(3))
    gamma, beta = rng.standard_normal(4).astype(np.float32), rng.standard_normal(4)
    fused = normalization_kernels.forward(x, gamma, beta, residual, 1e-5, relu)
    fused_back = normalization_kernels.backward(grad, x, fused[0], fused[1], fused[3], gamma,
                                                relu, True)
    monkeypatch.setattr(normalization_kernels, "numba", None)
    plain = normalization_kernels.forward(x, gamma, beta, residual, 1e-5, relu)
    plain_back = normalization_kernels.backward(grad, x, plain[0], plain[1], plain[3], gamma,
                                                relu, True)
    for mine, reference in zip(fused + fused_back, plain + plain_back):
        np.testing.assert_allclose(mine, reference, rtol=2e-4, atol=2e-5)


def test_batch_norm_residual_shape_is_checked():
    x = np.zeros((2, 3, 2, 2))
    with pytest.raises(ValueError, match="residual must have the input's shape"):
        batch_norm(x, None, None, None, None, True, residual=np.zeros((2, 3, 2, 1)))


@pytest.mark.parametrize("use_numba", [True, False])
@pytest.mark.parametrize("hw, kernel, stride, pads", [
    ((7, 6), (3, 3), (2, 2), ((1, 1), (1, 1))),
    ((5, 5), (1, 1), (2, 2), ((0, 0), (0, 0))),
    ((6, 7), (3, 2), (3, 1), ((0, 2), (1, 0))),
    ((4, 4), (3, 3), (1, 1), ((2, 2), (2, 2)))])
def test_col2im_cropped_equals_col2im_then_crop(hw, kernel, stride, pads, use_numba,
                                                monkeypatch):
    if not use_numba:
        monkeypatch.setattr(conv_kernels, "numba", None)
    padded = tuple(n + sum(p) for n, p in zip(hw, pads))
    out_hw = tuple((n - k) // s + 1 for n, k, s in zip(padded, kernel, stride))
    cols = np.random.default_rng(4).standard_normal((2,) + kernel + (3,) + out_hw)
    expected = crop(col2im(cols, padded, kernel, stride, (1, 1)), pads)
    np.testing.assert_allclose(conv_kernels.col2im_cropped(cols, hw, stride, pads), expected,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("hw, kernel, stride, pads", [
    ((7, 6), (3, 3), (2, 2), ((1, 1), (1, 1))),
    ((6, 7), (3, 2), (3, 1), ((0, 2), (1, 0))),
    ((4, 4), (3, 3), (1, 1), ((2, 2), (2, 2)))])
def test_im2col_padded_equals_pad_then_im2col(hw, kernel, stride, pads):
    x = np.random.default_rng(5).standard_normal((3, 2) + hw)     # (N, C, H, W)
    padded = pad_channel_major(x, pads)
    out_hw = tuple((n - k) // s + 1 for n, k, s in zip(padded.shape[2:], kernel, stride))
    expected = im2col(padded, kernel, stride, (1, 1), out_hw)
    got = conv_kernels.im2col_padded(x.transpose(1, 0, 2, 3), kernel, stride, pads, out_hw)
    np.testing.assert_array_equal(got, expected)


def test_col2im_cropped_writes_into_a_strided_out():
    cols = np.random.default_rng(6).standard_normal((2, 3, 3, 2, 3, 3))
    out = np.full((2, 4, 6, 6), 7.0)
    conv_kernels.col2im_cropped(cols, (6, 6), (2, 2), ((1, 1), (1, 1)), out=out[:, 1:3])
    expected = conv_kernels.col2im_cropped(cols, (6, 6), (2, 2), ((1, 1), (1, 1)))
    np.testing.assert_allclose(out[:, 1:3], expected, rtol=1e-12)
    assert np.all(out[:, [0, 3]] == 7.0)

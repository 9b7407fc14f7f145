"""Winograd F(m×m, 3×3) convolution: exact against PyTorch in float64, close in float32,
finite differences through conv2d; conv2d's choice among im2col, Winograd and direct."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from op_checks import check_op, conv3x3_problems, normal, seeds

from ivanet import Tensor
from ivanet.ops import winograd
from ivanet.ops.conv import conv2d

pytestmark = pytest.mark.skipif(winograd.numba is None, reason="the path needs numba")


def _torch_conv(x, w, b, pads, grad):
    """PyTorch's output and (dx, dw) of conv2d with explicit (top, bottom, left, right) pads."""
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    (top, bottom), (left, right) = pads
    out = F.conv2d(F.pad(xt, (left, right, top, bottom)), wt, torch.tensor(b))
    out.backward(torch.tensor(grad))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()


@given(problem=conv3x3_problems(max_images=5, max_channels=4, max_out_channels=4),
       m=st.sampled_from([2, 4]), keep=st.booleans(), seed=seeds)
@settings(max_examples=60, deadline=None)
def test_forward_and_backward_equal_torch_in_float64(problem, m, keep, seed):
    """Every size, odd or even, any padding on each side, both tile sizes, random dY, with
    forward's V kept for dL/dw or recomputed."""
    x_shape, w_shape, pads = problem
    x, w, b = normal(seed, x_shape, w_shape, (w_shape[0],))
    out_hw = (x_shape[2] + sum(pads[0]) - 2, x_shape[3] + sum(pads[1]) - 2)
    grad = normal(seed + 1, (x_shape[0], w_shape[0]) + out_hw)[0]
    expected, grad_x, grad_w = _torch_conv(x, w, b, pads, grad)
    xc = np.ascontiguousarray(x.transpose(1, 0, 2, 3))
    out, plan, u, kept = winograd.forward(xc, w, b, pads, out_hw, m, keep=keep)
    assert bool(kept) == keep
    grad_c = np.ascontiguousarray(grad.transpose(1, 0, 2, 3))
    got_x, got_w = winograd.backward(xc, plan, u, kept, grad_c, True, True)
    assert not kept                                   # each V is read once, then dropped
    np.testing.assert_allclose(out.transpose(1, 0, 2, 3), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(got_x.transpose(1, 0, 2, 3), grad_x, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(got_w, grad_w, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape", [(8, 32, 16, 16), (4, 64, 8, 8), (3, 32, 7, 7)])
def test_float32_stays_close_to_torch(shape):
    """F(4×4, 3×3)'s transforms (coefficients up to 8) cost a little float32 accuracy:
    the error stays within 2e-4 of the output scale."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal((shape[1], shape[1], 3, 3)) / np.sqrt(9 * shape[1])).astype(np.float32)
    b = rng.standard_normal(shape[1]).astype(np.float32)
    grad = rng.standard_normal(shape).astype(np.float32)
    expected = _torch_conv(x, w, b, ((1, 1), (1, 1)), grad)
    xt, wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    out = conv2d(xt, wt, Tensor(b), padding=1)
    assert out.creator.winograd is not None
    (out * Tensor(grad)).sum().backward()
    for got, want in zip((out.data, xt.grad, wt.grad), expected):
        assert got.dtype == np.float32
        assert np.abs(got - want).max() <= 2e-4 * np.abs(want).max()


@pytest.mark.parametrize("pad", [0, 1, 3])
@pytest.mark.parametrize("with_bias", [False, True])
def test_conv2d_through_winograd_passes_finite_differences(monkeypatch, pad, with_bias):
    monkeypatch.setenv("IVANET_CONV", "winograd")
    seed = 10 * pad + with_bias
    x, w, b = normal(seed, (2, 2, 6, 5), (3, 2, 3, 3), (3,))
    assert _creator(x, w, padding=pad).algorithm == "winograd"
    if with_bias:
        check_op(lambda x, w, b: conv2d(x, w, b, padding=pad),
                 lambda x, w, b: F.conv2d(x, w, b, padding=pad), x, w, b, seed=seed)
    else:
        check_op(lambda x, w: conv2d(x, w, padding=pad),
                 lambda x, w: F.conv2d(x, w, padding=pad), x, w, seed=seed)


def _creator(x, w, **args):
    return conv2d(Tensor(x, requires_grad=True), Tensor(w, requires_grad=True), **args).creator


def test_conv2d_chooses_the_algorithm_by_shape(monkeypatch):
    """3×3 stride 1: Winograd from 32 channels in and out, the direct kernel below (padding
    ≤ 2); 3×3 stride 2 with ≤ 32 input channels: the phase-plane direct kernel; anything
    else: im2col. IVANET_CONV forces one where it applies."""
    x32, w32 = np.zeros((1, 32, 6, 6), np.float32), np.zeros((32, 32, 3, 3), np.float32)
    assert _creator(x32, w32, padding=1).algorithm == "winograd"
    assert _creator(x32[:, :16], w32[:16, :16], padding=1).algorithm == "direct"
    assert _creator(x32[:, :3], w32[:, :3], padding=1).algorithm == "direct"
    assert _creator(x32[:, :16], w32[:16, :16], padding=3).algorithm == "im2col"
    assert _creator(x32, w32, padding=1, stride=2).algorithm == "direct"
    x64, w64 = np.zeros((1, 64, 6, 6), np.float32), np.zeros((32, 64, 3, 3), np.float32)
    assert _creator(x64, w64, padding=1, stride=2).algorithm == "im2col"
    assert _creator(x32, w32, padding=2, dilation=2).algorithm == "im2col"
    assert _creator(x32, np.zeros((32, 32, 5, 5), np.float32)).algorithm == "im2col"
    assert _creator(x32, w32.astype(np.float64)).algorithm == "im2col"
    for forced in ("im2col", "direct", "winograd"):
        monkeypatch.setenv("IVANET_CONV", forced)
        assert _creator(x32, w32, padding=1).algorithm == forced


@pytest.mark.parametrize("padding", ["same", 0, ((2, 0), (1, 2))])
def test_the_three_algorithms_agree_in_a_layer(monkeypatch, padding):
    """The same float64 layer call through each path: output and all three gradients."""
    x, w, b = normal(3, (3, 32, 5, 7), (32, 32, 3, 3), (32,))
    results = []
    for forced in ("im2col", "winograd", "direct"):
        monkeypatch.setenv("IVANET_CONV", forced)
        xt, wt, bt = (Tensor(a, requires_grad=True) for a in (x, w, b))
        out = conv2d(xt, wt, bt, padding=padding)
        assert out.creator.algorithm == forced
        grad = normal(4, out.shape)[0]
        (out * Tensor(grad)).sum().backward()
        results.append((out.data, xt.grad, wt.grad, bt.grad))
    for got in results[1:]:
        for a, b_ in zip(got, results[0]):
            np.testing.assert_allclose(a, b_, rtol=1e-10, atol=1e-10)


def test_sparse_rows_lists_each_rows_nonzeros():
    """Padded past each row's count with value 0, so kernels may take terms two at a time."""
    count, column, value = winograd.sparse_rows(np.array([[0., 2., 0.], [1., 0., -3.]]))
    assert count.tolist() == [1, 2]
    assert column[0, 0] == 1 and column[1, :2].tolist() == [0, 2]
    assert value[0].tolist() == [2, 0, 0] and value[1].tolist() == [1, -3, 0]


def test_transform_matrices_reproduce_direct_convolution_in_one_dimension():
    """F(m, 3) in 1-D: Aᵀ[(G g) ⊙ (Bᵀ d)] equals the m outputs of the sliding dot product."""
    rng = np.random.default_rng(1)
    for m, (b_t, g_mat, a_t) in winograd.MATRICES.items():
        d, g = rng.standard_normal(m + 2), rng.standard_normal(3)
        direct = np.array([d[i:i + 3] @ g for i in range(m)])
        np.testing.assert_allclose(a_t @ ((g_mat @ g) * (b_t @ d)), direct, atol=1e-12)

"""The direct 3×3 kernels, stride 1 (``direct_conv``) and stride 2 over four phase planes
(``phase_conv``): PyTorch parity over sizes (odd and even) and paddings, finite differences
through conv2d, float32 accuracy on ResNet-sized layers, runs of images of unequal length,
and which layers take them."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from op_checks import check_op, conv3x3_problems, normal, seeds
from threadpoolctl import threadpool_limits

from ivanet import Tensor
from ivanet.ops import direct_conv, phase_conv
from ivanet.ops.conv import conv2d

pytestmark = pytest.mark.skipif(direct_conv.numba is None, reason="the path needs numba")
KERNELS = {1: direct_conv, 2: phase_conv}                          # by stride
strides = pytest.mark.parametrize("stride", [1, 2])


def _torch_conv(x, w, b, pads, stride, seed):
    """PyTorch's output and a random dY with the gradients it gives."""
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    (top, bottom), (left, right) = pads
    out = F.conv2d(F.pad(xt, (left, right, top, bottom)), wt,
                   None if b is None else torch.tensor(b), stride=stride)
    grad = normal(seed, tuple(out.shape))[0]
    out.backward(torch.tensor(grad))
    return out.detach().numpy(), grad, xt.grad.numpy(), wt.grad.numpy()


def _kernel_conv(stride, x, w, b, pads, grad):
    module = KERNELS[stride]
    out, src, grid = module.forward(x.transpose(1, 0, 2, 3), w, b, pads)
    grad_x, grad_w = module.backward(src, grid, w, grad.transpose(1, 0, 2, 3), True, True)
    return out.transpose(1, 0, 2, 3), grad_x.transpose(1, 0, 2, 3), grad_w


@strides
@given(problem=conv3x3_problems(max_side=13), seed=seeds)
@settings(max_examples=60, deadline=None)
def test_forward_and_backward_equal_torch_in_float64(stride, problem, seed):
    """Any channel count (C_out not a multiple of 4 included), size and per-side padding."""
    x_shape, w_shape, pads = problem
    x, w, b = normal(seed, x_shape, w_shape, (w_shape[0],))
    expected = _torch_conv(x, w, b, pads, stride, seed + 1)
    got = _kernel_conv(stride, x, w, b, pads, expected[1])
    for mine, theirs in zip(got, expected[:1] + expected[2:]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-10)


@strides
@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv2d_through_the_kernel_passes_finite_differences(stride, pad):
    x, w, b = normal(pad, (2, 3, 7, 6), (5, 3, 3, 3), (5,))
    out = conv2d(Tensor(x, requires_grad=True), Tensor(w), stride=stride, padding=pad)
    assert out.creator.algorithm == "direct"
    check_op(lambda x, w, b: conv2d(x, w, b, stride=stride, padding=pad),
             lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=pad), x, w, b, seed=pad)


@pytest.mark.parametrize("stride, c_out", [(1, 16), (2, 32)])
def test_float32_matches_torch_on_resnet_sized_layers(stride, c_out):
    """ResNet-8's 16 → 16 and 16 → 32 layers: several blocks of grid positions."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 16, 32, 32)).astype(np.float32)
    w = (rng.standard_normal((c_out, 16, 3, 3)) / 12).astype(np.float32)
    grad = rng.standard_normal((8, c_out, 32 // stride, 32 // stride)).astype(np.float32)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    expected = F.conv2d(xt, wt, stride=stride, padding=1)
    expected.backward(torch.tensor(grad))
    mine_x, mine_w = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    out = conv2d(mine_x, mine_w, stride=stride, padding=1)
    assert out.creator.algorithm == "direct"
    (out * Tensor(grad)).sum().backward()
    pairs = ((out.data, expected), (mine_x.grad, xt.grad), (mine_w.grad, wt.grad))
    for got, want in pairs:
        want = want.detach().numpy()
        assert got.dtype == np.float32
        assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max()


@strides
def test_uneven_runs_of_images_per_thread(monkeypatch, stride):
    """Runs of 2, 2 and 3 images (backward; forward 3 + 4): a later run longer than the
    first, so each scratch buffer must hold the longest run. The results stay exact."""
    x, w, _ = normal(5, (7, 2, 9, 8), (3, 2, 3, 3), (3,))
    cell, planes = ((9 + 2) * (8 + 2), 1) if stride == 1 else (5 * 5, 4)  # per image
    image_bytes = planes * 3 * cell * 8                            # backward's, 3 channels
    monkeypatch.setattr(direct_conv, "BLOCK", 1)                   # runs not held to a block
    monkeypatch.setattr(direct_conv, "CHUNK_BYTES", 3 * image_bytes)
    assert direct_conv.chunks(0, 7, image_bytes, cell) == [(0, 2), (2, 4), (4, 7)]
    pads = ((1, 1), (1, 1))
    expected = _torch_conv(x, w, None, pads, stride, 6)
    with threadpool_limits(limits=1):
        got = _kernel_conv(stride, x, w, None, pads, expected[1])
    for mine, theirs in zip(got, expected[:1] + expected[2:]):
        np.testing.assert_allclose(mine, theirs, atol=1e-10)


@pytest.mark.parametrize("channels, algorithm", [(phase_conv.MAX_CHANNELS, "direct"),
                                                 (phase_conv.MAX_CHANNELS + 1, "im2col")])
def test_wide_stride_2_inputs_keep_im2col(channels, algorithm):
    x = np.zeros((1, channels, 8, 8), np.float32)
    w = np.zeros((4, channels, 3, 3), np.float32)
    out = conv2d(Tensor(x, requires_grad=True), Tensor(w), stride=2, padding=1)
    assert out.creator.algorithm == algorithm

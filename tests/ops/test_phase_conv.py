"""The 3×3 stride-2 kernel over four phase planes: PyTorch parity over sizes (odd and even)
and paddings, finite differences through conv2d, float32 accuracy on a ResNet-sized layer,
and which layers take it."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from op_checks import check_op, conv3x3_problems, normal, seeds

from ivanet import Tensor
from ivanet.ops import phase_conv
from ivanet.ops.conv import conv2d

pytestmark = pytest.mark.skipif(phase_conv.numba is None, reason="the path needs numba")


@given(problem=conv3x3_problems(max_side=13), seed=seeds)
@settings(max_examples=60, deadline=None)
def test_forward_and_backward_equal_torch_in_float64(problem, seed):
    """Any channel count, odd and even sides, padding 0–2 on each side separately."""
    x_shape, w_shape, pads = problem
    x, w, b = normal(seed, x_shape, w_shape, (w_shape[0],))
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    (top, bottom), (left, right) = pads
    expected = F.conv2d(F.pad(xt, (left, right, top, bottom)), wt, torch.tensor(b), stride=2)
    grad = normal(seed + 1, tuple(expected.shape))[0]
    expected.backward(torch.tensor(grad))
    out, src, grid = phase_conv.forward(x.transpose(1, 0, 2, 3), w, b, pads)
    grad_x, grad_w = phase_conv.backward(src, grid, w, grad.transpose(1, 0, 2, 3), True, True)
    np.testing.assert_allclose(out.transpose(1, 0, 2, 3), expected.detach().numpy(),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(grad_x.transpose(1, 0, 2, 3), xt.grad.numpy(), rtol=1e-10,
                               atol=1e-10)
    np.testing.assert_allclose(grad_w, wt.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv2d_through_the_phase_kernel_passes_finite_differences(pad):
    x, w, b = normal(pad, (2, 3, 7, 6), (5, 3, 3, 3), (5,))
    out = conv2d(Tensor(x, requires_grad=True), Tensor(w), stride=2, padding=pad)
    assert out.creator.algorithm == "direct"
    check_op(lambda x, w, b: conv2d(x, w, b, stride=2, padding=pad),
             lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=pad), x, w, b, seed=pad)


def test_float32_matches_torch_on_a_resnet_downsampling_layer():
    """ResNet-8's 16 → 32 layer: several blocks of grid positions (8·17·17 > 2,048)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 16, 32, 32)).astype(np.float32)
    w = (rng.standard_normal((32, 16, 3, 3)) / 12).astype(np.float32)
    grad = rng.standard_normal((8, 32, 16, 16)).astype(np.float32)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    expected = F.conv2d(xt, wt, stride=2, padding=1)
    expected.backward(torch.tensor(grad))
    mine_x, mine_w = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    out = conv2d(mine_x, mine_w, stride=2, padding=1)
    assert out.creator.algorithm == "direct"
    (out * Tensor(grad)).sum().backward()
    pairs = ((out.data, expected), (mine_x.grad, xt.grad), (mine_w.grad, wt.grad))
    for got, want in pairs:
        want = want.detach().numpy()
        assert got.dtype == np.float32
        assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max()


@pytest.mark.parametrize("channels, algorithm", [(phase_conv.MAX_CHANNELS, "direct"),
                                                 (phase_conv.MAX_CHANNELS + 1, "im2col")])
def test_wide_inputs_keep_im2col(channels, algorithm):
    x = np.zeros((1, channels, 8, 8), np.float32)
    w = np.zeros((4, channels, 3, 3), np.float32)
    out = conv2d(Tensor(x, requires_grad=True), Tensor(w), stride=2, padding=1)
    assert out.creator.algorithm == algorithm

"""The direct 3×3 stride-1 kernel: PyTorch parity over sizes and paddings, finite
differences through conv2d, float32 accuracy, and the four-channel blocking's remainder."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from op_checks import check_op, conv3x3_problems, normal, seeds

from ivanet import Tensor
from ivanet.ops import direct_conv
from ivanet.ops.conv import conv2d

pytestmark = pytest.mark.skipif(direct_conv.numba is None, reason="the path needs numba")


@given(problem=conv3x3_problems(max_side=12), seed=seeds)
@settings(max_examples=60, deadline=None)
def test_forward_and_backward_equal_torch_in_float64(problem, seed):
    """Any channel count (C_out not a multiple of 4 included), size and per-side padding."""
    x_shape, w_shape, pads = problem
    x, w, b = normal(seed, x_shape, w_shape, (w_shape[0],))
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    (top, bottom), (left, right) = pads
    expected = F.conv2d(F.pad(xt, (left, right, top, bottom)), wt, torch.tensor(b))
    grad = normal(seed + 1, tuple(expected.shape))[0]
    expected.backward(torch.tensor(grad))
    out, src, grid = direct_conv.forward(x.transpose(1, 0, 2, 3), w, b, pads)
    grad_x, grad_w = direct_conv.backward(src, grid, w, grad.transpose(1, 0, 2, 3), True, True)
    np.testing.assert_allclose(out.transpose(1, 0, 2, 3), expected.detach().numpy(),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(grad_x.transpose(1, 0, 2, 3), xt.grad.numpy(), rtol=1e-10,
                               atol=1e-10)
    np.testing.assert_allclose(grad_w, wt.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv2d_through_the_direct_kernel_passes_finite_differences(pad):
    x, w, b = normal(pad, (2, 3, 6, 5), (5, 3, 3, 3), (5,))
    out = conv2d(Tensor(x, requires_grad=True), Tensor(w), padding=pad)
    assert out.creator.algorithm == "direct"
    check_op(lambda x, w, b: conv2d(x, w, b, padding=pad),
             lambda x, w, b: F.conv2d(x, w, b, padding=pad), x, w, b, seed=pad)


def test_float32_matches_torch_on_resnet_sized_layers():
    """Several blocks of grid positions (N·Hp·Wp = 9,248 > 2,048), 16 channels."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 16, 32, 32)).astype(np.float32)
    w = (rng.standard_normal((16, 16, 3, 3)) / 12).astype(np.float32)
    grad = rng.standard_normal((8, 16, 32, 32)).astype(np.float32)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    expected = F.conv2d(xt, wt, padding=1)
    expected.backward(torch.tensor(grad))
    mine_x, mine_w = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    out = conv2d(mine_x, mine_w, padding=1)
    assert out.creator.algorithm == "direct"
    (out * Tensor(grad)).sum().backward()
    pairs = ((out.data, expected), (mine_x.grad, xt.grad), (mine_w.grad, wt.grad))
    for got, want in pairs:
        want = want.detach().numpy()
        assert got.dtype == np.float32
        assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max()


@pytest.mark.parametrize("kernel", ["direct", "phase"])
def test_uneven_runs_of_images_per_thread(monkeypatch, kernel):
    """Runs of 2, 2 and 3 images (backward; forward 3 + 4): a later run longer than the
    first, so each scratch buffer must hold the longest run. The results stay exact."""
    from threadpoolctl import threadpool_limits

    from ivanet.ops import phase_conv
    module, stride, planes = (direct_conv, 1, 1) if kernel == "direct" else (phase_conv, 2, 4)
    x, w, _ = normal(5, (7, 2, 9, 8), (3, 2, 3, 3), (3,))
    cell = (9 + 2) * (8 + 2) if stride == 1 else 5 * 5             # grid cells per image
    image_bytes = planes * 3 * cell * 8                            # backward's, 3 channels
    monkeypatch.setattr(direct_conv, "BLOCK", 1)                   # runs not held to a block
    monkeypatch.setattr(direct_conv, "CHUNK_BYTES", 3 * image_bytes)
    assert direct_conv.chunks(0, 7, image_bytes, cell) == [(0, 2), (2, 4), (4, 7)]
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    expected = F.conv2d(xt, wt, stride=stride, padding=1)
    grad = normal(6, tuple(expected.shape))[0]
    expected.backward(torch.tensor(grad))
    with threadpool_limits(limits=1):
        out, src, grid = module.forward(x.transpose(1, 0, 2, 3), w, None, ((1, 1), (1, 1)))
        grad_x, grad_w = module.backward(src, grid, w, grad.transpose(1, 0, 2, 3), True, True)
    np.testing.assert_allclose(out.transpose(1, 0, 2, 3), expected.detach().numpy(),
                               atol=1e-10)
    np.testing.assert_allclose(grad_x.transpose(1, 0, 2, 3), xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(grad_w, wt.grad.numpy(), atol=1e-10)

"""The YOLO loss: finite-difference check and the same formula written in PyTorch."""
import numpy as np
import pytest
import torch

from ivanet import Tensor
from ivanet.autograd.gradcheck import gradcheck
from ivanet.detection.loss import yolo_loss
from ivanet.detection.yolo import encode_batch

ANCHORS = np.array([[6.0, 6.0], [12.0, 6.0]])
SIZE, S, C = (24, 24), 3, 3


def _case(seed: int, dtype=np.float64):
    rng = np.random.default_rng(seed)
    boxes = [np.array([[1, 1, 7, 9], [10, 12, 22, 18]]), np.zeros((0, 4)),
             np.array([[3, 14, 9, 20]])]
    labels = [[0, 2], [], [1]]
    target = encode_batch(boxes, labels, SIZE, S, ANCHORS, C)
    raw = rng.standard_normal((3, 2 * (5 + C), S, S)).astype(dtype)
    return raw, target


def _torch_loss(raw, target, lambda_coord=5.0, lambda_noobj=0.5):
    n = raw.shape[0]
    t = raw.reshape(n, 2, 5 + C, S, S).permute(0, 3, 4, 1, 2)
    y = torch.tensor(target, dtype=raw.dtype)
    m = y[..., 0]
    anchors = torch.tensor(ANCHORS / 8.0, dtype=raw.dtype)           # cells are 8 px
    ratio = torch.where(m[..., None] > 0, y[..., 3:5], torch.ones_like(y[..., 3:5]))
    log_size = torch.log(ratio / anchors.flip(-1))
    coord = ((torch.sigmoid(t[..., 1:3]) - y[..., 1:3]) ** 2).sum(-1) \
        + ((t[..., 3:5] - log_size) ** 2).sum(-1)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(t[..., 0], m, reduction="none")
    ce = -(y[..., 5:] * torch.log_softmax(t[..., 5:], -1)).sum(-1)
    total = lambda_coord * (m * coord).sum() + ((m + lambda_noobj * (1 - m)) * bce).sum() \
        + (m * ce).sum()
    return total / n


def test_yolo_loss_gradcheck():
    raw, target = _case(0)
    report = gradcheck(lambda r: yolo_loss(r, target, ANCHORS, SIZE), raw,
                       rng=np.random.default_rng(1))
    assert report.passed, str(report)


@pytest.mark.parametrize("lambdas", [(5.0, 0.5), (1.0, 1.0)])
def test_yolo_loss_matches_pytorch(lambdas):
    raw, target = _case(2)
    x = Tensor(raw.copy(), requires_grad=True)
    loss = yolo_loss(x, target, ANCHORS, SIZE, *lambdas)
    loss.backward()
    t = torch.tensor(raw, requires_grad=True)
    expected = _torch_loss(t, target, *lambdas)
    expected.backward()
    np.testing.assert_allclose(loss.item(), expected.item(), rtol=1e-10)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_yolo_loss_float32_and_shape_errors():
    raw, target = _case(3, np.float32)
    loss = yolo_loss(Tensor(raw, requires_grad=True), target, ANCHORS, SIZE)
    assert loss.data.dtype == np.float32 and np.isfinite(loss.item())
    with pytest.raises(ValueError, match="disagree"):
        yolo_loss(Tensor(raw), target[:, :2], ANCHORS, SIZE)

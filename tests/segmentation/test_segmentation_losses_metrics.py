"""Segmentation losses (gradient checks, PyTorch parity) and metrics (hand examples)."""
import numpy as np
import pytest
import torch

from ivanet import Tensor
from ivanet.autograd.gradcheck import gradcheck
from ivanet.segmentation import (confusion_matrix, dice_loss, mean_iou, per_class_iou,
                                 pixel_accuracy, pixel_cross_entropy)


def _case(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((2, 3, 4, 5)), rng.integers(0, 3, (2, 4, 5))


def _torch_dice(logits, masks, smooth=1.0):
    p = torch.softmax(logits, 1)
    g = torch.nn.functional.one_hot(torch.tensor(masks), 3).permute(0, 3, 1, 2).double()
    dice = (2 * (p * g).sum((0, 2, 3)) + smooth) / (p.sum((0, 2, 3)) + g.sum((0, 2, 3))
                                                   + smooth)
    return 1 - dice.mean()


@pytest.mark.parametrize("loss, reference", [
    (pixel_cross_entropy, lambda z, m: torch.nn.functional.cross_entropy(z, torch.tensor(m))),
    (dice_loss, _torch_dice)])
def test_losses_gradcheck_and_pytorch(loss, reference):
    logits, masks = _case()
    assert gradcheck(lambda z: loss(z, masks), logits, rng=np.random.default_rng(1))
    x = Tensor(logits.copy(), requires_grad=True)
    value = loss(x, masks)
    value.backward()
    t = torch.tensor(logits, requires_grad=True)
    expected = reference(t, masks)
    expected.backward()
    np.testing.assert_allclose(value.item(), expected.item(), rtol=1e-10)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-8, atol=1e-12)


def test_perfect_prediction_has_small_dice_loss_and_bad_masks_error():
    masks = np.array([[[0, 1], [2, 2]]])
    logits = 50.0 * (masks[:, None] == np.arange(3)[None, :, None, None])
    assert dice_loss(Tensor(logits), masks).item() < 1e-6
    with pytest.raises(ValueError, match="do not match the images"):
        pixel_cross_entropy(Tensor(logits), np.zeros((1, 3, 2), int))
    with pytest.raises(ValueError, match="beyond the model's 3 classes"):
        dice_loss(Tensor(logits), masks + 1)
    with pytest.raises(ValueError, match="integer"):
        dice_loss(Tensor(logits), masks.astype(float))


def test_metrics_by_hand():
    masks = np.array([[0, 0, 1, 1], [2, 2, 2, 0]])
    predicted = np.array([[0, 1, 1, 1], [2, 2, 0, 0]])
    np.testing.assert_array_equal(confusion_matrix(predicted, masks, 4)[:3, :3],
                                  [[2, 1, 0], [0, 2, 0], [1, 0, 2]])
    assert pixel_accuracy(predicted, masks) == 6 / 8
    # class 0: TP 2, FP 1, FN 1 → 2/4; class 1: 2/3; class 2: 2/3; class 3 absent → NaN
    iou = per_class_iou(predicted, masks, 4)
    np.testing.assert_allclose(iou[:3], [0.5, 2 / 3, 2 / 3])
    assert np.isnan(iou[3])
    assert mean_iou(predicted, masks, 4) == pytest.approx((0.5 + 4 / 3) / 3)
    with pytest.raises(ValueError, match="differ in shape"):
        pixel_accuracy(predicted, masks[:1])
    with pytest.raises(ValueError, match="outside"):
        mean_iou(predicted, masks + 3, 4)

"""The U-Net learns one batch; the class-weighted loss and the fit metrics behave."""
import numpy as np
import pytest
import torch

from ivanet import Tensor
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.segmentation import dice_loss, pixel_cross_entropy
from ivanet.training.segmentation import (segmentation_loss, segmentation_metrics,
                                         segmentation_scores)


def _squares(count, size=16, seed=0):
    """Images with a dim square (class 1) and a bright square (class 2) at random places."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 0.2, (count, 1, size, size)).astype(np.float32)
    masks = np.zeros((count, size, size), np.int64)
    for n in range(count):
        for label, value in ((1, 0.5), (2, 1.0)):
            top, left = rng.integers(0, size - 5, 2)
            images[n, 0, top:top + 5, left:left + 5] = value
            masks[n, top:top + 5, left:left + 5] = label
    return images, masks


def test_class_weighted_cross_entropy_matches_pytorch():
    rng = np.random.default_rng(3)
    logits, masks = rng.standard_normal((2, 3, 4, 5)), rng.integers(0, 3, (2, 4, 5))
    weights = np.array([0.2, 1.0, 3.0])
    x = Tensor(logits.copy(), requires_grad=True)
    value = pixel_cross_entropy(x, masks, weights)
    value.backward()
    t = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(t, torch.tensor(masks),
                                                 weight=torch.tensor(weights))
    expected.backward()
    np.testing.assert_allclose(value.item(), expected.item(), rtol=1e-10)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-8, atol=1e-12)
    with pytest.raises(ValueError, match="one weight per class"):
        pixel_cross_entropy(x, masks, weights[:2])


def test_dice_without_background_by_hand():
    # all background predicted: foreground Dice is s / (|g| + s) per class
    masks = np.array([[[0, 1], [2, 2]]])
    logits = 50.0 * (np.zeros_like(masks)[:, None] == np.arange(3)[None, :, None, None])
    value = dice_loss(Tensor(logits), masks, smooth=1.0, exclude_background=True).item()
    assert value == pytest.approx(1 - (1 / 2 + 1 / 3) / 2, abs=1e-9)


def test_fit_metrics_and_test_metrics_agree_by_hand():
    masks = np.array([[[0, 0], [1, 2]]])
    predicted = np.array([[[0, 1], [1, 0]]])
    logits = (predicted[:, None] == np.arange(3)[None, :, None, None]).astype(float)
    values = {f.__name__: f(masks, logits) for f in segmentation_metrics(3)}
    # background: TP 1, FP 1, FN 1 → 1/3; class 1: TP 1, FP 1 → 1/2; class 2: 0
    assert values["pixel_accuracy"] == 0.5
    assert values["mean_iou"] == pytest.approx((1 / 3 + 1 / 2 + 0) / 3)
    assert values["digit_mean_iou"] == pytest.approx(0.25)
    assert values["object_iou"] == pytest.approx(1 / 3)     # objects {1, 2, 3} vs {1, 2}
    scores = segmentation_scores(predicted, masks, 3)
    assert scores["mean_iou"] == pytest.approx(values["mean_iou"])
    assert scores["binary_mean_iou"] == pytest.approx(1 / 3)   # background 1/3, object 1/3


def test_tiny_unet_overfits_one_batch():
    images, masks = _squares(4)
    model = create_model("unet", input_shape=(1, 16, 16), num_classes=3, width=4,
                         rng=np.random.default_rng(0))
    optimizer, loss_fn = Adam(model.parameters(), lr=1e-2), segmentation_loss(3)
    for _ in range(60):
        loss = loss_fn(model(Tensor(images)), masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    predicted = model(Tensor(images)).data.argmax(axis=1)
    assert segmentation_scores(predicted, masks, 3)["mean_iou"] > 0.9

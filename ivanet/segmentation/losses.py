"""Segmentation losses: pixel-wise cross-entropy and the soft Dice loss.

Both take logits (N, C, H, W) and integer masks (N, H, W) of class ids in [0, C).
Background pixels usually outnumber the objects' pixels twenty to one; a plain pixel
cross-entropy then learns "everything is background" first. ``class_weights`` and a Dice
loss over the foreground classes (``exclude_background``) are the two usual remedies.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.tensor import Tensor
from ivanet.ops.activations import softmax
from ivanet.ops.losses import cross_entropy


def check_masks(logits_shape: tuple[int, ...], masks) -> np.ndarray:
    """Masks as int64 (N, H, W) matching logits (N, C, H, W), ids in [0, C)."""
    masks = np.asarray(masks.data if isinstance(masks, Tensor) else masks)
    if len(logits_shape) != 4:
        raise ValueError(f"segmentation logits must be (N, C, H, W), got {logits_shape}")
    n, c, h, w = logits_shape
    if masks.shape != (n, h, w):
        raise ValueError(f"masks of shape {masks.shape} do not match the images: logits "
                         f"{logits_shape} need masks ({n}, {h}, {w})")
    if masks.dtype.kind not in "iu":
        raise ValueError(f"masks must hold integer class ids, got {masks.dtype}")
    if masks.size and (masks.min() < 0 or masks.max() >= c):
        raise ValueError(f"mask class id {int(masks.max() if masks.max() >= c else masks.min())}"
                         f" is beyond the model's {c} classes (ids 0…{c - 1})")
    return masks.astype(np.int64, copy=False)


def pixel_cross_entropy(logits: Tensor, masks, class_weights=None) -> Tensor:
    """Mean over pixels of −log softmax(z)[class]: L = −(1/NHW) Σ log p_{n,y,h,w}.

    ``class_weights`` (C,): L = −Σ w_y log p_y / Σ w_y over the pixels (PyTorch's
    ``weight=`` with mean reduction), so a rare class's pixels count more.
    """
    masks = check_masks(logits.shape, masks)
    if class_weights is None:
        return cross_entropy(logits, masks)
    weights = np.asarray(class_weights, dtype=logits.dtype)
    if weights.shape != (logits.shape[1],):
        raise ValueError(f"class_weights must have one weight per class, shape "
                         f"({logits.shape[1]},), got {weights.shape}")
    per_pixel = weights[masks]                                     # (N, H, W)
    per_pixel *= 1.0 / max(float(per_pixel.sum()), 1e-12)
    return (cross_entropy(logits, masks, reduction="none") * Tensor(per_pixel)).sum()


def dice_loss(logits: Tensor, masks, smooth: float = 1.0,
              exclude_background: bool = False) -> Tensor:
    """Soft Dice loss 1 − (1/C) Σ_c (2 Σ p_c g_c + s) / (Σ p_c + Σ g_c + s), with p the
    softmax probabilities, g the one-hot masks, sums over the batch and the pixels, and
    s = ``smooth`` keeping a class absent from both at Dice 1 (Milletari et al., 2016).
    ``exclude_background``: average over classes 1 … C−1 only (class 0 is background)."""
    masks = check_masks(logits.shape, masks)
    c = logits.shape[1]
    one_hot = (masks[:, None] == np.arange(c)[None, :, None, None]).astype(logits.dtype)
    p = softmax(logits, axis=1)                                   # (N, C, H, W)
    intersection = (p * Tensor(one_hot)).sum(axis=(0, 2, 3))       # (C,)
    total = p.sum(axis=(0, 2, 3)) + Tensor(one_hot.sum(axis=(0, 2, 3)))
    dice = (intersection * 2.0 + smooth) / (total + smooth)       # (C,)
    if exclude_background:
        if c < 2:
            raise ValueError("dice_loss: exclude_background needs at least 2 classes")
        dice = dice[1:]
    return 1.0 - dice.mean()

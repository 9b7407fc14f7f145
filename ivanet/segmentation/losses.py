"""Segmentation losses: pixel-wise cross-entropy and the soft Dice loss.

Both take logits (N, C, H, W) and integer masks (N, H, W) of class ids in [0, C).
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


def pixel_cross_entropy(logits: Tensor, masks) -> Tensor:
    """Mean over pixels of −log softmax(z)[class]: L = −(1/NHW) Σ log p_{n,y,h,w}."""
    masks = check_masks(logits.shape, masks)
    return cross_entropy(logits, masks)


def dice_loss(logits: Tensor, masks, smooth: float = 1.0) -> Tensor:
    """Soft Dice loss 1 − (1/C) Σ_c (2 Σ p_c g_c + s) / (Σ p_c + Σ g_c + s), with p the
    softmax probabilities, g the one-hot masks, sums over the batch and the pixels, and
    s = ``smooth`` keeping a class absent from both at Dice 1 (Milletari et al., 2016)."""
    masks = check_masks(logits.shape, masks)
    c = logits.shape[1]
    one_hot = (masks[:, None] == np.arange(c)[None, :, None, None]).astype(logits.dtype)
    p = softmax(logits, axis=1)                                   # (N, C, H, W)
    intersection = (p * Tensor(one_hot)).sum(axis=(0, 2, 3))       # (C,)
    total = p.sum(axis=(0, 2, 3)) + Tensor(one_hot.sum(axis=(0, 2, 3)))
    dice = (intersection * 2.0 + smooth) / (total + smooth)
    return 1.0 - dice.mean()

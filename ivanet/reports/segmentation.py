"""Pictures of segmentation: the class mask blended over the image, class colour per pixel."""
from __future__ import annotations

import numpy as np
from PIL import Image

from ivanet.reports.detections import PALETTE, to_rgb


def mask_overlay(image: np.ndarray, mask: np.ndarray, alpha: float = 0.5,
                 scale: int = 4) -> Image.Image:
    """``image`` with each pixel of class k ≥ 1 in ``mask`` (H, W) tinted in colour k − 1
    (class 0, the background, stays as it is)."""
    rgb = np.asarray(to_rgb(image), dtype=np.float32)
    mask = np.asarray(mask)
    if mask.shape != rgb.shape[:2]:
        raise ValueError(f"mask {mask.shape} and image {rgb.shape[:2]} differ in size")
    colours = np.array(((0, 0, 0),) + PALETTE, np.float32)
    tint = colours[np.where(mask > 0, (mask - 1) % len(PALETTE) + 1, 0)]
    blended = np.where(mask[..., None] > 0, (1 - alpha) * rgb + alpha * tint, rgb)
    picture = Image.fromarray(blended.round().astype(np.uint8))
    return picture.resize((picture.width * scale, picture.height * scale),
                          Image.Resampling.NEAREST)


def overlay_grid(images: np.ndarray, truth: np.ndarray, predicted: np.ndarray,
                 path, scale: int = 4) -> Image.Image:
    """Top row: true masks over the images; bottom row: predicted masks. Saved to ``path``."""
    from ivanet.reports.detections import detection_grid

    pictures = [mask_overlay(i, m, scale=scale) for i, m in zip(images, truth)]
    pictures += [mask_overlay(i, m, scale=scale) for i, m in zip(images, predicted)]
    grid = detection_grid(pictures, columns=len(images))
    grid.save(path)
    return grid

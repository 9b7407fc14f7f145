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


def autoencoder_figure(images: np.ndarray, noisy: np.ndarray, codes: np.ndarray,
                       outputs: np.ndarray, denoised: np.ndarray, path):
    """Rows: inputs, their reconstructions, noisy inputs, the denoised outputs, and the code
    of each clean input (its channels tiled side by side). Images (N, 1, H, W) in [0, 1],
    codes (N, K, h, w). Saved to ``path``; returns the figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    codes = np.asarray(codes)
    tiled = np.concatenate(list(codes.transpose(1, 0, 2, 3)), axis=-1)   # (N, h, K·w)
    rows = [("input", images[:, 0]), ("reconstruction", outputs[:, 0]),
            ("noisy input", noisy[:, 0]), ("denoised", denoised[:, 0]),
            (f"code ({codes.shape[1]}×{codes.shape[2]}×{codes.shape[3]})", tiled)]
    count = len(images)
    figure, axes = plt.subplots(len(rows), count, figsize=(1.2 * count, 1.3 * len(rows)),
                                squeeze=False)
    for r, (title, pictures) in enumerate(rows):
        for c in range(count):
            axis = axes[r, c]
            code_row = r == len(rows) - 1
            axis.imshow(pictures[c], cmap="viridis" if code_row else "gray",
                        vmin=None if code_row else 0.0, vmax=None if code_row else 1.0)
            axis.set_xticks([])
            axis.set_yticks([])
        axes[r, 0].set_ylabel(title, fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return figure


def overlay_figure(images: np.ndarray, truth: np.ndarray, predicted: np.ndarray, path,
                   class_names=None, alpha: float = 0.6):
    """Rows: the images, the true masks over them, the predicted masks over them, with a
    legend of the class colours (class k ≥ 1 in colour k − 1; ``class_names`` name classes
    1, 2, … and default to "0", "1", … for digits). Saved to ``path``; returns the figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from ivanet.reports.detections import PALETTE

    rows = [("image", [mask_overlay(i, np.zeros_like(m), scale=1)
                       for i, m in zip(images, truth)]),
            ("true mask", [mask_overlay(i, m, alpha, 1) for i, m in zip(images, truth)]),
            ("predicted", [mask_overlay(i, m, alpha, 1) for i, m in zip(images, predicted)])]
    count = len(images)
    figure, axes = plt.subplots(3, count, figsize=(1.3 * count + 1.2, 4.2), squeeze=False)
    for r, (title, pictures) in enumerate(rows):
        for c, picture in enumerate(pictures):
            axes[r, c].imshow(picture, interpolation="nearest")
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
        axes[r, 0].set_ylabel(title, fontsize=9)
    shown = sorted((set(np.unique(truth)) | set(np.unique(predicted))) - {0})
    names = class_names or [str(k) for k in range(len(PALETTE))]
    handles = [Patch(color=np.array(PALETTE[(k - 1) % len(PALETTE)]) / 255,
                     label=names[k - 1] if k - 1 < len(names) else str(k)) for k in shown]
    figure.legend(handles=handles, loc="center right", fontsize=8, title="class")
    figure.tight_layout(rect=(0, 0, 1 - 1.0 / (1.3 * count + 1.2), 1))
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return figure

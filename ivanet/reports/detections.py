"""Pictures of detections: boxes, class names and scores drawn on the image with Pillow."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

PALETTE = ((230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
           (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212))


def to_rgb(image: np.ndarray) -> Image.Image:
    """(H, W), (1, H, W), (3, H, W) or (H, W, 3) floats in [0, 1] or uint8 → RGB image."""
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[0] in (1, 3):
        array = np.moveaxis(array, 0, -1)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.dtype != np.uint8:
        array = (np.clip(array, 0, 1) * 255).round().astype(np.uint8)
    return Image.fromarray(array).convert("RGB")


def draw_detections(image: np.ndarray, boxes, labels, scores=None,
                    class_names: Sequence[str] | None = None, scale: int = 4) -> Image.Image:
    """The image enlarged ``scale`` times with each corner box (pixels of the original
    image) drawn in its class's colour and captioned "name score"."""
    picture = to_rgb(image)
    picture = picture.resize((picture.width * scale, picture.height * scale),
                             Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(picture)
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    for k, (box, label) in enumerate(zip(boxes, np.asarray(labels, dtype=int))):
        colour = PALETTE[label % len(PALETTE)]
        x1, y1, x2, y2 = (box * scale).tolist()
        draw.rectangle([x1, y1, x2 - 1, y2 - 1], outline=colour, width=2)
        name = class_names[label] if class_names is not None else str(label)
        caption = name if scores is None else f"{name} {float(scores[k]):.2f}"
        left, top, right, bottom = draw.textbbox((0, 0), caption)     # size of the text
        top_y = max(y1 - (bottom - top) - 3, 0)
        draw.rectangle([x1, top_y, x1 + right - left + 2, top_y + bottom - top + 2],
                       fill=colour)
        draw.text((x1 + 1 - left, top_y + 1 - top), caption, fill=(0, 0, 0))
    return picture


def detection_grid(pictures: Sequence[Image.Image], columns: int = 4) -> Image.Image:
    """Equal-size pictures tiled in rows of ``columns``."""
    width, height = pictures[0].size
    rows = -(-len(pictures) // columns)
    grid = Image.new("RGB", (columns * width, rows * height), "white")
    for i, picture in enumerate(pictures):
        grid.paste(picture, ((i % columns) * width, (i // columns) * height))
    return grid


def write_detections_picture(run_dir, columns: int = 4) -> Path:
    """``detections.png`` of a detection run: its ``predictions.npz`` sample composites with
    the boxes found on them."""
    run_dir = Path(run_dir)
    with np.load(run_dir / "predictions.npz", allow_pickle=False) as saved:
        arrays = {key: saved[key] for key in saved.files}
    names = tuple(arrays["class_names"].tolist())
    pictures = []
    for i, image in enumerate(arrays["sample_inputs"]):
        mine = arrays["image_index"] == i
        pictures.append(draw_detections(image, arrays["boxes"][mine], arrays["labels"][mine],
                                        arrays["scores"][mine], names))
    path = run_dir / "detections.png"
    detection_grid(pictures, columns).save(path)
    return path

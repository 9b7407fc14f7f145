"""Detection and segmentation composites: real MNIST / Fashion-MNIST items pasted onto real
CC0 textures (scikit-image's brick, grass, gravel), with exact boxes, labels and masks.

Each item is resized to a random side in ``item_size`` pixels and pasted, bright ink over a
dimmed texture crop, at a random place where it overlaps no earlier item. Its pixels with
ink ≥ ``mask_threshold`` form its mask; its box is the tight box of that mask in corner
format, pixel (row r, column c) covering [c, c + 1) × [r, r + 1). Because items never
overlap, every box and mask is exact by construction. An image may hold no item at all.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ivanet.data.dataset import DataError

TEXTURES = ("brick", "grass", "gravel")


@dataclass
class Composites:
    """N composites.

    images    (N, 1, H, W) float32 in [0, 1]
    instances (N, H, W) int64: 0 background, k + 1 on the pixels of object k
    boxes     list of N (K_i, 4) float32 corner boxes in pixels
    labels    list of N (K_i,) int64 class ids
    """

    images: np.ndarray
    instances: np.ndarray
    boxes: list
    labels: list
    num_classes: int

    def __len__(self) -> int:
        return len(self.images)

    def masks(self) -> np.ndarray:
        """Class masks (N, H, W) int64: 0 background, class id + 1 on each object."""
        out = np.zeros_like(self.instances)
        for i, labels in enumerate(self.labels):
            if len(labels):
                table = np.concatenate([[0], np.asarray(labels) + 1])
                out[i] = table[self.instances[i]]
        return out


def load_textures(names=TEXTURES) -> list[np.ndarray]:
    """The CC0 textures as float32 arrays in [0, 1] (needs scikit-image)."""
    try:
        data = importlib.import_module("skimage.data")
    except ImportError:
        raise DataError("the composites need scikit-image for their textures: "
                        "pip install 'ivanet[data]'") from None
    return [getattr(data, name)().astype(np.float32) / 255.0 for name in names]


def _resize(item: np.ndarray, side: int) -> np.ndarray:
    return np.asarray(Image.fromarray(item.astype(np.float32), mode="F")
                      .resize((side, side), Image.BILINEAR)).clip(0, 1)


def _background(textures, size: int, rng: np.random.Generator) -> np.ndarray:
    texture = textures[rng.integers(len(textures))]
    zoom = rng.uniform(1.0, 3.0)                         # crop side before scaling to size
    side = min(int(size * zoom), *texture.shape)
    top, left = (int(rng.integers(n - side + 1)) for n in texture.shape)
    crop = _resize(texture[top:top + side, left:left + side], size)
    return crop * rng.uniform(0.25, 0.6)                 # dimmed: the ink stays the brightest


def _place(occupied: np.ndarray, ink: np.ndarray, rng, tries: int = 30):
    """A (top, left) where ``ink`` (even its faintest pixels) touches no occupied pixel."""
    size, side = occupied.shape[0], ink.shape[0]
    for _ in range(tries):
        top, left = (int(v) for v in rng.integers(0, size - side + 1, 2))
        if not (occupied[top:top + side, left:left + side] & ink).any():
            return top, left
    return None


def make_composites(items: np.ndarray, item_labels: np.ndarray, count: int,
                    num_classes: int, image_size: int = 64, max_objects: int = 3,
                    item_size: tuple[int, int] = (16, 36), mask_threshold: float = 0.5,
                    textures: list[np.ndarray] | None = None,
                    rng: np.random.Generator | None = None) -> Composites:
    """``count`` composites from ``items`` (M, 28, 28) or (M, 1, 28, 28) in [0, 1] with
    labels (M,); each image holds 0 … ``max_objects`` items of side ``item_size``."""
    rng = rng if rng is not None else np.random.default_rng(0)
    items = np.asarray(items, dtype=np.float32).reshape(len(items), *np.shape(items)[-2:])
    if not 0 < item_size[0] <= item_size[1] <= image_size:
        raise ValueError(f"item_size must satisfy 0 < low ≤ high ≤ image_size "
                         f"({image_size}), got {item_size}")
    textures = textures if textures is not None else load_textures()
    images = np.zeros((count, 1, image_size, image_size), np.float32)
    instances = np.zeros((count, image_size, image_size), np.int64)
    boxes, labels = [], []
    for n in range(count):
        image = _background(textures, image_size, rng)
        footprint = np.zeros((image_size, image_size), bool)   # pixels any ink touched
        image_boxes, image_labels = [], []
        for _ in range(int(rng.integers(0, max_objects + 1))):
            pick = int(rng.integers(len(items)))
            alpha = _resize(items[pick], int(rng.integers(item_size[0], item_size[1] + 1)))
            ink = alpha >= mask_threshold
            spot = _place(footprint, alpha > 0, rng)
            if spot is None or not ink.any():
                continue
            top, left = spot
            side = len(alpha)
            window = image[top:top + side, left:left + side]
            window[:] = (1.0 - alpha) * window + alpha * rng.uniform(0.85, 1.0)
            instances[n, top:top + side, left:left + side][ink] = len(image_boxes) + 1
            footprint[top:top + side, left:left + side] |= alpha > 0
            rows, cols = np.nonzero(ink)
            image_boxes.append([left + cols.min(), top + rows.min(),
                                left + cols.max() + 1, top + rows.max() + 1])
            image_labels.append(int(item_labels[pick]))
        images[n, 0] = image
        boxes.append(np.array(image_boxes, np.float32).reshape(-1, 4))
        labels.append(np.array(image_labels, np.int64))
    return Composites(images, instances, boxes, labels, num_classes)


def boxes_from_instances(instances: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Tight corner boxes (K, 4) of objects 1 … ``count`` in an (H, W) instance map, and
    the indices of those still visible (objects with no pixel left are dropped)."""
    boxes, kept = [], []
    for k in range(count):
        rows, cols = np.nonzero(instances == k + 1)
        if rows.size:
            boxes.append([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1])
            kept.append(k)
    return np.array(boxes, np.float32).reshape(-1, 4), np.array(kept, np.int64)


def flip_composite(image: np.ndarray, instances: np.ndarray, boxes: np.ndarray):
    """Mirror left–right: image (C, H, W), instances (H, W), boxes (K, 4) → flipped;
    x₁' = W − x₂, x₂' = W − x₁."""
    width = image.shape[-1]
    flipped = np.asarray(boxes, np.float32).reshape(-1, 4)[:, [2, 1, 0, 3]].copy()
    flipped[:, [0, 2]] = width - flipped[:, [0, 2]]
    return image[..., ::-1].copy(), instances[:, ::-1].copy(), flipped


def shift_composite(image: np.ndarray, instances: np.ndarray, labels: np.ndarray,
                    max_shift: int, rng: np.random.Generator):
    """Translate by up to ``max_shift`` pixels each way (the uncovered border takes the
    background's median, so it holds no ink); boxes are recomputed exactly from the
    shifted instance map, objects shifted wholly out are dropped.
    Returns (image, instances, boxes, labels)."""
    dy, dx = (int(v) for v in rng.integers(-max_shift, max_shift + 1, 2))
    height, width = instances.shape
    rows = np.clip(np.arange(height) - dy, 0, height - 1)
    cols = np.clip(np.arange(width) - dx, 0, width - 1)
    shifted = instances[rows][:, cols].copy()
    outside = np.zeros((height, width), bool)      # edge-repeated pixels hold no object
    outside[(np.arange(height) - dy < 0) | (np.arange(height) - dy >= height)] = True
    outside[:, (np.arange(width) - dx < 0) | (np.arange(width) - dx >= width)] = True
    shifted[outside] = 0
    boxes, kept = boxes_from_instances(shifted, len(labels))
    renumber = np.zeros(len(labels) + 1, np.int64)
    renumber[kept + 1] = np.arange(1, len(kept) + 1)
    moved = image[..., rows, :][..., cols].copy()
    background = image[..., instances == 0]
    moved[..., outside] = np.median(background) if background.size else 0.0
    return (moved, renumber[shifted], boxes,
            np.asarray(labels, np.int64)[kept])

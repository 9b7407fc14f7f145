"""Image augmentation for NCHW float batches, vectorised over the batch.

Every augmentation is a callable ``aug(x, rng) -> new array`` drawing its random choices
from ``rng``, so a seeded generator reproduces it exactly (``DataLoader`` passes one derived
from (seed, epoch, batch)). Apply them to training batches only, on images in [0, 1]
before standardising: the defaults clip results back into [0, 1] (``clip=None`` disables).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Augmentation = Callable[[np.ndarray, np.random.Generator], np.ndarray]
Range = float | tuple[float, float]


def _check_batch(name: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 4 or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} expects a float NCHW batch (N, C, H, W), "
                         f"got shape {x.shape} dtype {x.dtype}")
    return x


def _symmetric(name: str, value: Range) -> tuple[float, float]:
    low, high = (-value, value) if np.isscalar(value) else value
    if low > high:
        raise ValueError(f"{name} range must have low <= high, got {value}")
    return float(low), float(high)


def _clip(x: np.ndarray, clip: tuple[float, float] | None) -> np.ndarray:
    return x if clip is None else np.clip(x, clip[0], clip[1], out=x)


class Compose:
    """Apply augmentations in order: ``Compose([a, b])(x, rng) == b(a(x, rng), rng)``."""

    def __init__(self, augmentations: Sequence[Augmentation]) -> None:
        self.augmentations = list(augmentations)

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        for augmentation in self.augmentations:
            x = augmentation(x, rng)
        return x

    def __repr__(self) -> str:
        return f"Compose({self.augmentations!r})"


class RandomHorizontalFlip:
    """Mirror each image left↔right with probability ``p``.  Shape: (N, C, H, W) kept."""

    flip_axis = 3

    def __init__(self, p: float = 0.5) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{type(self).__name__} p must be in [0, 1], got {p}")
        self.p = p

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch(type(self).__name__, x)
        chosen = rng.random(len(x)) < self.p
        out = x.copy()
        out[chosen] = np.flip(x[chosen], axis=self.flip_axis)
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror each image top↔bottom with probability ``p``.  Shape: (N, C, H, W) kept."""

    flip_axis = 2


class RandomCrop:
    """Pad by ``padding`` pixels, then cut each image back to H×W at a random offset.

    Equivalent to a random shift of up to ±padding pixels per image. ``mode`` is a
    ``np.pad`` mode ("constant" fills with ``fill``, "reflect", "edge").
    Shape: (N, C, H, W) kept.
    """

    def __init__(self, padding: int = 4, fill: float = 0.0, mode: str = "constant") -> None:
        if padding < 0:
            raise ValueError(f"RandomCrop padding must be >= 0, got {padding}")
        self.padding, self.fill, self.mode = int(padding), fill, mode

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch("RandomCrop", x)
        N, C, H, W = x.shape
        p = self.padding
        extra = {"constant_values": self.fill} if self.mode == "constant" else {}
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode=self.mode, **extra)
        top, left = rng.integers(0, 2 * p + 1, size=(2, N))
        windows = sliding_window_view(padded, (H, W), axis=(2, 3))  # (N, C, 2p+1, 2p+1, H, W)
        return windows[np.arange(N), :, top, left]  # (N, C, H, W), a copy

    def __repr__(self) -> str:
        return f"RandomCrop(padding={self.padding}, mode={self.mode!r})"


class RandomErasing:
    """Random erasing (Zhong et al., 2017): with probability ``p`` replace one rectangle of
    each image by noise, so the network cannot lean on any one region.

    The rectangle covers a fraction s ~ U(``scale``) of the image with aspect ratio h/w drawn
    log-uniformly from ``ratio``, cut to the image, at a uniform position; all channels are
    erased. ``value``: "random" (uniform [0, 1] pixels, the paper's choice) or a number.
    Shape: (N, C, H, W) kept.
    """

    def __init__(self, p: float = 0.5, scale: tuple[float, float] = (0.02, 0.4),
                 ratio: tuple[float, float] = (0.3, 1 / 0.3),
                 value: float | str = "random") -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"RandomErasing p must be in [0, 1], got {p}")
        if not 0 < scale[0] <= scale[1] <= 1 or not 0 < ratio[0] <= ratio[1]:
            raise ValueError(f"RandomErasing needs 0 < scale[0] <= scale[1] <= 1 and "
                             f"0 < ratio[0] <= ratio[1], got scale={scale}, ratio={ratio}")
        if isinstance(value, str) and value != "random":
            raise ValueError(f"RandomErasing value must be a number or 'random', got {value!r}")
        self.p, self.scale, self.ratio, self.value = p, scale, ratio, value

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch("RandomErasing", x)
        N, C, H, W = x.shape
        area = rng.uniform(*self.scale, size=N) * (H * W)
        aspect = np.exp(rng.uniform(np.log(self.ratio[0]), np.log(self.ratio[1]), size=N))
        h = np.clip(np.rint(np.sqrt(area * aspect)), 1, H).astype(np.int64)
        w = np.clip(np.rint(np.sqrt(area / aspect)), 1, W).astype(np.int64)
        top = (rng.random(N) * (H - h + 1)).astype(np.int64)   # uniform in [0, H − h]
        left = (rng.random(N) * (W - w + 1)).astype(np.int64)
        chosen = rng.random(N) < self.p
        rows, cols = np.arange(H), np.arange(W)
        inside = (((rows >= top[:, None]) & (rows < (top + h)[:, None]))[:, :, None]
                  & ((cols >= left[:, None]) & (cols < (left + w)[:, None]))[:, None, :])
        inside &= chosen[:, None, None]                          # (N, H, W)
        fill = (rng.random(x.shape, dtype=np.float32).astype(x.dtype, copy=False)
                if self.value == "random" else np.asarray(self.value, x.dtype))
        return np.where(inside[:, None], fill, x)

    def __repr__(self) -> str:
        return (f"RandomErasing(p={self.p}, scale={self.scale}, ratio="
                f"({self.ratio[0]:.3g}, {self.ratio[1]:.3g}), value={self.value!r})")


class RandomAffine:
    """Rotate by θ ~ U(degrees) anticlockwise, scale by s ~ U(scale), shift by ≤ translate·size.

    Each output pixel p reads the input at A⁻¹(p − c − t) + c (c the image centre),
    bilinearly interpolated; points outside the image read ``fill``. One gather per corner
    for the whole batch, no per-image loop.  Shape: (N, C, H, W) kept.
    """

    def __init__(self, degrees: Range = 10.0, translate: float = 0.0,
                 scale: tuple[float, float] = (1.0, 1.0), fill: float = 0.0) -> None:
        self.degrees = _symmetric("RandomAffine degrees", degrees)
        if not 0.0 <= translate <= 1.0 or not 0.0 < scale[0] <= scale[1]:
            raise ValueError(f"RandomAffine needs 0 <= translate <= 1 and 0 < scale[0] <= "
                             f"scale[1], got translate={translate}, scale={scale}")
        self.translate, self.scale, self.fill = translate, scale, fill

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch(type(self).__name__, x)
        N, C, H, W = x.shape
        angle = np.deg2rad(rng.uniform(*self.degrees, size=N))
        scale = rng.uniform(*self.scale, size=N)
        shift = rng.uniform(-self.translate, self.translate, size=(2, N))
        # Coordinates in float32: ample precision for images, half the memory traffic.
        cos, sin = (np.stack([np.cos(angle), np.sin(angle)]) / scale).astype(np.float32)
        rows, cols = np.mgrid[0:H, 0:W].astype(np.float32)
        cy, cx = (H - 1) / 2, (W - 1) / 2
        dy = rows - (cy + shift[0] * H).astype(np.float32)[:, None, None]  # (N, H, W)
        dx = cols - (cx + shift[1] * W).astype(np.float32)[:, None, None]
        cos, sin = cos[:, None, None], sin[:, None, None]
        src_x = cos * dx - sin * dy + cx  # rows point down, so θ > 0 turns anticlockwise
        src_y = sin * dx + cos * dy + cy
        return _bilinear(x, src_y, src_x, self.fill)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(degrees={self.degrees}, translate={self.translate}, "
                f"scale={self.scale})")


class RandomRotation(RandomAffine):
    """Rotate each image by θ ~ U(−degrees, degrees) about its centre (``RandomAffine``)."""

    def __init__(self, degrees: Range = 10.0, fill: float = 0.0) -> None:
        super().__init__(degrees=degrees, fill=fill)


def _bilinear(x: np.ndarray, src_y: np.ndarray, src_x: np.ndarray, fill: float) -> np.ndarray:
    """Sample every image of ``x`` at its own (src_y, src_x) grid of shape (N, H, W)."""
    N, C, H, W = x.shape
    # One ring of `fill` around each image: coordinates clipped into it read `fill`.
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=fill)
    padded = padded.reshape(N, C, (H + 2) * (W + 2))
    sy = np.clip(src_y + 1, 0, H + 1).reshape(N, 1, H * W)
    sx = np.clip(src_x + 1, 0, W + 1).reshape(N, 1, H * W)
    y0 = np.minimum(sy.astype(np.intp), H)
    x0 = np.minimum(sx.astype(np.intp), W)
    wy, wx = (sy - y0).astype(x.dtype), (sx - x0).astype(x.dtype)
    corner = y0 * (W + 2) + x0  # flat index of the top-left neighbour, (N, 1, H·W)

    def read(offset: int) -> np.ndarray:  # (N, C, H·W), the index broadcasts over C
        return np.take_along_axis(padded, corner + offset, axis=2)

    top = read(0) * (1 - wx) + read(1) * wx
    bottom = read(W + 2) * (1 - wx) + read(W + 3) * wx
    return (top * (1 - wy) + bottom * wy).reshape(N, C, H, W)


class GaussianNoise:
    """x + ε with ε ~ N(0, std²) per pixel, then clipped.  Shape: (N, C, H, W) kept."""

    def __init__(self, std: float = 0.05, clip: tuple[float, float] | None = (0.0, 1.0)) -> None:
        if std < 0:
            raise ValueError(f"GaussianNoise std must be >= 0, got {std}")
        self.std, self.clip = std, clip

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch("GaussianNoise", x)
        dtype = np.float64 if x.dtype == np.float64 else np.float32
        noise = rng.standard_normal(x.shape, dtype=dtype)
        noise *= self.std
        return _clip((x + noise).astype(x.dtype, copy=False), self.clip)

    def __repr__(self) -> str:
        return f"GaussianNoise(std={self.std}, clip={self.clip})"


class BrightnessContrast:
    """x' = (x − m)·c + m + b per image: m its mean, c ~ U(1 ± contrast), b ~ U(±brightness).

    Shape: (N, C, H, W) kept.
    """

    def __init__(self, brightness: float = 0.2, contrast: float = 0.2,
                 clip: tuple[float, float] | None = (0.0, 1.0)) -> None:
        if brightness < 0 or not 0 <= contrast < 1:
            raise ValueError(f"BrightnessContrast needs brightness >= 0 and 0 <= contrast < 1, "
                             f"got brightness={brightness}, contrast={contrast}")
        self.brightness, self.contrast, self.clip = brightness, contrast, clip

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        x = _check_batch("BrightnessContrast", x)
        N = len(x)
        shift = rng.uniform(-self.brightness, self.brightness, size=(N, 1, 1, 1))
        gain = rng.uniform(1 - self.contrast, 1 + self.contrast, size=(N, 1, 1, 1))
        mean = x.mean(axis=(1, 2, 3), keepdims=True)
        out = (x - mean) * gain.astype(x.dtype) + (mean + shift.astype(x.dtype))
        return _clip(out, self.clip)

    def __repr__(self) -> str:
        return f"BrightnessContrast(brightness={self.brightness}, contrast={self.contrast})"

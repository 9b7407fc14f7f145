"""Input standardisation (statistics from the training set only) and one-hot labels."""
from __future__ import annotations

import numpy as np

_MODES = ("feature", "channel", "global")


class Standardizer:
    """x̂ = (x − μ) / σ with μ, σ measured on the training set only.

    ``per``: "feature" gives every feature (every pixel of every channel) its own μ, σ;
    "channel" one μ, σ per channel of an (N, C, ...) batch; "global" one μ, σ for all.
    A feature with σ < ``eps`` (constant in the training set) gets σ = 1, so it maps to 0
    instead of dividing by zero. ``state()`` / ``from_state()`` carry μ and σ as float64
    arrays shaped like one sample (size-1 axes where shared), ready for a checkpoint.

    Shape:
        fit/transform input: (N, ...);  mean, std: (...) broadcastable against one sample
    """

    def __init__(self, per: str = "feature", eps: float = 1e-8) -> None:
        if per not in _MODES:
            raise ValueError(f"Standardizer per must be one of {_MODES}, got {per!r}")
        self.per, self.eps = per, eps
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, x: np.ndarray) -> Standardizer:
        """Measure μ and σ on ``x`` (the training inputs) and return self."""
        x = np.asarray(x)
        if x.ndim < 2 or len(x) == 0:
            raise ValueError(f"Standardizer.fit needs a non-empty (N, ...) array, got {x.shape}")
        if self.per == "channel" and x.ndim < 3:
            raise ValueError(f"Standardizer(per='channel') needs (N, C, ...) input, got {x.shape}")
        axes = {"feature": (0,), "channel": (0, *range(2, x.ndim)),
                "global": tuple(range(x.ndim))}[self.per]
        mean = x.mean(axis=axes, dtype=np.float64, keepdims=True)[0]
        std = x.std(axis=axes, dtype=np.float64, keepdims=True)[0]
        self.mean, self.std = mean, np.where(std < self.eps, 1.0, std)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        """(x − μ) / σ as a new array; floats keep their dtype, integers become float32."""
        x, mean, std = self._prepared(x)
        return (x - mean) / std

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        """x·σ + μ: undo ``transform`` (e.g. to report regression predictions in dollars)."""
        x, mean, std = self._prepared(x)
        return x * std + mean

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        """``fit(x)`` then ``transform(x)``."""
        return self.fit(x).transform(x)

    def __call__(self, x: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """``transform(x)``; takes ``rng`` so it can close a ``Compose`` of augmentations."""
        return self.transform(x)

    def state(self) -> dict[str, np.ndarray]:
        """μ and σ as arrays, e.g. to store as ``norm.mean`` / ``norm.std`` in a checkpoint."""
        self._check_fitted()
        return {"mean": self.mean.copy(), "std": self.std.copy()}

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> Standardizer:
        """A fitted ``Standardizer`` from ``state()``'s arrays (the sharing mode is implied)."""
        missing = {"mean", "std"} - set(state)
        if missing:
            raise ValueError(f"Standardizer.from_state: missing {sorted(missing)}")
        mean = np.asarray(state["mean"], dtype=np.float64)
        std = np.asarray(state["std"], dtype=np.float64)
        if mean.shape != std.shape:
            raise ValueError(f"Standardizer.from_state: mean {mean.shape} != std {std.shape}")
        shared = [size == 1 for size in mean.shape]
        per = ("global" if all(shared) else
               "channel" if len(shared) > 1 and all(shared[1:]) else "feature")
        standardizer = cls(per=per)
        standardizer.mean, standardizer.std = mean, std
        return standardizer

    def _prepared(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._check_fitted()
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float32)
        if x.ndim != self.mean.ndim + 1 or not _broadcasts(self.mean.shape, x.shape[1:]):
            raise ValueError(f"Standardizer was fitted on samples of shape {self.mean.shape}, "
                             f"got a batch of shape {x.shape}")
        return x, self.mean.astype(x.dtype), self.std.astype(x.dtype)

    def _check_fitted(self) -> None:
        if self.mean is None:
            raise RuntimeError("Standardizer is not fitted: call fit(x_train) first")

    def __repr__(self) -> str:
        shape = None if self.mean is None else self.mean.shape
        return f"Standardizer(per={self.per!r}, stats_shape={shape})"


def _broadcasts(small: tuple[int, ...], big: tuple[int, ...]) -> bool:
    return all(a in (1, b) for a, b in zip(small, big, strict=True))


def one_hot(labels: np.ndarray, num_classes: int, dtype: np.dtype = np.float32) -> np.ndarray:
    """Row i is the basis vector e_{labels[i]}.  Shape: labels (...) → (..., num_classes)."""
    labels = np.asarray(labels)
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"one_hot needs integer class labels, got dtype {labels.dtype}")
    if int(num_classes) != num_classes or num_classes < 1:
        raise ValueError(f"one_hot num_classes must be a positive integer, got {num_classes}")
    bad = (labels < 0) | (labels >= num_classes)
    if bad.any():
        where = np.unravel_index(int(np.argmax(bad)), labels.shape)
        where = tuple(int(i) for i in where)
        raise ValueError(f"one_hot: label {labels[where]} at index {where} is outside "
                         f"[0, {num_classes})")
    out = np.zeros((*labels.shape, num_classes), dtype=dtype)
    np.put_along_axis(out, labels[..., None].astype(np.intp), 1, axis=-1)
    return out

"""The detector's data: composites of a data set's items (``ivanet.data.composites``) as
YOLO targets, with new training scenes every epoch and box-aware shifts.

A detection run's ``data_options`` describe the scenes, not how the items are loaded:

    per_epoch    new training composites per epoch              (3000)
    dev, test    held-out composites of the dev / test items    (500, 500)
    image_size   side of a composite in pixels, a multiple of 8 (64)
    max_objects  items per composite: 0 … max_objects           (3)
    shift        random translation of training scenes, ± px    (8)
"""
from __future__ import annotations

import numpy as np

from ivanet.data.composites import Composites, make_composites, shift_composite
from ivanet.data.dataset import DataSplits
from ivanet.data.loader import DataLoader
from ivanet.detection import encode_batch
from ivanet.training.errors import ConfigError

SCENE_DEFAULTS = {"per_epoch": 3000, "dev": 500, "test": 500, "image_size": 64,
                  "max_objects": 3, "shift": 8}
DEV_STREAM, TEST_STREAM = 10_001, 10_002  # composite seeds: (seed, epoch) trains


def scene_options(data_options: dict) -> dict:
    """``SCENE_DEFAULTS`` updated by ``data_options`` (unknown keys: ``ConfigError``)."""
    unknown = sorted(set(data_options) - set(SCENE_DEFAULTS))
    if unknown:
        raise ConfigError(f"config key 'data_options': a detection run knows "
                          f"{', '.join(SCENE_DEFAULTS)}, not {', '.join(unknown)}")
    options = {**SCENE_DEFAULTS, **data_options}
    for key, value in options.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"config key 'data_options.{key}': expected an integer >= 0, "
                              f"got {value!r}")
    if options["image_size"] < 32 or options["image_size"] % 8:
        raise ConfigError(f"config key 'data_options.image_size': expected a multiple of 8 "
                          f">= 32, got {options['image_size']}")
    if min(options["per_epoch"], options["test"]) < 1:
        raise ConfigError("config key 'data_options': per_epoch and test must be >= 1")
    return options


def scenes(splits: DataSplits, part: str, count: int, options: dict, seed) -> Composites:
    """``count`` composites of the ``part`` ("train", "dev" or "test") items; a data set
    without a dev split lends its last tenth of training items to "dev"."""
    items = getattr(splits, part)
    x, y = (items.x, items.y) if items is not None else (None, None)
    if part in ("train", "dev") and splits.dev is None:
        cut = len(splits.train.x) - len(splits.train.x) // 10
        x, y = ((splits.train.x[:cut], splits.train.y[:cut]) if part == "train" else
                (splits.train.x[cut:], splits.train.y[cut:]))
    size = options["image_size"]
    low, high = max(8, size // 4), max(8, size * 9 // 16)     # 16…36 px items at 64 px
    return make_composites(x, y, count, splits.num_classes, size, options["max_objects"],
                           (low, high), rng=np.random.default_rng(seed))


class SceneTargets:
    """Boxes and labels → YOLO targets (N, S, S, B, 5 + C) for a fixed grid and anchors."""

    def __init__(self, anchors: np.ndarray, image_size: int, num_classes: int) -> None:
        self.anchors, self.num_classes = np.asarray(anchors, np.float64), num_classes
        self.size = (image_size, image_size)

    def __call__(self, boxes: list, labels: list) -> np.ndarray:
        return encode_batch(boxes, labels, self.size, self.size[0] // 8, self.anchors,
                            self.num_classes, strict=False)


class SceneLoader(DataLoader):
    """Training batches (images (N, 1, H, W), targets): epoch e draws ``per_epoch`` new
    composites from seed (seed, e) and shifts each scene by up to ``shift`` px, its boxes
    recomputed exactly. Everything follows from (seed, epoch, batch), so a resumed run
    sees the very batches an uninterrupted one would."""

    def __init__(self, splits: DataSplits, options: dict, targets: SceneTargets,
                 batch_size: int, seed: int) -> None:
        self.splits, self.options, self.targets = splits, options, targets
        self._epoch_scenes: tuple[int, Composites] | None = None
        super().__init__(range(options["per_epoch"]), batch_size, shuffle=True, seed=seed)

    def scenes_of(self, epoch: int) -> Composites:
        if self._epoch_scenes is None or self._epoch_scenes[0] != epoch:
            data = scenes(self.splits, "train", self.options["per_epoch"], self.options,
                          (self.seed, epoch))
            self._epoch_scenes = (epoch, data)
        return self._epoch_scenes[1]

    def _batches(self, epoch: int, start: int):
        data, order = self.scenes_of(epoch), self.epoch_order(epoch)
        for b in range(start, len(self)):
            rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(epoch, 1, b)))
            images, boxes, labels = [], [], []
            for i in order[b * self.batch_size:(b + 1) * self.batch_size]:
                image, _, box, label = shift_composite(data.images[i], data.instances[i],
                                                       data.labels[i], self.options["shift"],
                                                       rng)
                images.append(image), boxes.append(box), labels.append(label)
            yield np.stack(images), self.targets(boxes, labels)

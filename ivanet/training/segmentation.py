"""Train the U-Net on the composites' exact masks; pixel accuracy and IoU held out.

Masks hold 0 for the background and class + 1 on each item's pixels (11 classes for
MNIST). Background is about 95 % of the pixels, so a plain pixel cross-entropy first
learns "all background" (mean IoU ≈ 0.09); the loss here is a class-weighted pixel
cross-entropy (background weight ``background_weight``) plus the Dice loss over the
foreground classes only.

``segmentation_run`` is what ``ivanet train unet`` calls: a run folder with metrics per
epoch, checkpoints, resume, results.json and an overlay picture. The composites' options
come from the config's ``data_options`` (keys of ``SEGMENTATION_OPTIONS``); the images
stay in [0, 1] (the U-Net's batch norm does the scaling). ``train_unet`` is the short
hand-written loop the Day 3 lesson uses (fresh scenes every epoch).
"""
from __future__ import annotations

import importlib
import time
from pathlib import Path

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.composites import Composites, make_composites
from ivanet.data.registry import load
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.segmentation import (dice_loss, mean_iou, per_class_iou, pixel_accuracy,
                                 pixel_cross_entropy)
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError
from ivanet.training.folder import write_json

SCENE = dict(image_size=32, max_objects=2, item_size=(14, 26))
SEGMENTATION_OPTIONS = dict(train_count=6000, dev_count=500, test_count=1000,
                            background_weight=0.2, **SCENE)


def segmentation_loss(num_classes: int, background_weight: float = 0.2):
    """``(logits, masks) -> Tensor``: class-weighted pixel cross-entropy + foreground Dice."""
    weights = np.ones(num_classes)
    weights[0] = background_weight

    def loss(logits, masks):
        return (pixel_cross_entropy(logits, masks, weights)
                + dice_loss(logits, masks, exclude_background=True))
    return loss


def _labels(outputs) -> np.ndarray:
    return np.asarray(outputs).argmax(axis=1)                   # (N, C, H, W) → (N, H, W)


def segmentation_metrics(num_classes: int) -> list:
    """fit-style metrics ``fn(masks, logits)``: pixel accuracy, mean IoU over the classes
    present (background included), mean IoU over the digit classes, and the IoU of
    "object" vs background."""
    def pixel_acc(masks, outputs):
        return pixel_accuracy(_labels(outputs), masks)

    def miou(masks, outputs):
        return mean_iou(_labels(outputs), masks, num_classes)

    def fg_miou(masks, outputs):
        values = per_class_iou(_labels(outputs), masks, num_classes)[1:]
        return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")

    def object_iou(masks, outputs):
        return float(per_class_iou(_labels(outputs) > 0, np.asarray(masks) > 0, 2)[1])

    pixel_acc.__name__, miou.__name__ = "pixel_accuracy", "mean_iou"
    fg_miou.__name__, object_iou.__name__ = "digit_mean_iou", "object_iou"
    return [pixel_acc, miou, fg_miou, object_iou]


def predict_masks(model, images: np.ndarray, batch_size: int = 64) -> np.ndarray:
    """Class per pixel (N, H, W) by argmax of the logits."""
    model.eval()
    with no_grad():
        return np.concatenate([model(Tensor(images[i:i + batch_size])).data.argmax(axis=1)
                               for i in range(0, len(images), batch_size)])


def segmentation_scores(predicted: np.ndarray, truth: np.ndarray, num_classes: int) -> dict:
    """Pixel accuracy, per-class IoU, mean IoU with (``mean_iou``) and without
    (``digit_mean_iou``) the background, and the two-class task of the same predictions
    with every digit class merged into "object": its ``object_iou`` and the mean of
    background and object IoU (``binary_mean_iou``)."""
    iou = per_class_iou(predicted, truth, num_classes)
    digits = iou[1:]
    return {"pixel_accuracy": pixel_accuracy(predicted, truth),
            "mean_iou": mean_iou(predicted, truth, num_classes),
            "digit_mean_iou": float(np.nanmean(digits)) if np.isfinite(digits).any()
            else float("nan"),
            "object_iou": float(per_class_iou(predicted > 0, truth > 0, 2)[1]),
            "binary_mean_iou": mean_iou(predicted > 0, truth > 0, 2),
            "per_class_iou": [float(v) for v in iou]}


def composite_splits(data: str, options: dict, seed: int) -> tuple[dict, int]:
    """Train/dev/test composites from the data set's own train/dev/test items (no item
    is shared between the parts) and the number of mask classes."""
    unknown = set(options) - set(SEGMENTATION_OPTIONS)
    if unknown:
        raise ConfigError(f"config key 'data_options': {', '.join(sorted(unknown))} not "
                          f"known for segmentation; known: {', '.join(SEGMENTATION_OPTIONS)}")
    options = {**SEGMENTATION_OPTIONS, **options}
    scene = {key: options[key] for key in SCENE}
    scene["item_size"] = tuple(scene["item_size"])
    splits = load(data)
    sources = {"train": splits.train, "dev": splits.dev or splits.test, "test": splits.test}
    parts = {}
    for stream, (name, source) in enumerate(sources.items()):
        parts[name] = make_composites(source.x, source.y, int(options[f"{name}_count"]),
                                      splits.num_classes,
                                      rng=np.random.default_rng([seed, 20_000 + stream]),
                                      **scene)
    return parts, splits.num_classes + 1


def segmentation_run(config: TrainConfig, run_dir: Path | None = None, checkpoint=None, *,
                     quiet: bool = False, callbacks: tuple = ()) -> Path:
    """``ivanet train unet``: train on fixed composites, write the run folder."""
    from ivanet.training.dense_run import dense_run

    options = dict(config.data_options)
    background_weight = float(options.pop("background_weight",
                                          SEGMENTATION_OPTIONS["background_weight"]))
    parts, classes = composite_splits(config.data, options, config.seed)
    size = int(parts["train"].images.shape[-1])
    data = {name: (part.images, part.masks()) for name, part in parts.items()}
    return dense_run(config, run_dir, checkpoint, data, {"input_shape": [1, size, size],
                                            "num_classes": classes},
                     segmentation_loss(classes, background_weight),
                     segmentation_metrics(classes),
                     lambda model, run_dir: _finish(model, parts["test"], classes, run_dir),
                     task="segmentation", quiet=quiet, callbacks=callbacks)


def _finish(model, test: Composites, classes: int, run_dir: Path) -> dict:
    """Test metrics, examples.npz and the overlay picture (true above, predicted below)."""
    predicted, truth = predict_masks(model, test.images), test.masks()
    results = segmentation_scores(predicted, truth, classes)
    _write_examples(run_dir, test.images[:8], truth[:8], predicted[:8])
    return results


def _write_examples(out: Path, images, truth, predicted) -> None:
    """examples.npz (images, true and predicted masks) and overlays.png when reports exist."""
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "examples.npz", images=images, truth=truth, predicted=predicted)
    try:
        reports = importlib.import_module("ivanet.reports.segmentation")
    except ImportError:
        return
    reports.overlay_figure(images, truth, predicted, out / "overlays.png")


def train_unet(out: str | Path, data: str = "mnist", epochs: int = 10,
               train_count: int = 3000, test_count: int = 500, batch_size: int = 32,
               lr: float = 3e-3, width: int = 8, seed: int = 0, log=print) -> dict:
    """Hand-written loop: fresh scenes every epoch; writes results.json and examples.npz."""
    start, rng = time.time(), np.random.default_rng(seed)
    splits = load(data)
    classes = splits.num_classes + 1
    test = make_composites(splits.test.x, splits.test.y, test_count, splits.num_classes,
                           rng=np.random.default_rng([seed, 10_000]), **SCENE)
    size = SCENE["image_size"]
    model = create_model("unet", input_shape=(1, size, size), num_classes=classes,
                         width=width, rng=rng)
    loss_fn = segmentation_loss(classes)
    optimizer, steps, step = Adam(model.parameters(), lr=lr), epochs * (train_count //
                                                                         batch_size), 0
    for epoch in range(epochs):
        train = make_composites(splits.train.x, splits.train.y, train_count,
                                splits.num_classes, rng=np.random.default_rng([seed, epoch]),
                                **SCENE)
        masks, total = train.masks(), 0.0
        order = rng.permutation(train_count)
        model.train()
        for b in range(train_count // batch_size):
            index = order[b * batch_size:(b + 1) * batch_size]
            optimizer.param_groups[0]["lr"] = lr * 0.5 * (1 + np.cos(np.pi * step / steps))
            loss = loss_fn(model(Tensor(train.images[index])), masks[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, step = total + loss.item(), step + 1
        predicted = predict_masks(model, test.images)
        log(f"epoch {epoch + 1}/{epochs}  loss {total / (b + 1):.4f}  held-out mean IoU "
            f"{mean_iou(predicted, test.masks(), classes):.4f}  {time.time() - start:.0f} s")
    truth = test.masks()
    results = {"data": data, "epochs": epochs, "train_count": train_count,
               "test_count": test_count, "width": width,
               **segmentation_scores(predicted, truth, classes),
               "seconds": round(time.time() - start, 1)}
    Path(out).mkdir(parents=True, exist_ok=True)
    write_json(Path(out) / "results.json", results)
    _write_examples(Path(out), test.images[:8], truth[:8], predicted[:8])
    return results


def main() -> None:
    """``python -m ivanet.training.segmentation``: the lesson's quick loop (the run-folder
    path is ``ivanet train unet --config experiments/configs/unet-composites.toml``)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description="train the U-Net on the composites")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--train-count", type=int, default=3000)
    parser.add_argument("--width", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(train_unet(args.out, epochs=args.epochs, train_count=args.train_count,
                                width=args.width, log=lambda m: print(m, flush=True))))


if __name__ == "__main__":
    main()

"""Train the U-Net on the composites' exact masks; pixel accuracy and mean IoU held out.

Masks hold 0 for the background and class + 1 on each item's pixels (11 classes for
MNIST). The loss is pixel cross-entropy plus the Dice loss.

    python -m ivanet.training.segmentation --out runs/unet --epochs 10
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.composites import make_composites
from ivanet.data.registry import load
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.segmentation import (dice_loss, mean_iou, per_class_iou, pixel_accuracy,
                                 pixel_cross_entropy)

SCENE = dict(image_size=32, max_objects=2, item_size=(14, 26))


def predict_masks(model, images: np.ndarray, batch_size: int = 64) -> np.ndarray:
    """Class per pixel (N, H, W) by argmax of the logits."""
    model.eval()
    with no_grad():
        return np.concatenate([model(Tensor(images[i:i + batch_size])).data.argmax(axis=1)
                               for i in range(0, len(images), batch_size)])


def train_unet(out: str | Path, data: str = "mnist", epochs: int = 10,
               train_count: int = 3000, test_count: int = 500, batch_size: int = 32,
               lr: float = 3e-3, width: int = 8, seed: int = 0, log=print) -> dict:
    """Train (fresh scenes every epoch), evaluate, write results.json and examples.npz."""
    start, rng = time.time(), np.random.default_rng(seed)
    splits = load(data)
    classes = splits.num_classes + 1
    test = make_composites(splits.test.x, splits.test.y, test_count, splits.num_classes,
                           rng=np.random.default_rng([seed, 10_000]), **SCENE)
    size = SCENE["image_size"]
    model = create_model("unet", input_shape=(1, size, size), num_classes=classes,
                         width=width, rng=rng)
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
            logits = model(Tensor(train.images[index]))
            loss = pixel_cross_entropy(logits, masks[index]) + dice_loss(logits, masks[index])
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
               "pixel_accuracy": pixel_accuracy(predicted, truth),
               "mean_iou": mean_iou(predicted, truth, classes),
               "per_class_iou": [float(v) for v in per_class_iou(predicted, truth, classes)],
               "seconds": round(time.time() - start, 1)}
    _write(Path(out), results, test.images[:8], truth[:8], predicted[:8])
    return results


def _write(out: Path, results: dict, images, truth, predicted) -> None:
    """results.json, and examples.npz (images, true and predicted masks) for the overlays."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    np.savez(out / "examples.npz", images=images, truth=truth, predicted=predicted)


def main() -> None:
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

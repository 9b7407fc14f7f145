"""Train, save, load and run the YOLO-style detector on the MNIST / Fashion-MNIST composites.

A detector run folder holds ``detector.json`` (model options, anchors, image size, class
names, held-out mAP) and ``weights.safetensors`` (the model's state dict).

    python -m ivanet.training.detection --out runs/yolo --epochs 30
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.composites import Composites, make_composites, shift_composite
from ivanet.data.registry import load
from ivanet.detection import (activate, coco_map, decode, encode_batch, kmeans_anchors,
                              mean_average_precision, non_max_suppression, yolo_loss)
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.training.errors import RunFolderError


@dataclass
class Detector:
    """A trained detector: the model and what turns its raw output into boxes."""

    model: object
    anchors: np.ndarray
    image_size: tuple[int, int]
    class_names: tuple[str, ...]
    info: dict

    def detect(self, images: np.ndarray, score_threshold: float = 0.3,
               iou_threshold: float = 0.5, batch_size: int = 64) -> list[tuple]:
        """Per image of (N, 1, H, W) in [0, 1]: (boxes (K, 4), scores (K,), labels (K,))
        after per-class non-max suppression."""
        self.model.eval()
        size = tuple(images.shape[-2:])        # fully convolutional: any multiple of 8
        results = []
        for start in range(0, len(images), batch_size):
            with no_grad():
                raw = self.model(Tensor(images[start:start + batch_size])).data
            for y in activate(raw, self.anchors, size):
                boxes, scores, labels = decode(y, size, score_threshold)
                keep = non_max_suppression(boxes, scores, iou_threshold, score_threshold,
                                           labels)
                results.append((boxes[keep], scores[keep], labels[keep]))
        return results


def composites_for(data: str, count: int, part: str, seed: int, image_size: int = 64
                   ) -> tuple[Composites, tuple[str, ...]]:
    """``count`` composites of ``data``'s ``part`` ("train" or "test") items."""
    splits = load(data)
    items = getattr(splits, part)
    names = splits.class_names or tuple(str(k) for k in range(splits.num_classes))
    return (make_composites(items.x, items.y, count, splits.num_classes, image_size,
                            rng=np.random.default_rng(seed)), names)


def _augmented_batch(data: Composites, index: np.ndarray, rng: np.random.Generator):
    images, boxes, labels = [], [], []
    for i in index:
        image, _, b, c = shift_composite(data.images[i], data.instances[i], data.labels[i],
                                         8, rng)
        images.append(image), boxes.append(b), labels.append(c)
    return np.stack(images), boxes, labels


def evaluate_detector(detector: Detector, data: Composites) -> dict:
    """mAP@0.5, mAP@0.5:0.95 and per-class AP@0.5 on ``data``."""
    predictions = detector.detect(data.images, score_threshold=0.01)
    targets = list(zip(data.boxes, data.labels))
    value, per_class = mean_average_precision(predictions, targets, data.num_classes)
    return {"map50": value, "map50_95": coco_map(predictions, targets, data.num_classes),
            "ap50_per_class": [float(v) for v in per_class]}


def train_detector(out: str | Path, data: str = "mnist", epochs: int = 30,
                   train_count: int = 4000, test_count: int = 500, batch_size: int = 32,
                   lr: float = 2e-3, width: int = 12, num_anchors: int = 3, seed: int = 0,
                   log=print) -> Detector:
    """Train on composites of ``data``'s training items (new scenes every epoch), evaluate
    on held-out composites of its test items, save the run folder, return the detector."""
    start = time.time()
    train, names = composites_for(data, train_count, "train", seed)
    test, _ = composites_for(data, test_count, "test", seed + 1)
    size = train.images.shape[-2:]
    sizes = np.concatenate(train.boxes)[:, 2:] - np.concatenate(train.boxes)[:, :2]
    anchors = kmeans_anchors(sizes, num_anchors, rng=np.random.default_rng(seed))
    options = dict(input_shape=(1, *size), num_classes=train.num_classes,
                   num_anchors=num_anchors, width=width)
    model = create_model("yolo", rng=np.random.default_rng(seed), **options)
    detector = Detector(model, anchors, tuple(size), names, {"model_options": options})
    optimizer = Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed + 2)
    steps = epochs * (len(train) // batch_size)
    step = 0
    splits = load(data)
    for epoch in range(epochs):
        if epoch:          # fresh composites every epoch: new scenes from the same items
            train = make_composites(splits.train.x, splits.train.y, train_count,
                                    splits.num_classes, size[0],
                                    rng=np.random.default_rng([seed, epoch]))
        model.train()
        order, total = rng.permutation(len(train)), 0.0
        for b in range(len(train) // batch_size):
            images, boxes, labels = _augmented_batch(
                train, order[b * batch_size:(b + 1) * batch_size], rng)
            target = encode_batch(boxes, labels, tuple(size), size[0] // 8, anchors,
                                  train.num_classes, strict=False)
            optimizer.param_groups[0]["lr"] = lr * 0.5 * (1 + np.cos(np.pi * step / steps))
            loss = yolo_loss(model(Tensor(images)), target, anchors, tuple(size))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, step = total + loss.item(), step + 1
        log(f"epoch {epoch + 1}/{epochs}  loss {total / (b + 1):.4f}  "
            f"{time.time() - start:.0f} s")
        if (epoch + 1) % 5 == 0 or epoch + 1 == epochs:
            scores = evaluate_detector(detector, test)
            log(f"  held-out mAP@0.5 {scores['map50']:.4f}  "
                f"mAP@0.5:0.95 {scores['map50_95']:.4f}")
    detector.info.update(scores, data=data, epochs=epochs, train_count=train_count,
                         test_count=test_count, seconds=round(time.time() - start, 1),
                         seed=seed, lr=lr, batch_size=batch_size)
    save_detector(detector, out)
    return detector


def save_detector(detector: Detector, out: str | Path) -> Path:
    """Write ``detector.json`` and ``weights.safetensors`` into the folder ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: np.array(v, order="C") for k, v in detector.model.state_dict().items()},
              str(out / "weights.safetensors"))
    meta = dict(detector.info, anchors=detector.anchors.tolist(),
                image_size=list(detector.image_size), class_names=list(detector.class_names))
    (out / "detector.json").write_text(json.dumps(meta, indent=2))
    return out


def load_detector(run_dir: str | Path) -> Detector:
    """The detector saved in ``run_dir`` (a ``RunFolderError`` names what is missing)."""
    run_dir = Path(run_dir)
    meta_path, weights = run_dir / "detector.json", run_dir / "weights.safetensors"
    for path in (meta_path, weights):
        if not path.is_file():
            raise RunFolderError(f"{run_dir} is not a detector run: no {path.name} in it "
                                 f"(train one with python -m ivanet.training.detection)")
    meta = json.loads(meta_path.read_text())
    options = meta["model_options"]
    options["input_shape"] = tuple(options["input_shape"])
    model = create_model("yolo", **options)
    model.load_state_dict(load_file(str(weights)))
    model.eval()
    return Detector(model, np.array(meta["anchors"]), tuple(meta["image_size"]),
                    tuple(meta["class_names"]), meta)


def main() -> None:
    parser = argparse.ArgumentParser(description="train the YOLO-style detector")
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", default="mnist")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--train-count", type=int, default=4000)
    parser.add_argument("--width", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args()
    train_detector(args.out, args.data, args.epochs, args.train_count, width=args.width,
                   lr=args.lr, log=lambda m: print(m, flush=True))


if __name__ == "__main__":
    main()

"""Transfer learning on Fashion-MNIST: pretrain on classes 0–4, learn 5–9 from 50 images.

    python experiments/transfer.py                 # 3 seeds, writes runs/results/transfer.json
    python experiments/transfer.py --seeds 0 1 2 3 4 --pretrain-epochs 8

For each seed: LeNet-5 is pretrained on every training image of classes 0–4 (T-shirt,
trouser, pullover, dress, coat); then 10 training images of each of classes 5–9 (sandal,
shirt, sneaker, bag, ankle boot) are drawn, and four models learn those 50 images:

    scratch      a fresh LeNet-5, every weight trained
    head         pretrained, ``freeze`` everything, ``replace_head``: only the new fc layer
    classifier   pretrained, ``freeze(model, "features")``: the conv layers stay fixed
    all          pretrained, ``replace_head``, every weight fine-tuned

Each is scored on all test images of classes 5–9 (5,000). ``python experiments/
cnn_results.py`` puts the numbers into docs/results.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from ivanet import optim
from ivanet.data import load
from ivanet.data.augment import Compose, RandomCrop, RandomHorizontalFlip
from ivanet.models import create_model
from ivanet.models.transfer import freeze, load_weights, replace_head
from ivanet.training import evaluate, fit

SOURCE_CLASSES = (0, 1, 2, 3, 4)
TARGET_CLASSES = (5, 6, 7, 8, 9)
METHODS = ("scratch", "head", "classifier", "all")
OUTPUT = Path("runs/results/transfer.json")


def class_subset(x: np.ndarray, y: np.ndarray, classes) -> tuple[np.ndarray, np.ndarray]:
    """The examples of ``classes``, labels renumbered 0..len(classes)-1 in that order."""
    classes = np.asarray(classes)
    keep = np.isin(y, classes)
    relabel = np.full(int(max(y.max(), classes.max())) + 1, -1, dtype=np.int64)
    relabel[classes] = np.arange(len(classes))
    return x[keep], relabel[y[keep]]


def few_shot(y: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_class`` random examples of every label in ``y`` (sorted by label)."""
    chosen = []
    for label in np.unique(y):
        where = np.flatnonzero(y == label)
        if len(where) < per_class:
            raise ValueError(f"class {label} has {len(where)} examples, {per_class} asked for")
        chosen.append(rng.choice(where, size=per_class, replace=False))
    return np.concatenate(chosen)


def _augment() -> Compose:
    return Compose([RandomCrop(padding=2), RandomHorizontalFlip()])


def _train(model, x, y, *, epochs: int, lr: float, batch_size: int, seed: int) -> None:
    trainable = [p for p in model.parameters() if p.requires_grad]
    fit(model, (x, y), epochs=epochs, optimizer=optim.Adam(trainable, lr=lr),
        batch_size=batch_size, augment=_augment(), seed=seed, progress=False)


def pretrain(x: np.ndarray, y: np.ndarray, *, epochs: int, seed: int,
             input_shape=(1, 28, 28)):
    """LeNet-5 trained on (x, y) (labels 0..K-1) with Adam and shifts/flips."""
    classes = int(y.max()) + 1
    model = create_model("lenet5", input_shape=input_shape, num_classes=classes,
                         rng=np.random.default_rng(seed))
    _train(model, x, y, epochs=epochs, lr=2e-3, batch_size=128, seed=seed)
    return model


def adapt(method: str, pretrained, num_classes: int, seed: int, input_shape=(1, 28, 28)):
    """A new model for the target task: fresh (``scratch``) or a copy of ``pretrained``
    with a new head, frozen as ``method`` says (see the module docstring)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    rng = np.random.default_rng(seed + 10_000)
    model = create_model("lenet5", input_shape=input_shape, num_classes=num_classes, rng=rng)
    if method == "scratch":
        return model
    load_weights(model, pretrained.state_dict(), ignore=("classifier.4",))
    if method == "head":
        freeze(model)
    elif method == "classifier":
        freeze(model, "features")
    replace_head(model, num_classes, rng=rng)
    return model


def run_seed(splits, seed: int, *, shots: int, pretrain_epochs: int,
             finetune_epochs: int) -> dict:
    """One seed: pretrain, draw the few-shot set, train and score every method."""
    x_source, y_source = class_subset(splits.train.x, splits.train.y, SOURCE_CLASSES)
    x_target, y_target = class_subset(splits.train.x, splits.train.y, TARGET_CLASSES)
    x_test, y_test = class_subset(splits.test.x, splits.test.y, TARGET_CLASSES)
    source_test = class_subset(splits.test.x, splits.test.y, SOURCE_CLASSES)
    shape = tuple(splits.input_shape)
    started = time.perf_counter()
    pretrained = pretrain(x_source, y_source, epochs=pretrain_epochs, seed=seed,
                          input_shape=shape)
    result = {"seed": seed, "pretrain_examples": len(y_source),
              "pretrain_seconds": round(time.perf_counter() - started, 1),
              "pretrain_test_accuracy": evaluate(pretrained, source_test)["accuracy"],
              "accuracy": {}}
    picked = few_shot(y_target, shots, np.random.default_rng(seed))
    for method in METHODS:
        model = adapt(method, pretrained, len(TARGET_CLASSES), seed, shape)
        _train(model, x_target[picked], y_target[picked], epochs=finetune_epochs, lr=1e-3,
               batch_size=10, seed=seed)
        result["accuracy"][method] = evaluate(model, (x_test, y_test))["accuracy"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--shots", type=int, default=10, help="training images per class")
    parser.add_argument("--pretrain-epochs", type=int, default=5)
    parser.add_argument("--finetune-epochs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    splits = load("fashion-mnist")
    started = time.perf_counter()
    seeds = []
    for seed in args.seeds:
        seeds.append(run_seed(splits, seed, shots=args.shots,
                              pretrain_epochs=args.pretrain_epochs,
                              finetune_epochs=args.finetune_epochs))
        print(json.dumps(seeds[-1]), flush=True)
    given = sys.argv[1:] if argv is None else argv
    report = {"command": " ".join(["python experiments/transfer.py", *given]),
              "model": "lenet5", "data": "fashion-mnist", "shots": args.shots,
              "pretrain_epochs": args.pretrain_epochs, "finetune_epochs": args.finetune_epochs,
              "test_examples": int(np.isin(splits.test.y, TARGET_CLASSES).sum()),
              "wall_time_s": round(time.perf_counter() - started, 1), "seeds": seeds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

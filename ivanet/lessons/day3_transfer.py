"""Day 3, transfer learning vs training from scratch with 1 or 10 examples per class.

On two data sets in turn, LeNet-5 is pretrained on classes 0–4 (digits 0–4; Fashion-MNIST
T-shirt, trouser, pullover, dress, coat). The new task is classes 5–9 (digits 5–9;
sandal, shirt, sneaker, bag, ankle boot) with only 1 (then 10) training images each.
Four models learn those images the same way (Adam, the same number of steps): a fresh
LeNet-5 (scratch); the pretrained one frozen with a new head (``freeze`` +
``replace_head``: only the last layer learns); the pretrained one with its convolutional
layers frozen (``freeze(model, "features")``: the fully connected layers learn); and the
pretrained one with a new head, every weight fine-tuned. All are scored on the dev images
of classes 5–9.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models import create_model
from ivanet.models.transfer import freeze, load_weights, replace_head
from ivanet.reports.lessons_plots import plot_bars

DATASETS = ("mnist", "fashion-mnist")  # digits share strokes; tops and shoes share less
SOURCE, TARGET = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)
SHOTS = (1, 10)                       # training images per new class
MARGIN = 0.01                         # a "better" dev error is at least 1 point lower
METHODS = ("from scratch", "pretrained, new head only", "pretrained, conv layers frozen",
           "pretrained, all fine-tuned")


def subset(x: np.ndarray, y: np.ndarray, classes, per_class: int | None = None,
           rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Images of ``classes`` relabelled 0…k−1; ``per_class`` random ones of each if given."""
    chosen = []
    for label in classes:
        index = np.flatnonzero(y == label)
        chosen.append(index if per_class is None else rng.choice(index, per_class, False))
    index = np.sort(np.concatenate(chosen))
    return x[index], np.searchsorted(np.array(classes), y[index])


def trainable(model) -> list:
    """The parameters that still learn (``freeze`` turned the others off)."""
    return [p for p in model.parameters() if p.requires_grad]


def adapted(method: str, pretrained, seed: int):
    """A model for the target task: fresh, or the pretrained one with a new head."""
    rng = np.random.default_rng(seed + 1)
    model = create_model("lenet5", num_classes=len(TARGET), rng=rng)
    if method == METHODS[0]:
        return model
    load_weights(model, pretrained.state_dict(), ignore=("classifier.4",))
    if method == METHODS[1]:
        freeze(model)
    elif method == METHODS[2]:
        freeze(model, "features")
    replace_head(model, len(TARGET), rng=rng)
    return model


def experiment(name: str, size: str, seed: int) -> tuple[dict, list, dict]:
    """Pretrain on SOURCE, learn TARGET from few images: (source row, rows, errors)."""
    data = load(name)
    rng = np.random.default_rng(seed)
    count = pick(size, min(15000, len(data.train.x) // 2), 300)   # the rest: target pool
    x_source, y_source = subset(data.train.x[:count], data.train.y[:count], SOURCE)
    pretrained = create_model("lenet5", num_classes=len(SOURCE),
                              rng=np.random.default_rng(seed))
    train_epochs(pretrained, x_source, y_source, nn.CrossEntropyLoss(),
                 optim.Adam(pretrained.parameters(), lr=1e-3), pick(size, 3, 1), 64, seed)
    pretrained.eval()
    source = {"data": name, "pretraining images (classes 0–4)": len(x_source),
              "dev error (classes 0–4)": percent(error_rate(pretrained, *subset(
                  data.dev.x, data.dev.y, SOURCE)))}
    x_dev, y_dev = subset(data.dev.x, data.dev.y, TARGET)
    errors, rows = {}, []
    for shots in SHOTS:
        x_few, y_few = subset(data.train.x[count:], data.train.y[count:], TARGET, shots, rng)
        epochs = pick(size, 300, 10) // -(-len(x_few) // 10)    # 300 steps of batch 10
        for method in METHODS:
            model = adapted(method, pretrained, seed)
            train_epochs(model, x_few, y_few, nn.CrossEntropyLoss(),
                         optim.Adam(trainable(model), lr=1e-3), epochs, 10, seed)
            model.eval()
            errors[(shots, method)] = error_rate(model, x_dev, y_dev)
            rows.append({"data": name, "images per class": shots, "model": method,
                         "parameters trained": sum(p.size for p in trainable(model)),
                         "dev images": len(x_dev),
                         "dev error": percent(errors[(shots, method)])})
    return source, rows, errors


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    sources, rows, errors, findings = [], [], {}, []
    for name in DATASETS:
        source, new_rows, errors[name] = experiment(name, size, seed)
        sources.append(source)
        rows += new_rows
    names = ["scratch", "new head", "conv frozen", "fine-tuned"]
    plot_bars([(f"{name}, {shots} image(s) per class", names,
                100 * np.array([errors[name][(shots, m)] for m in METHODS]))
               for name in DATASETS for shots in SHOTS], folder / "transfer.png",
              title="dev error (%) on the five new classes 5–9")
    for name in DATASETS:
        for shots in SHOTS:
            scratch = errors[name][(shots, METHODS[0])]
            best = min(METHODS[1:], key=lambda m: errors[name][(shots, m)])
            findings.append(Finding(
                f"{name}, {shots} image(s) per class: a pretrained network beats training "
                "from scratch (by at least 1 point of dev error).",
                errors[name][(shots, best)] <= scratch - MARGIN,
                f"dev error {percent(scratch)} from scratch vs " + ", ".join(
                    f"{percent(errors[name][(shots, m)])} ({m})" for m in METHODS[1:])))
    return Outcome(
        tables=[Table("pretraining on classes 0–4", sources),
                Table("the new task: classes 5–9 from a few images each", rows)],
        figures=[("transfer.png", "Dev error on the five new classes after learning from "
                  "1 and from 10 images of each, on each data set.")],
        findings=findings,
        notes=["The two data sets differ in how much the source and the new task share: "
               "digits 0–4 and 5–9 are made of the same strokes; Fashion-MNIST's tops "
               "(T-shirt … coat) share few shapes with sandals, sneakers, bags and boots. "
               "Compare the two data sets' findings, and see docs/results.md for the "
               "3-seed, full-size "
               "Fashion-MNIST version (experiments/transfer.py)."])

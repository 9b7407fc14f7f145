"""Day 2, bias and variance: four real models, one in each column of the slide's table.

Task: MNIST "3 or 8?" (the bundled digits: 1,581 training images, and the dev and test
images of those two digits, 395, as the dev set). Human error on it is about 0. Each
model is a deliberate choice:

- high variance: a 128-unit network trained on only 40 images (memorises them);
- high bias: logistic regression on 4×4 thumbnails (too little information and capacity);
- both: the same thumbnail model trained on only 60 images;
- good fit: the 128-unit network with dropout, trained on all 1,581 images.

``diagnose(train_error, dev_error, human_error, dev_size=...)`` gives each verdict.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import nn, optim
from ivanet.data import load
from ivanet.lessons.common import error_rate, percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_bars
from ivanet.training import diagnose

HUMAN_ERROR = 0.0
# column the model is meant for: (description, hidden sizes, thumbnail pooling, images,
# epochs, learning rate, dropout)
MODELS = {
    "high variance": ("MLP 784-128-2 on 40 images", [128], 1, 40, 100, 1e-3, 0.0),
    "high bias": ("logistic regression on 4×4 thumbnails", [], 7, None, 30, 1e-2, 0.0),
    "high bias and high variance": ("logistic regression on 4×4 thumbnails, 60 images",
                                    [], 7, 60, 200, 1e-2, 0.0),
    "good fit": ("MLP 784-128-2, dropout 0.3, all images", [128], 1, None, 20, 1e-3, 0.3),
}


def threes_and_eights(*parts) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 28, 28) of 3s and 8s from the given splits; labels 1 for an 8."""
    x = np.concatenate([part.x[:, 0] for part in parts])
    y = np.concatenate([part.y for part in parts])
    keep = (y == 3) | (y == 8)
    return x[keep], (y[keep] == 8).astype(np.int64)


def thumbnails(images: np.ndarray, pool: int) -> np.ndarray:
    """Average ``pool``×``pool`` blocks, flattened: (N, 28, 28) → (N, (28/pool)²)."""
    n, side = len(images), 28 // pool
    return images.reshape(n, side, pool, side, pool).mean(axis=(2, 4)).reshape(n, -1)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("mnist")
    x, y = threes_and_eights(data.train)
    x_dev, y_dev = threes_and_eights(data.dev, data.test)
    rows, verdicts = [], {}
    for column, (description, hidden, pool, count, epochs, lr, dropout) in MODELS.items():
        inputs, dev_inputs = thumbnails(x, pool), thumbnails(x_dev, pool)
        count = count or len(x)
        model = nn.MLP([inputs.shape[1], *hidden, 2], dropout=dropout,
                       rng=np.random.default_rng(seed))
        train_epochs(model, inputs[:count], y[:count], nn.CrossEntropyLoss(),
                     optim.Adam(model.parameters(), lr=lr), pick(size, epochs, 2),
                     batch_size=32, seed=seed)
        train_error = error_rate(model, inputs[:count], y[:count])
        dev_error = error_rate(model, dev_inputs, y_dev)
        verdict = diagnose(train_error, dev_error, HUMAN_ERROR, dev_size=len(y_dev))
        verdicts[column] = verdict
        rows.append({"model": description, "meant for": column,
                     "train error": percent(train_error), "dev error": percent(dev_error),
                     "avoidable bias": percent(verdict.avoidable_bias),
                     "variance": percent(verdict.variance),
                     "tolerance": percent(verdict.tolerance), "diagnose() verdict":
                     verdict.verdict})
    plot_bars([(name, ["train", "dev"], np.array([v.train_error, v.dev_error]) * 100)
               for name, v in verdicts.items()], folder / "bias_variance.png",
              title="error (%) on the training and dev sets, one model per column",
              sharey=True)
    landed = [column for column, verdict in verdicts.items() if verdict.verdict == column]
    return Outcome(
        tables=[Table("MNIST 3 vs 8, human error ≈ 0: the slide's table from real runs", rows)],
        figures=[("bias_variance.png", "Train and dev error of each model (in %).")],
        findings=[Finding(f"A model lands in the column '{column}'.",
                          verdicts[column].verdict == column,
                          f"diagnose() says '{verdicts[column].verdict}'")
                  for column in MODELS],
        notes=[f"{len(landed)} of 4 models landed where they were meant to. A gap counts as "
               "high above the tolerance: 2 points, or two standard errors of the dev error "
               f"on {len(y_dev)} dev images when that is larger."])

"""Figure for docs/results.md: ResNet-8 on Fashion-MNIST with three augmentation recipes,
train (running, augmented) and dev accuracy per epoch, read from the run folders.

    python experiments/resnet_augment_figure.py    # → docs/images/resnet8-augmentation.png
"""
from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RUNS = {"resnet8-fashion": "flip (16 epochs)", "resnet8-fashion-shift": "shift + flip",
        "resnet8-fashion-erase": "shift + flip + erase"}
OUTPUT = Path("docs/images/resnet8-augmentation.png")


def main(root: Path = Path("runs/results")) -> None:
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for (name, label), colour in zip(RUNS.items(), ("C0", "C1", "C2")):
        with (root / name / "metrics.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        epochs = [int(row["epoch"]) for row in rows]
        for axis, key in zip(axes, ("train_accuracy", "dev_accuracy")):
            axis.plot(epochs, [float(row[key]) for row in rows], ".-", color=colour,
                      label=label)
    for axis, title in zip(axes, ("train (running, on augmented images)", "dev")):
        axis.set(title=title, xlabel="epoch", ylim=(0.85, 0.97))
        axis.grid(alpha=0.3)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("accuracy")
    axes[1].legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(OUTPUT, dpi=100)
    print(OUTPUT)


if __name__ == "__main__":
    main()

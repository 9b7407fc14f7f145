"""Figures for docs/results.md: ResNets on Fashion-MNIST, train (running, augmented) and dev
accuracy per epoch, read from the run folders (runs whose folder is missing are left out).

    python experiments/resnet_figures.py
    # → docs/images/resnet8-augmentation.png (ResNet-8, three augmentation recipes)
    # → docs/images/resnet-depth.png         (ResNet-8 against ResNet-20)
"""
from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

FIGURES = {
    Path("docs/images/resnet8-augmentation.png"): {
        "resnet8-fashion": "flip (16 epochs)", "resnet8-fashion-shift": "shift + flip",
        "resnet8-fashion-erase": "shift + flip + erase"},
    Path("docs/images/resnet-depth.png"): {
        "resnet8-fashion": "ResNet-8, 78k weights, 16 epochs",
        "resnet8-fashion-shift": "ResNet-8, shift + flip, 20 epochs",
        "resnet20-fashion": "ResNet-20, 272k weights, 13 epochs",
        "resnet20-fashion-lr01": "ResNet-20, lr 0.1 instead of 0.5, 13 epochs",
        "resnet20-fashion-20": "ResNet-20, 20 epochs"},
}


def figure(runs: dict[str, str], output: Path, root: Path) -> None:
    """One figure: train and dev accuracy per epoch of each run in ``runs``."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.6), sharey=True)
    for (name, label), colour in zip(runs.items(), ("C0", "C1", "C2", "C3", "C4")):
        path = root / name / "metrics.csv"
        if not path.is_file():
            continue
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        epochs = [int(row["epoch"]) for row in rows]
        for axis, key in zip(axes, ("train_accuracy", "dev_accuracy")):
            axis.plot(epochs, [float(row[key]) for row in rows], ".-", color=colour,
                      label=label)
    for axis, title in zip(axes, ("train (running, on augmented images)", "dev")):
        axis.set(title=title, xlabel="epoch", ylim=(0.85, 1.0))
        axis.grid(alpha=0.3)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("accuracy")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(3, len(labels)), fontsize=9)
    fig.tight_layout(rect=(0, 0.06 * -(-len(labels) // 3) + 0.02, 1, 1))
    fig.savefig(output, dpi=100)
    plt.close(fig)
    print(output)


def main(root: Path = Path("runs/results")) -> None:
    for output, runs in FIGURES.items():
        figure(runs, output, root)


if __name__ == "__main__":
    main()

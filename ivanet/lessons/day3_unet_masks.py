"""Day 3, U-Net masks: a small U-Net trained briefly on the composites' exact masks.

The composites are 32×32 images with up to two real MNIST digits pasted on a real texture;
each pixel's label is 0 (background) or the digit's class + 1. The library's trainer
(``ivanet.training.segmentation.train_unet``: ``create_model("unet")``, pixel
cross-entropy + Dice loss, Adam) learns on fresh scenes every epoch and is scored on
held-out scenes made from the test digits. The figure overlays true and predicted masks.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ivanet.data import load
from ivanet.data.composites import make_composites
from ivanet.lessons.common import percent
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_mask_rows
from ivanet.training.segmentation import SCENE, train_unet

TEST_COUNT = 500


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    # 600 steps at width 16: about 3 min of one core (width 8 for 190 steps stayed at
    # "all background", mean IoU ≈ 0.09)
    epochs, count, width = pick(size, 6, 1), pick(size, 3200, 64), pick(size, 16, 8)
    log: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        results = train_unet(scratch, "mnist", epochs=epochs, train_count=count,
                             test_count=pick(size, TEST_COUNT, 32), width=width, seed=seed,
                             log=log.append)
        with np.load(Path(scratch) / "examples.npz", allow_pickle=False) as examples:
            images, truth, predicted = (examples[k] for k in ("images", "truth", "predicted"))
    splits = load("mnist")                 # the trainer's held-out scenes, made again
    test = make_composites(splits.test.x, splits.test.y, results["test_count"],
                           splits.num_classes, rng=np.random.default_rng([seed, 10_000]),
                           **SCENE)
    background_share = float(np.mean(test.masks() == 0))
    plot_mask_rows(images[:, 0], [("true masks", truth), ("U-Net masks", predicted)],
                   folder / "masks.png")
    objects = results["object_iou"]      # digit (any class) vs background, all held-out scenes
    digit_iou = [v for v in results["per_class_iou"][1:] if np.isfinite(v)]
    rows = [{"epochs": epochs, "training scenes per epoch": count,
             "held-out scenes": results["test_count"],
             "pixel accuracy": percent(results["pixel_accuracy"]),
             "all-background accuracy": percent(background_share),
             "mean IoU (11 classes)": results["mean_iou"],
             "background IoU": results["per_class_iou"][0],
             "digit-pixel IoU (any class)": objects,
             "mean digit-class IoU": float(np.mean(digit_iou)) if digit_iou else float("nan")}]
    return Outcome(
        tables=[Table(f"U-Net (width {width}) on 32×32 composites", rows),
                Table("training log", [_log_row(line) for line in log])],
        figures=[("masks.png", "Eight held-out scenes: the image, the true masks, the U-Net's "
                  "masks (one colour per digit class).")],
        findings=[
            Finding("The U-Net does clearly better than calling every pixel background "
                    "(at least 1 point more pixel accuracy).",
                    results["pixel_accuracy"] >= background_share + 0.01,
                    f"pixel accuracy {percent(results['pixel_accuracy'])} vs "
                    f"{percent(background_share)} background pixels"),
            Finding("It finds where the digits are: IoU of its digit pixels (any class) with "
                    "the true ones ≥ 0.5 on the held-out scenes.", objects >= 0.5,
                    f"digit-pixel IoU {objects:.2f} on {results['test_count']} scenes"),
            Finding("It also names each digit: mean IoU over the ten digit classes ≥ 0.5.",
                    bool(digit_iou) and np.mean(digit_iou) >= 0.5,
                    f"mean digit-class IoU {np.mean(digit_iou) if digit_iou else 0:.2f}")],
        notes=[f"A short run ({epochs} epochs of {count} scenes) of the library's trainer. "
               "Compare the pixel accuracy with the share of background pixels: a model "
               "that calls everything background already scores that.",
               "Finding the digits comes first, naming them takes longer: the full run "
               "(`ivanet train unet --config experiments/configs/unet-composites.toml`, "
               "1,500 steps at width 16) reaches mean IoU 0.86 over the 11 classes."])


def _log_row(line: str) -> dict:
    """One training-log line as a row, its elapsed time in a column of its own."""
    text, _, elapsed = line.rpartition("  ")
    if not elapsed.endswith(" s"):
        return {"epoch": line}
    return {"epoch": text, "seconds": float(elapsed[:-2])}

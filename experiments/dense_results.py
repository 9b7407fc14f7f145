"""Detection, segmentation and one-shot results: pictures and the docs/results.md section.

    python -m ivanet.training.detection --out runs/results/yolo-mnist --epochs 16 --width 8 \
        --train-count 3000
    python -m ivanet.training.segmentation --out runs/results/unet-mnist --epochs 5 \
        --train-count 2000
    python -m ivanet.training.siamese --out runs/results/siamese-fashion --steps 300 \
        --width 8 --episodes 200
    python experiments/dense_results.py          # pictures + the section in docs/results.md

The section sits between two HTML comments and is replaced in place (or appended), so the
rest of the page, written by experiments/cnn_results.py, is left alone. Every number is
read from the run folders.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ivanet.data.composites import make_composites
from ivanet.data.registry import load
from ivanet.reports.detections import detection_grid, draw_detections
from ivanet.reports.segmentation import overlay_grid
from ivanet.training.detection import load_detector

START, END = "<!-- dense-results:start -->", "<!-- dense-results:end -->"


def detection_section(run: Path, images: Path) -> list[str]:
    if not (run / "detector.json").is_file():
        return ["YOLO: no run yet (see the commands at the top of "
                "`experiments/dense_results.py`)."]
    detector = load_detector(run)
    info = detector.info
    splits = load(info["data"])
    held_out = make_composites(splits.test.x, splits.test.y, 8, splits.num_classes,
                               rng=np.random.default_rng(12345))
    found = detector.detect(held_out.images)
    pictures = [draw_detections(image, boxes, labels, scores, detector.class_names)
                for image, (boxes, scores, labels) in zip(held_out.images, found)]
    images.mkdir(parents=True, exist_ok=True)
    detection_grid(pictures, columns=4).save(images / "yolo-detections.png")
    objects = sum(len(b) for b in held_out.boxes)
    return [
        f"`yolo` (TinyYolo, width {info['model_options']['width']}, "
        f"{info['model_options']['num_anchors']} k-means anchors "
        f"{np.round(detector.anchors).astype(int).tolist()} px, 8×8 grid) trained "
        f"{info['epochs']} epochs on {info['train_count']:,} new composites per epoch "
        f"(64×64, 0–3 {info['data']} training digits on brick/grass/gravel), evaluated on "
        f"{info['test_count']} held-out composites of the test digits:",
        "",
        "| mAP@0.5 | mAP@0.5:0.95 | training time |",
        "|---|---|---|",
        f"| {info['map50']:.3f} | {info['map50_95']:.3f} | {info['seconds'] / 60:.0f} min |",
        "",
        "AP@0.5 per class: " + ", ".join(
            f"{name}: {ap:.2f}" for name, ap in zip(detector.class_names,
                                                   info["ap50_per_class"])) + ". "
        f"Target mAP@0.5 ≥ 0.85: {'met' if info['map50'] >= 0.85 else 'not met yet'}.",
        "",
        "![detections on held-out composites](images/yolo-detections.png)",
        "",
        f"Eight more held-out composites ({objects} objects), boxes after per-class NMS "
        f"(score > 0.3, IoU 0.5).",
    ]


def segmentation_section(run: Path, images: Path) -> list[str]:
    results_file = run / "results.json"
    if not results_file.is_file():
        return ["U-Net: no run yet."]
    results = json.loads(results_file.read_text())
    images.mkdir(parents=True, exist_ok=True)
    with np.load(run / "examples.npz", allow_pickle=False) as examples:
        overlay_grid(examples["images"], examples["truth"], examples["predicted"],
                     images / "unet-overlays.png")
    return [
        f"`unet` (width {results['width']}) trained {results['epochs']} epochs on "
        f"{results['train_count']:,} new 32×32 composites per epoch (pixel cross-entropy "
        f"+ Dice, 11 classes: background + 10 digits), held out {results['test_count']}:",
        "",
        "| pixel accuracy | mean IoU | training time |",
        "|---|---|---|",
        f"| {results['pixel_accuracy']:.3f} | {results['mean_iou']:.3f} | "
        f"{results['seconds'] / 60:.0f} min |",
        "",
        "IoU per class (background first): "
        + ", ".join(f"{v:.2f}" for v in results["per_class_iou"]) + ". "
        f"Target mean IoU ≥ 0.85: {'met' if results['mean_iou'] >= 0.85 else 'not met yet'}.",
        "",
        "![true (top) and predicted (bottom) masks](images/unet-overlays.png)",
    ]


def oneshot_section(run: Path) -> list[str]:
    results_file = run / "results.json"
    if not results_file.is_file():
        return ["Siamese: no run yet."]
    r = json.loads(results_file.read_text())
    n = r["n_way"]
    return [
        f"`siamese` (width {r['width']}, unit-length 32-d embeddings) trained "
        f"{r['steps']} steps on batches of 6 classes × 16 images of {r['data']} classes "
        f"{r['seen']}: random triplets for the first {r['warmup']:.0%} of the steps, then "
        f"the batch-hard triplet loss (margin {r['margin']}); {r['seconds_train'] / 60:.0f} "
        f"min. Evaluated over {r['episodes']} episodes (5 queries per class) on the test "
        f"images of the {n} classes it never saw (chance {100 / n:.0f} %):",
        "",
        "| | siamese embedding | nearest neighbour on pixels |",
        "|---|---|---|",
        *(f"| {n}-way {k}-shot | {r[f'siamese_{n}way_{k}shot']:.3f} | "
          f"{r[f'pixels_{n}way_{k}shot']:.3f} |" for k in (1, 5)),
    ]


def section(root: Path, images: Path) -> str:
    """The markdown section; pictures go to ``images`` (next to the page)."""
    return "\n".join([START, "## Detection, segmentation and one-shot learning", "",
                      "### YOLO on MNIST composites", "",
                      *detection_section(root / "yolo-mnist", images), "",
                      "### U-Net on the composites' masks", "",
                      *segmentation_section(root / "unet-mnist", images), "",
                      "### One-shot learning with a Siamese network", "",
                      *oneshot_section(root / "siamese-fashion"), END])


def write(path: Path, text: str) -> None:
    """Replace the marked section of ``path`` with ``text`` (append it if absent)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in old and END in old:
        new = old[:old.index(START)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("runs/results"))
    parser.add_argument("--out", type=Path, default=Path("docs/results.md"))
    args = parser.parse_args()
    write(args.out, section(args.root, args.out.parent / "images"))


if __name__ == "__main__":
    main()

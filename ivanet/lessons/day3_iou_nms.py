"""Day 3, IoU and non-max suppression step by step on a detection composite.

The image is a detection composite (``ivanet.data.composites``): real MNIST digits pasted
onto a real CC0 texture, with exact boxes. The candidate boxes are NOT from a trained
detector (training one takes far longer than a lesson): they are seeded jittered copies
of the true boxes, scored ``p_c`` = 0.45 + 0.5·IoU(candidate, its true box) + noise, plus
a few random false boxes with low scores, the pattern a detector's grid cells produce.
NMS then runs as on the slide: drop p_c ≤ 0.6; repeat { keep the highest-scoring box,
discard every remaining box with IoU ≥ 0.5 against it }. Each step is a figure panel,
and the result is checked against ``ivanet.detection.non_max_suppression``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.data import load
from ivanet.data.composites import make_composites
from ivanet.detection.iou import pairwise_iou
from ivanet.detection.nms import non_max_suppression
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_box_panels

SCORE_THRESHOLD, IOU_THRESHOLD = 0.6, 0.5
JITTER = 0.1         # spread of the simulated boxes, relative to the object's size


def composite(seed: int):
    """The first seeded composite holding three digits: (image (H, W), true boxes (3, 4))."""
    data = load("mnist").train
    rng = np.random.default_rng(seed)
    while True:
        made = make_composites(data.x[:500], data.y[:500], 8, 10, image_size=96,
                               max_objects=3, item_size=(24, 36), rng=rng)
        for image, boxes in zip(made.images, made.boxes):
            if len(boxes) == 3:
                return image[0], boxes


def candidates(truth: np.ndarray, per_object: int, false_boxes: int, side: int, rng):
    """Jittered copies of each true box and random false boxes: (boxes (N, 4), scores)."""
    boxes, scores = [], []
    for box in truth:
        width, height = box[2] - box[0], box[3] - box[1]
        for _ in range(per_object):
            centre = (box[:2] + box[2:]) / 2 + rng.normal(0, JITTER, 2) * (width, height)
            half = np.array([width, height]) / 2 * np.exp(rng.normal(0, JITTER, 2))
            jittered = np.clip(np.concatenate([centre - half, centre + half]), 0, side)
            boxes.append(jittered)
            overlap = pairwise_iou(jittered[None], box[None])[0, 0]
            scores.append(np.clip(0.45 + 0.5 * overlap + rng.normal(0, 0.03), 0, 1))
    for _ in range(false_boxes):
        corner = rng.uniform(0, side - 20, 2)
        boxes.append(np.concatenate([corner, corner + rng.uniform(12, 20, 2)]))
        scores.append(rng.uniform(0.2, 0.7))
    return np.array(boxes, np.float32), np.array(scores, np.float32)


def nms_steps(boxes: np.ndarray, scores: np.ndarray) -> list[tuple[int, list[int]]]:
    """The slide's loop, written out: [(kept index, indices it suppressed), ...]."""
    remaining = [int(i) for i in np.argsort(-scores, kind="stable")
                 if scores[i] > SCORE_THRESHOLD]
    steps = []
    while remaining:
        best, rest = remaining[0], remaining[1:]
        overlaps = pairwise_iou(boxes[[best]], boxes[rest])[0] if rest else np.zeros(0)
        steps.append((best, [i for i, o in zip(rest, overlaps) if o >= IOU_THRESHOLD]))
        remaining = [i for i, o in zip(rest, overlaps) if o < IOU_THRESHOLD]
    return steps


def panels_for(boxes, scores, steps, truth) -> list[dict]:
    """One panel for the candidates, one per NMS step, one for the result vs the truth."""
    above = [i for i in range(len(boxes)) if scores[i] > SCORE_THRESHOLD]
    panels = [{"title": f"{len(boxes)} candidates ({len(above)} with p_c > 0.6)",
               "boxes": [(boxes[i], "yellow" if i in above else "grey",
                          "-" if i in above else ":", "") for i in range(len(boxes))]}]
    kept, gone = [], []
    for number, (best, suppressed) in enumerate(steps, start=1):
        gone += suppressed
        left = [i for i in above if i not in kept and i not in gone and i != best]
        panels.append({"title": f"step {number}: keep {scores[best]:.2f}, "
                                f"drop {len(suppressed)}",
                       "boxes": [(boxes[i], "yellow", "-", "") for i in left]
                       + [(boxes[i], "red", ":", "") for i in suppressed]
                       + [(boxes[i], "lime", "-", "") for i in kept]
                       + [(boxes[best], "cyan", "-", f"{scores[best]:.2f}")]})
        kept.append(best)
    panels.append({"title": "kept (green) vs truth (magenta)",
                   "boxes": [(box, "magenta", "--", "") for box in truth]
                   + [(boxes[i], "lime", "-", f"{scores[i]:.2f}") for i in kept]})
    return panels


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    rng = np.random.default_rng(seed)
    image, truth = composite(seed)
    boxes, scores = candidates(truth, pick(size, 6, 3), pick(size, 4, 2), image.shape[0], rng)
    steps = nms_steps(boxes, scores)
    kept = np.array([best for best, _ in steps])
    library = non_max_suppression(boxes, scores, IOU_THRESHOLD, SCORE_THRESHOLD)
    plot_box_panels(image, panels_for(boxes, scores, steps, truth), folder / "nms_steps.png",
                    columns=min(4, len(steps) + 2))
    truth_iou = pairwise_iou(boxes, truth)                    # (N, 3)
    rows = [{"box": int(i), "p_c": float(scores[i]), "IoU with its best true box":
             float(truth_iou[i].max()), "true box": int(truth_iou[i].argmax())
             if truth_iou[i].max() > 0 else "none",
             "NMS": "kept" if i in kept else ("suppressed" if scores[i] > SCORE_THRESHOLD
                                              else "below 0.6")}
            for i in np.argsort(-scores, kind="stable")]
    step_rows = [{"step": n, "kept box": best, "p_c": float(scores[best]),
                  "suppressed (IoU with the kept box)": ", ".join(
                      f"{i} ({pairwise_iou(boxes[[best]], boxes[[i]])[0, 0]:.2f})"
                      for i in dropped) or "none"} for n, (best, dropped) in
                 enumerate(steps, start=1)]
    among = pairwise_iou(boxes[kept], boxes[kept])[np.triu_indices(len(kept), 1)]
    matched = pairwise_iou(boxes[kept], truth).max(axis=0)    # best kept box per true box
    return Outcome(
        tables=[Table("NMS step by step", step_rows),
                Table("every candidate", rows)],
        figures=[("nms_steps.png", "The candidates (yellow: p_c > 0.6, grey dotted: "
                  "dropped by the score threshold), then each step: the kept box (cyan, "
                  "with p_c), the boxes it suppresses (red dotted), the boxes already kept "
                  "(green); last, the result over the true boxes (magenta dashed).")],
        findings=[
            Finding("The step-by-step loop and the library's non_max_suppression agree.",
                    np.array_equal(np.sort(kept), np.sort(library)),
                    f"kept {sorted(kept.tolist())} vs {sorted(library.tolist())}"),
            Finding("No two kept boxes overlap with IoU ≥ 0.5.",
                    among.size == 0 or among.max() < IOU_THRESHOLD,
                    f"largest IoU between kept boxes {among.max() if among.size else 0:.2f}"),
            Finding("NMS leaves one box per object: as many kept boxes as digits, each digit "
                    "matched with IoU ≥ 0.5.", len(kept) == len(truth) and
                    matched.min() >= IOU_THRESHOLD,
                    f"{len(kept)} kept for {len(truth)} digits; IoU with the truth "
                    + ", ".join(f"{v:.2f}" for v in matched))],
        notes=["The candidates are simulated (jittered true boxes with IoU-based scores), "
               f"not the output of a trained detector (centre and size jittered by "
               f"{JITTER:.0%} of the object's size); see `ivanet.training.detection` for "
               "a trained tiny YOLO."])

"""Make a fake run folder with the files training writes (docs/run-folder.md)."""
import csv
import json
from pathlib import Path

import numpy as np

CLASS_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def bar_images(labels: np.ndarray, rng: np.random.Generator, side: int = 16) -> np.ndarray:
    """(N, 1, side, side) noisy images: class k is a bright vertical bar at column k + 3."""
    images = rng.normal(0.0, 0.3, (len(labels), 1, side, side))
    for index, label in enumerate(labels):
        images[index, 0, 2:-2, label + 3] += 2.0
    return images.astype(np.float32)


def make_run_folder(run_dir: Path, rng: np.random.Generator, epochs: int = 12,
                    with_results: bool = True) -> Path:
    """Write config.json, metrics.csv/jsonl, results.json and predictions.npz."""
    run_dir.mkdir(parents=True, exist_ok=True)
    config = {"model": "mlp", "model_options": {"hidden": [64, 32]}, "data": "digits",
              "epochs": epochs, "batch_size": 32, "lr": 0.01, "optimizer": "adam", "seed": 0}
    (run_dir / "config.json").write_text(json.dumps(config))
    t = np.arange(1, epochs + 1)
    rows = [{"epoch": int(e), "train_loss": float(2.0 * np.exp(-e / 3) + 0.05),
             "train_accuracy": float(1 - 0.9 * np.exp(-e / 3)),
             "dev_loss": float(2.0 * np.exp(-e / 3) + 0.02 * e + 0.1),
             "dev_accuracy": float(0.95 - 0.85 * np.exp(-e / 3) - 0.004 * e),
             "lr": float(0.01 * 0.5 ** (e // 4)), "seconds": 1.5} for e in t]
    with (run_dir / "metrics.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (run_dir / "metrics.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    y_true = rng.integers(0, 10, 300)
    y_pred = np.where(rng.random(300) < 0.85, y_true, rng.integers(0, 10, 300))
    np.savez(run_dir / "predictions.npz", y_true=y_true, y_pred=y_pred,
             probabilities=rng.dirichlet(np.ones(10), 300).astype(np.float32),
             sample_inputs=bar_images(y_true[:64], rng), sample_true=y_true[:64],
             sample_pred=y_pred[:64], class_names=np.array(CLASS_NAMES))
    if with_results:
        results = {"metrics": {"train": {"loss": 0.11, "accuracy": 0.97},
                               "dev": {"loss": 0.41, "accuracy": 0.86},
                               "test": {"loss": 0.45,
                                        "accuracy": float(np.mean(y_true == y_pred))}},
                   "errors": {"train": 0.03, "dev": 0.14, "test": 0.15},
                   "diagnosis": {"verdict": "high variance", "train_error": 0.03,
                                 "dev_error": 0.14, "human_error": 0.01,
                                 "remedies": ["more data", "regularization (L2, dropout)",
                                              "data augmentation"]},
                   "wall_time_s": 18.2, "parameters": 6922, "status": "finished"}
        (run_dir / "results.json").write_text(json.dumps(results))
    return run_dir

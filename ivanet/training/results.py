"""The end of a run: final metrics on train/dev/test, the bias/variance diagnosis, test
predictions, and the summary printed for the user."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.training.callbacks.progress import format_logs
from ivanet.training.diagnosis import diagnose
from ivanet.training.fit import evaluate, predict
from ivanet.training.folder import write_json, write_predictions
from ivanet.training.metrics import labels_from_outputs

SAMPLES = 64  # test items kept for the report's prediction grid


def split_error(task: str, metrics: dict) -> float | None:
    """The error rate a diagnosis compares: 1 − accuracy (classification), or 1 − R², the
    fraction of the target's variance left unexplained (regression), floored at 0; None
    for a language model (its loss in nats per token is the measure)."""
    if task == "language_model":
        return None
    if task == "tagging":
        return 1.0 - metrics["token_accuracy"]
    if task == "classification":
        return 1.0 - metrics["accuracy"]
    return max(0.0, 1.0 - metrics["r2"])


def final_results(parts, history, stopper=None, human_error: float | None = None
                  ) -> tuple[dict, dict]:
    """(results.json content, predictions.npz arrays) for the trained ``parts.model``."""
    task, splits = parts.splits.task, parts.splits
    train_eval = parts.train
    if parts.augment is not None:  # evaluate the un-augmented, standardised training set
        train_eval = (parts.standardized(splits.train.x), splits.train.y)
    named = {"train": train_eval, "dev": parts.dev, "test": parts.test}
    metrics = {name: evaluate(parts.model, data, parts.loss, parts.metrics)
               for name, data in named.items() if data is not None}
    errors = {name: split_error(task, values) for name, values in metrics.items()}
    diagnosis = None
    if "dev" in errors and errors["dev"] is not None:
        diagnosis = diagnose(errors["train"], errors["dev"], human_error,
                             dev_size=len(parts.dev)).to_dict()
    restored = stopper is not None and stopper.best_weights is not None
    results = {
        "status": "stopped early" if stopper is not None and stopper.stopped_epoch >= 0
        else "finished",
        "metrics": metrics, "errors": errors, "diagnosis": diagnosis,
        "epochs_trained": len(history), "weights": "best" if restored else "last",
        "best_epoch": stopper.monitor.best_epoch + 1 if restored else None,
        "parameters": int(parts.model.num_parameters()),
        "training_seconds": float(sum(row.get("seconds", 0.0) for row in history.rows)),
    }
    return results, _predictions(parts)


def _predictions(parts) -> dict[str, np.ndarray]:
    splits = parts.splits
    outputs = predict(parts.model, parts.test.x)
    arrays = {"y_true": splits.test.y}
    if splits.task in ("language_model", "tagging"):  # (N, K, T) → the best token per step
        arrays["y_pred"] = outputs.argmax(axis=1)
    elif splits.task == "classification":
        arrays["y_pred"] = labels_from_outputs(outputs)
        arrays["probabilities"] = probabilities(outputs)
        names = splits.class_names or tuple(str(k) for k in range(splits.num_classes))
        arrays["class_names"] = np.array(names, dtype=np.str_)
    else:
        arrays["y_pred"] = outputs
    chosen = (sample_indices(arrays["y_true"], arrays["y_pred"], SAMPLES)
              if splits.task == "classification" else np.arange(min(SAMPLES, len(outputs))))
    arrays["sample_index"] = chosen
    arrays["sample_inputs"] = splits.test.x[chosen]
    arrays["sample_true"] = arrays["y_true"][chosen]
    arrays["sample_pred"] = arrays["y_pred"][chosen]
    return arrays


def sample_indices(y_true: np.ndarray, y_pred: np.ndarray, count: int) -> np.ndarray:
    """Test items for the prediction grid: the first mistakes (up to half of ``count``),
    then the first right answers, each group in test order."""
    wrong = np.flatnonzero(y_true != y_pred)[:count // 2]
    right = np.flatnonzero(y_true == y_pred)[:count - len(wrong)]
    return np.concatenate([wrong, right])


def probabilities(outputs: np.ndarray) -> np.ndarray:
    """Class probabilities from logits: softmax of (N, K), or [1 − σ(z), σ(z)] of (N, 1).

    Shape: (N, K) → (N, K); (N, 1) → (N, 2).
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 2 and outputs.shape[1] == 1:
        positive = 1.0 / (1.0 + np.exp(-outputs[:, 0]))
        return np.stack([1.0 - positive, positive], axis=1).astype(np.float32)
    shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)


def write_outputs(run_dir: Path, results: dict, predictions: dict) -> None:
    write_predictions(run_dir, predictions)
    write_json(Path(run_dir) / "results.json", results)


def print_summary(run_dir: Path, results: dict) -> None:
    """The test metrics, the diagnosis and where everything is."""
    for split in ("train", "dev", "test"):
        if split in results["metrics"]:
            values = {f"{k}": v for k, v in results["metrics"][split].items()}
            print(f"{split:>5}: {format_logs(values)}")
    diagnosis = results.get("diagnosis")
    if diagnosis:
        print(f"diagnosis: {diagnosis['verdict']} (train error {diagnosis['train_error']:.2%}, "
              f"dev error {diagnosis['dev_error']:.2%}, human error "
              f"{diagnosis['human_error']:.2%})")
        for remedy in diagnosis["remedies"]:
            print(f"  try: {remedy}")
    print(f"{results['status']} after {results['epochs_trained']} epochs "
          f"({results['wall_time_s']:.1f} s); run folder: {run_dir}")

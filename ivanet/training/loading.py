"""Use a finished run folder: ``load_run``, ``evaluate_run``, ``predict_run``."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ivanet.data.dataset import DataError
from ivanet.data.preprocessing import Standardizer
from ivanet.data.registry import load
from ivanet.training.checkpoint import Checkpoint, load_checkpoint, restore_model
from ivanet.training.config import TrainConfig
from ivanet.training.errors import RunFolderError
from ivanet.training.fit import evaluate, predict
from ivanet.training.folder import checkpoint_path, read_json
from ivanet.training.metrics import labels_from_outputs
from ivanet.training.resolve import compute_metrics, resolve_metrics
from ivanet.training.results import probabilities, split_error
from ivanet.training.setup import build_model


class LoadedRun(NamedTuple):
    """A trained model with what it needs to be used: its configuration, the training-set
    standardisation, and ``data`` (task, class_names, input_shape, loss, metrics)."""

    model: object
    config: TrainConfig
    standardizer: Standardizer | None
    data: dict
    checkpoint: Checkpoint


def load_run(run_dir: str | os.PathLike, which: str = "auto") -> LoadedRun:
    """The model of a run folder in evaluation mode.

    ``which``: "last", "best", or "auto" — the weights ``results.json`` was computed with
    (the best epoch's after early stopping), else best if saved, else last.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"run folder {str(run_dir)!r} does not exist")
    config = TrainConfig.from_dict(read_json(run_dir / "config.json", "run configuration"))
    if which == "auto":
        which = _default_weights(run_dir)
    if which not in ("last", "best"):
        raise ValueError(f"which must be 'auto', 'last' or 'best', got {which!r}")
    checkpoint = load_checkpoint(checkpoint_path(run_dir, which), model_name=config.model)
    model = build_model(checkpoint.model_name, checkpoint.model_config)
    restore_model(model, checkpoint)
    model.eval()
    standardizer = Standardizer.from_state(checkpoint.norm) if checkpoint.norm else None
    return LoadedRun(model, config, standardizer, checkpoint.data, checkpoint)


def _default_weights(run_dir: Path) -> str:
    results = run_dir / "results.json"
    if results.is_file():
        weights = read_json(results, "results").get("weights")
        if weights in ("last", "best"):
            return weights
    return "best" if checkpoint_path(run_dir, "best").is_file() else "last"


TTA = ("none", "flip")


def evaluate_run(run_dir: str | os.PathLike, data: str | os.PathLike | None = None,
                 split: str = "test", batch_size: int = 256, tta: str = "none"
                 ) -> dict[str, float]:
    """Loss, metrics and error of a run's model on ``split`` of ``data`` (default: the
    run's own data set).

    ``tta="flip"`` (test-time augmentation, image classifiers): each image's class
    probabilities are the mean of the model's for the image and its left-right mirror; the
    loss is the negative log of that mean at the true class.
    """
    if tta not in TTA:
        raise ValueError(f"tta must be one of {', '.join(TTA)}, got {tta!r}")
    run = load_run(run_dir)
    splits = load(data if data is not None else run.config.data,
                  **({} if data is not None else run.config.data_options))
    part = splits.parts().get(split)
    if part is None:
        raise DataError(f"data set {splits.name!r} has no {split!r} split; it has "
                        f"{', '.join(splits.parts())}")
    x = _prepare_inputs(run, part.x)
    metrics = run.data.get("metrics", ("accuracy",))
    if tta == "flip":
        log_p = _flip_averaged_log_probabilities(run, x, batch_size)
        y = np.asarray(part.y)
        results = {"loss": float(-log_p[np.arange(len(y)), y].mean()),
                   **compute_metrics(resolve_metrics(metrics), y, log_p)}
    else:
        results = evaluate(run.model, (x, part.y), run.data.get("loss", "cross_entropy"),
                           metrics, batch_size)
    results["error"] = split_error(run.data.get("task", "classification"), results)
    return results


def _flip_averaged_log_probabilities(run: LoadedRun, x: np.ndarray, batch_size: int):
    """log of the mean class probabilities of x and x mirrored left-right (N, K)."""
    if run.data.get("task", "classification") != "classification" or x.ndim != 4:
        raise DataError(f"--tta flip needs an image classifier with (N, C, H, W) inputs; "
                        f"this run's task is {run.data.get('task')!r} with inputs of shape "
                        f"{x.shape[1:]}")
    mean = (probabilities(predict(run.model, x, batch_size))
            + probabilities(predict(run.model, np.ascontiguousarray(x[..., ::-1]),
                                    batch_size))) / 2
    return np.log(np.maximum(mean, np.finfo(np.float32).tiny)).astype(np.float32)


@dataclass
class Prediction:
    """What a model says about some inputs: raw ``outputs``; for classification the
    ``labels``, their ``names`` and ``probabilities`` (N, K)."""

    outputs: np.ndarray
    labels: np.ndarray | None = None
    names: list[str] | None = None
    probabilities: np.ndarray | None = None


def predict_run(run_dir: str | os.PathLike, inputs: np.ndarray,
                batch_size: int = 256) -> Prediction:
    """Predictions of a run's model for ``inputs``: one example (shape ``input_shape``)
    or a batch (N, *input_shape); uint8 images are scaled to [0, 1] first."""
    run = load_run(run_dir)
    x = _prepare_inputs(run, inputs)
    outputs = predict(run.model, x, batch_size)
    if run.data.get("task", "classification") != "classification":
        return Prediction(outputs)
    labels = labels_from_outputs(outputs)
    class_names = run.data.get("class_names") or [str(k) for k in range(outputs.shape[1])]
    return Prediction(outputs, labels, [class_names[k] for k in labels], probabilities(outputs))


def _prepare_inputs(run: LoadedRun, inputs) -> np.ndarray:
    """(N, *input_shape) float32, standardised like the training data, or ``DataError``."""
    x = np.asarray(inputs)
    if run.data.get("token_ids") or run.data.get("task") in ("language_model", "tagging"):
        # text: integer ids (N, T), any length T; word-feature models (N, T, F)
        features = tuple(run.data.get("input_shape") or ())[1:]
        one = "(T" + "".join(f", {f}" for f in features) + ")"
        if (not np.issubdtype(x.dtype, np.integer)
                or x.ndim not in (1 + len(features), 2 + len(features))
                or (features and x.shape[x.ndim - len(features):] != features)):
            raise DataError(f"a text model expects token ids, {one} or (N, {one[1:]} "
                            f"integers; got {x.dtype} of shape {x.shape}")
        return x[None] if x.ndim == 1 + len(features) else x
    shape = tuple(run.data.get("input_shape") or x.shape[1:])
    if x.dtype == np.uint8:
        x = x.astype(np.float32) / np.float32(255)
    if not np.issubdtype(x.dtype, np.number):
        raise DataError(f"inputs must be numbers, got dtype {x.dtype}")
    if x.shape == shape or (len(shape) == 3 and shape[0] == 1 and x.shape == shape[1:]):
        x = x.reshape((1, *shape))  # one example
    elif len(shape) == 3 and shape[0] == 1 and x.shape[1:] == shape[1:]:
        x = x[:, None]  # (N, H, W) → (N, 1, H, W)
    if x.shape[1:] != shape:
        raise DataError(f"the model expects inputs of shape {shape} (or a batch of them), "
                        f"got {x.shape}")
    x = x.astype(np.float32, copy=False)
    if not np.isfinite(x).all():
        raise DataError("inputs contain NaN or infinite values")
    return x if run.standardizer is None else run.standardizer.transform(x)

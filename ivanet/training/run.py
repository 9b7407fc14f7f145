"""``train_run``: one complete training run into a run folder — what ``ivanet train`` calls.

Loads the data, standardises it with training-set statistics, builds model, optimizer and
schedule from a ``TrainConfig``, trains with progress, logs and checkpoints, then writes
final metrics, the bias/variance diagnosis and test predictions (docs/run-folder.md).
``resume=<run folder>`` continues that run from ``checkpoints/last.safetensors``, ending
with exactly the weights an uninterrupted run would have.
"""
from __future__ import annotations

import importlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ivanet.data.augment import Compose
from ivanet.data.dataset import ArrayDataset, DataSplits
from ivanet.data.preprocessing import Standardizer
from ivanet.training import setup
from ivanet.training.callbacks import (Callback, CSVLogger, EarlyStopping, JSONLinesLogger,
                                       LRSchedulerCallback, ModelCheckpoint)
from ivanet.training.checkpoint import Checkpoint, load_checkpoint
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError, RunFolderError, TrainingError
from ivanet.training.fit import fit, predict
from ivanet.training.folder import (VOCABULARY, checkpoint_path, create_run_folder, read_json,
                                   write_json)
from ivanet.training.results import final_results, print_summary, write_outputs

SLEEP_ENV = "IVANET_TEST_SLEEP_PER_STEP"  # tests only: slow each step to kill a run mid-epoch
_RESUMABLE = ("epochs", "progress", "report")  # keys a resume may change
# Models whose task has a training loop of its own: model name → "module:function", called
# as function(config, run_dir, checkpoint, quiet=, callbacks=) → run folder (run_dir and
# checkpoint are None for a new run, the resumed run's otherwise).
TASK_RUNS = {"yolo": "ivanet.training.detection:train_task",
             "siamese": "ivanet.training.siamese:train_task",
             "unet": "ivanet.training.segmentation:segmentation_run",
             "conv_autoencoder": "ivanet.training.autoencoder:autoencoder_run",
             "skipgram": "ivanet.training.skipgram:train_task"}


@dataclass
class RunParts:
    """Everything built from the config and the data before training starts."""

    splits: DataSplits
    model: object
    model_config: dict
    standardizer: Standardizer | None
    optimizer: object
    schedule: object
    loss: str
    metrics: tuple[str, ...]
    augment: object
    train: object
    dev: ArrayDataset | None
    test: ArrayDataset

    def standardized(self, x):
        return x if self.standardizer is None else self.standardizer.transform(x)


def train_run(config: TrainConfig | None = None, resume: str | os.PathLike | None = None, *,
              quiet: bool = False, callbacks: tuple[Callback, ...] = ()) -> Path:
    """Train as ``config`` says (default: ``TrainConfig()``) and return the run folder.

    ``resume``: a run folder whose training continues from its last checkpoint, with its
    own ``config.json`` (``config`` may only change epochs, progress and report).
    """
    started, checkpoint = time.perf_counter(), None
    if resume is not None:
        run_dir, config, checkpoint = _resume_target(Path(resume), config)
    config = config if config is not None else TrainConfig()
    task_run = _task_run(config.model)
    if task_run is not None:
        return task_run(config, run_dir if resume is not None else None, checkpoint,
                        quiet=quiet, callbacks=callbacks)
    parts = build_parts(config, checkpoint)
    if resume is None:
        run_dir = create_run_folder(config)
        write_json(run_dir / "config.json", config.to_dict())
        if parts.splits.vocabulary is not None:  # text data: what generation decodes with
            write_json(run_dir / VOCABULARY, parts.splits.vocabulary)
    callbacks = [*_run_callbacks(config, parts, run_dir), *callbacks]
    try:
        history = fit(parts.model, parts.train, parts.dev, epochs=config.epochs,
                      optimizer=parts.optimizer, loss=parts.loss, metrics=parts.metrics,
                      callbacks=callbacks, batch_size=config.batch_size,
                      augment=parts.augment, seed=config.seed, progress=config.progress,
                      clip_grad_norm=config.clip_grad_norm, resume_from=checkpoint,
                      info=_checkpoint_info(config, parts))
    except TrainingError as error:
        write_json(run_dir / "results.json", {"status": "diverged", "error": str(error)})
        raise
    stopper = next((cb for cb in callbacks if isinstance(cb, EarlyStopping)), None)
    results, predictions = final_results(parts, history, stopper, config.human_error)
    results["wall_time_s"] = time.perf_counter() - started
    write_outputs(run_dir, results, predictions)
    if not quiet:
        print_summary(run_dir, results)
    if config.report:
        _write_report(run_dir)
    return run_dir


def _task_run(model: str):
    """The training loop ``TASK_RUNS`` names for ``model``, or None (classification & co.)."""
    if model not in TASK_RUNS:
        return None
    module, function = TASK_RUNS[model].split(":")
    return getattr(importlib.import_module(module), function)


def build_parts(config: TrainConfig, checkpoint: Checkpoint | None = None) -> RunParts:
    """Data, standardizer, model, optimizer, schedule, loss, metrics and augmentation."""
    splits = setup.load_data(config)
    if checkpoint is not None and checkpoint.norm:
        standardizer = Standardizer.from_state(checkpoint.norm)
    else:
        standardizer = setup.make_standardizer(config, splits)
    model, model_config = setup.make_model(config, splits, fit_data=checkpoint is None)
    first = splits.train.x[:1]
    sample = predict(model, first if setup.is_token_ids(splits) else first.astype("float32"))
    loss, metrics = setup.loss_and_metrics(splits, sample.shape[1])  # (1, K) or (1, V, T)
    optimizer = setup.make_optimizer(config, list(model.parameters()))
    augmentations = setup.make_augmentations(config, splits)
    if standardizer is not None and augmentations:
        augmentations.append(standardizer)  # standardise after augmenting images in [0, 1]
    parts = RunParts(splits, model, model_config, standardizer, optimizer,
                     setup.make_schedule(config, optimizer), loss, metrics,
                     Compose(augmentations) if augmentations else None,
                     None, None, splits.test)
    train_x = splits.train.x if augmentations else parts.standardized(splits.train.x)
    parts.train = ArrayDataset(train_x, splits.train.y)
    if splits.dev is not None:
        parts.dev = ArrayDataset(parts.standardized(splits.dev.x), splits.dev.y)
    parts.test = ArrayDataset(parts.standardized(splits.test.x), splits.test.y)
    return parts


def _monitor(config: TrainConfig, parts: RunParts) -> str:
    if parts.dev is None and config.monitor.startswith("dev_"):
        return "train_" + config.monitor[len("dev_"):]  # no dev set: watch training instead
    return config.monitor


def _run_callbacks(config: TrainConfig, parts: RunParts, run_dir: Path) -> list[Callback]:
    monitor = _monitor(config, parts)
    callbacks: list[Callback] = [
        CSVLogger(run_dir / "metrics.csv"), JSONLinesLogger(run_dir / "metrics.jsonl"),
        ModelCheckpoint(run_dir / "checkpoints", monitor=monitor,
                        every_n_steps=config.checkpoint_every)]
    if parts.schedule is not None:
        callbacks.append(LRSchedulerCallback(parts.schedule))
    if config.early_stopping:
        callbacks.append(EarlyStopping(monitor, patience=config.early_stopping,
                                       restore_best_weights=True))
    sleep = float(os.environ.get(SLEEP_ENV, "0") or 0)
    if sleep > 0:
        callbacks.append(_SleepPerStep(sleep))
    return callbacks


class _SleepPerStep(Callback):
    """Test hook (``IVANET_TEST_SLEEP_PER_STEP``): sleep after each step."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def on_batch_end(self, step: int, logs: dict) -> None:
        time.sleep(self.seconds)


def _checkpoint_info(config: TrainConfig, parts: RunParts) -> dict:
    splits = parts.splits
    return {"model_name": config.model, "model_config": parts.model_config,
            "config": config.to_dict(),
            "norm": parts.standardizer.state() if parts.standardizer is not None else {},
            "data": {"name": splits.name, "task": splits.task,
                     "input_shape": list(splits.input_shape),
                     "num_classes": splits.num_classes,
                     "class_names": list(splits.class_names or []),
                     "loss": parts.loss, "metrics": list(parts.metrics),
                     "token_ids": setup.is_token_ids(splits)}}


def _resume_target(run_dir: Path, given: TrainConfig | None
                   ) -> tuple[Path, TrainConfig, Checkpoint]:
    """The run folder, its configuration and its last checkpoint."""
    if not run_dir.is_dir():
        raise RunFolderError(f"cannot resume {str(run_dir)!r}: no such run folder")
    saved = TrainConfig.from_dict(read_json(run_dir / "config.json", "run configuration"))
    config = saved
    if given is not None:
        changed = [key for key, value in given.to_dict().items()
                   if key not in _RESUMABLE and saved.to_dict()[key] != value]
        if changed:
            raise ConfigError(f"a resumed run keeps its configuration; these keys differ from "
                              f"{str(run_dir / 'config.json')!r}: {', '.join(changed)}")
        config = saved.replace(**{key: getattr(given, key) for key in _RESUMABLE})
    path = checkpoint_path(run_dir, "last")
    if not path.is_file():
        raise RunFolderError(f"cannot resume {str(run_dir)!r}: it has no {path.name} yet "
                             f"(the run stopped before its first epoch ended)")
    checkpoint = load_checkpoint(path, model_name=config.model)
    if config != saved:
        write_json(run_dir / "config.json", config.to_dict())
    return run_dir, config, checkpoint


def _write_report(run_dir: Path) -> None:
    """``ivanet.reports.write_report(run_dir)`` when the reports package is available.

    Imported by name at run time: reports read the run folder and never import training,
    and training works without them.
    """
    try:
        reports = importlib.import_module("ivanet.reports")
    except ImportError:
        return
    try:
        reports.write_report(run_dir)
    except Exception as error:  # noqa: BLE001  (the run's results are already saved)
        print(f"warning: the report for {run_dir} could not be written: {error}",
              file=sys.stderr)

"""``dense_run``: the run folder of ``ivanet train`` for models whose targets are images or
masks (U-Net, autoencoder), trained by ``fit`` on arrays the task module builds.

Same folder as ``train_run`` (docs/run-folder.md): config.json, metrics.csv/.jsonl,
checkpoints/ (last and best), resume from the last checkpoint, results.json; the task's
``finish(model, run_dir)`` adds its test metrics and pictures.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset
from ivanet.training import setup
from ivanet.training.checkpoint import Checkpoint
from ivanet.training.callbacks import (CSVLogger, JSONLinesLogger, LRSchedulerCallback,
                                       ModelCheckpoint)
from ivanet.training.config import TrainConfig
from ivanet.training.fit import fit
from ivanet.training.folder import create_run_folder, write_json


def dense_run(config: TrainConfig, run_dir: Path | None, checkpoint: Checkpoint | None,
              data: dict, model_shape: dict, loss: Callable, metrics: list,
              finish: Callable, *, task: str, augment: Callable | None = None,
              quiet: bool = False, callbacks: tuple = ()) -> Path:
    """Train ``config.model`` on ``data`` {"train": (x, y), "dev": (x, y), ...}.

    ``run_dir``/``checkpoint``: None for a new run, the resumed run's folder and last
    checkpoint otherwise (``train_run`` finds them). ``model_shape``: input_shape and
    num_classes for ``create_model``; ``finish(model, run_dir) -> dict`` gives the test
    metrics that results.json holds under "test". ``augment(x, rng)`` changes training
    inputs per batch (e.g. noise for a denoising autoencoder).
    """
    started = time.perf_counter()
    model_config = {**model_shape, **config.model_options}
    rng = np.random.default_rng(np.random.SeedSequence(config.seed,
                                                       spawn_key=(setup.INIT_STREAM,)))
    model = setup.build_model(config.model, model_config, rng)
    optimizer = setup.make_optimizer(config, list(model.parameters()))
    schedule = setup.make_schedule(config, optimizer)
    if run_dir is None:
        run_dir = create_run_folder(config)
        write_json(run_dir / "config.json", config.to_dict())
    run_callbacks = [CSVLogger(run_dir / "metrics.csv"),
                     JSONLinesLogger(run_dir / "metrics.jsonl"),
                     ModelCheckpoint(run_dir / "checkpoints", monitor=config.monitor,
                                     every_n_steps=config.checkpoint_every)]
    if schedule is not None:
        run_callbacks.append(LRSchedulerCallback(schedule))
    info = {"model_name": config.model, "model_config": model_config,
            "config": config.to_dict(), "norm": {},
            "data": {"name": config.data, "task": task,
                     "input_shape": list(model_shape["input_shape"])}}
    history = fit(model, ArrayDataset(*data["train"]), ArrayDataset(*data["dev"]),
                  epochs=config.epochs, optimizer=optimizer, loss=loss, metrics=metrics,
                  callbacks=[*run_callbacks, *callbacks], batch_size=config.batch_size,
                  augment=augment, seed=config.seed, progress=config.progress and not quiet,
                  clip_grad_norm=config.clip_grad_norm, resume_from=checkpoint, info=info)
    rows = history.rows
    results = {"status": "completed", "task": task, "epochs_trained": len(rows),
               "metrics": {"train": _split(rows, "train_"), "dev": _split(rows, "dev_"),
                           "test": finish(model, run_dir)},
               "sizes": {name: int(len(x)) for name, (x, _) in data.items()},
               "wall_time_s": time.perf_counter() - started}
    write_json(run_dir / "results.json", results)
    if not quiet:
        test = {k: v for k, v in results["metrics"]["test"].items() if not isinstance(v, list)}
        print(f"test: {', '.join(f'{k} {v:.4f}' for k, v in test.items())}")
        print(f"{results['status']} after {len(rows)} epochs "
              f"({results['wall_time_s']:.1f} s); run folder: {run_dir}")
    return run_dir


def _split(rows: list[dict], prefix: str) -> dict:
    """The last epoch's values whose names start with ``prefix`` (prefix removed)."""
    last = rows[-1] if rows else {}
    return {key[len(prefix):]: value for key, value in last.items() if key.startswith(prefix)}

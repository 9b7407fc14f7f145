"""Detection runs: ``ivanet train yolo`` trains the YOLO-style detector on composites.

The run goes through ``fit`` like any other (progress, metrics.csv/.jsonl, atomic
checkpoints, ``--resume``); what differs is the data (new composites every epoch,
``ivanet.training.detection_data``), the loss (``yolo_loss``) and the metric (mAP@0.5 on
the dev composites, ``dev_map50``). Besides the usual files the run folder holds
``detector.json`` (anchors, image size, class names, the held-out scores) that
``load_detector`` and ``ivanet detect`` read, and ``detections.png``.
"""
from __future__ import annotations

import importlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.dataset import ArrayDataset
from ivanet.data.registry import load
from ivanet.detection import (coco_map, detections, kmeans_anchors, mean_average_precision,
                              target_boxes, yolo_loss)
from ivanet.models.registry import create_model
from ivanet.training import setup
from ivanet.training.callbacks import (CSVLogger, JSONLinesLogger, LRSchedulerCallback,
                                       ModelCheckpoint)
from ivanet.training.checkpoint import Checkpoint, load_checkpoint, restore_model
from ivanet.training.config import TrainConfig
from ivanet.training.detection_data import (DEV_STREAM, TEST_STREAM, SceneLoader,
                                           SceneTargets, scene_options, scenes)
from ivanet.training.errors import ConfigError, RunFolderError, TrainingError
from ivanet.training.fit import evaluate, fit
from ivanet.training.folder import (checkpoint_path, create_run_folder, read_json,
                                    write_json, write_predictions)

DETECTOR = "detector.json"
SAMPLES = 8  # held-out composites drawn in detections.png


@dataclass
class Detector:
    """A trained detector: the model and what turns its raw output into boxes."""

    model: object
    anchors: np.ndarray
    image_size: tuple[int, int]
    class_names: tuple[str, ...]
    info: dict

    def detect(self, images: np.ndarray, score_threshold: float = 0.3,
               iou_threshold: float = 0.5, batch_size: int = 64) -> list[tuple]:
        """Per image of (N, 1, H, W) in [0, 1]: (boxes (K, 4), scores (K,), labels (K,))
        after per-class non-max suppression."""
        self.model.eval()
        size = tuple(images.shape[-2:])        # fully convolutional: any multiple of 8
        results = []
        for start in range(0, len(images), batch_size):
            with no_grad():
                raw = self.model(Tensor(images[start:start + batch_size])).data
            results += detections(raw, self.anchors, size, score_threshold, iou_threshold)
        return results


def evaluate_detector(detector: Detector, data) -> dict:
    """mAP@0.5, mAP@0.5:0.95 and per-class AP@0.5 on composites ``data`` (exact boxes)."""
    predictions = detector.detect(data.images, score_threshold=0.01)
    targets = list(zip(data.boxes, data.labels))
    value, per_class = mean_average_precision(predictions, targets, data.num_classes)
    return {"map50": value, "map50_95": coco_map(predictions, targets, data.num_classes),
            "ap50_per_class": [float(v) for v in per_class]}


def map50_metric(anchors: np.ndarray, image_size: tuple[int, int], num_classes: int):
    """``map50(y_true, outputs)``: mAP@0.5 of raw outputs against YOLO targets, for fit."""
    def map50(y_true: np.ndarray, outputs: np.ndarray) -> float:
        found = detections(outputs, anchors, image_size, score_threshold=0.01)
        truth = [target_boxes(y, image_size) for y in y_true]
        return mean_average_precision(found, truth, num_classes)[0]
    return map50


def train_task(config: TrainConfig, run_dir: Path | None = None,
               checkpoint: Checkpoint | None = None, *, quiet: bool = False,
               callbacks: tuple = ()) -> Path:
    """``train_run`` for a detector: a new run (``run_dir`` None) or the resumed one."""
    started = time.perf_counter()
    options = scene_options(config.data_options)
    if config.augment not in ("auto", "none") or config.standardize not in ("auto", "none"):
        raise ConfigError("config keys 'augment' and 'standardize': a detection run shifts "
                          "its scenes itself (data_options.shift) and reads images in "
                          "[0, 1]; leave both 'auto'")
    splits = load(config.data)
    size = options["image_size"]
    if run_dir is None:
        run_dir = create_run_folder(config)
        write_json(run_dir / "config.json", config.to_dict())
        write_json(run_dir / DETECTOR, _detector_info(config, splits, options))
    info = read_json(run_dir / DETECTOR, "detector description")
    anchors = np.asarray(info["anchors"], np.float64)
    rng = np.random.default_rng(np.random.SeedSequence(config.seed,
                                                       spawn_key=(setup.INIT_STREAM,)))
    model = setup.build_model(config.model, info["model_config"], rng)
    targets = SceneTargets(anchors, size, splits.num_classes)
    dev = scenes(splits, "dev", options["dev"], options, (config.seed, DEV_STREAM))
    test = scenes(splits, "test", options["test"], options, (config.seed, TEST_STREAM))
    optimizer = setup.make_optimizer(config, list(model.parameters()))
    schedule = setup.make_schedule(config, optimizer)
    metric = map50_metric(anchors, (size, size), splits.num_classes)
    monitor = config.monitor if len(dev) else config.monitor.replace("dev_", "train_", 1)
    run_callbacks = [CSVLogger(run_dir / "metrics.csv"),
                     JSONLinesLogger(run_dir / "metrics.jsonl"),
                     ModelCheckpoint(run_dir / "checkpoints", monitor=monitor,
                                     every_n_steps=config.checkpoint_every)]
    if schedule is not None:
        run_callbacks.append(LRSchedulerCallback(schedule))

    def loss(outputs, y):
        return yolo_loss(outputs, y, anchors, (size, size))

    dev_set = (ArrayDataset(dev.images, targets(dev.boxes, dev.labels))
               if len(dev) else None)
    try:
        train = SceneLoader(splits, options, targets, config.batch_size, config.seed)
        history = fit(model, train, dev_set, epochs=config.epochs, optimizer=optimizer, loss=loss,
                      metrics=(metric,), callbacks=[*run_callbacks, *callbacks],
                      batch_size=config.batch_size, seed=config.seed,
                      progress=config.progress, clip_grad_norm=config.clip_grad_norm,
                      resume_from=checkpoint,
                      info={"model_name": config.model, "model_config": info["model_config"],
                            "config": config.to_dict(), "data": {"task": "detection"}})
    except TrainingError as error:
        write_json(run_dir / "results.json", {"status": "diverged", "error": str(error)})
        raise
    detector = Detector(model, anchors, (size, size), tuple(info["class_names"]), info)
    results = _results(detector, dev_set, test, loss, targets, history)
    results["wall_time_s"] = time.perf_counter() - started
    info.update(map50=results["metrics"]["test"]["map50"],
                map50_95=results["metrics"]["test"]["map50_95"],
                ap50_per_class=results["metrics"]["test"]["ap50_per_class"],
                epochs=len(history), seconds=round(results["training_seconds"], 1))
    write_json(run_dir / DETECTOR, info)
    write_json(run_dir / "results.json", results)
    _write_samples(run_dir, detector, test)
    if not quiet:
        print(f"test mAP@0.5 {info['map50']:.4f}  mAP@0.5:0.95 {info['map50_95']:.4f}  "
              f"({results['wall_time_s']:.1f} s); run folder: {run_dir}")
    return run_dir


def _detector_info(config: TrainConfig, splits, options: dict) -> dict:
    """What turns the model's output into boxes; anchors by k-means on training boxes."""
    size = options["image_size"]
    sample = scenes(splits, "train", options["per_epoch"], options, (config.seed, 0))
    boxes = np.concatenate(sample.boxes)
    num_anchors = int(config.model_options.get("num_anchors", 3))
    anchors = kmeans_anchors(boxes[:, 2:] - boxes[:, :2], num_anchors,
                             rng=np.random.default_rng(config.seed))
    names = splits.class_names or tuple(str(k) for k in range(splits.num_classes))
    model_config = {"input_shape": [1, size, size], "num_classes": splits.num_classes,
                    **config.model_options}
    return {"anchors": anchors.tolist(), "image_size": [size, size], "class_names": list(names),
            "model_config": model_config, "model_options": model_config, "data": config.data,
            "train_count": options["per_epoch"], "test_count": options["test"],
            "scenes": options}


def _results(detector: Detector, dev_set, test, loss, targets, history) -> dict:
    test_set = ArrayDataset(test.images, targets(test.boxes, test.labels))
    metrics = {"test": {"loss": evaluate(detector.model, test_set, loss, ())["loss"],
                        **evaluate_detector(detector, test)}}
    if dev_set is not None:
        metrics["dev"] = {"loss": evaluate(detector.model, dev_set, loss, ())["loss"]}
    return {"status": "finished", "task": "detection", "metrics": metrics,
            "epochs_trained": len(history), "weights": "last",
            "parameters": int(detector.model.num_parameters()),
            "training_seconds": float(sum(row.get("seconds", 0.0) for row in history.rows))}


def _write_samples(run_dir: Path, detector: Detector, test) -> None:
    """predictions.npz (detections on the first held-out composites) and detections.png."""
    images = test.images[:SAMPLES]
    found = detector.detect(images)
    write_predictions(run_dir, {
        "sample_inputs": images,
        "boxes": np.concatenate([b for b, _, _ in found]).reshape(-1, 4),
        "scores": np.concatenate([s for _, s, _ in found]),
        "labels": np.concatenate([c for _, _, c in found]).astype(np.int64),
        "image_index": np.concatenate([np.full(len(s), i) for i, (_, s, _) in enumerate(found)]),
        "class_names": np.array(detector.class_names, dtype=np.str_)})
    try:  # reports read what training wrote; imported by name, like run.py's report
        pictures = importlib.import_module("ivanet.reports.detections")
        pictures.write_detections_picture(run_dir)
    except Exception as error:  # noqa: BLE001  (the run's results are already saved)
        print(f"warning: no detections picture for {run_dir}: {error}", file=sys.stderr)


def load_detector(run_dir: str | Path) -> Detector:
    """The detector trained in ``run_dir`` (a ``RunFolderError`` names what is missing)."""
    run_dir = Path(run_dir)
    if not (run_dir / DETECTOR).is_file():
        raise RunFolderError(f"{run_dir} is not a detector run: no {DETECTOR} in it "
                             f"(train one with 'ivanet train yolo')")
    info = read_json(run_dir / DETECTOR, "detector description")
    options = dict(info.get("model_config") or info["model_options"])
    options["input_shape"] = tuple(options["input_shape"])
    model = create_model("yolo", **options)
    last, weights = checkpoint_path(run_dir, "last"), run_dir / "weights.safetensors"
    if last.is_file():
        restore_model(model, load_checkpoint(last, model_name="yolo"))
    elif weights.is_file():                  # a detector saved before runs went through fit
        model.load_state_dict(load_file(str(weights)))
    else:
        raise RunFolderError(f"{run_dir} holds no trained weights yet: no {last.name}")
    model.eval()
    return Detector(model, np.array(info["anchors"]), tuple(info["image_size"]),
                    tuple(info["class_names"]), info)


def train_detector(out: str | Path, data: str = "mnist", epochs: int = 30,
                   train_count: int = 3000, test_count: int = 500, batch_size: int = 32,
                   lr: float = 2e-3, width: int = 16, num_anchors: int = 3, seed: int = 0,
                   dev_count: int = 500) -> Detector:
    """``ivanet train yolo`` from Python: train into ``out`` and return the detector."""
    config = TrainConfig(model="yolo", data=data, epochs=epochs, batch_size=batch_size, lr=lr,
                         seed=seed, model_options={"width": width, "num_anchors": num_anchors},
                         data_options={"per_epoch": train_count, "dev": dev_count,
                                       "test": test_count},
                         monitor="dev_map50", out=str(out), progress=False, report=False)
    train_task(config, quiet=True)
    return load_detector(out)

"""Read what training wrote into a run folder (docs/run-folder.md), nothing else.

Reports never import the engine or the training code: they only parse ``config.json``,
``metrics.jsonl``/``metrics.csv``, ``results.json`` and ``predictions.npz``. A run that was
interrupted may lack the last two; the report then shows what there is.
"""
from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SPLITS = ("train", "dev", "test")


class ReportError(Exception):
    """The folder is not a run folder, or one of its files cannot be read."""


@dataclass
class RunFiles:
    """The parsed contents of one run folder."""

    run_dir: Path
    config: dict
    history: list[dict] = field(default_factory=list)
    results: dict = field(default_factory=dict)
    predictions: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def title(self) -> str:
        model = self.config.get("model", "model")
        data = self.config.get("data")
        return f"{model} on {data}" if data else str(model)

    def split_metrics(self) -> dict[str, dict[str, float]]:
        """``{"train": {"loss": ..., "accuracy": ...}, "dev": ..., "test": ...}`` if known."""
        return split_metrics(self.results)

    @property
    def diagnosis(self) -> dict:
        diagnosis = self.results.get("diagnosis")
        return diagnosis if isinstance(diagnosis, dict) else {}


def read_run(run_dir: str | Path) -> RunFiles:
    """Parse the run folder ``run_dir``; raise :class:`ReportError` in the user's terms."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ReportError(f"run folder {str(run_dir)!r} does not exist")
    config_path = run_dir / "config.json"
    if not config_path.is_file():
        raise ReportError(f"{str(run_dir)!r} is not a run folder: it has no config.json")
    run = RunFiles(run_dir, _read_json(config_path))
    run.history = read_history(run_dir)
    if (run_dir / "results.json").is_file():
        run.results = _read_json(run_dir / "results.json")
    if (run_dir / "predictions.npz").is_file():
        run.predictions = _read_npz(run_dir / "predictions.npz")
    return run


def read_history(run_dir: Path) -> list[dict]:
    """One dict per finished epoch from ``metrics.jsonl`` (preferred) or ``metrics.csv``."""
    jsonl, table = run_dir / "metrics.jsonl", run_dir / "metrics.csv"
    try:
        if jsonl.is_file():
            lines = jsonl.read_text(encoding="utf-8").splitlines()
            return [json.loads(line) for line in lines if line.strip()]
        if table.is_file():
            with table.open(newline="", encoding="utf-8") as handle:
                return [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(handle)]
    except (ValueError, OSError) as error:
        raise ReportError(f"cannot read the metrics of {str(run_dir)!r}: {error}") from None
    return []


def split_metrics(results: dict) -> dict[str, dict[str, float]]:
    """The per-split metric dicts of ``results.json`` (plus ``errors``' rate per split)."""
    container = results.get("metrics", results)
    if not isinstance(container, dict):
        return {}
    metrics = {split: dict(container[split]) for split in SPLITS
               if isinstance(container.get(split), dict)}
    errors = results.get("errors")
    for split, values in metrics.items():
        if isinstance(errors, dict) and isinstance(errors.get(split), (int, float)):
            values.setdefault("error", errors[split])
    return metrics


def history_columns(history: list[dict]) -> dict[str, np.ndarray]:
    """Column arrays (NaN where an epoch lacks the value) of the per-epoch rows."""
    names: list[str] = []
    for row in history:
        names += [name for name in row if name not in names]
    return {name: np.array([_float(row.get(name)) for row in history]) for name in names}


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise ReportError(f"cannot read {str(path)!r}: {error}") from None
    if not isinstance(value, dict):
        raise ReportError(f"{str(path)!r} should hold a JSON object, got {type(value).__name__}")
    return value


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (ValueError, OSError) as error:
        raise ReportError(f"cannot read {str(path)!r}: {error}") from None


def _number(text: str | None):
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _float(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    return float(value)

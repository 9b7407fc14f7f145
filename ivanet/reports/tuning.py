"""The figure of a hyperparameter search, drawn from the tune folder's results.csv."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from ivanet.reports.plots import plot_score_vs_lr
from ivanet.reports.runfolder import ReportError


def write_tune_plot(tune_dir: str | Path) -> Path | None:
    """``score_vs_lr.png``: each finished trial's score against its learning rate (log x).

    Reads ``results.csv`` and ``tune.json`` (written by ivanet.training.tune); returns None
    when no trial finished with a score.
    """
    tune_dir = Path(tune_dir)
    table = tune_dir / "results.csv"
    if not table.is_file():
        raise ReportError(f"{str(tune_dir)!r} is not a tune folder: it has no results.csv")
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lrs = np.array([_float(row.get("lr")) for row in rows])
    scores = np.array([_float(row.get("score")) for row in rows])
    finished = np.isfinite(lrs) & np.isfinite(scores)
    if not finished.any():
        return None
    lrs, scores = lrs[finished], scores[finished]
    score_name = str(_summary(tune_dir).get("score", "score")).replace("_", " ")
    return plot_score_vs_lr(lrs, scores, tune_dir / "score_vs_lr.png", score_name,
                            int(np.argmin(scores)))


def _summary(tune_dir: Path) -> dict:
    path = tune_dir / "tune.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        return {}


def _float(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "") else math.nan
    except ValueError:
        return math.nan

"""Hyperparameter search: random search or Optuna's TPE over short training runs.

Day 2's "Hyperparameters tuning": there are many hyperparameters and finding good ones
takes time. Random search (Bergstra & Bengio, JMLR 2012) samples the learning rate on a
log scale, so 1e-4…1e-3 gets as many trials as 1e-2…1e-1, and batch sizes from powers of
2. Both modes share one code path: ``sampler="random"`` is Optuna's ``RandomSampler``,
``"tpe"`` its Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011).

Each trial is an ordinary run folder ``<tune folder>/trials/<study name>-<number>``. The
study lives in ``<tune folder>/study.db`` (SQLite) unless ``storage`` names another
database URL, e.g. ``postgresql://user@host/db``: machines given the same URL and study
name share one study (machines starting at the same moment should use different seeds).
The score is the dev error (1 − accuracy, or 1 − R² for regression), lower is better.
``results.csv`` and ``results.md`` list every trial, ``tune.json`` sums up the study and
its best trial; the CLI adds ``score_vs_lr.png`` with ivanet.reports (training code draws
no figures).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import optuna
from sqlalchemy.exc import SQLAlchemyError

from ivanet.models.registry import model_options
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError, TrainingError
from ivanet.training.run import train_run

SAMPLERS = ("random", "tpe")
TABLE_COLUMNS = ("trial", "state", "score", "lr", "batch_size", "dropout", "hidden_units",
                 "seconds", "run_dir")


@dataclass(frozen=True)
class SearchSpace:
    """Ranges to sample: ``lr`` log-uniform, batch sizes and hidden widths powers of 2.

    ``dropout`` and ``hidden_units`` are searched only for models that take a ``dropout``
    or ``hidden``/``hidden_size`` option; every hidden layer gets the sampled width.
    """

    lr: tuple[float, float] = (1e-4, 1e-1)
    batch_sizes: tuple[int, ...] = (16, 32, 64, 128, 256)
    dropout: tuple[float, float] = (0.0, 0.5)
    hidden_units: tuple[int, ...] = (32, 64, 128, 256, 512)


@dataclass
class TuneResult:
    """What a search left behind: its folder, the Optuna study, the best trial's values."""

    tune_dir: Path
    study: optuna.Study
    score_name: str
    best: dict = field(default_factory=dict)

    @property
    def table_csv(self) -> Path:
        return self.tune_dir / "results.csv"

    @property
    def table_markdown(self) -> Path:
        return self.tune_dir / "results.md"


def suggest(trial: optuna.Trial, space: SearchSpace, options: dict) -> dict:
    """One trial's config changes: ``lr``, ``batch_size`` and the model options it has."""
    changes = {"lr": trial.suggest_float("lr", *space.lr, log=True),
               "batch_size": trial.suggest_categorical("batch_size", list(space.batch_sizes))}
    model_changes = {}
    if "dropout" in options:
        model_changes["dropout"] = trial.suggest_float("dropout", *space.dropout)
    hidden_key = next((key for key in ("hidden", "hidden_size") if key in options), None)
    if hidden_key is not None:
        units = trial.suggest_categorical("hidden_units", list(space.hidden_units))
        default = options[hidden_key]
        layers = len(default) if isinstance(default, (list, tuple)) else None
        model_changes[hidden_key] = [units] * layers if layers is not None else units
    if model_changes:
        changes["model_options"] = model_changes
    return changes


def make_sampler(name: str, seed: int | None) -> optuna.samplers.BaseSampler:
    """Optuna's ``RandomSampler`` ("random") or ``TPESampler`` ("tpe")."""
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, n_startup_trials=5)
    raise ConfigError(f"unknown sampler {name!r}; choose one of {', '.join(SAMPLERS)}")


def tune(config: TrainConfig, trials: int, *, sampler: str = "tpe", storage: str | None = None,
         study_name: str | None = None, out: str | Path | None = None,
         space: SearchSpace | None = None,
         on_trial: Callable[[optuna.trial.FrozenTrial], None] | None = None) -> TuneResult:
    """Run ``trials`` more trials of ``config`` (its ``epochs`` per trial; keep it small).

    Trials whose training diverges (NaN loss) are recorded as failed and the search goes on.
    """
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise ConfigError(f"trials must be a whole number >= 1, got {trials!r}")
    space = space or SearchSpace()
    options = model_options(config.model)
    tune_dir = _tune_folder(config, out)
    storage = storage or f"sqlite:///{(tune_dir / 'study.db').resolve()}"
    study_name = study_name or f"tune-{config.model}"
    study = _open_study(storage, study_name, sampler, config.seed)
    base = config.to_dict()

    def objective(trial: optuna.Trial) -> float:
        changes = suggest(trial, space, options)
        changes["model_options"] = {**base["model_options"], **changes.get("model_options", {})}
        run_dir = tune_dir / "trials" / f"{study_name}-{trial.number:04d}"  # unique per folder
        trial.set_user_attr("run_dir", str(run_dir))
        trial_config = TrainConfig.from_dict({**base, **changes, "out": str(run_dir),
                                              "report": False, "progress": False})
        name, score = trial_score(train_run(trial_config, quiet=True))
        trial.set_user_attr("score_name", name)
        return score

    callbacks = [lambda _study, frozen: on_trial(frozen)] if on_trial else []
    study.optimize(objective, n_trials=trials, catch=(TrainingError,), callbacks=callbacks)
    score_name = _score_name(study)
    write_tables(study, tune_dir, score_name)
    best = _best(study)
    summary = {"study_name": study_name, "storage": _hide_password(storage),
               "sampler": sampler, "score": score_name, "direction": "minimize",
               "trials": len(study.get_trials(deepcopy=False)), "best": best}
    (tune_dir / "tune.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return TuneResult(tune_dir, study, score_name, best)


def trial_score(run_dir: Path) -> tuple[str, float]:
    """("dev_error", value) from a finished run folder, else ("dev_loss", value).

    The dev error is what the bias/variance diagnosis compares: 1 − accuracy for
    classification, 1 − R² for regression.
    """
    results = json.loads((Path(run_dir) / "results.json").read_text(encoding="utf-8"))
    errors, diagnosis = results.get("errors") or {}, results.get("diagnosis") or {}
    for source in (errors.get("dev"), diagnosis.get("dev_error")):
        if isinstance(source, (int, float)):
            return "dev_error", float(source)
    dev = (results.get("metrics") or {}).get("dev") or {}
    if isinstance(dev.get("loss"), (int, float)):
        return "dev_loss", float(dev["loss"])
    raise ConfigError(f"tuning scores trials on a dev set, and {run_dir} has none: give "
                      f"the data x_dev and y_dev arrays")


def table_rows(study: optuna.Study) -> list[dict]:
    """One dict per trial of the study (all machines), in trial order."""
    rows = []
    for trial in study.get_trials(deepcopy=False):
        duration = trial.duration.total_seconds() if trial.duration is not None else None
        rows.append({"trial": trial.number, "state": trial.state.name.lower(),
                     "score": trial.value, "lr": trial.params.get("lr"),
                     "batch_size": trial.params.get("batch_size"),
                     "dropout": trial.params.get("dropout"),
                     "hidden_units": trial.params.get("hidden_units"),
                     "seconds": duration, "run_dir": trial.user_attrs.get("run_dir", "")})
    return rows


def write_tables(study: optuna.Study, tune_dir: Path, score_name: str) -> None:
    """``results.csv`` (trial order) and ``results.md`` (best score first)."""
    rows = table_rows(study)
    with (tune_dir / "results.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS)
        writer.writeheader()
        writer.writerows({key: "" if value is None else value for key, value in row.items()}
                         for row in rows)
    ranked = sorted(rows, key=lambda row: (row["score"] is None, row["score"] or 0.0))
    header = [score_name if column == "score" else column for column in TABLE_COLUMNS]
    lines = [f"# Tuning {study.study_name}: {len(rows)} trials, {score_name} (lower is better)",
             "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_markdown_cell(row[column]) for column in TABLE_COLUMNS) + " |"
              for row in ranked]
    (tune_dir / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _open_study(storage: str, study_name: str, sampler: str, seed: int) -> optuna.Study:
    make_sampler(sampler, None)  # an unknown name fails before any database is touched
    try:
        study = optuna.create_study(storage=storage, study_name=study_name,
                                    direction="minimize", load_if_exists=True)
    except (ValueError, ImportError, optuna.exceptions.OptunaError, SQLAlchemyError) as error:
        raise ConfigError(f"cannot open study {study_name!r} at {storage!r}: {error}") from None
    if study.direction != optuna.study.StudyDirection.MINIMIZE:
        raise ConfigError(f"study {study_name!r} at {storage!r} maximises; ivanet studies "
                          f"minimise the dev error: choose another --study-name")
    # A study resumed later (or joined from another machine) draws a fresh stream.
    done = len(study.get_trials(deepcopy=False))
    study.sampler = make_sampler(sampler, zlib.crc32(f"{seed}/{done}".encode()))
    return study


def _tune_folder(config: TrainConfig, out: str | Path | None) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    default = Path(config.runs_dir) / f"tune-{config.model}-{stamp}"
    folder = Path(out) if out is not None else default
    try:
        (folder / "trials").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create the tune folder {str(folder)!r}: "
                          f"{error.strerror or error}") from None
    return folder


def _score_name(study: optuna.Study) -> str:
    names = {t.user_attrs.get("score_name") for t in study.get_trials(deepcopy=False)}
    names.discard(None)
    return names.pop() if len(names) == 1 else "score"


def _best(study: optuna.Study) -> dict:
    complete = [t for t in study.get_trials(deepcopy=False)
                if t.state == optuna.trial.TrialState.COMPLETE]
    if not complete:
        return {}
    trial = min(complete, key=lambda t: t.value)
    return {"trial": trial.number, "score": trial.value, "params": trial.params,
            "run_dir": trial.user_attrs.get("run_dir", "")}


def _hide_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db``."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _markdown_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if not math.isnan(value) else "nan"
    return str(value)

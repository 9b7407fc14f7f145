"""What the subcommands share: user errors, building a TrainConfig, printing tables."""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

# Exceptions that mean "the user asked for something wrong": (module, class). They are
# looked up in sys.modules, so checking an error never imports anything.
USER_ERRORS = (("ivanet.training.errors", "UserError"), ("ivanet.data.dataset", "DataError"),
               ("ivanet.models.registry", "ModelError"),
               ("ivanet.reports.runfolder", "ReportError"))

RUN_FOLDER = click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)


class CliError(Exception):
    """A mistake in the command line itself (a file of the wrong format, ...)."""


def is_user_error(error: BaseException) -> bool:
    """True for the errors the CLI reports in one line with exit status 2."""
    if isinstance(error, CliError):
        return True
    for module_name, class_name in USER_ERRORS:
        cls = getattr(sys.modules.get(module_name), class_name, None)
        if cls is not None and isinstance(error, cls):
            return True
    return False


def build_config(model: str | None, config_file: Path | None, overrides: dict,
                 resume: Path | None = None):
    """A checked ``TrainConfig``: the resumed run's config.json, then the TOML file, then
    the command-line options that were given (None means "not given")."""
    from ivanet.training.config import TrainConfig

    values: dict = {}
    if resume is not None:
        values.update(read_json(resume / "config.json", "the run's configuration"))
    if config_file is not None:
        values.update(_given_toml_keys(TrainConfig, config_file))
    if model is not None:
        values["model"] = model
    values.update({key: value for key, value in overrides.items() if value is not None})
    return TrainConfig.from_dict(values)


def _given_toml_keys(config_class, path: Path) -> dict:
    """The keys the TOML file sets (checked by building a config from it)."""
    import tomllib

    config_class.from_toml(path)  # unknown keys, wrong types, bad TOML: one-line errors
    with path.open("rb") as handle:
        return tomllib.load(handle)


def read_json(path: Path, what: str) -> dict:
    """A JSON object from ``path`` or a one-line ``CliError`` naming ``what`` it is."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(f"{path.parent} is not a run folder: {path.name} is missing") from None
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read {what} in {path}: {error}") from None
    if not isinstance(value, dict):
        raise CliError(f"{path} should hold a JSON object ({what})")
    return value


def echo_table(headers: Sequence[str], rows: Sequence[Sequence], numbers: str = ".4f") -> None:
    """Print ``rows`` as aligned columns under ``headers`` (floats as ``numbers``)."""
    text = [[_text(cell, numbers) for cell in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in text])
              for i, header in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in text:
        click.echo("  ".join(c.rjust(w) if _is_number(c) else c.ljust(w)
                             for c, w in zip(row, widths)).rstrip())


def metrics_rows(metrics: dict) -> tuple[list[str], list[list]]:
    """Headers and rows of a {split: {metric: value}} dict, splits in train/dev/test order."""
    splits = [split for split in ("train", "dev", "test") if isinstance(metrics.get(split), dict)]
    names: list[str] = []
    for split in splits:
        names += [name for name in metrics[split] if name not in names]
    return ["split", *names], [[split, *(metrics[split].get(n, "") for n in names)]
                               for split in splits]


def _text(cell, numbers: str) -> str:
    if isinstance(cell, float):
        return format(cell, numbers)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return f"{cell:,}"
    return str(cell)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True

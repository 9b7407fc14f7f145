"""The run folder on disk (docs/run-folder.md): creating it and writing its JSON and
prediction files atomically."""
from __future__ import annotations

import io
import json
import math
import time
from pathlib import Path

import numpy as np

from ivanet.training.checkpoint import write_atomic
from ivanet.training.config import TrainConfig
from ivanet.training.errors import RunFolderError

CHECKPOINTS = "checkpoints"
LAST, BEST = "last.safetensors", "best.safetensors"
VOCABULARY = "vocabulary.json"  # text data only: the input vocabulary's tokens


def create_run_folder(config: TrainConfig) -> Path:
    """A new, empty run folder: ``config.out``, or ``<runs_dir>/<model>-<YYYYmmdd-HHMMSS>``
    (with -2, -3, ... if that name is taken). Never reuses a folder that has files."""
    if config.out is not None:
        folder = Path(config.out)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise RunFolderError(f"output folder {str(folder)!r} already exists and is not "
                                 f"empty: choose another folder, or continue that run with "
                                 f"--resume {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(config.runs_dir) / f"{config.model}-{stamp}"
    return new_folder(base)


def new_folder(base: Path) -> Path:
    """``base``, or ``base-2``, ``base-3``, ... if taken; created empty (never reused)."""
    for attempt in range(1, 1000):
        folder = base if attempt == 1 else base.with_name(f"{base.name}-{attempt}")
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise RunFolderError(f"cannot find a free run folder name next to {str(base)!r}")


def checkpoint_path(run_dir: Path, which: str = "last") -> Path:
    return Path(run_dir) / CHECKPOINTS / (LAST if which == "last" else BEST)


def write_json(path: Path, value) -> None:
    """``value`` as indented JSON, atomically; NaN and infinity become null."""
    text = json.dumps(_finite(value), indent=2) + "\n"
    write_atomic(Path(path), text.encode("utf-8"))


def read_json(path: Path, what: str) -> dict:
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{str(path.parent)!r} is not a run folder: {path.name} is "
                             f"missing") from None
    except (OSError, ValueError) as error:
        raise RunFolderError(f"cannot read the {what} {str(path)!r}: {error}") from None
    if not isinstance(value, dict):
        raise RunFolderError(f"the {what} {str(path)!r} should hold a JSON object")
    return value


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def write_predictions(run_dir: Path, arrays: dict[str, np.ndarray]) -> None:
    """``predictions.npz`` (no pickle: only numeric and unicode arrays), atomically."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    write_atomic(Path(run_dir) / "predictions.npz", buffer.getvalue())

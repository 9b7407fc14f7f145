"""Checkpoints: one self-describing safetensors file per save, written atomically.

Layout (docs/run-folder.md): tensors ``model.<name>``, ``optim.<path>``, ``norm.<name>``,
``callbacks.<path>``; the string metadata holds JSON (``format``, ``model_name``,
``model_config``, ``config``, ``epoch``, ``step``, ``optimizer``, ``scheduler``,
``history``, ``rng``, ``callbacks``, and ``data``: task, class names, input shape) plus
``sha256`` of every tensor, so a flipped byte is caught on load. Nested states (an
optimizer's) are stored as JSON in which each array is replaced by
``{"__tensor__": "<tensor name>"}``. Loading reads JSON and raw arrays only: it never
executes code.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import save as safetensors_bytes

from ivanet.training.errors import CheckpointError

FORMAT = "ivanet-checkpoint-1"
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read the process umask (set it back at once)
_TENSOR, _ITEMS = "__tensor__", "__items__"


@dataclass
class Checkpoint:
    """Everything one checkpoint holds, as plain Python values and arrays."""

    model_name: str
    model_state: dict[str, np.ndarray]
    model_config: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    epoch: int = 0
    step: int = 0
    optimizer: dict | None = None
    scheduler: dict | None = None
    history: list[dict] = field(default_factory=list)
    rng: dict = field(default_factory=dict)
    norm: dict[str, np.ndarray] = field(default_factory=dict)
    callbacks: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    path: Path | None = None


def save_checkpoint(path: str | os.PathLike, checkpoint: Checkpoint) -> Path:
    """Write ``checkpoint`` to ``path`` atomically (temp file + fsync + rename)."""
    tensors: dict[str, np.ndarray] = {}
    for name, array in checkpoint.model_state.items():
        tensors[f"model.{name}"] = _contiguous(array)
    for name, array in checkpoint.norm.items():
        tensors[f"norm.{name}"] = _contiguous(array)
    meta = {
        "model_config": _encode(checkpoint.model_config, "model_config", tensors),
        "config": _encode(checkpoint.config, "config", tensors),
        "epoch": int(checkpoint.epoch),
        "step": int(checkpoint.step),
        "optimizer": _encode(checkpoint.optimizer, "optim", tensors),
        "scheduler": _encode(checkpoint.scheduler, "scheduler", tensors),
        "history": _encode(checkpoint.history, "history", tensors),
        "rng": _encode(checkpoint.rng, "rng", tensors),
        "callbacks": _encode(checkpoint.callbacks, "callbacks", tensors),
        "data": _encode(checkpoint.data, "data", tensors),
    }
    metadata = {"format": FORMAT, "model_name": checkpoint.model_name,
                **{key: json.dumps(value) for key, value in meta.items()}}
    metadata["sha256"] = _digest(tensors)
    path = Path(path)
    write_atomic(path, safetensors_bytes(tensors, metadata=metadata))
    return path


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` by ``payload`` so that a crash leaves the old or the new file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o666 & ~_UMASK)  # temp files start private (0600)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)


def load_checkpoint(path: str | os.PathLike, model_name: str | None = None) -> Checkpoint:
    """Read and verify a checkpoint; ``model_name`` (if given) must match the stored one."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {str(path)!r} does not exist")
    try:
        with safe_open(str(path), framework="numpy") as reader:
            metadata = reader.metadata() or {}
            tensors = {name: reader.get_tensor(name) for name in reader.keys()}
    except (SafetensorError, OSError, ValueError) as error:
        raise CheckpointError(f"checkpoint {str(path)!r} is truncated or corrupted "
                              f"({error})") from None
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{str(path)!r} is a safetensors file but not an ivanet "
                              f"checkpoint (format {metadata.get('format')!r}, expected "
                              f"{FORMAT!r})")
    if metadata.get("sha256") != _digest(tensors):
        raise CheckpointError(f"checkpoint {str(path)!r} is truncated or corrupted "
                              f"(its arrays do not match the stored sha256)")
    stored = metadata.get("model_name", "?")
    if model_name is not None and stored != model_name:
        raise CheckpointError(f"checkpoint {str(path)!r} holds a {stored!r} model, not "
                              f"{model_name!r}")
    try:
        values = {key: _decode(json.loads(metadata[key]), tensors) for key in
                  ("model_config", "config", "epoch", "step", "optimizer", "scheduler",
                   "history", "rng", "callbacks", "data")}
    except (KeyError, ValueError, TypeError) as error:
        raise CheckpointError(f"checkpoint {str(path)!r} is truncated or corrupted "
                              f"(bad metadata: {error})") from None
    return Checkpoint(model_name=stored, path=path,
                      model_state=_with_prefix(tensors, "model."),
                      norm=_with_prefix(tensors, "norm."), **values)


def restore_model(model, checkpoint: Checkpoint) -> None:
    """Copy the checkpoint's weights into ``model`` in place; every key must match."""
    expected = model.state_dict(copy=False)
    missing = [name for name in expected if name not in checkpoint.model_state]
    unexpected = [name for name in checkpoint.model_state if name not in expected]
    saved = checkpoint.model_state
    wrong = [f"{name} (model {array.shape}, checkpoint {saved[name].shape})"
             for name, array in expected.items()
             if name in saved and saved[name].shape != array.shape]
    problems = []
    if missing:
        problems.append("missing keys: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected keys: " + ", ".join(unexpected))
    if wrong:
        problems.append("shape mismatches: " + ", ".join(wrong))
    if problems:
        where = f" {str(checkpoint.path)!r}" if checkpoint.path else ""
        raise CheckpointError(f"checkpoint{where} ({checkpoint.model_name!r}) does not fit "
                              f"this {type(model).__name__}: " + "; ".join(problems))
    model.load_state_dict(checkpoint.model_state)


def _contiguous(array) -> np.ndarray:
    """A C-contiguous copy keeping the shape (``np.ascontiguousarray`` makes 0-d arrays, such
    as BatchNorm's ``num_batches_tracked``, 1-d)."""
    return np.ascontiguousarray(array).reshape(np.shape(array))


def _with_prefix(tensors: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name[len(prefix):]: array for name, array in tensors.items()
            if name.startswith(prefix)}


def _digest(tensors: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _encode(value, path: str, tensors: dict[str, np.ndarray]):
    """JSON-able ``value``: arrays move into ``tensors`` (named by their path) and leave
    ``{"__tensor__": name}``; dicts with non-string keys become ``{"__items__": [[k, v]]}``."""
    if isinstance(value, np.ndarray):
        tensors[path] = _contiguous(value)
        return {_TENSOR: path}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: _encode(item, f"{path}.{key}", tensors) for key, item in value.items()}
        return {_ITEMS: [[_encode(key, f"{path}.key{i}", tensors),
                          _encode(item, f"{path}.{i}", tensors)]
                         for i, (key, item) in enumerate(value.items())]}
    if isinstance(value, (list, tuple)):
        return [_encode(item, f"{path}.{i}", tensors) for i, item in enumerate(value)]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"checkpoint: cannot store {type(value).__name__} at {path!r}")


def _decode(value, tensors: dict[str, np.ndarray]):
    if isinstance(value, dict):
        if set(value) == {_TENSOR}:
            return tensors[value[_TENSOR]]
        if set(value) == {_ITEMS}:
            return {_hashable(_decode(key, tensors)): _decode(item, tensors)
                    for key, item in value[_ITEMS]}
        return {key: _decode(item, tensors) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, tensors) for item in value]
    return value


def _hashable(key):
    return tuple(_hashable(part) for part in key) if isinstance(key, list) else key

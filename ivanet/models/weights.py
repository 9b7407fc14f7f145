"""Read PyTorch ``.pt``/``.pth`` files without PyTorch and without running pickle code.

``torch.save`` writes a zip: ``<name>/data.pkl`` (a pickle of the state dict) and one raw
little-endian file per storage, ``<name>/data/<key>``. The pickle only needs a handful of
globals — ``collections.OrderedDict``, ``torch._utils._rebuild_tensor_v2`` and the storage
types — so an unpickler that resolves exactly those (to harmless stand-ins) and refuses
everything else reads real checkpoints and cannot be made to call ``os.system``.
"""
from __future__ import annotations

import collections
import pickle
import zipfile
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import as_strided

STORAGE_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "BFloat16Storage": "bfloat16", "LongStorage": np.int64, "IntStorage": np.int32,
    "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class UnsafeCheckpointError(pickle.UnpicklingError):
    """The checkpoint's pickle asks for something other than tensors and dicts."""


class _StorageType:
    """Stand-in for ``torch.FloatStorage`` & co.: remembers only the dtype."""

    def __init__(self, name: str) -> None:
        self.name, self.dtype = name, STORAGE_DTYPES[name]


def _rebuild_tensor(storage, offset, size, stride, *_ignored) -> np.ndarray:
    """``torch._utils._rebuild_tensor_v2`` for NumPy: a strided view of the storage, copied."""
    if not size:
        return storage[offset:offset + 1].reshape(()).copy()
    view = as_strided(storage[offset:], shape=tuple(size),
                      strides=tuple(s * storage.itemsize for s in stride), writeable=False)
    return np.array(view)


def _rebuild_parameter(data, requires_grad, backward_hooks, *_ignored) -> np.ndarray:
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
}


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the globals a state dict needs; storages come from the zip's records."""

    def __init__(self, file, archive: zipfile.ZipFile, prefix: str) -> None:
        super().__init__(file)
        self.archive, self.prefix = archive, prefix

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name)
        raise UnsafeCheckpointError(
            f"refusing to load {module}.{name}: a weights file holds only tensors and dicts "
            "(this checkpoint contains code or objects; re-save it as model.state_dict())")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, numel = pid
        if kind != "storage" or not isinstance(storage_type, _StorageType):
            raise UnsafeCheckpointError(f"unexpected persistent record {pid!r}")
        raw = self.archive.read(f"{self.prefix}data/{key}")
        if storage_type.dtype == "bfloat16":    # NumPy has no bfloat16: widen to float32
            bits = np.frombuffer(raw, dtype="<u2", count=numel).astype(np.uint32) << 16
            return bits.view(np.float32)
        dtype = np.dtype(storage_type.dtype).newbyteorder("<")
        return np.frombuffer(raw, dtype=dtype, count=numel).astype(dtype.newbyteorder("="))


def read_torch_zip(path: str | Path) -> dict[str, np.ndarray]:
    """Name → array from a ``torch.save``d state dict, with no PyTorch and no code run."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a zip-format PyTorch file (saved before PyTorch 1.6, "
                         "or not a checkpoint): re-save it with torch.save, or as .safetensors")
    with zipfile.ZipFile(path) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("data.pkl")]
        if len(pickles) != 1:
            raise ValueError(f"{path}: expected one data.pkl in the archive, found {pickles}")
        prefix = pickles[0][:-len("data.pkl")]
        byteorder = f"{prefix}byteorder"
        if byteorder in archive.namelist() and archive.read(byteorder).strip() != b"little":
            raise ValueError(f"{path}: big-endian checkpoints are not supported")
        with archive.open(pickles[0]) as file:
            state = _RestrictedUnpickler(file, archive, prefix).load()
    return flatten_state(state, str(path))


def flatten_state(state, where: str) -> dict[str, np.ndarray]:
    """The tensors of a checkpoint: a state dict itself, or one under "state_dict"/"model"."""
    if not isinstance(state, dict):
        raise ValueError(f"{where}: expected a state dict, got {type(state).__name__}")
    for key in ("state_dict", "model", "model_state_dict"):
        if key in state and isinstance(state[key], dict):
            state = state[key]
            break
    arrays = {k: np.asarray(v) for k, v in state.items() if isinstance(v, np.ndarray)}
    if not arrays:
        raise ValueError(f"{where}: no tensors found (keys: {list(state)[:10]})")
    return arrays

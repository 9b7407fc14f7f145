"""Transfer learning: load published (PyTorch/torchvision-format) weights, freeze, new head.

    model = create_model("resnet18")
    report = load_weights(model, "resnet18.safetensors")     # or a .pt / .pth file
    freeze(model)                                            # everything ...
    replace_head(model, num_classes=5, rng=rng)              # ... but a new, trainable head

The zoo uses torchvision's parameter names and layouts (conv weight (out, in, kh, kw),
linear weight (out, in)), so torchvision checkpoints load as they are; ``rename`` maps
other names. No pickle code is ever run: ``.pt`` files go through
``torch.load(weights_only=True)`` when PyTorch is installed, else through a restricted
unpickler (``ivanet.models.weights``).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ivanet import nn
from ivanet.models.weights import flatten_state, read_torch_zip


@dataclass
class TransferReport:
    """What ``load_weights`` did: loaded names, and every key that did not fit."""

    loaded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)       # in the model, not the file
    unexpected: list[str] = field(default_factory=list)    # in the file, not the model
    mismatched: list[tuple[str, tuple, tuple]] = field(default_factory=list)  # name, ours, file

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)

    def __str__(self) -> str:
        lines = [f"loaded {len(self.loaded)} arrays"]
        if self.missing:
            lines.append(f"missing (kept their values): {', '.join(self.missing)}")
        if self.unexpected:
            lines.append(f"unexpected (ignored): {', '.join(self.unexpected)}")
        for name, ours, theirs in self.mismatched:
            lines.append(f"shape mismatch {name}: model {ours}, file {theirs}")
        return "\n".join(lines)


class TransferError(ValueError):
    """Weights that do not fit the model; the message is the full report."""


def read_weights(path: str | Path) -> dict[str, np.ndarray]:
    """Name → array from a ``.safetensors``, ``.pt``/``.pth`` or ``.npz`` file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file at {path}")
    suffix = path.suffix.lower()
    if suffix == ".safetensors":
        from safetensors.numpy import load_file  # noqa: PLC0415  (optional format)

        return load_file(str(path))
    if suffix in (".pt", ".pth", ".bin"):
        return _read_torch_file(path)
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    raise ValueError(f"unknown weights format {suffix!r} ({path}): expected .safetensors, "
                     ".pt, .pth or .npz")


def _read_torch_file(path: Path) -> dict[str, np.ndarray]:
    """torch.load(weights_only=True) if PyTorch is importable, else the restricted reader."""
    try:
        import torch  # noqa: PLC0415  (optional: only to read .pt files)
    except ImportError:
        return read_torch_zip(path)
    state = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(state, dict):
        for key in ("state_dict", "model", "model_state_dict"):
            if isinstance(state.get(key), dict):
                state = state[key]
                break
        state = {k: _tensor_to_numpy(v) for k, v in state.items() if isinstance(v, torch.Tensor)}
    return flatten_state(state, str(path))


def _tensor_to_numpy(tensor) -> np.ndarray:
    import torch  # noqa: PLC0415

    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.float()
    return tensor.numpy().copy()


def _renamer(rename) -> Callable[[str], str]:
    """A function from file names to model names (prefix map, callable, or none)."""
    if callable(rename):
        return rename
    prefixes = sorted((rename or {}).items(), key=lambda item: -len(item[0]))

    def apply(name: str) -> str:
        name = name.removeprefix("module.")          # saved from DataParallel
        for old, new in prefixes:
            if name.startswith(old):
                return new + name[len(old):]
        return name
    return apply


def load_weights(model: nn.Module, source: str | Path | Mapping[str, np.ndarray],
                 rename: Mapping[str, str] | Callable[[str], str] | None = None,
                 strict: bool = True, skip_mismatched: bool = False,
                 ignore: tuple[str, ...] = ()) -> TransferReport:
    """Copy weights from a file or a name → array mapping into ``model`` (in place).

    ``rename``: prefix map ``{"backbone.": "features."}`` or a function. ``ignore``: name
    prefixes of the model left alone (e.g. ``("fc",)`` for a new head). ``strict``: any
    missing, unexpected or mis-shaped key raises ``TransferError`` (nothing copied);
    otherwise what fits is loaded. ``skip_mismatched`` lets shape mismatches through in
    strict mode (kept, reported). Returns a :class:`TransferReport`.
    """
    state = read_weights(source) if isinstance(source, (str, Path)) else dict(source)
    to_model = _renamer(rename)
    incoming = {to_model(name): np.asarray(value) for name, value in state.items()}
    targets = model.state_dict(copy=False)
    skip = tuple(ignore)
    report = TransferReport()
    report.missing = [n for n in targets if n not in incoming and not n.startswith(skip)]
    report.unexpected = [n for n in incoming if n not in targets and not n.startswith(skip)]
    report.mismatched = [(n, targets[n].shape, incoming[n].shape) for n in targets
                         if n in incoming and not n.startswith(skip)
                         and targets[n].shape != incoming[n].shape]
    blocking = report.missing or report.unexpected or (
        report.mismatched and not skip_mismatched)
    if strict and blocking:
        raise TransferError(f"weights do not fit {type(model).__name__}, nothing was "
                            f"loaded:\n{report}")
    bad = {name for name, _, _ in report.mismatched}
    fitting = {n: incoming[n] for n in targets
               if n in incoming and n not in bad and not n.startswith(skip)}
    model.load_state_dict({n: v.astype(targets[n].dtype, copy=False)
                           for n, v in fitting.items()}, strict=False)
    report.loaded = list(fitting)
    return report


def _matching(model: nn.Module, targets) -> list:
    """Parameters under any of ``targets`` (name prefixes or sub-modules); all if empty."""
    if not targets:
        return list(model.parameters())
    chosen, names = [], dict(model.named_parameters())
    for target in targets:
        if isinstance(target, nn.Module):
            chosen += list(target.parameters())
            continue
        found = [p for n, p in names.items() if n == target or n.startswith(f"{target}.")]
        if not found:
            raise ValueError(f"no parameter named {target!r} or under it; top-level names: "
                             f"{sorted({n.split('.')[0] for n in names})}")
        chosen += found
    return chosen


def freeze(model: nn.Module, *targets: str | nn.Module) -> int:
    """Stop training parameters under the given names/modules (all when none given).

    Returns how many numbers are frozen. Batch-norm statistics still update in ``train()``
    mode; call ``.eval()`` on frozen blocks to keep them fixed as well.
    """
    params = _matching(model, targets)
    for param in params:
        param.requires_grad = False
    return sum(p.size for p in params)


def unfreeze(model: nn.Module, *targets: str | nn.Module) -> int:
    """Train the given parameters again (all when none given); returns how many numbers."""
    params = _matching(model, targets)
    for param in params:
        param.requires_grad = True
    return sum(p.size for p in params)


def replace_head(model: nn.Module, num_classes: int,
                 rng: np.random.Generator | None = None) -> str:
    """Swap the model's last ``Linear`` for a fresh one with ``num_classes`` outputs.

    The new head is trainable even if the rest is frozen. Returns its name ("fc",
    "classifier.6", ...).
    """
    linears = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError(f"{type(model).__name__} has no Linear layer to replace")
    name, old = linears[-1]
    parent_name, _, attribute = name.rpartition(".")
    parent = model if not parent_name else dict(model.named_modules())[parent_name]
    head = nn.Linear(old.in_features, num_classes, bias=old.bias is not None, rng=rng,
                     dtype=old.weight.dtype)
    setattr(parent, attribute, head)
    return name

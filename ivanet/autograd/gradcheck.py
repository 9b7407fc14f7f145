"""Gradient checking as a feature: analytic gradients against central differences.

The course's measure, per input or parameter:  ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), where g is the
back-propagated gradient and g̃ the finite-difference estimate. Everything runs in
float64 with a random upstream gradient (all-ones would only check the Jacobian's column
sums and let, say, a wrong softmax backward pass).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor


@dataclass
class GradCheckEntry:
    """The check of one input or parameter."""

    name: str
    rel_diff: float
    analytic_norm: float
    numeric_norm: float
    worst_index: tuple[int, ...]
    checked: int


@dataclass
class GradCheckReport:
    """Per-input results; ``passed`` when every relative difference is below ``tol``."""

    entries: list[GradCheckEntry] = field(default_factory=list)
    tol: float = 1e-6

    @property
    def worst(self) -> GradCheckEntry:
        return max(self.entries, key=lambda e: e.rel_diff)

    @property
    def passed(self) -> bool:
        return all(e.rel_diff <= self.tol for e in self.entries)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        width = max([len(e.name) for e in self.entries] + [4])
        lines = [f"{'name':<{width}}  {'rel. diff':>10}  {'checked':>7}  worst index"]
        for e in self.entries:
            mark = "" if e.rel_diff <= self.tol else "  <-- above tolerance"
            lines.append(f"{e.name:<{width}}  {e.rel_diff:10.2e}  {e.checked:7d}  "
                         f"{e.worst_index}{mark}")
        verdict = "passed" if self.passed else f"FAILED (worst: {self.worst.name})"
        lines.append(f"gradient check {verdict}, tolerance {self.tol:.0e}")
        return "\n".join(lines)


def relative_difference(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), 0 when both are zero."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / denominator)


def gradcheck(fn, *inputs, eps: float = 1e-6, tol: float = 1e-6,
              rng: np.random.Generator | None = None) -> GradCheckReport:
    """Check ``fn``'s gradients with respect to every floating input.

    ``fn`` maps tensors to a tensor of any shape. Inputs may be tensors or arrays; float
    inputs are copied to float64 and checked (a tensor with ``requires_grad=False`` is held
    constant). Returns a :class:`GradCheckReport`; ``assert gradcheck(...)`` works.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    tensors = [_as_float64_tensor(x) for x in inputs]
    if not any(t.requires_grad for t in tensors):
        raise ValueError("gradcheck found no floating-point input that requires a gradient")
    out = fn(*tensors)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)

    def objective() -> float:
        with no_grad():
            return float(np.sum(fn(*tensors).data * upstream))

    report = GradCheckReport(tol=tol)
    for position, t in enumerate(tensors):
        if not t.requires_grad:
            continue
        analytic = t.grad if t.grad is not None else np.zeros_like(t.data)
        indices = list(np.ndindex(t.shape))
        numeric = _central_differences(t.data, indices, objective, eps)
        report.entries.append(_entry(f"input {position}", analytic, numeric, indices))
    return report


def check_model_gradients(model, loss_fn, batch, eps: float = 1e-6, tol: float = 1e-6,
                          max_per_parameter: int | None = 30,
                          rng: np.random.Generator | None = None) -> GradCheckReport:
    """Check every parameter of ``model`` on ``batch = (x, y)`` for ``loss_fn(model(x), y)``.

    Parameters are switched to float64 for the check and restored afterwards. Large
    parameters are checked on ``max_per_parameter`` randomly chosen entries (None: all).
    Use a deterministic model (``model.eval()`` if it has dropout).
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    x, y = (_to_float64(v) for v in batch)
    y = Tensor(y) if isinstance(y, np.ndarray) else y
    named = list(model.named_parameters())
    saved = [(p, p.data, p.grad) for _, p in named]
    try:
        for _, p in named:
            p.data, p.grad = p.data.astype(np.float64), None
        loss = loss_fn(model(Tensor(x)), y)
        upstream = float(rng.standard_normal())
        loss.backward(np.full(loss.shape, upstream))

        def objective() -> float:
            with no_grad():
                return float(np.sum(loss_fn(model(Tensor(x)), y).data) * upstream)

        report = GradCheckReport(tol=tol)
        for name, p in named:
            if not p.requires_grad:
                continue
            indices = list(np.ndindex(p.shape))
            if max_per_parameter is not None and len(indices) > max_per_parameter:
                picks = rng.choice(len(indices), size=max_per_parameter, replace=False)
                indices = [indices[i] for i in sorted(picks)]
            analytic = p.grad if p.grad is not None else np.zeros_like(p.data)
            numeric = _central_differences(p.data, indices, objective, eps)
            report.entries.append(_entry(name, analytic, numeric, indices))
        return report
    finally:
        for p, data, grad in saved:
            p.data, p.grad = data, grad


def _central_differences(array: np.ndarray, indices, objective, eps: float) -> np.ndarray:
    """∂objective/∂array[i] ≈ (f(x + ε) − f(x − ε)) / 2ε at each index, in place."""
    numeric = np.zeros(array.shape)
    for index in indices:
        original = array[index]
        array[index] = original + eps
        plus = objective()
        array[index] = original - eps
        minus = objective()
        array[index] = original
        numeric[index] = (plus - minus) / (2 * eps)
    return numeric


def _entry(name: str, analytic, numeric, indices) -> GradCheckEntry:
    picked_a = np.array([analytic[i] for i in indices])
    picked_n = np.array([numeric[i] for i in indices])
    errors = np.abs(picked_a - picked_n)
    worst = indices[int(np.argmax(errors))] if len(indices) else ()
    return GradCheckEntry(name, relative_difference(picked_a, picked_n),
                          float(np.linalg.norm(picked_a)), float(np.linalg.norm(picked_n)),
                          tuple(int(i) for i in worst), len(indices))


def _to_float64(value):
    value = value.data if isinstance(value, Tensor) else value
    value = np.asarray(value)
    return value.astype(np.float64) if value.dtype.kind == "f" else value


def _as_float64_tensor(x) -> Tensor:
    if isinstance(x, Tensor):
        data = x.data.astype(np.float64) if x.data.dtype.kind == "f" else x.data.copy()
        return Tensor(data, requires_grad=x.requires_grad and data.dtype.kind == "f")
    data = np.asarray(x)
    if data.dtype.kind == "f":
        return Tensor(data.astype(np.float64), requires_grad=True)
    return Tensor(data)

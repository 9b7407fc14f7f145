"""Receptive fields: how many input pixels one unit of each conv/pool layer can see.

Per axis, a layer with kernel f, stride s, padding p and dilation d maps (r, j, c) — the
field size, the jump (input pixels between neighbouring units) and the first unit's centre —
to  r' = r + d·(f − 1)·j,  j' = j·s,  c' = c + (d·(f − 1)/2 − p)·j  (Araujo et al., 2019).

Any model works, branches included: one forward pass records each conv/pool call through
forward hooks, and every other tensor takes the field of the inputs its op was computed
from (the largest, where branches join: a residual sum, an Inception concat). Global
pooling sees the whole image; adaptive pooling counts as a pool with kernel = stride = n/m
when its bins tile the input evenly, and as global otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivanet.autograd.mode import enable_grad
from ivanet.autograd.tensor import Tensor
from ivanet.nn.conv import Conv2d
from ivanet.nn.module import Module
from ivanet.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d
from ivanet.ops.im2col import resolve_padding


@dataclass
class Field:
    """Receptive field along one axis: size r, jump j, centre of the first unit c."""

    size: float
    jump: float
    start: float


@dataclass
class FieldRow:
    """One conv/pool call: its name, type, output shape and (height, width) fields."""

    name: str
    kind: str
    output_shape: tuple[int, ...]
    rows: Field
    columns: Field

    @property
    def size(self) -> tuple[float, float]:
        return self.rows.size, self.columns.size


GLOBAL = float("inf")


def _window(module: Module, in_shape) -> list[tuple[int, int, int, int]] | None:
    """(f, s, p_low, d) per axis for the module, or None when it sees the whole input."""
    if isinstance(module, Conv2d):
        pads = _pads(module.padding, in_shape, module.kernel_size, module.stride,
                     module.dilation)
        return [(f, s, p, d) for f, s, p, d in
                zip(module.kernel_size, module.stride, pads, module.dilation)]
    if isinstance(module, (MaxPool2d, AvgPool2d)):
        dilation = getattr(module, "dilation", (1, 1))
        return [(f, s, p, d) for f, s, p, d in
                zip(module.kernel_size, module.stride, module.padding, dilation)]
    if isinstance(module, AdaptiveAvgPool2d):
        sizes = list(zip(in_shape[2:], module.output_size))
        if all(n % m == 0 for n, m in sizes) and module.output_size != (1, 1):
            return [(n // m, n // m, 0, 1) for n, m in sizes]
    return None


def _pads(padding, in_shape, kernel, stride, dilation) -> tuple[int, int]:
    pads = resolve_padding(padding, in_shape[2:], kernel, stride, dilation, "Conv2d")
    return pads[0][0], pads[1][0]


def _grow(field: Field, f: int, s: int, p: int, d: int) -> Field:
    span = d * (f - 1)
    return Field(field.size + span * field.jump, field.jump * s,
                 field.start + (span / 2 - p) * field.jump)


def receptive_fields(model: Module, input_shape: tuple[int, ...]) -> list[FieldRow]:
    """The receptive field after every conv/pool layer of ``model``, in call order.

    ``input_shape`` includes the batch dimension, e.g. (1, 3, 224, 224). Global pooling
    rows have size ``inf`` (every unit sees the whole image).
    """
    fields: dict[int, tuple[Field, Field]] = {}
    keep: list[Tensor] = []                 # keeps ids unique while the pass runs
    names = {id(m): name for name, m in model.named_modules()}
    rows: list[FieldRow] = []
    kinds = (Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool2d)

    def hook(module, inputs, output) -> None:
        before = _lookup(inputs[0], fields, keep)
        window = _window(module, inputs[0].shape)
        if window is None:
            after = tuple(Field(GLOBAL, GLOBAL, 0.0) for _ in range(2))
        else:
            after = tuple(_grow(f, *w) for f, w in zip(before, window))
        fields[id(output)] = after
        keep.append(output)
        rows.append(FieldRow(names.get(id(module), ""), type(module).__name__,
                             tuple(output.shape), *after))

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, kinds)]
    dtype = next((p.data.dtype for p in model.parameters()), np.dtype(np.float32))
    x = Tensor(np.zeros(input_shape, dtype), requires_grad=True)
    fields[id(x)] = (Field(1.0, 1.0, 0.5), Field(1.0, 1.0, 0.5))
    keep.append(x)
    was_training = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with enable_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
        for module, mode in was_training:
            object.__setattr__(module, "training", mode)
    return rows


def _lookup(tensor, fields, keep) -> tuple[Field, Field]:
    """The field of ``tensor``: recorded, or the widest of the tensors it was made from."""
    order, visited, stack = [], set(), [(tensor, False)]
    while stack:                            # iterative post-order: inputs before outputs
        t, inputs_done = stack.pop()
        if inputs_done:
            order.append(t)
            continue
        if id(t) in visited or id(t) in fields or t.creator is None:
            continue
        visited.add(id(t))
        stack.append((t, True))
        stack.extend((x, False) for x in t.creator.inputs if isinstance(x, Tensor))
    for t in order:
        found = [fields[id(x)] for x in t.creator.inputs
                 if isinstance(x, Tensor) and id(x) in fields]
        if found:
            fields[id(t)] = max(found, key=lambda pair: pair[0].size + pair[1].size)
            keep.append(t)
    return fields.get(id(tensor), (Field(1.0, 1.0, 0.5), Field(1.0, 1.0, 0.5)))


def receptive_field(model: Module, input_shape: tuple[int, ...]) -> tuple[int, int]:
    """(height, width) of the receptive field of the last spatial (non-global) layer."""
    spatial = [row for row in receptive_fields(model, input_shape) if row.rows.size < GLOBAL]
    if not spatial:
        raise ValueError(f"{type(model).__name__} has no conv or pooling layer")
    return int(spatial[-1].rows.size), int(spatial[-1].columns.size)


def format_fields(rows: list[FieldRow]) -> str:
    """A table: layer, type, output shape, receptive field and jump."""
    lines = [f"{'layer':<28} {'type':<18} {'output shape':<20} {'field':>9} {'jump':>5}"]
    for row in rows:
        field = "global" if row.rows.size == GLOBAL else (
            f"{row.rows.size:g}×{row.columns.size:g}")
        jump = "-" if row.rows.jump == GLOBAL else f"{row.rows.jump:g}"
        lines.append(f"{row.name:<28} {row.kind:<18} {str(row.output_shape):<20} "
                     f"{field:>9} {jump:>5}")
    return "\n".join(lines)

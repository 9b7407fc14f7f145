"""``Module.summary``: a table of layers, output shapes and parameter counts (like Keras)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor


def summarize(model, shape_or_example, print_fn: Callable[[str], None] = print,
              dtype=np.float32) -> None:
    """Run one forward pass that records each layer's output shape, then print the table.

    A row per leaf module (and per container that owns parameters directly), in call
    order. The pass runs in eval mode under ``no_grad`` (running statistics untouched);
    the modes are restored afterwards.
    """
    x = _example(shape_or_example, dtype)
    shown = [(name, module) for name, module in model.named_modules()
             if not module._modules or any(p is not None for p in module._parameters.values())]
    shapes: dict[int, str] = {}
    called: list[int] = []

    def record(module, inputs, output) -> None:
        if id(module) not in shapes:
            shapes[id(module)] = _shape_text(output)
            called.append(id(module))

    handles = [module.register_forward_hook(record) for _, module in shown]
    modes = [(module, module.training) for module in model.modules()]
    try:
        model.eval()
        with no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
        for module, mode in modes:
            object.__setattr__(module, "training", mode)
    order = {module_id: i for i, module_id in enumerate(called)}
    shown.sort(key=lambda item: order.get(id(item[1]), len(order)))
    rows = [(name or "(model)", type(module).__name__,
             shapes.get(id(module), "not called"),
             f"{sum(p.size for p in module.parameters(recurse=False)):,}")
            for name, module in shown]
    print_fn(_table(type(model).__name__, ("Layer", "Type", "Output shape", "Param #"),
                    rows, model))


def _example(shape_or_example, dtype) -> Tensor:
    if isinstance(shape_or_example, Tensor):
        return shape_or_example
    if isinstance(shape_or_example, np.ndarray):
        return Tensor(shape_or_example)
    shape = tuple(shape_or_example)
    if not all(isinstance(n, (int, np.integer)) and n > 0 for n in shape):
        raise ValueError(f"summary() needs an input shape of positive ints (batch first) or "
                         f"an example array, got {shape_or_example!r}")
    return Tensor(np.zeros(shape, dtype=dtype))


def _shape_text(output) -> str:
    if isinstance(output, (tuple, list)):
        return "[" + ", ".join(_shape_text(item) for item in output) + "]"
    shape = getattr(output, "shape", None)
    return str(tuple(shape)) if shape is not None else type(output).__name__


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], model) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        text = "  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
        return text.rstrip()

    rule = "=" * (sum(widths) + 2 * (len(widths) - 1))
    total = model.num_parameters()
    trainable = model.num_parameters(trainable_only=True)
    return "\n".join([
        f'Model "{title}"', rule, line(header), "-" * len(rule), *map(line, rows), rule,
        f"Total params: {total:,}", f"Trainable params: {trainable:,}",
        f"Non-trainable params: {total - trainable:,}", rule,
    ])

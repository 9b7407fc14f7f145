"""Reverse-mode differentiation: an iterative topological walk of the recorded graph."""
from __future__ import annotations

import numpy as np

from ivanet.autograd.mode import state


def topological_order(root_fn) -> list:
    """Functions reachable from ``root_fn``, every function after all that consume it.

    Iterative depth-first search with an explicit stack, so a 100,000-step chain needs no
    recursion. Raises if part of the graph was already freed by an earlier ``backward``.
    """
    order, visited = [], set()
    stack = [(root_fn, False)]
    while stack:
        fn, inputs_done = stack.pop()
        if inputs_done:
            order.append(fn)
            continue
        if fn in visited:
            continue
        if fn.inputs is None:
            raise RuntimeError(
                f"backward() through a graph that was already freed (at {type(fn).__name__}): "
                "a graph is freed after backward(); call backward(retain_graph=True) the "
                "first time to go through it twice"
            )
        visited.add(fn)
        stack.append((fn, True))
        for x in fn.inputs:
            creator = getattr(x, "creator", None)
            if creator is not None and creator not in visited:
                stack.append((creator, False))
    order.reverse()
    return order


def run_backward(root, grad, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf), weighted by ``grad``, into every leaf's ``.grad``."""
    from ivanet.autograd.function import check_finite  # noqa: PLC0415  (cycle: function → tensor)

    pending = {root.creator: grad}
    for fn in topological_order(root.creator):
        grad_out = pending.pop(fn, None)
        if grad_out is None:  # every path to it returned no gradient
            if not retain_graph:
                fn.__dict__.clear()
                fn.inputs = None
            continue
        grads = fn.backward(grad_out)
        if not isinstance(grads, tuple):
            grads = (grads,)
        for x, g, needed in zip(fn.inputs, grads, fn.needs_input_grad):
            if not needed or g is None:
                continue
            if state.anomaly:
                check_finite(g, f"the gradient {type(fn).__name__} sent back",
                             getattr(fn, "created_at", "unknown location"))
            creator = x.creator
            if creator is None:
                _accumulate_leaf(x, g)
            elif creator in pending:
                pending[creator] = pending[creator] + g
            else:
                pending[creator] = g
        if not retain_graph:
            fn.__dict__.clear()
            fn.inputs = None


def _accumulate_leaf(leaf, grad) -> None:
    """Add ``grad`` into ``leaf.grad`` in place (so flat optimizer buffers stay shared)."""
    if grad.shape != leaf.data.shape:
        raise RuntimeError(
            f"internal error: gradient of shape {grad.shape} for a tensor of shape "
            f"{leaf.data.shape}"
        )
    if leaf.grad is None:
        # A copy: ops may hand the same array to several inputs.
        # np.generic too: a 0-d gradient may arrive as a NumPy scalar, which has no in-place +=.
        leaf.grad = np.array(grad, dtype=leaf.data.dtype, copy=True) if isinstance(
            grad, (np.ndarray, np.generic)) else grad.astype(leaf.data.dtype, copy=True)
    else:
        leaf.grad += grad

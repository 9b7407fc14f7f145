"""Global switches of the engine: gradient recording and anomaly detection."""
from __future__ import annotations

import contextlib


class _State:
    """Mutable engine flags, read on every op (attribute lookups, no locks)."""

    grad_enabled: bool = True
    anomaly: bool = False


state = _State()


@contextlib.contextmanager
def no_grad():
    """Run the block without recording a graph (inference, optimizer updates)."""
    previous = state.grad_enabled
    state.grad_enabled = False
    try:
        yield
    finally:
        state.grad_enabled = previous


@contextlib.contextmanager
def enable_grad():
    """Record a graph inside the block even if an outer ``no_grad`` turned it off."""
    previous = state.grad_enabled
    state.grad_enabled = True
    try:
        yield
    finally:
        state.grad_enabled = previous


def is_grad_enabled() -> bool:
    """True when ops record the graph."""
    return state.grad_enabled


@contextlib.contextmanager
def detect_anomaly():
    """Raise at the first op whose output or gradient holds NaN or inf.

    Every op created inside the block remembers where in user code it was made, and the
    error names the op and that place. Slower: use it to find a bug, not to train.
    """
    previous = state.anomaly
    state.anomaly = True
    try:
        yield
    finally:
        state.anomaly = previous

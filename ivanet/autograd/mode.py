"""Global switches of the engine: gradient recording and anomaly detection."""
from __future__ import annotations

import contextlib
import functools


class _State:
    """Mutable engine flags, read on every op (attribute lookups, no locks)."""

    grad_enabled: bool = True
    anomaly: bool = False


state = _State()


class no_grad:  # noqa: N801  (used like a function: ``with no_grad():``, as in PyTorch)
    """Run the block without recording a graph (inference, optimizer updates).

    A small class rather than a generator: entering and leaving costs a fraction of a
    microsecond, which matters for batch-1 inference.
    """

    __slots__ = ("previous",)

    def __enter__(self) -> None:
        self.previous = state.grad_enabled
        state.grad_enabled = False

    def __exit__(self, *exc_info) -> None:
        state.grad_enabled = self.previous

    def __call__(self, func):
        """Use as a decorator: ``@no_grad()`` runs ``func`` without recording."""
        @functools.wraps(func)
        def without_grad(*args, **kwargs):
            with no_grad():
                return func(*args, **kwargs)
        return without_grad


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

"""Data-parallel work over the cores BLAS may use: a few threads, each with a 1-thread BLAS.

A convolution's chunks of images (and batch norm's channels) are independent. Run one
after another, only the BLAS calls inside them use the second core, and a 16×144 @ 144×1024
product is too small to split well; the im2col copies and the numba transforms stay on one
core. Here the chunks are split between ``workers()`` threads instead, each calling BLAS
single-threaded: NumPy's copies and products and the numba kernels (``nogil=True``) release
the GIL, so the threads run in parallel. BLAS is held at one thread meanwhile, because
OpenBLAS's own workers spin for a while after each call and would fight these threads for
the cores (numba ``prange`` next to them measured 2–3× slower, see normalization_kernels).

``workers()`` is the thread count BLAS is allowed now (``OPENBLAS_NUM_THREADS``,
``threadpoolctl.threadpool_limits``); at 1, ``split`` runs everything in the caller.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from threadpoolctl import ThreadpoolController

T = TypeVar("T")

_lock = threading.Lock()
_state: dict = {"blas": None, "pool": None, "size": 0, "busy": False}


def _forget_pool() -> None:
    """A forked child has none of the parent's threads: start a new pool there when needed."""
    _state.update(pool=None, size=0, busy=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _blas():
    """The BLAS library controller NumPy uses (found once; None if unknown)."""
    if _state["blas"] is None:
        controllers = [c for c in ThreadpoolController().lib_controllers
                       if c.user_api == "blas"]
        _state["blas"] = controllers[0] if controllers else False
    return _state["blas"] or None


def workers() -> int:
    """How many threads the data-parallel ops use now: BLAS's current thread limit."""
    if _state["busy"]:                   # already inside a parallel region: stay serial
        return 1
    blas = _blas()
    return 1 if blas is None else max(1, int(blas.get_num_threads()))


def _pool(size: int) -> ThreadPoolExecutor:
    with _lock:
        if _state["pool"] is None or _state["size"] < size:
            _state["pool"] = ThreadPoolExecutor(max_workers=size,
                                                thread_name_prefix="ivanet")
            _state["size"] = size
        return _state["pool"]


def spans(total: int, parts: int, start: int = 0) -> list[tuple[int, int]]:
    """[(start, stop), ...]: ``total`` items from ``start`` on cut into at most ``parts``
    contiguous runs of about equal size."""
    parts = max(1, min(parts, total))
    bounds = [start + total * k // parts for k in range(parts + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def even_runs(start: int, stop: int, most: int) -> list[tuple[int, int]]:
    """start:stop cut into the fewest runs of at most ``most`` items, of about equal size
    (64 items with most=56: 32 + 32, not 56 + 8)."""
    return spans(stop - start, -(-(stop - start) // most), start)


def split(work: Callable[[int, int], T], total: int, *, min_items: int = 2) -> list[T]:
    """[work(start, stop) for each run of ``spans(total, workers())``], in parallel when
    BLAS allows more than one thread and there are at least ``min_items`` items."""
    count = workers()
    if count == 1 or total < min_items:
        return [work(0, total)]
    runs = spans(total, count)
    blas = _blas()
    _state["busy"] = True
    blas.set_num_threads(1)
    try:
        pool = _pool(len(runs) - 1)
        futures = [pool.submit(work, a, b) for a, b in runs[1:]]
        first = work(*runs[0])                                   # the caller takes a run
        return [first] + [f.result() for f in futures]
    finally:
        blas.set_num_threads(count)
        _state["busy"] = False


def serial_blas(call: Callable[..., T], *args) -> T:
    """call(*args) with BLAS held at one thread: for small products outside ``split``.

    OpenBLAS shares a (36 × 9) @ (9 × 4096) product between its threads, whose workers then
    spin on the cores for a while after it returns: the next ``split`` regions ran beside
    them, and a 2-thread ResNet-8 step took 210 ms instead of 135.
    """
    blas = _blas()
    count = 1 if blas is None else blas.get_num_threads()
    if count == 1:
        return call(*args)
    blas.set_num_threads(1)
    try:
        return call(*args)
    finally:
        blas.set_num_threads(count)


def total(parts: list):
    """The sum of ``split``'s per-thread partial arrays, added into the first (np.sum over
    the list would copy them into one array first)."""
    result = parts[0]
    for part in parts[1:]:
        result += part
    return result

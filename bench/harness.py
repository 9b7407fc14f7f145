"""Side-by-side timing of an ivanet workload and its PyTorch twin on the same machine.

The machine is shared and noisy, so the two are interleaved (A, B, A, B, ...) at the same
thread count and the median of many repeats is compared as a ratio; absolute times are
printed for orientation only.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from threadpoolctl import threadpool_limits


@dataclass
class Comparison:
    """Medians of the timed repeats of two workloads and what they mean per second."""

    name: str
    threads: int
    items_per_call: int
    ivanet_seconds: float
    torch_seconds: float

    @property
    def ratio(self) -> float:
        """ivanet's speed relative to PyTorch: > 1 means ivanet is faster."""
        return self.torch_seconds / self.ivanet_seconds

    def row(self) -> str:
        ivanet_rate = self.items_per_call / self.ivanet_seconds
        torch_rate = self.items_per_call / self.torch_seconds
        return (f"| {self.name} | {self.threads} | {ivanet_rate:,.0f} | {torch_rate:,.0f} | "
                f"{self.ivanet_seconds * 1e3:.3f} | {self.torch_seconds * 1e3:.3f} | "
                f"**{self.ratio:.2f}×** |")


HEADER = ("| workload | threads | ivanet items/s | PyTorch items/s | ivanet ms/call | "
          "PyTorch ms/call | ratio (ivanet speed / PyTorch) |\n|---|---|---|---|---|---|---|")


def compare(name: str, ivanet_call: Callable[[], None], torch_call: Callable[[], None],
            threads: int, items_per_call: int, repeats: int = 30, warmup: int = 5,
            calls_per_repeat: int = 5, settle: int = 0) -> Comparison:
    """Time both callables interleaved at ``threads`` threads; return the medians.

    ``settle`` untimed calls run before each timed block, on both sides: at 2 threads the
    side that just stopped leaves its worker threads spinning for a while (OpenMP's and
    OpenBLAS's wait policies), and the first call of the other side then shares its cores
    with them."""
    import torch  # noqa: PLC0415  (the benchmark peer, never imported by the package)

    torch.set_num_threads(threads)
    with threadpool_limits(limits=threads):
        for _ in range(warmup):
            ivanet_call()
            torch_call()
        ivanet_times, torch_times = [], []
        for _ in range(repeats):
            for _ in range(settle):
                ivanet_call()
            ivanet_times.append(_time(ivanet_call, calls_per_repeat))
            for _ in range(settle):
                torch_call()
            torch_times.append(_time(torch_call, calls_per_repeat))
    return Comparison(name, threads, items_per_call, statistics.median(ivanet_times),
                      statistics.median(torch_times))


def _time(call: Callable[[], None], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls

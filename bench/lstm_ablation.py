"""Which of the 2026-12-05 night's LSTM changes buys what: an in-process A/B/C/D.

The char-LSTM training step of ``rnn_bench.py`` at one thread, alternating between
  - all on;
  - "no table": the embedding lookup is not folded into the input projection
    (``ivanet.nn.recurrent._embedding_lookup`` answers None, so the layer projects the
    T·N looked-up rows);
  - "no fused loops": the step's elementwise work in NumPy (``lstm_kernels.numba`` None);
  - neither;
and PyTorch's step (fused Adam) after each round. Medians of ``--rounds`` × 2 steps.
The BLAS buffer prefault (``ivanet.ops.allocator``) is per process: see
``bench/blas_prefault.py``.
Run: ``python bench/lstm_ablation.py [--rounds 10]``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rnn_bench  # noqa: E402

from ivanet.nn import recurrent as recurrent_layers  # noqa: E402
from ivanet.ops import lstm_kernels  # noqa: E402


def _mean_of_two(step) -> float:
    start = time.perf_counter()
    step()
    step()
    return (time.perf_counter() - start) / 2


def main() -> None:
    import torch  # noqa: PLC0415  (the benchmark peer)

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, rnn_bench.VOCAB, (rnn_bench.BATCH, rnn_bench.SEQ))
    targets = rng.integers(0, rnn_bench.VOCAB, (rnn_bench.BATCH, rnn_bench.SEQ))
    step, torch_step = rnn_bench.steps("lstm", ids, targets)
    lookup, numba = recurrent_layers._embedding_lookup, lstm_kernels.numba
    off = lambda *args: None                                         # noqa: E731
    variants = {"all on": (lookup, numba), "no table": (off, numba),
                "no fused loops": (lookup, None), "neither": (off, None)}
    times = {name: [] for name in [*variants, "PyTorch"]}
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for _ in range(args.rounds):
            for name, (lookup_fn, module) in variants.items():
                recurrent_layers._embedding_lookup, lstm_kernels.numba = lookup_fn, module
                step()                                               # settle after a switch
                times[name].append(_mean_of_two(step))
            torch_step()
            times["PyTorch"].append(_mean_of_two(torch_step))
    recurrent_layers._embedding_lookup, lstm_kernels.numba = lookup, numba
    reference = statistics.median(times["PyTorch"])
    print("| variant | ms / step (median) | ratio to PyTorch |\n|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median * 1e3:.1f} | {reference / median:.2f}× |")


if __name__ == "__main__":
    main()

"""A/B of the vectorised float32 exp (``ivanet.ops.exp_kernels``) in the char-RNN steps.

The same ivanet LSTM / GRU training step of ``rnn_bench.py``, alternating between the
numba exp and NumPy's (``exp_kernels.numba`` set to None), in one process at 1 thread.
Run: ``OPENBLAS_NUM_THREADS=1 python bench/exp_ab.py [--pairs 12]``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rnn_bench  # noqa: E402

from ivanet.ops import exp_kernels  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=12)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, rnn_bench.VOCAB, (rnn_bench.BATCH, rnn_bench.SEQ))
    targets = rng.integers(0, rnn_bench.VOCAB, (rnn_bench.BATCH, rnn_bench.SEQ))
    numba = exp_kernels.numba
    for cell in ("lstm", "gru"):
        step, _ = rnn_bench.steps(cell, ids, targets)
        times = {"numpy exp": [], "numba exp": []}
        for _ in range(3):
            step()
        for _ in range(args.pairs):
            for name, module in (("numpy exp", None), ("numba exp", numba)):
                exp_kernels.numba = module
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
        exp_kernels.numba = numba
        print(cell, {name: f"{statistics.median(v) * 1e3:.1f} ms" for name, v in times.items()},
              f"(medians of {args.pairs})", flush=True)


if __name__ == "__main__":
    main()

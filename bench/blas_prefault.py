"""OpenBLAS's work buffer touched or not: the LSTM's per-step product and training step.

Each case runs in a fresh process (the effect lasts a process's life), with
``IVANET_BLAS_PREFAULT`` 0 or 1, alternating cold / warm ``--pairs`` times:
  - the product h · W_hhᵀ (32 × 256 · 256 × 1024, float32), best of 5 × 300 calls;
  - the char-LSTM training step of ``rnn_bench.py``, median of 8 steps after 3.
One BLAS thread. Run: ``python bench/blas_prefault.py [--pairs 2]``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
import ivanet                                    # prefaults unless IVANET_BLAS_PREFAULT=0
import rnn_bench
rng = np.random.default_rng(0)
h = rng.standard_normal((32, 256)).astype(np.float32)
w = rng.standard_normal((256, 1024)).astype(np.float32)
out = np.empty((32, 1024), np.float32)
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    for _ in range(300):
        np.matmul(h, w, out=out)
    best = min(best, (time.perf_counter() - start) / 300)
ids = rng.integers(0, 65, (32, 64))
step, _ = rnn_bench.steps("lstm", ids, rng.integers(0, 65, (32, 64)))
for _ in range(3):
    step()
times = []
for _ in range(8):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
print(f"{best * 1e6:.0f} {statistics.median(times) * 1e3:.1f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    print("| buffer | h·W_hhᵀ µs (best) | LSTM step ms (median) |\n|---|---|---|")
    for _ in range(args.pairs):
        for flag, name in (("0", "untouched (IVANET_BLAS_PREFAULT=0)"), ("1", "prefaulted")):
            env = dict(os.environ, IVANET_BLAS_PREFAULT=flag, OPENBLAS_NUM_THREADS="1")
            result = subprocess.run([sys.executable, "-c", CHILD, str(HERE)], env=env,
                                    capture_output=True, text=True, check=True)
            product, step = result.stdout.split()
            print(f"| {name} | {product} | {step} |", flush=True)


if __name__ == "__main__":
    main()

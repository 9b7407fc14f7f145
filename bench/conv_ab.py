"""ResNet-8 training step under each convolution algorithm and PyTorch, alternating in one
process (the machine is shared: only interleaved timings compare).

IVANET_CONV picks the algorithm per call: 'auto' (Winograd from 32 channels, the direct
kernel below), 'im2col', 'direct' or 'winograd' (each where it applies, im2col elsewhere).

Run from the repository root:  python bench/conv_ab.py --threads 1 --modes im2col auto
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conv_bench import _pair, _steps  # noqa: E402


def _timed(call, calls: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--modes", nargs="+", default=["im2col", "auto"])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import torch  # noqa: PLC0415  (the benchmark peer)

    model, twin, x, y = _pair("resnet8", (3, 32, 32), np.random.default_rng(0))
    ivanet_step, torch_step = _steps(model, twin, x, y)
    torch.set_num_threads(args.threads)
    times = {mode: [] for mode in args.modes + ["torch"]}
    with threadpool_limits(limits=args.threads):
        for mode in args.modes:
            os.environ["IVANET_CONV"] = mode
            ivanet_step()
        torch_step()
        for _ in range(args.rounds):
            for mode in args.modes:
                os.environ["IVANET_CONV"] = mode
                ivanet_step()                    # untimed: lets the other side's threads settle
                times[mode].append(_timed(ivanet_step))
            torch_step()
            times["torch"].append(_timed(torch_step))
    reference = statistics.median(times["torch"])
    for mode, values in times.items():
        median = statistics.median(values)
        print(f"{args.threads} thread(s) {mode:>8}: median {median:6.1f} ms  "
              f"ratio {reference / median:.2f}  ({' '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()

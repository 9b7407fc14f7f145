"""Where a ResNet-8 training step spends its time, per convolution / batch-norm call shape.

Wraps the ops' forward and backward with a timer (wall clock, so at 2 threads it is the
time of the parallel region). Run from the repository root:
    python bench/conv_layers.py --threads 1
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conv_bench import _pair, _steps  # noqa: E402

from ivanet.ops import conv, normalization  # noqa: E402

TIMES: dict = defaultdict(float)


def _wrap(cls, name: str, describe) -> None:
    method = getattr(cls, name)

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        result = method(self, *args, **kwargs)
        TIMES[(cls.__name__, name, describe(self, args))] += time.perf_counter() - start
        return result

    setattr(cls, name, timed)


def _conv_key(op, args) -> str:
    w = op.w_shape
    return f"{w[1]}→{w[0]} {w[2]}×{w[3]} {getattr(op, 'algorithm', '')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    _wrap(conv.Conv2d, "forward", lambda op, a: f"{a[1].shape[1]}→{a[1].shape[0]} {a[1].shape[2]}"
                                                f"×{a[1].shape[3]} in {a[0].shape[2]}²")
    _wrap(conv.Conv2d, "backward", lambda op, a: f"{_conv_key(op, a)} out {a[0].shape[2]}²")
    _wrap(normalization.BatchNorm, "forward", lambda op, a: f"{a[0].shape[1]} ch {a[0].shape[2]}²")
    _wrap(normalization.BatchNorm, "backward", lambda op, a: f"{a[0].shape[1]} ch {a[0].shape[2]}²")
    model, twin, x, y = _pair("resnet8", (3, 32, 32), np.random.default_rng(0))
    step, _ = _steps(model, twin, x, y)
    with threadpool_limits(limits=args.threads):
        for _ in range(3):
            step()
        TIMES.clear()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        total = (time.perf_counter() - start) / args.steps * 1e3
    print(f"step {total:.1f} ms at {args.threads} thread(s); by op (ms per step):")
    for key, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {key[0]:>9} {key[1]:<8} {key[2]:<34} {seconds / args.steps * 1e3:6.1f}")


if __name__ == "__main__":
    main()

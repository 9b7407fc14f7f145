"""ResNet-8 training step: this checkout's ivanet against PyTorch, alternating in one process.

To compare two versions of the code on a shared machine, run it from each checkout in turn
(the PyTorch side, measured in the same process each time, absorbs the machine's drift):

    git worktree add /tmp/base <commit>
    for r in 1 2 3; do for d in /tmp/base .; do
        (cd $d && PYTHONPATH=$d python bench/resnet8_ratio.py --threads 2); done; done

Prints "<checkout> <threads>t ivanet <ms> torch <ms> ratio <torch ms / ivanet ms>".
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conv_ab import _timed  # noqa: E402
from conv_bench import _pair, _steps  # noqa: E402

import ivanet  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    import torch  # noqa: PLC0415  (the benchmark peer)

    model, twin, x, y = _pair("resnet8", (3, 32, 32), np.random.default_rng(0))
    ivanet_step, torch_step = _steps(model, twin, x, y)
    torch.set_num_threads(args.threads)
    mine, theirs = [], []
    with threadpool_limits(limits=args.threads):
        ivanet_step()
        torch_step()
        for _ in range(args.rounds):
            ivanet_step()
            mine.append(_timed(ivanet_step))
            torch_step()
            theirs.append(_timed(torch_step))
    a, b = statistics.median(mine), statistics.median(theirs)
    where = Path(ivanet.__file__).resolve().parents[1]
    print(f"{where} {args.threads}t ivanet {a:6.1f} torch {b:6.1f} ratio {b / a:.3f}")


if __name__ == "__main__":
    main()

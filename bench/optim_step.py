"""Time one Adam step on the MLP 784-256-128-10 (235,146 float32 values), ivanet vs PyTorch.

PyTorch runs on one thread, fused (its fastest CPU Adam) and foreach (its default). Each
candidate runs blocks of ``--block`` consecutive steps (its arrays stay in cache, as in a
loop of optimizer steps), and the blocks take turns, so that load from other processes
hits all candidates alike.

    python bench/optim_step.py [--repeats 2000] [--block 20] [--optimizer adam|adamw|sgd]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

from ivanet.nn.parameter import Parameter
from ivanet.optim import SGD, Adam, AdamW

SHAPES = [(256, 784), (256,), (128, 256), (128,), (10, 128), (10,)]


def build(name: str, rng: np.random.Generator):
    """ivanet and torch optimizers over the same parameters, with gradients filled in."""
    arrays = [rng.standard_normal(shape).astype(np.float32) for shape in SHAPES]
    grads = [rng.standard_normal(shape).astype(np.float32) for shape in SHAPES]
    ours = [Parameter(a.copy()) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    for p, q, g in zip(ours, theirs, grads):
        q.grad = torch.tensor(g)
    ours_class, torch_class, options = {
        "adam": (Adam, torch.optim.Adam, {"lr": 1e-3}),
        "adamw": (AdamW, torch.optim.AdamW, {"lr": 1e-3, "weight_decay": 1e-2}),
        "sgd": (SGD, torch.optim.SGD, {"lr": 1e-2, "momentum": 0.9}),
    }[name]
    optimizer = ours_class(ours, **options)
    for p, g in zip(ours, grads):
        p.grad[...] = g
    candidates = {"ivanet": optimizer.step}
    for mode in ("fused", "foreach"):
        candidates[f"torch {mode}"] = torch_class(theirs, **options, **{mode: True}).step
    return candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--optimizer", default="adam", choices=["adam", "adamw", "sgd"])
    args = parser.parse_args()
    torch.set_num_threads(1)
    candidates = build(args.optimizer, np.random.default_rng(0))
    times = {name: [] for name in candidates}
    for _ in range(max(1, args.repeats // args.block)):
        for name, step in candidates.items():
            for _ in range(args.block):
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
    size = sum(int(np.prod(shape)) for shape in SHAPES)
    medians = {name: statistics.median(samples) * 1e6 for name, samples in times.items()}
    print(f"{args.optimizer} step on {size:,} float32 values, median of {args.repeats}:")
    for name, median in medians.items():
        ratio = median / medians["torch fused"]
        print(f"  {name:14s} {median:8.1f} µs  ({ratio:.2f} × torch fused)")


if __name__ == "__main__":
    main()

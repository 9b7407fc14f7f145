"""MLP 784-256-128-10 benchmark: training throughput (Adam, batch 128) and batch-1 latency.

Run from the repository root:  python bench/mlp.py [--threads 1 2] [--repeats 30]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import HEADER, compare  # noqa: E402

import ivanet  # noqa: E402
from ivanet import nn, optim  # noqa: E402
from ivanet.ops.losses import cross_entropy  # noqa: E402

SIZES = (784, 256, 128, 10)
BATCH = 128


def ivanet_model(rng):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(nn.Linear(n_in, n_out, rng=rng))
        if i < len(SIZES) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def torch_model(torch):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def main() -> None:
    import torch  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.random((BATCH, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], BATCH)
    x1 = x[:1].copy()

    model = ivanet_model(rng)
    opt = optim.Adam(model.parameters(), lr=1e-3)
    tx, ty, tx1 = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(x1)
    tmodel = torch_model(torch)
    topt = torch.optim.Adam(tmodel.parameters(), lr=1e-3, fused=True)
    tloss = torch.nn.CrossEntropyLoss()

    def ivanet_step():
        opt.zero_grad()
        loss = cross_entropy(model(ivanet.Tensor(x)), y)
        loss.backward()
        opt.step()

    def torch_step():
        topt.zero_grad()
        loss = tloss(tmodel(tx), ty)
        loss.backward()
        topt.step()

    def ivanet_infer():
        with ivanet.no_grad():
            model(ivanet.Tensor(x1))

    def torch_infer():
        with torch.inference_mode():
            tmodel(tx1)

    model.eval()
    tmodel.eval()
    print(HEADER)
    for threads in args.threads:
        model.train()
        tmodel.train()
        print(compare("MLP train step, batch 128, Adam (torch fused=True)", ivanet_step,
                      torch_step, threads, BATCH, repeats=args.repeats).row(), flush=True)
        model.eval()
        tmodel.eval()
        print(compare("MLP inference, batch 1", ivanet_infer, torch_infer, threads, 1,
                      repeats=args.repeats, calls_per_repeat=200).row(), flush=True)


if __name__ == "__main__":
    main()

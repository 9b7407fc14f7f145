"""Character LSTM / GRU language-model training step, ivanet vs PyTorch CPU.

vocab 65, embedding 64, hidden 256, sequence 64, batch 32, Adam (PyTorch fused=True);
one step = forward, cross-entropy over all 2,048 positions, backward, Adam update.
Run from the repository root:  python bench/rnn_bench.py [--threads 1 2] [--repeats 20]
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

VOCAB, EMBED, HIDDEN, SEQ, BATCH = 65, 64, 256, 64, 32


class IvanetLM(nn.Module):
    def __init__(self, cell: str, rng) -> None:
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBED, rng=rng)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(EMBED, HIDDEN, batch_first=True,
                                                            rng=rng)
        self.head = nn.Linear(HIDDEN, VOCAB, rng=rng)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))
        return self.head(out).reshape(-1, VOCAB)                  # (N·T, V)


def torch_model(torch, cell: str):
    class TorchLM(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(VOCAB, EMBED)
            kind = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
            self.rnn = kind(EMBED, HIDDEN, batch_first=True)
            self.head = torch.nn.Linear(HIDDEN, VOCAB)

        def forward(self, ids):
            out, _ = self.rnn(self.embedding(ids))
            return self.head(out).reshape(-1, VOCAB)
    return TorchLM()


def steps(cell: str, ids, targets):
    """The two training-step callables for ``cell`` ("lstm" or "gru")."""
    import torch  # noqa: PLC0415

    model = IvanetLM(cell, np.random.default_rng(0))
    opt = optim.Adam(model.parameters(), lr=2e-3)
    flat_targets = targets.reshape(-1)
    tmodel = torch_model(torch, cell)
    topt = torch.optim.Adam(tmodel.parameters(), lr=2e-3, fused=True)
    tids, ttargets = torch.from_numpy(ids), torch.from_numpy(flat_targets)
    tloss = torch.nn.CrossEntropyLoss()

    def ivanet_step():
        opt.zero_grad()
        cross_entropy(model(ids), flat_targets).backward()
        opt.step()

    def torch_step():
        topt.zero_grad()
        tloss(tmodel(tids), ttargets).backward()
        topt.step()
    return ivanet_step, torch_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cells", nargs="+", default=["lstm", "gru"])
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    ids = rng.integers(0, VOCAB, (BATCH, SEQ))
    targets = rng.integers(0, VOCAB, (BATCH, SEQ))
    print(HEADER)
    for cell in args.cells:
        ivanet_step, torch_step = steps(cell, ids, targets)
        for threads in args.threads:
            name = f"char {cell.upper()} train step (V65 E64 H256 T64 N32, Adam)"
            print(compare(name, ivanet_step, torch_step, threads, BATCH * SEQ,
                          repeats=args.repeats, warmup=3, calls_per_repeat=2).row(),
                  flush=True)


if __name__ == "__main__":
    assert ivanet is not None
    main()

"""CNN training benchmark against PyTorch CPU: LeNet-5 and a CIFAR ResNet-8.

LeNet-5: batch 64 of 1×28×28, SGD with momentum 0.9. ResNet-8 (16/32/64 channels, batch
norm): batch 64 of 3×32×32, same optimizer. Same architecture and starting weights on both
sides, interleaved timing at 1 and 2 threads (see harness.py).

Run from the repository root:  python bench/conv_bench.py [--threads 1 2] [--repeats 20]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "models"))
from harness import HEADER, compare  # noqa: E402

import ivanet  # noqa: E402
from ivanet import optim  # noqa: E402
from ivanet.models import lenet, resnet  # noqa: E402
from ivanet.ops.losses import cross_entropy  # noqa: E402

BATCH = 64


def _pair(name: str, shape, rng):
    """An ivanet model, its torch twin with the same weights, and one batch."""
    import torch  # noqa: PLC0415
    import torch_twins  # noqa: PLC0415  (the plain-torch architectures of the tests)

    if name == "lenet5":
        model, twin = lenet.lenet5(rng=rng), torch_twins.lenet5()
    else:
        model, twin = resnet.resnet8(rng=rng), torch_twins.resnet_cifar(8)
    twin.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in
                          model.state_dict().items()})
    x = rng.standard_normal((BATCH,) + shape).astype(np.float32)
    y = rng.integers(0, 10, BATCH)
    return model, twin, x, y


def _steps(model, twin, x, y):
    import torch  # noqa: PLC0415

    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    topt = torch.optim.SGD(twin.parameters(), lr=0.01, momentum=0.9)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    tloss = torch.nn.CrossEntropyLoss()

    def ivanet_step():
        opt.zero_grad()
        loss = cross_entropy(model(ivanet.Tensor(x)), y)
        loss.backward()
        opt.step()

    def torch_step():
        topt.zero_grad()
        loss = tloss(twin(tx), ty)
        loss.backward()
        topt.step()

    return ivanet_step, torch_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--models", nargs="+", default=["lenet5", "resnet8"])
    parser.add_argument("--settle", type=int, default=1,
                        help="untimed calls before each timed block, both sides (0: none)")
    args = parser.parse_args()
    shapes = {"lenet5": (1, 28, 28), "resnet8": (3, 32, 32)}
    titles = {"lenet5": "LeNet-5 train step, batch 64, 1×28×28, SGD momentum",
              "resnet8": "ResNet-8 (16/32/64, BN) train step, batch 64, 3×32×32, SGD momentum"}
    print(HEADER)
    for name in args.models:
        model, twin, x, y = _pair(name, shapes[name], np.random.default_rng(0))
        ivanet_step, torch_step = _steps(model, twin, x, y)
        for threads in args.threads:
            result = compare(titles[name], ivanet_step, torch_step, threads, BATCH,
                             repeats=args.repeats, warmup=3, calls_per_repeat=3,
                             settle=args.settle)
            print(result.row(), flush=True)


if __name__ == "__main__":
    main()

"""Day 3, convolution arithmetic: padding and stride, pooling, and the 1×1 convolution.

Output sizes from the formula ⌊(n + 2p − f)/s⌋ + 1 (``vision.conv_output_size``) are
checked against what ``nn.Conv2d`` and ``nn.MaxPool2d`` really return. Then the Inception
example: 28×28×192 → 32 maps by a 5×5 convolution, directly or through a 1×1 convolution
to 16 channels first. Multiplications are counted (output values × the products each
needs) and both versions are run and timed.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ivanet import Tensor, nn
from ivanet.autograd import no_grad
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_bars
from ivanet.vision import conv_output_size

POOL_EXAMPLE = np.array([[7, 3, 5, 2], [8, 7, 1, 6], [4, 9, 3, 9], [0, 8, 4, 5]], np.float32)
CASES = [(6, 3, 0, 1), (6, 3, 1, 1), (7, 3, 0, 2), (7, 3, 1, 2), (28, 5, 2, 1), (32, 5, 0, 2)]


def conv_multiplications(h: int, w: int, c_in: int, c_out: int, f: int) -> int:
    """Multiplications of a 'same' convolution: every output value needs f·f·c_in."""
    return h * w * c_out * f * f * c_in


def timed(layers: list, x: Tensor, repeats: int) -> tuple[float, tuple]:
    """Best wall time of the layers applied in turn, and the output's shape."""
    best = float("inf")
    with no_grad():
        for _ in range(repeats):
            started = time.perf_counter()
            out = x
            for layer in layers:
                out = layer(out)
            best = min(best, time.perf_counter() - started)
    return best, out.shape


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    rng = np.random.default_rng(seed)
    size_rows = []
    for n, f, p, s in CASES:
        conv = nn.Conv2d(1, 1, f, stride=s, padding=p, rng=rng)
        with no_grad():
            real = conv(Tensor(np.zeros((1, 1, n, n), np.float32))).shape[-1]
        size_rows.append({"n": n, "f": f, "p": p, "s": s,
                          "⌊(n + 2p − f)/s⌋ + 1": conv_output_size(n, f, p, s),
                          "nn.Conv2d output": real})
    with no_grad():
        pooled = nn.MaxPool2d(2)(Tensor(POOL_EXAMPLE[None, None])).numpy()[0, 0]

    side = pick(size, 28, 8)
    direct_count = conv_multiplications(side, side, 192, 32, 5)
    bottleneck_count = conv_multiplications(side, side, 192, 16, 1) + \
        conv_multiplications(side, side, 16, 32, 5)
    x = Tensor(rng.standard_normal((1, 192, side, side)).astype(np.float32))
    direct = [nn.Conv2d(192, 32, 5, padding=2, rng=rng)]
    bottleneck = [nn.Conv2d(192, 16, 1, rng=rng), nn.Conv2d(16, 32, 5, padding=2, rng=rng)]
    repeats = pick(size, 5, 1)
    direct_time, direct_shape = timed(direct, x, repeats)
    bottleneck_time, bottleneck_shape = timed(bottleneck, x, repeats)
    cost_rows = [{"branch": "5×5 conv, 192 → 32", "multiplications": direct_count,
                  "output": str(direct_shape), "seconds (best of runs)": direct_time},
                 {"branch": "1×1 conv 192 → 16, then 5×5 conv 16 → 32",
                  "multiplications": bottleneck_count, "output": str(bottleneck_shape),
                  "seconds (best of runs)": bottleneck_time}]
    ratio = direct_count / bottleneck_count
    plot_bars([("multiplications (millions)", ["direct 5×5", "1×1 then 5×5"],
                np.array([direct_count, bottleneck_count]) / 1e6),
               ("measured time (ms)", ["direct 5×5", "1×1 then 5×5"],
                np.array([direct_time, bottleneck_time]) * 1e3)],
              folder / "inception_cost.png",
              title=f"Inception branch on {side}×{side}×192 inputs")
    formula_ok = all(row["⌊(n + 2p − f)/s⌋ + 1"] == row["nn.Conv2d output"] for row in size_rows)
    return Outcome(
        tables=[Table("output sizes: the formula and the layer", size_rows),
                Table("the 1×1 convolution as a bottleneck", cost_rows)],
        figures=[("inception_cost.png", "Multiplications counted and time measured for the "
                  "two versions of the branch (same output shape).")],
        findings=[
            Finding("The output size is ⌊(n + 2p − f)/s⌋ + 1.", formula_ok,
                    f"{len(size_rows)} cases, the layer agrees with the formula in all"
                    if formula_ok else "the layer disagrees with the formula"),
            Finding("2×2 max pooling of the slide's 4×4 example gives [[8, 6], [9, 9]].",
                    np.array_equal(pooled, [[8, 6], [9, 9]]),
                    f"nn.MaxPool2d gives {pooled.astype(int).tolist()}"),
            Finding("The 1×1 bottleneck cuts the multiplications about 10 times.",
                    8 <= ratio <= 12, f"{direct_count / 1e6:.1f} M → "
                    f"{bottleneck_count / 1e6:.1f} M multiplications ({ratio:.1f}×)"),
            Finding("The bottleneck version also runs faster.", bottleneck_time < direct_time,
                    f"{direct_time * 1e3:.0f} ms → {bottleneck_time * 1e3:.0f} ms "
                    f"({direct_time / bottleneck_time:.1f}×)")])

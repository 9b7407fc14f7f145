"""A/B of the LSTM input projection: three passes over gx after the product, or one.

Baseline (before 2026-12-05 evening): gx = X W_ihᵀ, then gx += b_ih, gx += b_hh, gx *= scale.
Now: the gate scale is folded into W_ih and the summed bias, so one pass follows the product.
Run: ``OPENBLAS_NUM_THREADS=1 python bench/lstm_projection.py`` (the benchmark LSTM's shapes).
"""
import time

import numpy as np

from ivanet.ops import recurrent_kernels as kernels
from ivanet.ops.recurrent import RecurrentSequence

T, N, I, H = 64, 32, 64, 256


def main() -> None:
    rng = np.random.default_rng(0)
    xw = rng.standard_normal((T, N, I)).astype(np.float32)
    w = rng.standard_normal((4 * H, I)).astype(np.float32)
    b_ih, b_hh = rng.standard_normal((2, 4 * H)).astype(np.float32)
    scale = kernels.lstm_constants(H, np.float32)["scale"]

    def baseline():
        gx = (xw.reshape(T * N, I) @ w.T).reshape(T, N, -1)
        gx += b_ih
        gx += b_hh
        gx *= scale
        return gx

    def folded():
        return RecurrentSequence._input_projection(xw, w, b_ih, b_hh, "lstm", H, scale)

    print("max |difference|:", float(np.abs(baseline() - folded()).max()))
    times = {"baseline": [], "folded": []}
    for _ in range(15):                                  # alternate, 20 calls each
        for name, f in (("baseline", baseline), ("folded", folded)):
            start = time.perf_counter()
            for _ in range(20):
                f()
            times[name].append((time.perf_counter() - start) / 20)
    for name, values in times.items():
        print(f"{name}: {np.median(values) * 1e3:.2f} ms (median of 15 × 20 calls)")


if __name__ == "__main__":
    main()

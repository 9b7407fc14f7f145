"""One-thread float32 GEMM rates of NumPy's OpenBLAS and PyTorch's MKL on this step's shapes.

The char-LSTM benchmark's products (per step and all-steps) and the ResNet's first-layer
product, each timed alternately (7 rounds, median). Needs torch (the test extra).
Run: ``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python bench/gemm_blas.py``.
"""
import time

import numpy as np
import torch


def main() -> None:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)

    def array(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    cases = {
        "LSTM h·W_hhᵀ, 32×256 · 256×1024 (64 a step)": (array(32, 256),
                                                       np.ascontiguousarray(array(1024, 256).T)),
        "LSTM dG·W_hh, 32×1024 · 1024×256 (64 a step)": (array(32, 1024), array(1024, 256)),
        "LSTM dW_hh = dGᵀH, 1024×2048 · 2048×256": (np.ascontiguousarray(array(2048, 1024).T),
                                                     array(2048, 256)),
        "LSTM input projection, 2048×64 · 64×1024": (array(2048, 64),
                                                      np.ascontiguousarray(array(1024, 64).T)),
        "ResNet layer 1, 16×144 · 144×50176": (array(16, 144), array(144, 50176)),
    }
    print("| product | NumPy (OpenBLAS) GFLOP/s | PyTorch (MKL) GFLOP/s | MKL / OpenBLAS |")
    print("|---|---|---|---|")
    for name, (a, b) in cases.items():
        out = np.empty((a.shape[0], b.shape[1]), np.float32)
        ta, tb, tout = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(out)
        flops = 2 * a.shape[0] * a.shape[1] * b.shape[1]
        reps = max(5, int(3e8 / flops))
        numpy_t, torch_t = [], []
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(reps):
                np.matmul(a, b, out=out)
            numpy_t.append((time.perf_counter() - start) / reps)
            start = time.perf_counter()
            for _ in range(reps):
                torch.matmul(ta, tb, out=tout)
            torch_t.append((time.perf_counter() - start) / reps)
        n_rate, t_rate = flops / np.median(numpy_t) / 1e9, flops / np.median(torch_t) / 1e9
        print(f"| {name} | {n_rate:.1f} | {t_rate:.1f} | {t_rate / n_rate:.2f}× |")


if __name__ == "__main__":
    main()

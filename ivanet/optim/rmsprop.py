"""RMSprop: divide the gradient by a running root-mean-square of its recent values."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ivanet.optim.flat import Run
from ivanet.optim.optimizer import Optimizer
from ivanet.optim.sgd import l2_grad


class RMSprop(Optimizer):
    """RMSprop (Hinton, Coursera lecture 6e, 2012), as ``torch.optim.RMSprop``.

    With ``dw`` the gradient (plus ``weight_decay``·w, an L2 penalty) and ``alpha`` the
    course's β₂::

        s ← α·s + (1 − α)·dw²
        w ← w − lr · dw / (√s + ε)

    ``centered=True`` divides by the running *standard deviation* instead,
    ``√(s − ḡ²) + ε`` with ``ḡ ← α·ḡ + (1 − α)·dw``. ``momentum`` μ > 0 keeps a buffer
    ``b ← μ·b + dw/(√s + ε)`` and steps ``w ← w − lr·b``.
    """

    state_names = ("square_avg", "grad_avg", "momentum_buffer")
    nonnegative = ("lr", "weight_decay", "alpha", "eps", "momentum")

    def __init__(self, params: Iterable, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def _check(self, group: dict, where: str) -> None:
        if not group["alpha"] <= 1:
            raise ValueError(f"{where}: alpha must be in [0, 1], got {group['alpha']}")

    def _buffers(self, group: dict) -> tuple[str, ...]:
        names = ["scratch", "square_avg"]
        if group["centered"]:
            names.append("grad_avg")
        if group["momentum"]:
            names.append("momentum_buffer")
        if group["weight_decay"]:
            names.append("decayed_grad")
        return tuple(names)

    def _update(self, group: dict, run: Run) -> None:
        arrays = run.arrays
        w, s, scratch = arrays["data"], arrays["square_avg"], arrays["scratch"]
        dw = l2_grad(arrays, group["weight_decay"])
        alpha = group["alpha"]
        np.multiply(s, alpha, s)                         # s ← α·s
        np.multiply(dw, 1.0 - alpha, scratch)
        np.multiply(scratch, dw, scratch)
        np.add(s, scratch, s)                            #     + (1 − α)·dw²
        if group["centered"]:
            mean = arrays["grad_avg"]
            np.subtract(dw, mean, scratch)
            np.multiply(scratch, 1.0 - alpha, scratch)
            np.add(mean, scratch, mean)                  # ḡ ← ḡ + (1 − α)·(dw − ḡ)
            np.multiply(mean, mean, scratch)
            np.subtract(s, scratch, scratch)
            np.sqrt(scratch, scratch)                    # √(s − ḡ²)
        else:
            np.sqrt(s, scratch)                          # √s
        np.add(scratch, group["eps"], scratch)
        np.divide(dw, scratch, scratch)                  # dw / (√s + ε)
        if group["momentum"]:
            buffer = arrays["momentum_buffer"]
            np.multiply(buffer, group["momentum"], buffer)
            np.add(buffer, scratch, buffer)
            np.multiply(buffer, group["lr"], scratch)
        else:
            np.multiply(scratch, group["lr"], scratch)
        np.subtract(w, scratch, w)

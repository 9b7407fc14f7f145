"""Gradient descent with momentum in the course's form: ``v`` is an average of gradients.

The course and PyTorch write momentum differently; side by side, for one parameter ``w``
with gradient ``dw`` (weight decay already added to ``dw``)::

    course (this class)                     PyTorch (ivanet.optim.SGD, momentum=μ)
    v ← β·v + (1 − β)·dw    (v₀ = 0)         v ← μ·v + (1 − dampening)·dw    (v₁ = dw)
    w ← w − α·v                              w ← w − lr·v

The course's ``v`` is ``(1 − β)`` times PyTorch's sum ``Σ βᵗ⁻ᵏ·dwₖ``, so
``Momentum(lr=α, beta=β)`` equals ``SGD(lr=α·(1 − β), momentum=β)`` step for step. With
``SGD(lr=α, momentum=β, dampening=β)`` the update rule is the course's, but PyTorch starts
``v`` at ``dw`` instead of ``(1 − β)·dw``, so after ``t`` steps its ``v`` is larger by
``βᵗ·dw₁``: the two drift apart by ``α·dw₁·(β + β² + … + βᵗ)``.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ivanet.optim.flat import Run
from ivanet.optim.optimizer import Optimizer
from ivanet.optim.sgd import l2_grad


class Momentum(Optimizer):
    """Gradient descent with momentum as the course writes it (Polyak 1964, averaged form).

    ``v ← β·v + (1 − β)·dw``, ``w ← w − α·v``; ``weight_decay`` adds ``λ·w`` to ``dw``.
    See the module docstring for how it relates to :class:`~ivanet.optim.SGD`.
    """

    state_names = ("velocity",)
    nonnegative = ("lr", "weight_decay", "beta")

    def __init__(self, params: Iterable, lr: float = 1e-2, beta: float = 0.9,
                 weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, beta=beta, weight_decay=weight_decay))

    def _check(self, group: dict, where: str) -> None:
        if not group["beta"] < 1:
            raise ValueError(f"{where}: beta must be in [0, 1), got {group['beta']}")

    def _buffers(self, group: dict) -> tuple[str, ...]:
        names = ("scratch", "velocity")
        return names + ("decayed_grad",) if group["weight_decay"] else names

    def _update(self, group: dict, run: Run) -> None:
        arrays = run.arrays
        w, v, scratch = arrays["data"], arrays["velocity"], arrays["scratch"]
        dw = l2_grad(arrays, group["weight_decay"])
        beta = group["beta"]
        np.multiply(v, beta, v)                  # v ← β·v
        np.multiply(dw, 1.0 - beta, scratch)
        np.add(v, scratch, v)                    #     + (1 − β)·dw
        np.multiply(v, group["lr"], scratch)
        np.subtract(w, scratch, w)               # w ← w − α·v

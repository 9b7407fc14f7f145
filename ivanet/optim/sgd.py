"""Stochastic gradient descent, with optional momentum and Nesterov momentum (PyTorch's form).

In every ``_update`` below, a ufunc's third positional argument is its output: the arrays
are updated in place (the keyword ``out=`` costs about a microsecond more per call).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ivanet.optim.flat import Run
from ivanet.optim.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent ``w ← w − α·dw``, with momentum as ``torch.optim.SGD`` (Sutskever 2013).

    With ``momentum`` μ > 0 (``dw`` already includes ``weight_decay``·w, an L2 penalty)::

        v ← μ·v + (1 − dampening)·dw     (v ← dw on the first step)
        w ← w − α·v                       (Nesterov: w ← w − α·(dw + μ·v))

    This is PyTorch's form, where ``v`` is a *sum* of past gradients. The course writes
    momentum as an *average*, ``v ← β·v + (1 − β)·dw`` (see :class:`~ivanet.optim.Momentum`);
    the two agree exactly when ``lr`` here is ``α·(1 − β)`` and ``dampening=0``.
    """

    state_names = ("momentum_buffer",)
    nonnegative = ("lr", "weight_decay", "momentum", "dampening")

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      nesterov=nesterov, weight_decay=weight_decay))

    def _check(self, group: dict, where: str) -> None:
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"{where}: Nesterov momentum needs momentum > 0 and dampening = 0,"
                             f" got momentum={group['momentum']}, dampening={group['dampening']}")

    def _buffers(self, group: dict) -> tuple[str, ...]:
        names = ["scratch"]
        if group["momentum"]:
            names.append("momentum_buffer")
        if group["weight_decay"]:
            names.append("decayed_grad")
        return tuple(names)

    def _update(self, group: dict, run: Run) -> None:
        arrays = run.arrays
        w, scratch = arrays["data"], arrays["scratch"]
        dw = l2_grad(arrays, group["weight_decay"])
        momentum = group["momentum"]
        if momentum:
            v = arrays["momentum_buffer"]
            if run.step == 0:
                v[...] = dw
            else:
                np.multiply(v, momentum, v)
                if group["dampening"]:
                    np.multiply(dw, 1.0 - group["dampening"], scratch)
                    np.add(v, scratch, v)
                else:
                    np.add(v, dw, v)
            if group["nesterov"]:
                np.multiply(v, momentum, scratch)
                np.add(scratch, dw, scratch)
                dw = scratch
            else:
                dw = v
        np.multiply(dw, group["lr"], scratch)
        np.subtract(w, scratch, w)


def l2_grad(arrays: dict, weight_decay: float):
    """``dw + weight_decay·w`` (the gradient of an L2 penalty added), or ``dw`` itself.

    Written to the run's ``decayed_grad`` array: the parameter's own ``grad`` is left as the
    backward pass made it, as in PyTorch.
    """
    if not weight_decay:
        return arrays["grad"]
    out = arrays["decayed_grad"]
    np.multiply(arrays["data"], weight_decay, out)
    np.add(out, arrays["grad"], out)
    return out

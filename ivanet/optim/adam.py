"""Adam and AdamW: momentum and RMSprop together, with bias correction."""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ivanet.optim.flat import FlatGroup, Run
from ivanet.optim.optimizer import Optimizer
from ivanet.optim.sgd import l2_grad


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as ``torch.optim.Adam``.

    On step ``t``, with ``dw`` the gradient (plus ``weight_decay``·w, an L2 penalty)::

        V ← β₁·V + (1 − β₁)·dw              V̂ = V / (1 − β₁ᵗ)
        S ← β₂·S + (1 − β₂)·dw²             Ŝ = S / (1 − β₂ᵗ)
        w ← w − α · V̂ / (√Ŝ + ε)

    ``amsgrad=True`` divides by the largest ``S`` seen so far instead (Reddi et al., 2018).

    The state keeps ``V`` and ``S`` as unnormalised sums, ``grad_sum = V / (1 − β₁)`` and
    ``sq_grad_sum = S / (1 − β₂)``: then ``grad_sum ← β₁·grad_sum + dw`` is two passes over
    memory instead of three, and the constants fold into one step size. If ``betas`` is
    changed between steps the sums are rescaled, so the averages carry on unchanged.
    """

    state_names = ("grad_sum", "sq_grad_sum", "max_sq_grad_sum")
    nonnegative = ("lr", "weight_decay", "eps")
    decoupled = False  # AdamW: weight decay shrinks w directly instead of joining dw

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad))

    def _check(self, group: dict, where: str) -> None:
        betas = group["betas"]
        if len(betas) != 2 or not all(0 <= beta < 1 for beta in betas):
            raise ValueError(f"{where}: betas must be two numbers in [0, 1), got {betas}")
        group["betas"] = tuple(float(beta) for beta in betas)

    def _buffers(self, group: dict) -> tuple[str, ...]:
        names = ["scratch", "grad_sum", "sq_grad_sum"]
        if group["amsgrad"]:
            names.append("max_sq_grad_sum")
        if group["weight_decay"] and not self.decoupled:
            names.append("decayed_grad")
        return tuple(names)

    def _prepare(self, group: dict, flat: FlatGroup) -> None:
        betas = tuple(group["betas"])
        previous = flat.notes.get("betas", betas)
        if previous != betas:
            for name, old, new in (("grad_sum", previous[0], betas[0]),
                                   ("sq_grad_sum", previous[1], betas[1]),
                                   ("max_sq_grad_sum", previous[1], betas[1])):
                if name in flat.arrays:
                    np.multiply(flat.arrays[name], (1.0 - old) / (1.0 - new), flat.arrays[name])
        flat.notes["betas"] = betas

    def _after_load(self, group: dict, flat: FlatGroup) -> None:
        flat.notes["betas"] = tuple(group["betas"])

    def _update(self, group: dict, run: Run) -> None:
        arrays = run.arrays
        w, scratch = arrays["data"], arrays["scratch"]
        m, v = arrays["grad_sum"], arrays["sq_grad_sum"]
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        if self.decoupled:
            if weight_decay:
                np.multiply(w, 1.0 - lr * weight_decay, w)   # w ← (1 − αλ)·w
            dw = arrays["grad"]
        else:
            dw = l2_grad(arrays, weight_decay)
        np.multiply(m, beta1, m)
        np.add(m, dw, m)                                     # m ← β₁·m + dw
        np.multiply(dw, dw, scratch)
        np.multiply(v, beta2, v)
        np.add(v, scratch, v)                                # v ← β₂·v + dw²
        if group["amsgrad"]:
            peak = arrays["max_sq_grad_sum"]
            np.maximum(peak, v, out=peak)
            v = peak
        # V̂ = c1·m and √Ŝ = c2·√v, so  α·V̂/(√Ŝ + ε) = (α·c1/c2) · m/(√v + ε/c2).
        t = run.step + 1
        c1 = (1.0 - beta1) / (1.0 - beta1**t)
        c2 = math.sqrt((1.0 - beta2) / (1.0 - beta2**t))
        np.sqrt(v, scratch)
        np.add(scratch, group["eps"] / c2, scratch)
        np.divide(m, scratch, scratch)
        np.multiply(scratch, lr * c1 / c2, scratch)
        np.subtract(w, scratch, w)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as ``torch.optim.AdamW``.

    Before the Adam step, ``w ← (1 − α·λ)·w``: the decay no longer passes through ``V`` and
    ``S``, so it is not divided by ``√Ŝ`` (L2 in Adam decays weights with small gradients
    far more than others; this decays all alike).
    """

    decoupled = True

    def __init__(self, params: Iterable, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad)

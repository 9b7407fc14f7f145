"""Learning-rate schedules: each sets ``group["lr"]`` from the group's first lr and the epoch.

Call ``scheduler.step()`` once per epoch, after that epoch's ``optimizer.step()`` calls. The
schedules are closed forms of the epoch (PyTorch's ``get_lr`` instead multiplies the current
lr, which gives the same numbers up to rounding): an lr you set by hand is overwritten by
the next ``step()``.
"""
from __future__ import annotations

import math
import numbers


class LRScheduler:
    """Base class: ``lr = lr_at(base_lr, epoch)`` for every param group.

    Construction applies epoch 0 (the lr the optimizer had); ``step()`` moves to the next
    epoch. ``state_dict()`` is JSON-able: type, ``last_epoch``, ``base_lrs`` and options.
    """

    options: tuple[str, ...] = ()

    def __init__(self, optimizer):
        if not hasattr(optimizer, "param_groups"):
            raise TypeError(f"{type(self).__name__} expects an optimizer, "
                            f"got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lrs = [group["lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self._last_lr: list[float] = []
        self.step()

    def lr_at(self, base_lr: float, epoch: int) -> float:
        """The learning rate at ``epoch`` (0-based) for a group that started at ``base_lr``."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch and write the new learning rates into the param groups."""
        self.last_epoch += 1
        self._apply()

    def _apply(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.base_lrs):
            raise RuntimeError(f"{type(self).__name__} was made for {len(self.base_lrs)} param "
                               f"group(s), the optimizer now has {len(groups)}")
        self._last_lr = [self.lr_at(base, self.last_epoch) for base in self.base_lrs]
        for group, lr in zip(groups, self._last_lr):
            group["lr"] = lr

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last ``step()``, one per param group."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """``{"type", "last_epoch", "base_lrs", **options}``, all JSON-able."""
        return {"type": type(self).__name__, "last_epoch": self.last_epoch,
                "base_lrs": list(self.base_lrs),
                **{name: getattr(self, name) for name in self.options}}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore a saved schedule and re-apply its learning rates to the optimizer."""
        saved_type = state_dict.get("type", type(self).__name__)
        if saved_type != type(self).__name__:
            raise ValueError(f"cannot load a {saved_type} state into {type(self).__name__}")
        expected = {"type", "last_epoch", "base_lrs", *self.options}
        missing, unexpected = expected - set(state_dict) - {"type"}, set(state_dict) - expected
        if missing or unexpected:
            raise ValueError(f"cannot load {type(self).__name__} state: missing "
                             f"{sorted(missing)}, unexpected {sorted(unexpected)}")
        if len(state_dict["base_lrs"]) != len(self.base_lrs):
            raise ValueError(f"cannot load {type(self).__name__} state: it has "
                             f"{len(state_dict['base_lrs'])} base lrs, the optimizer has "
                             f"{len(self.base_lrs)} param groups")
        for name in self.options:
            setattr(self, name, state_dict[name])
        self.base_lrs = list(state_dict["base_lrs"])
        self.last_epoch = int(state_dict["last_epoch"])
        self._apply()

    def __repr__(self) -> str:
        options = ", ".join(f"{name}={getattr(self, name)}" for name in self.options)
        return f"{type(self).__name__}({options}, last_epoch={self.last_epoch})"


def _positive(value, name: str, integer: bool = False, zero_ok: bool = False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0 or (
            value == 0 and not zero_ok):
        bound = "≥ 0" if zero_ok else "> 0"
        raise ValueError(f"{name} must be {'an integer' if integer else 'a number'} {bound}, "
                         f"got {value!r}")
    return value


class StepLR(LRScheduler):
    """Step decay ``lr = base_lr · γ^⌊epoch / step_size⌋``, as PyTorch's ``StepLR``."""

    options = ("step_size", "gamma")

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        self.step_size = _positive(step_size, "step_size", integer=True)
        self.gamma = _positive(gamma, "gamma")
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """Exponential decay ``lr = base_lr · γ^epoch``, as PyTorch's ``ExponentialLR``."""

    options = ("gamma",)

    def __init__(self, optimizer, gamma: float):
        self.gamma = _positive(gamma, "gamma")
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma**epoch


class InverseTimeLR(LRScheduler):
    """The course's learning-rate decay: ``lr = base_lr / (1 + decay_rate · epoch)``.

    PyTorch has no class for it; ``LambdaLR(opt, lambda e: 1 / (1 + decay_rate * e))``
    computes the same.
    """

    options = ("decay_rate",)

    def __init__(self, optimizer, decay_rate: float):
        self.decay_rate = _positive(decay_rate, "decay_rate", zero_ok=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr / (1.0 + self.decay_rate * epoch)


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing (Loshchilov & Hutter, SGDR 2017) without restarts.

    ``lr = η_min + (base_lr − η_min)·(1 + cos(π·epoch / T_max)) / 2``: from ``base_lr`` at
    epoch 0 down to ``eta_min`` at ``T_max``, then back up (a cosine's period is
    ``2·T_max``), as ``torch.optim.lr_scheduler.CosineAnnealingLR``.
    """

    options = ("T_max", "eta_min")

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0):  # noqa: N803 (torch's name)
        self.T_max = _positive(T_max, "T_max", integer=True)
        self.eta_min = _positive(eta_min, "eta_min", zero_ok=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        cosine = (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0
        return self.eta_min + (base_lr - self.eta_min) * cosine

"""``Callback``: hooks that ``fit`` calls around epochs and batches; ``History``; ``Monitor``.

A callback sees the training run through ``self.trainer`` (a ``TrainingState``: model,
optimizer, epochs, history, ``stop_training`` ...), bound before ``on_train_begin``.
Callbacks run in ascending ``order`` (History first, checkpoints last, so a checkpoint
sees every other callback's state after the epoch). A callback whose state matters for a
resume returns it from ``state_dict()`` (JSON-able values and arrays) and takes it back
in ``load_state_dict()``; checkpoints store it under ``state_key``.
"""
from __future__ import annotations

import math


class Callback:
    """Base class: override the hooks you need; each default does nothing."""

    order: int = 50
    trainer = None

    @property
    def state_key(self) -> str:
        """Name of this callback's state in a checkpoint (the class name by default)."""
        return type(self).__name__

    def set_trainer(self, trainer) -> None:
        """Called by ``fit`` before ``on_train_begin``."""
        self.trainer = trainer

    def wants_batch_end(self) -> bool:
        """Whether ``fit`` must call ``on_batch_end`` (only callbacks that override it)."""
        return type(self).on_batch_end is not Callback.on_batch_end

    def on_train_begin(self) -> None:
        """Before the first epoch (``self.trainer.resumed`` tells a resumed run)."""

    def on_train_end(self) -> None:
        """After the last epoch, or after an early stop."""

    def on_epoch_begin(self, epoch: int) -> None:
        """Before epoch ``epoch`` (0-based)."""

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        """After epoch ``epoch``: ``logs`` holds epoch (1-based), train_*/dev_* metrics,
        lr and seconds."""

    def on_batch_end(self, step: int, logs: dict) -> None:
        """After optimizer step ``step`` of the epoch: ``logs`` holds ``loss``."""

    def close(self) -> None:
        """Release files and progress bars (also called when training fails)."""

    def state_dict(self) -> dict | None:
        """State needed to resume exactly, or None if there is none."""
        return None

    def load_state_dict(self, state: dict) -> None:
        """Take back what ``state_dict`` returned."""


class History(Callback):
    """One dict of logs per finished epoch; ``history["dev_loss"]`` gives a column."""

    order = 0

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self.rows.append(dict(logs))

    def __getitem__(self, key: str) -> list:
        if self.rows and all(key not in row for row in self.rows):
            raise KeyError(f"history has no {key!r}; it has {', '.join(self.rows[-1])}")
        return [row.get(key) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def last(self) -> dict:
        """The logs of the last finished epoch ({} before the first)."""
        return self.rows[-1] if self.rows else {}

    def __repr__(self) -> str:
        return f"History(epochs={len(self.rows)}, last={self.last})"


_MIN_NAMES = ("loss", "error", "mse", "mae")


class Monitor:
    """Tracks the best value of one logged metric: lower is better for losses and errors
    (``mode="auto"`` guesses from the name), higher for accuracy, F1, R²."""

    def __init__(self, name: str, mode: str = "auto", min_delta: float = 0.0) -> None:
        if mode == "auto":
            mode = "min" if name.endswith(_MIN_NAMES) else "max"
        if mode not in ("min", "max"):
            raise ValueError(f"monitor mode must be 'auto', 'min' or 'max', got {mode!r}")
        if min_delta < 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta}")
        self.name, self.mode, self.min_delta = name, mode, float(min_delta)
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = -1

    def value(self, logs: dict, who: str) -> float:
        """The monitored value in ``logs``, or a clear error listing what is there."""
        if self.name not in logs:
            raise ValueError(f"{who} monitors {self.name!r}, but the epoch logs have only "
                             f"{', '.join(logs)}")
        return float(logs[self.name])

    def improved(self, value: float, epoch: int) -> bool:
        """Whether ``value`` beats the best by more than ``min_delta`` (then it becomes
        the best)."""
        better = (value < self.best - self.min_delta if self.mode == "min"
                  else value > self.best + self.min_delta)
        if better:
            self.best, self.best_epoch = value, epoch
        return better

    def state_dict(self) -> dict:
        return {"best": self.best, "best_epoch": self.best_epoch}

    def load_state_dict(self, state: dict) -> None:
        self.best, self.best_epoch = float(state["best"]), int(state["best_epoch"])

"""``EarlyStopping``: stop when a dev metric stops improving (Day 2 regularisation)."""
from __future__ import annotations

from ivanet.training.callbacks.base import Callback, Monitor


class EarlyStopping(Callback):
    """Stop after ``patience`` epochs without an improvement of ``monitor`` by more than
    ``min_delta``.

    With ``restore_best_weights`` the model ends training (stopped early or not) with the
    weights of its best epoch; those weights are part of the state a checkpoint saves, so
    a resumed run restores the same ones.
    """

    order = 60

    def __init__(self, monitor: str = "dev_loss", patience: int = 5, min_delta: float = 0.0,
                 mode: str = "auto", restore_best_weights: bool = False) -> None:
        if int(patience) < 0:
            raise ValueError(f"EarlyStopping patience must be >= 0, got {patience}")
        self.monitor = Monitor(monitor, mode, min_delta)
        self.patience, self.restore_best_weights = int(patience), restore_best_weights
        self.wait, self.stopped_epoch = 0, -1
        self.best_weights: dict | None = None

    def on_train_begin(self) -> None:
        if not self.trainer.resumed:
            self.monitor = Monitor(self.monitor.name, self.monitor.mode, self.monitor.min_delta)
            self.wait, self.stopped_epoch, self.best_weights = 0, -1, None
        elif self.stopped_epoch >= 0:  # resuming a run that this callback had stopped
            self.trainer.stop(f"early stopping: the run had stopped after epoch "
                              f"{self.stopped_epoch + 1}")

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        value = self.monitor.value(logs, "EarlyStopping")
        if self.monitor.improved(value, epoch):
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = self.trainer.model.state_dict()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.trainer.stop(f"early stopping: {self.monitor.name} did not improve for "
                              f"{self.wait} epochs (best {self.monitor.best:.4g} at epoch "
                              f"{self.monitor.best_epoch + 1})")

    def on_train_end(self) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.trainer.model.load_state_dict(self.best_weights)
            self.trainer.restored_epoch = self.monitor.best_epoch

    def state_dict(self) -> dict:
        state = {**self.monitor.state_dict(), "wait": self.wait,
                 "stopped_epoch": self.stopped_epoch}
        if self.best_weights is not None:
            state["best_weights"] = self.best_weights
        return state

    def load_state_dict(self, state: dict) -> None:
        self.monitor.load_state_dict(state)
        self.wait, self.stopped_epoch = int(state["wait"]), int(state["stopped_epoch"])
        weights = state.get("best_weights")
        self.best_weights = {k: v.copy() for k, v in weights.items()} if weights else None

"""``ModelCheckpoint``: ``last.safetensors`` after every epoch, ``best.safetensors`` when
the monitored dev metric improves; both written atomically."""
from __future__ import annotations

import os
from pathlib import Path

from ivanet.training.callbacks.base import Callback, Monitor
from ivanet.training.checkpoint import save_checkpoint


class ModelCheckpoint(Callback):
    """Save everything needed to resume (model, optimizer, schedule, callbacks, history,
    random state) into ``directory``.

    Runs after every other callback (``order`` 100), so the checkpoint holds their state
    at the end of the epoch. ``every_n_steps`` > 0 also rewrites ``last.safetensors``
    mid-epoch; a resume from such a checkpoint continues at the next batch.
    """

    order = 100

    def __init__(self, directory: str | os.PathLike, monitor: str = "dev_loss",
                 mode: str = "auto", save_best: bool = True, save_last: bool = True,
                 every_n_steps: int = 0) -> None:
        self.directory = Path(directory)
        self.monitor = Monitor(monitor, mode)
        self.save_best, self.save_last = save_best, save_last
        self.every_n_steps = int(every_n_steps)

    @property
    def last_path(self) -> Path:
        return self.directory / "last.safetensors"

    @property
    def best_path(self) -> Path:
        return self.directory / "best.safetensors"

    def on_train_begin(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not self.trainer.resumed:
            self.monitor = Monitor(self.monitor.name, self.monitor.mode)

    def wants_batch_end(self) -> bool:
        return self.every_n_steps > 0 and self.save_last

    def on_batch_end(self, step: int, logs: dict) -> None:
        steps = self.trainer.steps_per_epoch
        if (step + 1) % self.every_n_steps == 0 and step + 1 < steps:
            save_checkpoint(self.last_path, self.trainer.checkpoint(batches_done=step + 1))

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        improved = self.monitor.improved(self.monitor.value(logs, "ModelCheckpoint"), epoch)
        if not (self.save_last or (self.save_best and improved)):
            return
        checkpoint = self.trainer.checkpoint()
        if self.save_last:
            save_checkpoint(self.last_path, checkpoint)
        if self.save_best and improved:
            save_checkpoint(self.best_path, checkpoint)

    def state_dict(self) -> dict:
        return self.monitor.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.monitor.load_state_dict(state)

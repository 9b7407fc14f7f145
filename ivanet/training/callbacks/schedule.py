"""``LRSchedulerCallback``: step a learning-rate schedule after every epoch (or batch)."""
from __future__ import annotations

from ivanet.training.callbacks.base import Callback


class LRSchedulerCallback(Callback):
    """Call ``schedule.step()`` at the end of each epoch (``interval="epoch"``) or after
    each optimizer step (``interval="step"``).

    The schedule's ``state_dict()`` goes into checkpoints under ``scheduler``, so a
    resumed run continues on the same learning-rate curve.
    """

    order = 10

    def __init__(self, schedule, interval: str = "epoch") -> None:
        if interval not in ("epoch", "step"):
            raise ValueError(f"LRSchedulerCallback interval must be 'epoch' or 'step', "
                             f"got {interval!r}")
        self.schedule, self.interval = schedule, interval

    def set_trainer(self, trainer) -> None:
        super().set_trainer(trainer)
        trainer.scheduler = self.schedule

    def wants_batch_end(self) -> bool:
        return self.interval == "step"

    def on_batch_end(self, step: int, logs: dict) -> None:
        self.schedule.step()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        if self.interval == "epoch":
            self.schedule.step()

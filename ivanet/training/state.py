"""``TrainingState``: what ``fit`` and its callbacks share, and how it goes into a checkpoint.

Resuming is exact because nothing random is carried from one epoch to the next: the
loader's shuffle and augmentation come from (seed, epoch, batch) (``DataLoader``), the
dropout masks from a generator re-seeded from (seed, epoch) at each epoch start
(:func:`epoch_rng`), and the optimizer, schedule and callback states are restored exactly.
"""
from __future__ import annotations

import numpy as np

from ivanet.training.callbacks.base import Callback, History
from ivanet.training.checkpoint import Checkpoint, restore_model
from ivanet.training.errors import CheckpointError

DROPOUT_STREAM = 2  # spawn_key (epoch, 2); the DataLoader uses (epoch, 0) and (epoch, 1, b)


def epoch_rng(seed: int, epoch: int, stream: int = DROPOUT_STREAM) -> np.random.Generator:
    """The generator of ``stream`` in ``epoch``: the same for the same (seed, epoch)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(epoch, stream)))


def random_layers(model) -> list:
    """Modules that draw random numbers in training (they hold an ``rng`` Generator)."""
    return [module for module in model.modules()
            if isinstance(getattr(module, "rng", None), np.random.Generator)]


class TrainingState:
    """The run in progress: model, optimizer, schedule, callbacks, counters and history.

    ``epoch`` is the 0-based epoch running now, ``step`` the number of optimizer steps
    taken in the whole run. ``info`` carries what a checkpoint describes but training does
    not use: ``model_name``, ``model_config``, ``config``, ``norm`` (standardisation
    arrays) and ``data`` (task, class names, input shape).
    """

    def __init__(self, model, optimizer, callbacks: list[Callback], history: History, *,
                 epochs: int, initial_epoch: int, seed: int, steps_per_epoch: int,
                 info: dict | None = None) -> None:
        self.model, self.optimizer, self.scheduler = model, optimizer, None
        self.callbacks, self.history = callbacks, history
        self.epochs, self.initial_epoch, self.seed = epochs, initial_epoch, seed
        self.steps_per_epoch, self.epoch, self.step = steps_per_epoch, initial_epoch, 0
        self.start_batch, self.partial = 0, {"loss_sum": 0.0, "count": 0}
        self.stop_training, self.stop_reason = False, ""
        self.restored_epoch: int | None = None
        self.resumed = False
        self.info = dict(info or {})
        self.random_layers = random_layers(model)
        self.dropout_rng: np.random.Generator | None = None

    def stop(self, reason: str) -> None:
        """Ask ``fit`` to stop after this epoch (what ``EarlyStopping`` calls)."""
        self.stop_training, self.stop_reason = True, reason

    def begin_epoch(self, epoch: int) -> None:
        """Re-seed the random layers for ``epoch`` (one generator shared by all of them)."""
        self.epoch = epoch
        self.dropout_rng = epoch_rng(self.seed, epoch)
        for module in self.random_layers:
            module.rng = self.dropout_rng

    # ----------------------------------------------------------------- checkpoints
    def checkpoint(self, batches_done: int = 0, partial: dict | None = None) -> Checkpoint:
        """Everything needed to continue: after the current epoch, or mid-epoch after
        ``batches_done`` batches (then the dropout generator's state and the running loss
        of the epoch so far are used on resume; at an epoch's end the next epoch re-seeds)."""
        rng = {"seed": self.seed, "batches_done": batches_done,
               "dropout": (self.dropout_rng.bit_generator.state
                           if self.dropout_rng is not None else None)}
        if batches_done:
            rng["partial"] = dict(partial or {})
        callbacks = {}
        for callback in self.callbacks:
            state = callback.state_dict()
            if state is not None:
                callbacks[callback.state_key] = state
        return Checkpoint(
            model_name=self.info.get("model_name", type(self.model).__name__),
            model_state=self.model.state_dict(copy=False),
            model_config=self.info.get("model_config", {}),
            config=self.info.get("config", {}),
            epoch=self.epoch + (0 if batches_done else 1), step=self.step,
            optimizer=self.optimizer.state_dict(),
            scheduler=self.scheduler.state_dict() if self.scheduler is not None else None,
            history=list(self.history.rows), rng=rng,
            norm=dict(self.info.get("norm", {})), callbacks=callbacks,
            data=self.info.get("data", {}))

    def restore(self, checkpoint: Checkpoint) -> None:
        """Load model, optimizer, schedule, callbacks, history and counters."""
        where = f"checkpoint {str(checkpoint.path)!r}" if checkpoint.path else "checkpoint"
        restore_model(self.model, checkpoint)
        try:
            if checkpoint.optimizer is not None:
                self.optimizer.load_state_dict(checkpoint.optimizer)
            if self.scheduler is not None and checkpoint.scheduler is not None:
                self.scheduler.load_state_dict(self._planned_schedule(checkpoint.scheduler))
            for callback in self.callbacks:
                if callback.state_key in checkpoint.callbacks:
                    callback.load_state_dict(checkpoint.callbacks[callback.state_key])
        except (ValueError, KeyError, TypeError) as error:
            raise CheckpointError(f"{where} does not fit this training setup: {error}") from None
        self.history.rows = [dict(row) for row in checkpoint.history]
        self.step, self.initial_epoch = int(checkpoint.step), int(checkpoint.epoch)
        self.start_batch = int(checkpoint.rng.get("batches_done", 0))
        self.partial = dict(checkpoint.rng.get("partial") or {"loss_sum": 0.0, "count": 0})
        self._saved_dropout = checkpoint.rng.get("dropout")
        self.resumed = True

    def _planned_schedule(self, saved: dict) -> dict:
        """The saved schedule state with this run's own options (T_max, step_size, ...):
        they follow the configured epochs, so a run resumed with more epochs decays over the
        new total instead of sitting at η_min or climbing the cosine's second half."""
        if saved.get("type") != type(self.scheduler).__name__:
            return saved                                 # load_state_dict says what is wrong
        return {**saved, **{name: getattr(self.scheduler, name)
                            for name in self.scheduler.options}}

    def resume_mid_epoch(self) -> None:
        """After ``begin_epoch`` of a resumed epoch: continue the dropout stream where the
        mid-epoch checkpoint left it."""
        saved = getattr(self, "_saved_dropout", None)
        if saved is not None and self.dropout_rng is not None:
            self.dropout_rng.bit_generator.state = saved
        self._saved_dropout = None

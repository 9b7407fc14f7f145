"""``ProgressBar``: a live tqdm bar per epoch on a terminal, one plain line per epoch
otherwise (logs, CI, redirected output)."""
from __future__ import annotations

import sys
from typing import TextIO

from tqdm.auto import tqdm

from ivanet.training.callbacks.base import Callback


def format_logs(logs: dict) -> str:
    """``train_loss 0.1234  dev_accuracy 0.9760  lr 0.001  4.1s``: the epoch's numbers."""
    parts = []
    for key, value in logs.items():
        if key == "epoch" or not isinstance(value, (int, float)):
            continue
        if key == "seconds":
            parts.append(f"{value:.1f}s")
        elif key == "lr":
            parts.append(f"lr {value:.3g}")
        else:
            parts.append(f"{key} {value:.4f}")
    return "  ".join(parts)


class ProgressBar(Callback):
    """Shows training progress on ``file`` (stdout by default).

    On a terminal: a tqdm bar per epoch with the running loss, closed with the epoch's
    metrics. Elsewhere: exactly one line per epoch, ``epoch 3/30  train_loss ...``.
    """

    order = 90

    def __init__(self, file: TextIO | None = None, live: bool | None = None,
                 refresh_every: int = 10) -> None:
        self.file, self.live, self.refresh_every = file, live, max(1, int(refresh_every))
        self.bar = None
        self._loss_sum, self._steps = 0.0, 0

    def _stream(self) -> TextIO:
        return self.file if self.file is not None else sys.stdout

    def on_train_begin(self) -> None:
        if self.live is None:
            stream = self._stream()
            self.live = bool(getattr(stream, "isatty", lambda: False)())

    def wants_batch_end(self) -> bool:
        return bool(self.live)

    def on_epoch_begin(self, epoch: int) -> None:
        self._loss_sum, self._steps = 0.0, 0
        if self.live:
            self.bar = tqdm(total=self.trainer.steps_per_epoch, file=self._stream(),
                            desc=self._title(epoch), unit="step", leave=True,
                            dynamic_ncols=True)

    def on_batch_end(self, step: int, logs: dict) -> None:
        self._loss_sum += logs["loss"]
        self._steps += 1
        if self.bar is not None:
            self.bar.update(1)
            if self._steps % self.refresh_every == 0:
                self.bar.set_postfix_str(f"loss {self._loss_sum / self._steps:.4f}",
                                         refresh=False)

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        summary = format_logs(logs)
        if self.bar is not None:
            self.bar.set_postfix_str(summary, refresh=False)
            self.bar.close()
            self.bar = None
        else:
            print(f"{self._title(epoch)}  {summary}", file=self._stream(), flush=True)

    def _title(self, epoch: int) -> str:
        width = len(str(self.trainer.epochs))
        return f"epoch {epoch + 1:>{width}}/{self.trainer.epochs}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def on_train_end(self) -> None:
        self.close()

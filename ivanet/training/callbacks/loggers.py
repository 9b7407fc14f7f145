"""Per-epoch loggers: ``CSVLogger``, ``JSONLinesLogger`` (flushed every epoch) and
``TensorBoard`` (needs the optional package tensorboardX)."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from ivanet.training.callbacks.base import Callback
from ivanet.training.errors import DependencyError


class _FileLogger(Callback):
    """Opens ``path`` at train begin: a new run starts the file afresh; a resumed run
    rewrites it from the restored history, dropping rows logged after the checkpoint."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.handle = None

    def on_train_begin(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("w", newline="", encoding="utf-8")
        self._start()
        if self.trainer.resumed:
            for row in self.trainer.history.rows:
                self._write(row)
        self.handle.flush()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        self._write(logs)
        self.handle.flush()

    def _start(self) -> None:
        """Prepare a freshly opened file."""

    def _write(self, row: dict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def on_train_end(self) -> None:
        self.close()


class CSVLogger(_FileLogger):
    """One CSV row per epoch; the columns are those of the first row."""

    def _start(self) -> None:
        self.writer = None

    def _write(self, row: dict) -> None:
        if self.writer is None:
            self.writer = csv.DictWriter(self.handle, fieldnames=list(row),
                                         extrasaction="ignore")
            self.writer.writeheader()
        self.writer.writerow(row)


class JSONLinesLogger(_FileLogger):
    """One JSON object per line and epoch (what ``ivanet report`` reads first)."""

    def _write(self, row: dict) -> None:
        self.handle.write(json.dumps(row) + "\n")


class TensorBoard(Callback):
    """Write every numeric epoch log as a TensorBoard scalar under ``log_dir``."""

    def __init__(self, log_dir: str | os.PathLike) -> None:
        try:
            from tensorboardX import SummaryWriter  # noqa: PLC0415  (optional dependency)
        except ImportError:
            raise DependencyError("TensorBoard logging needs the optional package "
                                  "tensorboardX: pip install tensorboardX") from None
        self.log_dir = Path(log_dir)
        self._writer_class, self.writer = SummaryWriter, None

    def on_train_begin(self) -> None:
        self.writer = self._writer_class(str(self.log_dir))

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        for key, value in logs.items():
            if key != "epoch" and isinstance(value, (int, float)):
                self.writer.add_scalar(key, value, epoch + 1)
        self.writer.flush()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def on_train_end(self) -> None:
        self.close()

"""Each callback on a tiny problem: history, early stopping, checkpoints, schedule, logs,
progress output and TensorBoard's optional dependency."""
import csv
import io
import json

import numpy as np
import pytest
from training_helpers import tiny_model

from ivanet.optim import Adam, StepLR
from ivanet.training import (Callback, CSVLogger, DependencyError, EarlyStopping,
                             JSONLinesLogger, LRSchedulerCallback, ModelCheckpoint,
                             ProgressBar, TensorBoard, fit, load_checkpoint)


class _Script(Callback):
    """Overwrites ``dev_loss`` with scripted values and snapshots the weights per epoch."""

    order = -1  # before History (0), EarlyStopping and the checkpoints

    def __init__(self, values):
        self.values, self.weights = list(values), []

    def on_epoch_end(self, epoch, logs):
        logs["dev_loss"] = self.values[epoch]
        self.weights.append(self.trainer.model.state_dict())


def _fit(tiny_arrays, callbacks, epochs=6, model=None, optimizer=None):
    x, y, x_dev, y_dev = tiny_arrays
    model = model or tiny_model()
    optimizer = optimizer or Adam(model.parameters(), lr=0.02)
    history = fit(model, (x, y), (x_dev, y_dev), epochs=epochs, optimizer=optimizer,
                  batch_size=16, callbacks=callbacks, progress=False)
    return model, history


def _same_weights(a, b):
    return all(np.array_equal(a[name], b[name]) for name in a)


def test_early_stopping_stops_after_patience_and_restores_best(tiny_arrays):
    script = _Script([1.0, 0.5, 0.6, 0.7, 0.4, 0.3])
    stopper = EarlyStopping("dev_loss", patience=2, restore_best_weights=True)
    model, history = _fit(tiny_arrays, [script, stopper])
    assert len(history) == 4 and stopper.stopped_epoch == 3
    assert history["dev_loss"] == [1.0, 0.5, 0.6, 0.7]
    assert stopper.trainer.stop_reason.startswith("early stopping: dev_loss did not improve")
    assert _same_weights(model.state_dict(), script.weights[1])  # the best epoch's weights
    assert not _same_weights(model.state_dict(), script.weights[3])


def test_early_stopping_min_delta_and_max_mode(tiny_arrays):
    script = _Script([0.50, 0.51, 0.515, 0.9, 0.9, 0.9])
    stopper = EarlyStopping("dev_loss", patience=2, min_delta=0.02, mode="max")
    _, history = _fit(tiny_arrays, [script, stopper])
    assert len(history) == 3  # +0.01 and +0.015 are below min_delta


def test_early_stopping_state_round_trip(tiny_arrays):
    stopper = EarlyStopping(patience=5, restore_best_weights=True)
    _fit(tiny_arrays, [_Script([1.0, 0.5, 0.6]), stopper], epochs=3)
    state = stopper.state_dict()
    other = EarlyStopping(patience=5, restore_best_weights=True)
    other.load_state_dict(state)
    assert (other.monitor.best, other.wait, other.monitor.best_epoch) == (0.5, 1, 1)
    assert _same_weights(other.best_weights, stopper.best_weights)


def test_model_checkpoint_writes_last_and_best_that_reload(tiny_arrays, tmp_path):
    script = _Script([1.0, 0.5, 0.6, 0.7])
    checkpoints = ModelCheckpoint(tmp_path / "ck", monitor="dev_loss")
    stopper = EarlyStopping(patience=10)
    model, _ = _fit(tiny_arrays, [script, stopper, checkpoints], epochs=4)
    last = load_checkpoint(tmp_path / "ck" / "last.safetensors")
    best = load_checkpoint(tmp_path / "ck" / "best.safetensors")
    assert (last.epoch, best.epoch) == (4, 2)
    assert _same_weights(last.model_state, model.state_dict())
    assert _same_weights(best.model_state, script.weights[1])
    assert last.callbacks["EarlyStopping"]["wait"] == 2
    assert last.callbacks["ModelCheckpoint"]["best"] == 0.5
    assert [row["epoch"] for row in last.history] == [1, 2, 3, 4]
    assert last.optimizer["step"] == 4 * 6


def test_lr_schedule_callback_steps_per_epoch(tiny_arrays):
    model = tiny_model()
    optimizer = Adam(model.parameters(), lr=0.1)
    schedule = StepLR(optimizer, step_size=2, gamma=0.5)
    _, history = _fit(tiny_arrays, [LRSchedulerCallback(schedule)], epochs=5, model=model,
                      optimizer=optimizer)
    assert history["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


class _ReadBack(Callback):
    """Reads the log files at each epoch end: they must already hold that epoch's row."""

    order = 95

    def __init__(self, folder):
        self.folder, self.counts = folder, []

    def on_epoch_end(self, epoch, logs):
        rows = list(csv.DictReader((self.folder / "m.csv").open()))
        lines = (self.folder / "m.jsonl").read_text().splitlines()
        self.counts.append((len(rows), len(lines)))


def test_csv_and_json_lines_loggers_flush_every_epoch(tiny_arrays, tmp_path):
    reader = _ReadBack(tmp_path)
    _, history = _fit(tiny_arrays, [CSVLogger(tmp_path / "m.csv"),
                                    JSONLinesLogger(tmp_path / "m.jsonl"), reader], epochs=3)
    assert reader.counts == [(1, 1), (2, 2), (3, 3)]
    rows = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text().splitlines()]
    assert rows == history.rows
    table = list(csv.DictReader((tmp_path / "m.csv").open()))
    assert list(table[0]) == ["epoch", "train_loss", "train_accuracy", "dev_loss",
                              "dev_accuracy", "lr", "seconds"]
    assert float(table[2]["dev_loss"]) == pytest.approx(history.rows[2]["dev_loss"])


def test_progress_bar_writes_one_line_per_epoch_off_a_terminal(tiny_arrays):
    stream = io.StringIO()
    _fit(tiny_arrays, [ProgressBar(file=stream)], epochs=3)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("epoch 1/3  train_loss ") and "dev_accuracy" in lines[0]
    assert lines[2].startswith("epoch 3/3") and lines[2].endswith("s")


def test_progress_bar_live_mode_draws_a_bar(tiny_arrays):
    stream = io.StringIO()
    _fit(tiny_arrays, [ProgressBar(file=stream, live=True, refresh_every=1)], epochs=2)
    text = stream.getvalue()
    assert "epoch 1/2" in text and "6/6" in text and "dev_loss" in text


def test_tensorboard_needs_tensorboardx(tmp_path):
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        with pytest.raises(DependencyError, match="pip install tensorboardX"):
            TensorBoard(tmp_path / "tb")
    else:
        board = TensorBoard(tmp_path / "tb")
        assert board.log_dir == tmp_path / "tb"


def test_resuming_a_run_that_stopped_early_trains_no_further(tiny_arrays, tmp_path):
    def callbacks():
        return [_Script([1.0, 0.5, 0.6, 0.7, 0.4, 0.3]), EarlyStopping(patience=2),
                ModelCheckpoint(tmp_path)]
    _fit(tiny_arrays, callbacks())
    checkpoint = load_checkpoint(tmp_path / "last.safetensors")
    assert checkpoint.epoch == 4
    x, y, x_dev, y_dev = tiny_arrays
    model = tiny_model(seed=5)
    history = fit(model, (x, y), (x_dev, y_dev), epochs=6, batch_size=16, progress=False,
                  optimizer=Adam(model.parameters(), lr=0.02), callbacks=callbacks(),
                  resume_from=checkpoint)
    assert len(history) == 4
    assert _same_weights(model.state_dict(), checkpoint.model_state)

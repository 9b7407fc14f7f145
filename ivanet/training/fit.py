"""``fit``, ``evaluate`` and ``predict``: the training loop of Day 1–2 with Keras-style
callbacks.

One epoch: for each mini-batch, forward → loss → backward → optimizer step (training
mode: dropout on, batch norm on batch statistics); then the dev set is evaluated in
evaluation mode and the callbacks see the epoch's logs. The loop does nothing per step
that a plain hand-written loop would not, apart from a finite-loss check.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.optim import clip_grad_norm_
from ivanet.training.callbacks.base import Callback, History
from ivanet.training.callbacks.progress import ProgressBar
from ivanet.training.checkpoint import Checkpoint
from ivanet.training.errors import TrainingError
from ivanet.training.inputs import as_loader, check_batch, check_dataset
from ivanet.training.resolve import compute_metrics, resolve_loss, resolve_metrics
from ivanet.training.state import TrainingState


def fit(model, train, dev=None, *, epochs: int, optimizer, loss="cross_entropy",
        metrics: Sequence[str | Callable] = ("accuracy",), callbacks: Iterable[Callback] = (),
        batch_size: int = 32, augment: Callable | None = None, seed: int | None = 0,
        rng: np.random.Generator | None = None, initial_epoch: int = 0,
        progress: bool = True, clip_grad_norm: float | None = None,
        resume_from: Checkpoint | None = None, info: dict | None = None) -> History:
    """Train ``model`` on ``train`` for ``epochs`` epochs; returns the ``History``.

    ``train``/``dev``: a dataset, an ``(x, y)`` pair of arrays or a ``DataLoader``.
    ``loss``: a loss module, a function ``(outputs, y) -> Tensor`` or a name
    ("cross_entropy", "mse", "bce_with_logits"). ``metrics``: names ("accuracy", "f1",
    "top5_accuracy", "mae", "r2", ...) or functions ``(y_true, outputs) -> float``.
    ``augment(x, rng)`` transforms training batches. All randomness derives from ``seed``
    (or a seed drawn from ``rng``). ``resume_from`` restores a checkpoint's model,
    optimizer, schedule, callbacks and history and continues after its last epoch.
    ``info`` goes into checkpoints (model_name, model_config, config, norm).
    """
    if seed is None:
        seed = int((rng or np.random.default_rng()).integers(2**63))
    loss_fn, metric_fns = resolve_loss(loss), resolve_metrics(metrics)
    train_loader = as_loader(train, "training data", batch_size, shuffle=True, seed=seed,
                             transform=augment)
    dev_loader = as_loader(dev, "dev data", batch_size, shuffle=False, seed=seed)
    check_train = not check_dataset("training data", train_loader)
    if dev_loader is not None:
        check_dataset("dev data", dev_loader)
    history, callbacks = _arrange(callbacks, progress)
    state = TrainingState(model, optimizer, callbacks, history, epochs=epochs,
                          initial_epoch=initial_epoch, seed=seed,
                          steps_per_epoch=len(train_loader), info=info)
    for callback in callbacks:
        callback.set_trainer(state)
    if resume_from is not None:
        state.restore(resume_from)
    loop = _Loop(state, train_loader, dev_loader, loss_fn, metric_fns, clip_grad_norm,
                 check_train)
    try:
        for callback in callbacks:
            callback.on_train_begin()
        loop.run()
        for callback in callbacks:
            callback.on_train_end()
    except BaseException:
        for callback in callbacks:
            callback.close()
        raise
    return history


def _arrange(callbacks: Iterable[Callback], progress: bool) -> tuple[History, list[Callback]]:
    """The run's History (the caller's or a new one) and all callbacks in run order, with a
    ProgressBar added when ``progress`` asks for one and none was given."""
    callbacks = list(callbacks)
    history = next((cb for cb in callbacks if isinstance(cb, History)), None) or History()
    callbacks = [cb for cb in callbacks if cb is not history]
    if progress and not any(isinstance(cb, ProgressBar) for cb in callbacks):
        callbacks.append(ProgressBar())
    return history, sorted([history, *callbacks], key=lambda cb: cb.order)


class _Loop:
    """The epochs of one ``fit`` call (kept apart so each piece stays short)."""

    def __init__(self, state: TrainingState, train_loader, dev_loader, loss_fn, metric_fns,
                 clip: float | None, check_batches: bool) -> None:
        self.state, self.train_loader, self.dev_loader = state, train_loader, dev_loader
        self.loss_fn, self.metric_fns, self.clip = loss_fn, metric_fns, clip
        self.check_batches = check_batches
        self.params = [p for p in state.model.parameters() if p.requires_grad]
        self.batch_callbacks = [cb for cb in state.callbacks if cb.wants_batch_end()]

    def run(self) -> None:
        state = self.state
        for epoch in range(state.initial_epoch, state.epochs):
            if state.stop_training:  # a resumed run that had already stopped early
                break
            start_batch = state.start_batch if epoch == state.initial_epoch else 0
            state.begin_epoch(epoch)
            if start_batch:
                state.resume_mid_epoch()
            for callback in state.callbacks:
                callback.on_epoch_begin(epoch)
            started = time.perf_counter()
            lr = float(state.optimizer.param_groups[0]["lr"])
            logs = {"epoch": epoch + 1, **self.train_epoch(epoch, start_batch)}
            if self.dev_loader is not None:
                dev = evaluate(state.model, self.dev_loader, self.loss_fn, self.metric_fns)
                logs.update({f"dev_{key}": value for key, value in dev.items()})
            logs.update(lr=lr, seconds=time.perf_counter() - started)
            for callback in state.callbacks:
                callback.on_epoch_end(epoch, logs)
            if state.stop_training:
                break

    def train_epoch(self, epoch: int, start_batch: int) -> dict:
        """One pass over the training batches; returns train_loss and train_<metric>."""
        state, model, optimizer = self.state, self.state.model, self.state.optimizer
        loss_fn, batch_callbacks, clip = self.loss_fn, self.batch_callbacks, self.clip
        keep = bool(self.metric_fns)
        loss_sum = float(state.partial.get("loss_sum", 0.0)) if start_batch else 0.0
        count = int(state.partial.get("count", 0)) if start_batch else 0
        outputs, targets = [], []
        self.train_loader.set_epoch(epoch, start_batch)
        model.train()
        for batch, (x, y) in enumerate(self.train_loader, start=start_batch):
            if self.check_batches:
                check_batch("training data", x, epoch, batch)
            out = model(Tensor(x))
            loss = loss_fn(out, y)
            value = float(loss.data)
            if not math.isfinite(value):
                raise self._diverged(value, epoch, batch)
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                clip_grad_norm_(self.params, clip)
            optimizer.step()
            state.step += 1
            loss_sum += value * len(y)
            count += len(y)
            if keep:
                outputs.append(out.data)
                targets.append(y)
            if batch_callbacks:
                state.partial = {"loss_sum": loss_sum, "count": count}
                for callback in batch_callbacks:
                    callback.on_batch_end(batch, {"loss": value})
        logs = {"train_loss": loss_sum / max(count, 1)}
        if keep and outputs:
            logs.update({f"train_{name}": value for name, value in compute_metrics(
                self.metric_fns, np.concatenate(targets), np.concatenate(outputs)).items()})
        return logs

    def _diverged(self, value: float, epoch: int, batch: int) -> TrainingError:
        lr = self.state.optimizer.param_groups[0]["lr"]
        return TrainingError(
            f"the training loss became {value} at epoch {epoch + 1}, step {batch + 1} "
            f"(optimizer step {self.state.step + 1}); training stopped. Lower the learning "
            f"rate (now {lr:g}), clip gradients, or check the data and the loss")


def evaluate(model, data, loss="cross_entropy", metrics: Sequence[str | Callable] = ("accuracy",),
             batch_size: int = 256) -> dict[str, float]:
    """Loss and metrics of ``model`` on ``data`` in evaluation mode, without a graph.

    Returns ``{"loss": ..., "<metric>": ...}``. ``data`` as for ``fit``.
    """
    loss_fn, metric_fns = resolve_loss(loss), resolve_metrics(metrics)
    loader = as_loader(data, "evaluation data", batch_size, shuffle=False, seed=0)
    outputs, targets, loss_sum, count = [], [], 0.0, 0
    with _evaluation(model):
        for x, y in loader:
            out = model(Tensor(x))
            loss_sum += float(loss_fn(out, y).data) * len(y)
            count += len(y)
            if metric_fns:  # a language model's (N, V, T) logits are kept only if needed
                outputs.append(out.data)
                targets.append(y)
    if count == 0:
        raise ValueError("evaluate: the data set is empty")
    results = {"loss": loss_sum / count}
    if metric_fns:
        results.update(compute_metrics(metric_fns, np.concatenate(targets),
                                       np.concatenate(outputs)))
    return results


def predict(model, x, batch_size: int = 256) -> np.ndarray:
    """The model's raw outputs (e.g. logits) for inputs ``x``, in evaluation mode.

    ``x``: an array of inputs (N, ...), or a dataset / ``DataLoader`` (its inputs are used).
    Shape: (N, ...) → (N, outputs).
    """
    if isinstance(x, np.ndarray):
        batches = (x[start:start + batch_size] for start in range(0, len(x), batch_size))
    else:
        batches = (xb for xb, _ in as_loader(x, "prediction data", batch_size, shuffle=False,
                                              seed=0))
    with _evaluation(model):
        outputs = [model(Tensor(batch)).data for batch in batches]
    if not outputs:
        raise ValueError("predict: no inputs given")
    return np.concatenate(outputs)


class _evaluation:  # noqa: N801  (used like a function: `with _evaluation(model):`)
    """Evaluation mode and no graph inside the block; the previous mode afterwards."""

    def __init__(self, model) -> None:
        self.model, self.no_grad = model, no_grad()

    def __enter__(self):
        self.was_training = self.model.training
        self.model.eval()
        self.no_grad.__enter__()
        return self.model

    def __exit__(self, *exc) -> None:
        self.no_grad.__exit__(*exc)
        self.model.train(self.was_training)

"""Small pieces the lessons share: flat arrays from a split, a full-batch loop, error rate."""
from __future__ import annotations

import math

import numpy as np

from ivanet import Tensor
from ivanet.data import ArrayDataset, DataLoader, Standardizer
from ivanet.training import predict


def flat(split: ArrayDataset, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of a split with every input flattened to a row: x (N, D) float32."""
    x, y = split.x[:limit], split.y[:limit]
    return np.ascontiguousarray(x.reshape(len(x), -1), dtype=np.float32), y


def standardized(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Inputs standardised with the training set's μ and σ (float32)."""
    scaler = Standardizer().fit(train)
    return [scaler.transform(x).astype(np.float32) for x in (train, *others)]


def train_full_batch(model, x: np.ndarray, y: np.ndarray, loss_fn, optimizer,
                     steps: int) -> np.ndarray:
    """Batch gradient descent: one update per pass over all of ``x``; the cost per step.

    A cost that becomes infinite or NaN ends training; the remaining steps are NaN
    (a diverged run is a result to show, not an error).
    """
    costs = np.full(steps, np.nan)
    inputs = Tensor(x)
    for step in range(steps):
        loss = loss_fn(model(inputs), y)
        value = float(loss.data)
        costs[step] = value
        if not math.isfinite(value):
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return costs


def train_epochs(model, x: np.ndarray, y: np.ndarray, loss_fn, optimizer, epochs: int,
                 batch_size: int, seed: int, step_costs: list | None = None) -> np.ndarray:
    """Mini-batch gradient descent; the mean training cost of each epoch.

    ``step_costs``, when given, receives the cost of every step. A non-finite cost ends
    training and leaves the remaining epochs NaN.
    """
    loader = DataLoader(ArrayDataset(x, y), batch_size, shuffle=True, seed=seed)
    costs = np.full(epochs, np.nan)
    model.train()
    for epoch in range(epochs):
        loader.set_epoch(epoch)
        total = 0.0
        for x_batch, y_batch in loader:
            loss = loss_fn(model(Tensor(x_batch)), y_batch)
            value = float(loss.data)
            if not math.isfinite(value):
                return costs
            if step_costs is not None:
                step_costs.append(value)
            total += value * len(y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        costs[epoch] = total / len(x)
    return costs


def error_rate(model, x: np.ndarray, y: np.ndarray) -> float:
    """Fraction of wrong class predictions (argmax of the outputs; one output: z > 0)."""
    outputs = predict(model, x)
    labels = outputs.argmax(axis=1) if outputs.shape[1] > 1 else (outputs[:, 0] > 0)
    return float(np.mean(labels != y.reshape(-1)))


def percent(value: float) -> str:
    """0.1234 → '12.3%'."""
    return f"{100 * value:.1f}%"

"""Day 1, logistic regression from scratch: the slide's equations on real face images.

Data: scikit-image's ``lfw_subset`` via ``load("faces")``: 25×25 grey images, face (1) or
not a face (0). The course's variables: X (n_x, m), w (n_x, 1), z = wᵀX + b, a = σ(z),
J = −mean(y log a + (1 − y) log(1 − a)), dz = a − y, dw = X dzᵀ / m, db = Σ dz / m.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet.data import load
from ivanet.lessons.common import flat, percent, standardized
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.reports.lessons_plots import plot_images, plot_panels


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^−z), without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def gradient_descent(X: np.ndarray, Y: np.ndarray, alpha: float, iterations: int):
    """The slide's loop, vectorised over the m examples; returns w, b and J per iteration."""
    n_x, m = X.shape
    w, b, costs = np.zeros((n_x, 1)), 0.0, []
    for _ in range(iterations):
        A = sigmoid(w.T @ X + b)                                   # (1, m)
        costs.append(-np.mean(Y * np.log(A + 1e-12) + (1 - Y) * np.log(1 - A + 1e-12)))
        dZ = A - Y                                                 # (1, m)
        w -= alpha * (X @ dZ.T) / m                                # dw: (n_x, 1)
        b -= alpha * dZ.sum() / m                                  # db (errata: /= m)
    return w, b, np.array(costs)


def accuracy(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean((sigmoid(w.T @ X + b) > 0.5) == Y))


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    data = load("faces")
    (x_train, y_train), (x_test, y_test) = flat(data.train), flat(data.test)
    x_train, x_test = standardized(x_train, x_test)
    X, Y = x_train.T.astype(np.float64), y_train[None, :].astype(np.float64)
    X_test, Y_test = x_test.T.astype(np.float64), y_test[None, :].astype(np.float64)
    iterations = pick(size, 2000, 100)
    w, b, costs = gradient_descent(X, Y, alpha=0.005, iterations=iterations)
    train_acc, test_acc = accuracy(w, b, X, Y), accuracy(w, b, X_test, Y_test)
    majority = float(max(Y_test.mean(), 1 - Y_test.mean()))
    rises = int(np.sum(np.diff(costs) > 1e-12))

    plot_panels([{"title": "cost J per iteration (α = 0.005)", "xlabel": "iteration",
                  "ylabel": "J (cross-entropy)", "series": [("J", np.arange(len(costs)),
                                                             costs)], "legend": False}],
                folder / "cost.png", panel_size=(6.0, 3.6))
    side = int(np.sqrt(X.shape[0]))
    faces = [x_test[i].reshape(side, side) for i in range(8)]
    guesses = sigmoid(w.T @ X_test[:, :8] + b)[0]
    titles = [f"p(face)={p:.2f}\n({data.class_names[t]})" for p, t in zip(guesses, y_test[:8])]
    plot_images([w[:, 0].reshape(side, side), *faces], ["learnt w", *titles],
                folder / "weights.png", columns=9, symmetric=False, size=1.5)
    rows = [{"quantity": "training images m", "value": X.shape[1]},
            {"quantity": "features n_x (25×25 pixels)", "value": X.shape[0]},
            {"quantity": "first cost J", "value": float(costs[0])},
            {"quantity": "last cost J", "value": float(costs[-1])},
            {"quantity": "train accuracy", "value": percent(train_acc)},
            {"quantity": "test accuracy", "value": percent(test_acc)},
            {"quantity": "test accuracy of always guessing the majority", "value":
             percent(majority)}]
    return Outcome(
        tables=[Table("logistic regression on faces", rows)],
        figures=[("cost.png", "The cost J after each gradient-descent iteration."),
                 ("weights.png", "The learnt weights w as a 25×25 image, then test images "
                  "with the predicted probability of a face (true class in brackets).")],
        findings=[
            Finding("Gradient descent lowers the cost at every iteration.", rises == 0,
                    f"J went from {costs[0]:.3f} to {costs[-1]:.3f}; it rose in {rises} of "
                    f"{len(costs) - 1} iterations"),
            Finding("The model classifies unseen images better than guessing.",
                    test_acc > majority, f"test accuracy {percent(test_acc)} vs "
                    f"{percent(majority)} for the majority class")])

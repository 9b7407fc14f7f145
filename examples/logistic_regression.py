"""Logistic regression two ways: the course's own variables, and ivanet modules.

The course (Day 1) writes logistic regression with X of shape (n_x, m), w of shape
(n_x, 1), z = wᵀX + b, a = σ(z), dz = a − y, dw = X·dzᵀ/m, db = Σdz/m. The same model is an
``nn.Linear(n_x, 1)`` trained with binary cross-entropy on logits and plain gradient
descent: both start from zeros and must agree at every iteration.

Data: scikit-image's ``lfw_subset`` (100 faces, 100 non-faces, 25×25 greyscale), a real
binary image set — the "cat vs non-cat" of the course. Run: python examples/logistic_regression.py
"""
from __future__ import annotations

import numpy as np

import ivanet
from ivanet import nn, optim
from ivanet.ops.losses import binary_cross_entropy_with_logits


def load_faces(seed: int = 0) -> tuple[np.ndarray, ...]:
    """(X_train, Y_train, X_test, Y_test) with X of shape (n_x, m), Y of shape (1, m)."""
    from skimage.data import lfw_subset  # noqa: PLC0415  (optional data dependency)

    images = lfw_subset().astype(np.float64)              # (200, 25, 25), faces first
    labels = np.r_[np.ones(100), np.zeros(100)]
    order = np.random.default_rng(seed).permutation(200)
    X = images.reshape(200, -1)[order].T                  # (n_x, m) = (625, 200)
    Y = labels[order][None, :]                            # (1, m)
    X = (X - X[:, :150].mean(axis=1, keepdims=True)) / (X[:, :150].std(axis=1, keepdims=True)
                                                         + 1e-8)
    return X[:, :150], Y[:, :150], X[:, 150:], Y[:, 150:]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^−z), computed without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def train_course(X, Y, alpha: float, iterations: int):
    """The slides' vectorised gradient descent; returns w, b and the cost per iteration."""
    n_x, m = X.shape
    w, b = np.zeros((n_x, 1)), 0.0
    costs = []
    for _ in range(iterations):
        Z = w.T @ X + b                                   # (1, m)
        A = sigmoid(Z)
        J = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = A - Y                                        # (1, m)
        dw = X @ dZ.T / m                                 # (n_x, 1)
        db = dZ.sum() / m                                 # the slide's 'dw /= dw' is dw /= m
        w, b = w - alpha * dw, b - alpha * db
        costs.append(J)
    return w, b, np.array(costs)


def train_modules(X, Y, alpha: float, iterations: int):
    """The same model as ivanet modules: Linear(n_x, 1), BCE on logits, SGD."""
    n_x, _ = X.shape
    model = nn.Linear(n_x, 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    opt = optim.SGD(model.parameters(), lr=alpha)
    x = ivanet.Tensor(X.T.astype(np.float32))             # ivanet is batch-first: (m, n_x)
    y = Y.T.astype(np.float32)                            # (m, 1)
    costs = []
    for _ in range(iterations):
        opt.zero_grad()
        loss = binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        opt.step()
        costs.append(loss.item())
    return model, np.array(costs)


def accuracy(w, b, X, Y) -> float:
    return float(np.mean((sigmoid(w.T @ X + b) > 0.5) == Y))


def main() -> None:
    X, Y, X_test, Y_test = load_faces()
    w, b, costs = train_course(X, Y, alpha=0.01, iterations=500)
    model, module_costs = train_modules(X, Y, alpha=0.01, iterations=500)
    w_modules = model.weight.numpy().T
    print("iteration   cost (course variables)   cost (ivanet modules)")
    for i in range(0, 500, 50):
        print(f"{i:9d}   {costs[i]:23.6f}   {module_costs[i]:21.6f}")
    print(f"max |w_course − w_modules| = {np.abs(w - w_modules).max():.2e}")
    print(f"train accuracy {accuracy(w, b, X, Y):.3f}, "
          f"test accuracy {accuracy(w, b, X_test, Y_test):.3f}")


if __name__ == "__main__":
    main()

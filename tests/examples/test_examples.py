"""The course examples run and agree: course variables vs modules; digits MLP learns."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_course_logistic_regression_agrees_with_modules():
    pytest.importorskip("skimage")
    lr = _load("logistic_regression")
    X, Y, X_test, Y_test = lr.load_faces()
    assert X.shape == (625, 150) and Y.shape == (1, 150)
    w, b, costs = lr.train_course(X, Y, alpha=0.01, iterations=60)
    model, module_costs = lr.train_modules(X, Y, alpha=0.01, iterations=60)
    np.testing.assert_allclose(module_costs, costs, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model.weight.numpy().T, w, atol=1e-4)
    np.testing.assert_allclose(model.bias.numpy(), [b], atol=1e-5)
    assert costs[-1] < costs[0] - 0.1  # it learns
    assert lr.accuracy(w, b, X_test, Y_test) > 0.75


def test_digits_mlp_learns_quickly():
    pytest.importorskip("sklearn")
    digits = _load("digits_mlp")
    assert digits.train(epochs=8, verbose=False) > 0.9

"""The course's momentum form: a NumPy reference, and how it relates to torch's SGD."""
import numpy as np
import pytest
import torch

from ivanet.nn.parameter import Parameter
from ivanet.optim import Momentum

from .helpers import assert_all_close, make_problem, run_ivanet, run_torch, tolerances


def course_momentum(init, grads, lr, beta, weight_decay=0.0):
    """The slide, written out: V = βV + (1 − β)dw, w := w − αV (V starts at 0)."""
    weights = [w.copy() for w in init]
    velocities = [np.zeros_like(w) for w in init]
    for step_grads in grads:
        for w, v, g in zip(weights, velocities, step_grads):
            dw = g + weight_decay * w
            v[...] = beta * v + (1 - beta) * dw
            w -= lr * v
    return weights


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", [{"lr": 0.1, "beta": 0.9},
                                     {"lr": 0.3, "beta": 0.5, "weight_decay": 0.1},
                                     {"lr": 0.1, "beta": 0.0}], ids=str)
def test_matches_the_course_formula(options, dtype):
    init, grads = make_problem(seed=4, steps=20, dtype=dtype)
    ours = run_ivanet(Momentum, options, init, grads)
    reference = course_momentum(init, grads, **options)
    assert_all_close(ours, reference, **tolerances(dtype))


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_equals_torch_sgd_with_lr_scaled_by_one_minus_beta(weight_decay):
    lr, beta = 0.2, 0.9
    init, grads = make_problem(seed=5, steps=20)
    ours = run_ivanet(Momentum, {"lr": lr, "beta": beta, "weight_decay": weight_decay},
                      init, grads)
    theirs = run_torch(torch.optim.SGD, {"lr": lr * (1 - beta), "momentum": beta,
                                         "weight_decay": weight_decay}, init, grads)
    assert_all_close(ours, theirs, **tolerances(np.float64))


def test_torch_dampening_beta_differs_only_by_its_first_step():
    """torch starts v at dw₁, not (1 − β)·dw₁: after T steps w differs by α·dw₁·Σ βᵗ."""
    lr, beta, steps = 0.2, 0.9, 20
    init, grads = make_problem(seed=6, steps=steps)
    ours = run_ivanet(Momentum, {"lr": lr, "beta": beta}, init, grads)
    theirs = run_torch(torch.optim.SGD, {"lr": lr, "momentum": beta, "dampening": beta},
                       init, grads)
    drift = lr * sum(beta**t for t in range(1, steps + 1))
    expected = [w - drift * g for w, g in zip(ours, grads[0])]
    assert_all_close(theirs, expected, **tolerances(np.float64))
    assert not np.allclose(ours[0], theirs[0])


def test_beta_must_be_below_one():
    init, _ = make_problem(seed=0, steps=0)
    with pytest.raises(ValueError, match="beta must be in"):
        Momentum([Parameter(a) for a in init], beta=1.0)

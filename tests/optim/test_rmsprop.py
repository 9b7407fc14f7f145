"""RMSprop against torch.optim.RMSprop: 20 steps, same parameters and gradients."""
import numpy as np
import pytest
import torch

from ivanet.optim import RMSprop

from .helpers import assert_all_close, make_problem, run_ivanet, run_torch, tolerances

OPTIONS = [
    {"lr": 0.01},
    {"lr": 0.01, "alpha": 0.9},
    {"lr": 0.01, "centered": True},
    {"lr": 0.01, "momentum": 0.7},
    {"lr": 0.005, "centered": True, "momentum": 0.5, "weight_decay": 0.1},
    {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.01},
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_matches_torch(options, dtype):
    init, grads = make_problem(seed=7, steps=20, dtype=dtype)
    ours = run_ivanet(RMSprop, options, init, grads)
    theirs = run_torch(torch.optim.RMSprop, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(dtype))


def test_gradients_from_backward_match_torch():
    options = {"lr": 0.01, "centered": True, "momentum": 0.5}
    init, grads = make_problem(seed=8, steps=20)
    ours = run_ivanet(RMSprop, options, init, grads, via_engine=True)
    theirs = run_torch(torch.optim.RMSprop, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(np.float64))

"""Adam and AdamW against torch.optim: 20 steps, same parameters and gradients."""
import numpy as np
import pytest
import torch

from ivanet.nn.parameter import Parameter
from ivanet.optim import Adam, AdamW

from .helpers import assert_all_close, make_problem, run_ivanet, run_torch, tolerances

ADAM_OPTIONS = [
    {"lr": 0.01},
    {"lr": 0.01, "betas": (0.8, 0.95)},
    {"lr": 0.01, "amsgrad": True},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.02, "amsgrad": True, "weight_decay": 0.05, "eps": 1e-4, "betas": (0.5, 0.9)},
    {"lr": 0.01, "betas": (0.0, 0.0)},
]
ADAMW_OPTIONS = [
    {"lr": 0.01},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.01, "amsgrad": True},
    {"lr": 0.02, "weight_decay": 0.5, "betas": (0.7, 0.99), "amsgrad": True},
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=str)
def test_adam_matches_torch(options, dtype):
    init, grads = make_problem(seed=9, steps=20, dtype=dtype)
    ours = run_ivanet(Adam, options, init, grads)
    theirs = run_torch(torch.optim.Adam, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", ADAMW_OPTIONS, ids=str)
def test_adamw_matches_torch(options, dtype):
    init, grads = make_problem(seed=10, steps=20, dtype=dtype)
    ours = run_ivanet(AdamW, options, init, grads)
    theirs = run_torch(torch.optim.AdamW, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(dtype))


def test_gradients_from_backward_match_torch():
    options = {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}
    init, grads = make_problem(seed=11, steps=20)
    ours = run_ivanet(Adam, options, init, grads, via_engine=True)
    theirs = run_torch(torch.optim.Adam, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(np.float64))


@pytest.mark.parametrize("amsgrad", [False, True])
def test_changing_betas_and_lr_between_steps_matches_torch(amsgrad):
    """Edits to param_groups apply from the next step; the kept sums are rescaled."""
    init, grads = make_problem(seed=12, steps=20)
    params = [Parameter(a.copy()) for a in init]
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    ours = Adam(params, lr=0.01, amsgrad=amsgrad)
    theirs = torch.optim.Adam(tparams, lr=0.01, amsgrad=amsgrad)
    for step, step_grads in enumerate(grads):
        if step == 10:
            for optimizer in (ours, theirs):
                optimizer.param_groups[0]["betas"] = (0.5, 0.9)
                optimizer.param_groups[0]["lr"] = 0.03
        for p, q, g in zip(params, tparams, step_grads):
            p.grad[...] = g
            q.grad = torch.tensor(g)
        ours.step()
        theirs.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))


def test_weight_decay_differs_between_adam_and_adamw():
    options = {"lr": 0.01, "weight_decay": 0.5}
    init, grads = make_problem(seed=13, steps=5)
    adam, adamw = (run_ivanet(cls, options, init, grads) for cls in (Adam, AdamW))
    assert not np.allclose(adam[0], adamw[0])


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, -0.1), (0.9,)])
def test_betas_must_be_two_numbers_in_zero_one(betas):
    init, _ = make_problem(seed=0, steps=0)
    with pytest.raises(ValueError, match="betas must be"):
        Adam([Parameter(a) for a in init], betas=betas)

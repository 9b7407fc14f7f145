"""SGD against torch.optim.SGD: 20 steps, same parameters and gradients."""
import numpy as np
import pytest
import torch

from ivanet.nn.parameter import Parameter
from ivanet.optim import SGD

from .helpers import assert_all_close, make_problem, run_ivanet, run_torch, tolerances

OPTIONS = [
    {"lr": 0.1},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    {"lr": 0.1, "weight_decay": 0.1},
    {"lr": 0.02, "momentum": 0.8, "weight_decay": 0.05, "nesterov": True},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_matches_torch(options, dtype):
    init, grads = make_problem(seed=1, steps=20, dtype=dtype)
    ours = run_ivanet(SGD, options, init, grads)
    theirs = run_torch(torch.optim.SGD, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(dtype))


def test_gradients_from_backward_match_torch():
    options = {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01}
    init, grads = make_problem(seed=2, steps=20)
    ours = run_ivanet(SGD, options, init, grads, via_engine=True)
    theirs = run_torch(torch.optim.SGD, options, init, grads)
    assert_all_close(ours, theirs, **tolerances(np.float64))


def test_param_groups_with_their_own_options_match_torch():
    init, grads = make_problem(seed=3, steps=20)
    params = [Parameter(a.copy()) for a in init]
    ours = SGD([{"params": params[:2], "lr": 0.1},
                {"params": params[2:], "momentum": 0.9, "nesterov": True}], lr=0.03)
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    theirs = torch.optim.SGD([{"params": tparams[:2], "lr": 0.1},
                              {"params": tparams[2:], "momentum": 0.9, "nesterov": True}],
                             lr=0.03)
    for step_grads in grads:
        ours.zero_grad()
        theirs.zero_grad()
        for p, q, g in zip(params, tparams, step_grads):
            p.grad[...] = g
            q.grad = torch.tensor(g)
        ours.step()
        theirs.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))


@pytest.mark.parametrize("options", [{"nesterov": True}, {"nesterov": True, "momentum": 0.9,
                                                          "dampening": 0.1}])
def test_nesterov_needs_momentum_without_dampening(options):
    init, _ = make_problem(seed=0, steps=0)
    with pytest.raises(ValueError, match="Nesterov"):
        SGD([Parameter(a) for a in init], lr=0.1, **options)

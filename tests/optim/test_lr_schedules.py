"""Learning-rate schedules against torch.optim.lr_scheduler; state_dict round trip."""
import json

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler

from ivanet.nn.parameter import Parameter
from ivanet.optim import (
    SGD,
    Adam,
    CosineAnnealingLR,
    ExponentialLR,
    InverseTimeLR,
    StepLR,
)

from .helpers import assert_all_close, make_problem, tolerances

LRS = (0.1, 0.03)  # two param groups with their own lr
SCHEDULES = [
    (StepLR, {"step_size": 3, "gamma": 0.5}, lr_scheduler.StepLR),
    (ExponentialLR, {"gamma": 0.9}, lr_scheduler.ExponentialLR),
    (CosineAnnealingLR, {"T_max": 7}, lr_scheduler.CosineAnnealingLR),
    (CosineAnnealingLR, {"T_max": 10, "eta_min": 0.01}, lr_scheduler.CosineAnnealingLR),
]


def two_group_optimizers():
    ours = SGD([{"params": [Parameter(np.ones(2))], "lr": LRS[0]},
                {"params": [Parameter(np.ones(3))], "lr": LRS[1]}])
    theirs = torch.optim.SGD([{"params": [torch.ones(2, requires_grad=True)], "lr": LRS[0]},
                              {"params": [torch.ones(3, requires_grad=True)], "lr": LRS[1]}])
    return ours, theirs


def lr_history(scheduler, optimizer, epochs: int) -> list:
    history = [scheduler.get_last_lr()]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        history.append(scheduler.get_last_lr())
        assert [g["lr"] for g in optimizer.param_groups] == history[-1]
    return history


@pytest.mark.parametrize(("ours_class", "options", "torch_class"), SCHEDULES,
                         ids=[f"{s[0].__name__}-{s[1]}" for s in SCHEDULES])
def test_matches_torch_over_30_epochs(ours_class, options, torch_class):
    ours_optimizer, torch_optimizer = two_group_optimizers()
    ours = lr_history(ours_class(ours_optimizer, **options), ours_optimizer, 30)
    theirs = lr_history(torch_class(torch_optimizer, **options), torch_optimizer, 30)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-15)


def test_inverse_time_decay_matches_torch_lambda_lr():
    ours_optimizer, torch_optimizer = two_group_optimizers()
    ours = lr_history(InverseTimeLR(ours_optimizer, decay_rate=0.5), ours_optimizer, 20)
    theirs = lr_history(lr_scheduler.LambdaLR(torch_optimizer, lambda e: 1 / (1 + 0.5 * e)),
                        torch_optimizer, 20)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert ours[4] == [LRS[0] / 3, LRS[1] / 3]


def test_adam_with_a_schedule_matches_torch():
    """The optimizer reads group["lr"] at every step, so the schedule takes effect."""
    init, grads = make_problem(seed=30, steps=20)
    params = [Parameter(a.copy()) for a in init]
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    ours, theirs = Adam(params, lr=0.05), torch.optim.Adam(tparams, lr=0.05)
    ours_schedule = CosineAnnealingLR(ours, T_max=8, eta_min=0.001)
    torch_schedule = lr_scheduler.CosineAnnealingLR(theirs, T_max=8, eta_min=0.001)
    for step_grads in grads:
        for p, q, g in zip(params, tparams, step_grads):
            p.grad[...] = g
            q.grad = torch.tensor(g)
        ours.step()
        theirs.step()
        ours_schedule.step()
        torch_schedule.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))


@pytest.mark.parametrize(("schedule_class", "options"),
                         [(StepLR, {"step_size": 2, "gamma": 0.3}), (ExponentialLR, {"gamma": 0.8}),
                          (InverseTimeLR, {"decay_rate": 0.1}), (CosineAnnealingLR, {"T_max": 5})])
def test_state_dict_round_trip_through_json(schedule_class, options):
    optimizer, _ = two_group_optimizers()
    straight = lr_history(schedule_class(optimizer, **options), optimizer, 12)

    optimizer, _ = two_group_optimizers()
    scheduler = schedule_class(optimizer, **options)
    lr_history(scheduler, optimizer, 7)
    saved = json.loads(json.dumps(scheduler.state_dict()))
    assert saved["last_epoch"] == 7 and saved["base_lrs"] == list(LRS)

    fresh_optimizer, _ = two_group_optimizers()
    fresh = schedule_class(fresh_optimizer, **options)
    fresh.load_state_dict(saved)
    assert fresh.get_last_lr() == straight[7]
    assert lr_history(fresh, fresh_optimizer, 5) == straight[7:]


def test_errors():
    optimizer, _ = two_group_optimizers()
    with pytest.raises(ValueError, match="step_size must be an integer > 0, got 0"):
        StepLR(optimizer, step_size=0)
    with pytest.raises(ValueError, match="T_max must be an integer > 0, got 2.5"):
        CosineAnnealingLR(optimizer, T_max=2.5)
    with pytest.raises(ValueError, match="decay_rate must be a number ≥ 0"):
        InverseTimeLR(optimizer, decay_rate=-1)
    with pytest.raises(TypeError, match="expects an optimizer"):
        ExponentialLR([Parameter(np.ones(2))], gamma=0.9)
    saved = StepLR(optimizer, step_size=2).state_dict()
    with pytest.raises(ValueError, match="cannot load a StepLR state into ExponentialLR"):
        ExponentialLR(optimizer, gamma=0.9).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"missing \['gamma'\]"):
        StepLR(optimizer, step_size=2).load_state_dict(
            {k: v for k, v in saved.items() if k != "gamma"})

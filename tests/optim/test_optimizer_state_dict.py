"""state_dict / load_state_dict: safetensors + JSON round trip, bit for bit; clear errors."""
import json

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from ivanet.nn.parameter import Parameter
from ivanet.optim import SGD, Adam, AdamW, Momentum, RMSprop

from .helpers import give_grads, make_problem

CONFIGS = [
    (SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.2, "weight_decay": 0.01}),
    (SGD, {"lr": 0.05}),
    (Momentum, {"lr": 0.1, "beta": 0.8}),
    (RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.5}),
    (Adam, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    (AdamW, {"lr": 0.01, "betas": (0.8, 0.9)}),
]


def save(state_dict: dict, folder) -> None:
    """Arrays to safetensors, everything else to JSON: no pickle."""
    save_file(state_dict["state"], str(folder / "state.safetensors"))
    rest = {k: v for k, v in state_dict.items() if k != "state"}
    (folder / "optimizer.json").write_text(json.dumps(rest))


def load(folder) -> dict:
    rest = json.loads((folder / "optimizer.json").read_text())
    return {**rest, "state": load_file(str(folder / "state.safetensors"))}


def train(optimizer, params, grads) -> None:
    for step_grads in grads:
        optimizer.zero_grad()
        give_grads(params, step_grads, via_engine=False)
        optimizer.step()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("optimizer_class", "options"), CONFIGS,
                         ids=[f"{c.__name__}-{o}" for c, o in CONFIGS])
def test_resume_after_a_save_equals_uninterrupted_training(optimizer_class, options, dtype,
                                                           tmp_path):
    init, grads = make_problem(seed=20, steps=10, dtype=dtype)
    straight = [Parameter(a.copy()) for a in init]
    train(optimizer_class(straight, **options), straight, grads)

    first = [Parameter(a.copy()) for a in init]
    optimizer = optimizer_class(first, **options)
    train(optimizer, first, grads[:5])
    save(optimizer.state_dict(), tmp_path)

    resumed = [Parameter(p.data.copy()) for p in first]
    fresh = optimizer_class(resumed, lr=123.0)  # hyperparameters come from the file
    fresh.load_state_dict(load(tmp_path))
    assert fresh.param_groups[0]["lr"] == options["lr"]
    train(fresh, resumed, grads[5:])
    for p, q in zip(resumed, straight):
        np.testing.assert_array_equal(p.data, q.data)


def test_state_dict_is_plain_numbers_lists_and_array_copies():
    init, grads = make_problem(seed=21, steps=3)
    params = [Parameter(a.copy()) for a in init]
    optimizer = Adam(params, lr=0.01)
    train(optimizer, params, grads)
    state_dict = optimizer.state_dict()
    json.dumps({k: v for k, v in state_dict.items() if k != "state"})
    assert state_dict["step"] == 3 and state_dict["type"] == "Adam"
    assert sorted(state_dict["state"]) == ["0.grad_sum", "0.sq_grad_sum", "0.step"]
    assert state_dict["param_groups"][0]["params"] == [0, 1, 2, 3]
    np.testing.assert_array_equal(state_dict["state"]["0.step"], 3)
    state_dict["state"]["0.grad_sum"][...] = 0  # a copy: the optimizer is unaffected
    assert optimizer._flats[0].arrays["grad_sum"].any()


def test_loading_a_state_for_other_parameters_lists_every_mismatch():
    init, _ = make_problem(seed=22, steps=0)
    saved = Adam([Parameter(a) for a in init], lr=0.01).state_dict()
    other = Adam([Parameter(np.ones((5, 3))), Parameter(np.ones(2))], lr=0.01)
    with pytest.raises(ValueError) as error:
        other.load_state_dict(saved)
    message = str(error.value)
    assert "saved parameter shapes [(4, 3), (3,), (2, 2, 2), (1,)]" in message
    assert "this optimizer has [(5, 3), (2,)]" in message
    assert "'0.grad_sum' has shape (24,), expected (17,)" in message


def test_loading_errors_name_the_problem():
    init, _ = make_problem(seed=23, steps=0)
    params = [Parameter(a) for a in init]
    saved = Adam(params, lr=0.01, amsgrad=True).state_dict()
    fresh = Adam([Parameter(a.copy()) for a in init], lr=0.01)
    with pytest.raises(ValueError, match="cannot load a Adam state into SGD"):
        SGD([Parameter(a.copy()) for a in init], lr=0.1).load_state_dict(saved)
    broken = {**saved, "state": {k: v for k, v in saved["state"].items()
                                 if k != "0.max_sq_grad_sum"}}
    broken["state"]["0.velocity"] = np.zeros(24)
    with pytest.raises(ValueError) as error:
        fresh.load_state_dict(broken)
    assert "state '0.max_sq_grad_sum' is missing" in str(error.value)
    assert "state '0.velocity' is not a state of this optimizer" in str(error.value)
    two_groups = {**saved, "param_groups": saved["param_groups"] * 2}
    with pytest.raises(ValueError, match="it has 2 param group"):
        fresh.load_state_dict(two_groups)
    bad_option = {**saved, "param_groups": [{**saved["param_groups"][0], "lr": -1.0}]}
    with pytest.raises(ValueError, match="lr must be a number ≥ 0"):
        fresh.load_state_dict(bad_option)

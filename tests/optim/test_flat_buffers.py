"""The flat buffers: views, zero_grad, rebound grads and data, frozen parameters."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ivanet.autograd.tensor import Tensor
from ivanet.nn.parameter import Parameter
from ivanet.optim import SGD, Adam, RMSprop

from .helpers import SHAPES, assert_all_close, give_grads, make_problem, tolerances


def make_params(seed=0, dtype=np.float64):
    init, _ = make_problem(seed, steps=0, dtype=dtype)
    return init, [Parameter(a.copy()) for a in init]


def test_data_and_grad_become_views_of_one_flat_buffer_per_group():
    init, params = make_params()
    params[1].grad = np.full(SHAPES[1], 2.0)  # an existing gradient is kept
    optimizer = SGD(params, lr=0.1)
    flat = optimizer._flats[0]
    for p, a in zip(params, init):
        assert np.shares_memory(p.data, flat.arrays["data"])
        assert np.shares_memory(p.grad, flat.arrays["grad"])
        np.testing.assert_array_equal(p.data, a)
    np.testing.assert_array_equal(params[1].grad, 2.0)
    assert params[0].grad.sum() == 0
    assert flat.arrays["data"].shape == (sum(a.size for a in init),)


def test_backward_accumulates_into_the_views_and_zero_grad_clears_them():
    _, params = make_params()
    optimizer = SGD(params, lr=0.1)
    views = [p.grad for p in params]
    grads = [np.ones(shape) for shape in SHAPES]
    give_grads(params, grads, via_engine=True)
    give_grads(params, grads, via_engine=True)
    for p, view in zip(params, views):
        assert p.grad is view
        np.testing.assert_array_equal(p.grad, 2.0)
    optimizer.zero_grad()
    assert all(p.grad is view and not p.grad.any() for p, view in zip(params, views))


def test_zero_grad_restores_replaced_grads():
    _, params = make_params()
    optimizer = SGD(params, lr=0.1)
    views = [p.grad for p in params]
    params[0].grad = None
    params[2].grad = np.ones(SHAPES[2])
    optimizer.zero_grad()
    assert all(p.grad is view for p, view in zip(params, views))
    assert not optimizer._flats[0].arrays["grad"].any()


def test_a_grad_set_to_none_counts_as_zero():
    """A None gradient: the parameter still moves by momentum, as torch with zero grads."""
    init, grads = make_problem(seed=1, steps=6)
    params = [Parameter(a.copy()) for a in init]
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    ours = SGD(params, lr=0.1, momentum=0.9, weight_decay=0.1)
    theirs = torch.optim.SGD(tparams, lr=0.1, momentum=0.9, weight_decay=0.1)
    for step, step_grads in enumerate(grads):
        for p, q, g in zip(params, tparams, step_grads):
            p.grad[...] = g
            q.grad = torch.tensor(g)
        if step >= 3:
            params[0].grad = None
            tparams[0].grad = torch.zeros(SHAPES[0], dtype=torch.float64)
        ours.step()
        theirs.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))
    assert params[0].grad is not None and np.shares_memory(params[0].grad,
                                                           ours._flats[0].arrays["grad"])


def test_a_grad_assigned_a_new_array_is_copied_in():
    init, params = make_params()
    optimizer = SGD(params, lr=0.5)
    new_grad = np.full(SHAPES[0], 3.0)
    params[0].grad = new_grad
    optimizer.step()
    np.testing.assert_allclose(params[0].data, init[0] - 1.5)
    assert params[0].grad is not new_grad
    assert np.shares_memory(params[0].grad, optimizer._flats[0].arrays["grad"])


def test_a_grad_of_the_wrong_shape_is_an_error():
    _, params = make_params()
    optimizer = SGD(params, lr=0.5)
    params[1].grad = np.ones(5)
    with pytest.raises(ValueError, match=r"parameter 1 \(shape \(3,\)\).*shape \(5,\)"):
        optimizer.step()


def test_rebound_data_is_copied_back_into_the_buffer():
    _, params = make_params()
    optimizer = SGD(params, lr=0.5)
    params[2].data = np.full(SHAPES[2], 7.0)
    params[2].grad[...] = 1.0
    optimizer.step()
    assert np.shares_memory(params[2].data, optimizer._flats[0].arrays["data"])
    np.testing.assert_array_equal(params[2].data, 6.5)
    params[2].data = np.ones((3, 3))
    with pytest.raises(ValueError, match="data must keep its shape"):
        optimizer.step()
    params[2].data = np.ones(SHAPES[2], dtype=np.float32)
    with pytest.raises(ValueError, match="data of dtype float32, but its param group is float64"):
        optimizer.step()


@pytest.mark.parametrize("optimizer_class", [SGD, Adam, RMSprop])
def test_frozen_parameters_do_not_change_even_under_weight_decay(optimizer_class):
    init, grads = make_problem(seed=2, steps=5)
    params = [Parameter(a.copy()) for a in init]
    params[1].requires_grad = False
    params[3].requires_grad = False
    optimizer = optimizer_class(params, lr=0.1, weight_decay=0.5, momentum=0.9) if (
        optimizer_class is not Adam) else Adam(params, lr=0.1, weight_decay=0.5)
    for step_grads in grads:
        optimizer.zero_grad()
        give_grads(params, step_grads, via_engine=False)
        optimizer.step()
    np.testing.assert_array_equal(params[1].data, init[1])
    np.testing.assert_array_equal(params[3].data, init[3])
    assert not np.allclose(params[0].data, init[0])
    assert not np.allclose(params[2].data, init[2])


def test_freezing_and_unfreezing_between_steps_matches_torch():
    """Frozen for a while: Adam's per-parameter step count (bias correction) must pause."""
    init, grads = make_problem(seed=3, steps=20)
    params = [Parameter(a.copy()) for a in init]
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    ours = Adam(params, lr=0.05, weight_decay=0.1)
    theirs = torch.optim.Adam(tparams, lr=0.05, weight_decay=0.1)
    frozen = {5: [0, 2], 9: [0], 14: []}  # from this step on, these are frozen
    now_frozen = []
    for step, step_grads in enumerate(grads):
        now_frozen = frozen.get(step, now_frozen)
        ours.zero_grad()
        for i, (p, q, g) in enumerate(zip(params, tparams, step_grads)):
            p.requires_grad = q.requires_grad = i not in now_frozen
            p.grad[...] = g
            q.grad = None if i in now_frozen else torch.tensor(g)  # torch skips None grads
        ours.step()
        theirs.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))


def test_lr_edited_in_param_groups_is_used_by_the_next_step():
    init, params = make_params()
    optimizer = SGD(params, lr=0.5)
    optimizer.param_groups[0]["lr"] = 2.0
    params[0].grad[...] = 1.0
    optimizer.step()
    np.testing.assert_allclose(params[0].data, init[0] - 2.0)


def test_add_param_group_and_closure():
    init, params = make_params()
    optimizer = SGD(params[:2], lr=0.5)
    optimizer.add_param_group({"params": params[2:], "lr": 1.0})
    for p in params:
        p.grad[...] = 1.0
    assert optimizer.step(closure=lambda: 42.0) == 42.0
    np.testing.assert_allclose(params[0].data, init[0] - 0.5)
    np.testing.assert_allclose(params[3].data, init[3] - 1.0)


def test_groups_may_hold_different_dtypes():
    params32 = [Parameter(np.ones(3, dtype=np.float32))]
    params64 = [Parameter(np.ones(2, dtype=np.float64))]
    optimizer = Adam([{"params": params32}, {"params": params64}], lr=0.1)
    for p in params32 + params64:
        p.grad[...] = 1.0
    optimizer.step()
    assert params32[0].dtype == np.float32 and params64[0].dtype == np.float64
    np.testing.assert_allclose(params32[0].data, 0.9, rtol=1e-6)
    np.testing.assert_allclose(params64[0].data, 0.9 + 0.1 * 1e-8, rtol=1e-12)


def test_repr_names_the_groups():
    _, params = make_params()
    text = repr(Adam(params, lr=0.1))
    assert text.startswith("Adam(") and "4 params" in text and "lr=0.1" in text


# ----------------------------------------------------------------------- errors
def test_errors_on_bad_parameter_lists():
    p = Parameter(np.ones(3))
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is a ndarray"):
        SGD([p, np.ones(3)], lr=0.1)
    with pytest.raises(ValueError, match="parameter 1 is the same tensor as parameter 0"):
        SGD([p, p], lr=0.1)
    with pytest.raises(TypeError, match="mixes dtypes"):
        SGD([p, Parameter(np.ones(2, dtype=np.float32))], lr=0.1)
    with pytest.raises(TypeError, match="dtype int64"):
        SGD([Tensor(np.arange(3))], lr=0.1)
    with pytest.raises(ValueError, match="not a leaf"):
        SGD([p * 2.0], lr=0.1)
    with pytest.raises(TypeError, match="not a mix"):
        SGD([p, {"params": [Parameter(np.ones(2))]}], lr=0.1)


def test_errors_on_bad_options_and_groups():
    p, q = Parameter(np.ones(3)), Parameter(np.ones(2))
    with pytest.raises(ValueError, match=r"unknown option\(s\) \['learning_rate'\]"):
        SGD([{"params": [p], "learning_rate": 0.1}])
    with pytest.raises(ValueError, match="lr must be a number ≥ 0, got -1"):
        SGD([p], lr=-1)
    with pytest.raises(ValueError, match="eps must be a number"):
        Adam([p], eps="small")
    with pytest.raises(ValueError, match="already in param group 0"):
        SGD([{"params": [p]}, {"params": [q, p]}], lr=0.1)
    optimizer = SGD([p], lr=0.1)
    optimizer.param_groups.append({"params": [q], "lr": 0.1})
    with pytest.raises(RuntimeError, match="add_param_group"):
        optimizer.step()


@settings(max_examples=25, deadline=None)
@given(shapes=st.lists(st.lists(st.integers(0, 3), max_size=3).map(tuple), min_size=1,
                       max_size=5),
       frozen=st.lists(st.booleans(), min_size=5, max_size=5), seed=st.integers(0, 2**16))
def test_any_shapes_and_frozen_mask_match_torch(shapes, frozen, seed):
    """0-d and empty parameters too; frozen ones (torch: grad None) never change."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(shape) for shape in shapes]
    params = [Parameter(np.array(a)) for a in init]
    tparams = [torch.tensor(a, requires_grad=True) for a in init]
    ours = SGD(params, lr=0.1, momentum=0.9, weight_decay=0.1)
    theirs = torch.optim.SGD(tparams, lr=0.1, momentum=0.9, weight_decay=0.1)
    for _ in range(3):
        for i, (p, q) in enumerate(zip(params, tparams)):
            g = rng.standard_normal(p.shape)
            p.requires_grad = not frozen[i]
            p.grad[...] = g
            q.grad = None if frozen[i] else torch.tensor(g)
        ours.step()
        theirs.step()
    assert_all_close([p.data for p in params], [q.detach().numpy() for q in tparams],
                     **tolerances(np.float64))
    for p, a, is_frozen in zip(params, init, frozen):
        if is_frozen:
            np.testing.assert_array_equal(p.data, a)


def test_a_set_of_parameters_is_refused():
    with pytest.raises(TypeError, match="params is a set"):
        SGD({Parameter(np.ones(2))}, lr=0.1)

"""state_dict / load_state_dict: round trips, in-place copies, one error listing every problem."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import MLP, BatchNorm1d, Linear, ReLU, Sequential, StateDictError

from nn_helpers import to_torch_state


def make_model(seed: int) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Linear(4, 6, rng=rng), BatchNorm1d(6), ReLU(), Linear(6, 2, rng=rng))


def test_keys_are_dotted_parameters_then_buffers():
    assert list(make_model(0).state_dict()) == [
        "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
        "1.num_batches_tracked", "3.weight", "3.bias"]


def test_state_dict_copies_unless_asked_for_live_arrays():
    model = make_model(0)
    saved = model.state_dict()
    model[0].weight.data += 1
    assert not np.allclose(saved["0.weight"], model[0].weight.data)
    assert model.state_dict(copy=False)["0.weight"] is model[0].weight.data


def test_round_trip_into_a_fresh_model_copies_in_place():
    source, target = make_model(0), make_model(1)
    source(Tensor(np.random.default_rng(2).standard_normal((8, 4)).astype(np.float32)))
    arrays_before = [p.data for p in target.parameters()] + list(target.buffers())
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    arrays_after = [p.data for p in target.parameters()] + list(target.buffers())
    assert all(a is b for a, b in zip(arrays_before, arrays_after))
    for name, array in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[name], array, err_msg=name)
    assert int(target[1].num_batches_tracked) == 1


def test_views_into_a_flat_buffer_see_the_loaded_values():
    model = make_model(0)
    params = list(model.parameters())
    flat = np.zeros(sum(p.size for p in params), dtype=np.float32)
    offset = 0
    for p in params:   # what an optimizer with a flat buffer does
        view = flat[offset:offset + p.size].reshape(p.shape)
        view[...] = p.data
        p.data = view
        offset += p.size
    model.load_state_dict(make_model(5).state_dict())
    np.testing.assert_array_equal(flat[:24], make_model(5)[0].weight.data.ravel())


def test_one_error_lists_missing_unexpected_and_mis_shaped_keys():
    model = make_model(0)
    state = model.state_dict()
    del state["0.bias"]
    state["extra.weight"] = np.zeros(3)
    state["3.weight"] = np.zeros((2, 7), dtype=np.float32)
    before = model[3].bias.data.copy()
    state["3.bias"] = before + 1
    with pytest.raises(StateDictError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert "missing keys (in the model, not in the state): 0.bias" in message
    assert "unexpected keys (in the state, not in the model): extra.weight" in message
    assert "3.weight: model (2, 6), state (2, 7)" in message
    np.testing.assert_array_equal(model[3].bias.data, before)   # nothing was loaded


def test_non_strict_returns_what_it_skipped():
    model = make_model(0)
    state = {k: v for k, v in make_model(3).state_dict().items() if not k.startswith("3.")}
    state["head.weight"] = np.zeros((1, 1))
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["3.weight", "3.bias"]
    assert result.unexpected_keys == ["head.weight"]
    np.testing.assert_array_equal(model[0].weight.data, make_model(3)[0].weight.data)
    bad = dict(state, **{"0.weight": np.zeros((1, 1))})
    with pytest.raises(StateDictError, match="shape mismatches"):
        model.load_state_dict(bad, strict=False)


def test_uncastable_dtype_is_reported():
    model = make_model(0)
    state = model.state_dict()
    state["1.num_batches_tracked"] = np.array(1.5)
    with pytest.raises(StateDictError, match="1.num_batches_tracked: model int64, state float64"):
        model.load_state_dict(state)


def test_state_dicts_move_to_and_from_torch():
    torch = pytest.importorskip("torch")
    model = MLP([4, 6, 2], batch_norm=True, rng=np.random.default_rng(0))
    twin = torch.nn.Module()
    twin.layers = torch.nn.Sequential(torch.nn.Linear(4, 6, bias=False),
                                      torch.nn.BatchNorm1d(6), torch.nn.ReLU(),
                                      torch.nn.Linear(6, 2))
    twin.load_state_dict(to_torch_state(model))
    back = MLP([4, 6, 2], batch_norm=True, rng=np.random.default_rng(9))
    back.load_state_dict({k: v.numpy() for k, v in twin.state_dict().items()})
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[name], array, err_msg=name)

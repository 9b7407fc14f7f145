"""Sequential, ModuleList, ModuleDict."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import Identity, Linear, ModuleDict, ModuleList, ReLU, Sequential


def test_sequential_chains_indexes_and_names_children_by_position():
    rng = np.random.default_rng(0)
    first, second = Linear(3, 4, rng=rng), Linear(4, 2, rng=rng)
    model = Sequential(first, ReLU())
    model.append(second)
    assert len(model) == 3 and list(model) == [first, model[1], second]
    assert model[0] is first and model[-1] is second
    assert [name for name, _ in model.named_children()] == ["0", "1", "2"]
    x = Tensor(rng.standard_normal((5, 3)).astype(np.float32))
    expected = second(model[1](first(x)))
    np.testing.assert_allclose(model(x).data, expected.data)
    head = model[:2]
    assert isinstance(head, Sequential) and list(head) == [first, model[1]]
    model[1] = Identity()
    assert isinstance(model[1], Identity) and model[1].path == "1"
    with pytest.raises(IndexError, match="index 3 out of range for 3 modules"):
        model[3]


def test_sequential_from_a_dict_uses_its_names():
    model = Sequential({"hidden": Linear(2, 2), "act": ReLU()})
    assert [name for name, _ in model.named_parameters()] == ["hidden.weight", "hidden.bias"]


def test_module_list_registers_its_items():
    layers = ModuleList([Linear(2, 3), Linear(3, 1)])
    layers.append(ReLU())
    assert len(layers) == 3 and layers[1].out_features == 1
    assert [name for name, _ in layers.named_parameters()] == [
        "0.weight", "0.bias", "1.weight", "1.bias"]
    assert list(layers[1:]) == [layers[1], layers[2]]


def test_module_dict_registers_by_key():
    heads = ModuleDict({"cls": Linear(4, 3), "box": Linear(4, 4)})
    assert "cls" in heads and len(heads) == 2 and list(heads) == ["cls", "box"]
    assert [name for name, _ in heads.named_parameters()] == [
        "cls.weight", "cls.bias", "box.weight", "box.bias"]
    del heads["box"]
    assert list(heads.keys()) == ["cls"]
    with pytest.raises(KeyError, match="without '.'"):
        heads["a.b"] = Linear(1, 1)

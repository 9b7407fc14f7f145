"""Module machinery: registration order, dotted names, modes, freezing, hooks, repr."""
import copy

import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import Module, Parameter, Sequential


class Leaf(Module):
    """A layer with two parameters and a buffer, defined in the order w, stat, b."""

    def __init__(self, n: int = 3) -> None:
        super().__init__()
        self.w = Parameter(np.ones((n, 2), dtype=np.float32))
        self.register_buffer("stat", np.zeros(n, dtype=np.float32))
        self.b = Parameter(np.zeros(n, dtype=np.float32))
        self.note = "plain attributes are not registered"

    def forward(self, x):
        return x @ self.w.T + self.b


class Tree(Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = Parameter(np.ones(1, dtype=np.float32))
        self.encoder = Leaf(3)
        self.blocks = Sequential(Leaf(4), Sequential(Leaf(5)))

    def forward(self, x):
        return x


def test_parameters_buffers_and_children_in_definition_order():
    leaf = Leaf()
    assert [name for name, _ in leaf.named_parameters()] == ["w", "b"]
    assert [name for name, _ in leaf.named_buffers()] == ["stat"]
    assert list(leaf.parameters()) == [leaf.w, leaf.b]
    assert list(leaf.children()) == []
    assert "note" not in leaf._parameters and leaf.note.startswith("plain")


def test_nested_names_are_dotted_like_torch():
    tree = Tree()
    assert [name for name, _ in tree.named_parameters()] == [
        "scale", "encoder.w", "encoder.b", "blocks.0.w", "blocks.0.b",
        "blocks.1.0.w", "blocks.1.0.b"]
    assert [name for name, _ in tree.named_buffers()] == [
        "encoder.stat", "blocks.0.stat", "blocks.1.0.stat"]
    assert [name for name, _ in tree.named_modules()] == [
        "", "encoder", "blocks", "blocks.0", "blocks.1", "blocks.1.0"]
    assert [name for name, _ in tree.named_children()] == ["encoder", "blocks"]
    assert [name for name, _ in tree.named_parameters(prefix="model", recurse=False)] == [
        "model.scale"]


def test_modules_know_their_path_and_describe_themselves():
    tree = Tree()
    assert tree.blocks[1][0].path == "blocks.1.0"
    assert tree.blocks[1][0].describe() == "Leaf 'blocks.1.0'"
    assert tree.describe() == "Tree"
    block = Sequential(Leaf())             # built first, attached later: paths follow
    holder = Sequential(Leaf(), block)
    assert block[0].path == "1.0" and holder[0].path == "0"


def test_slicing_a_container_keeps_the_layers_paths():
    tree = Tree()
    part = tree.blocks[0:1]
    assert part[0] is tree.blocks[0] and part[0].path == "blocks.0"


def test_shared_parameter_counted_once():
    leaf = Leaf()
    tree = Sequential(leaf, leaf)
    assert len(list(tree.parameters())) == 2
    assert tree.num_parameters() == leaf.w.size + leaf.b.size


def test_reassigning_and_deleting_updates_the_registry():
    leaf = Leaf()
    leaf.w = Parameter(np.zeros((3, 2), dtype=np.float32))
    assert leaf._parameters["w"] is leaf.w
    del leaf.b
    assert [name for name, _ in leaf.named_parameters()] == ["w"]
    leaf.stat = np.ones(3, dtype=np.float32)       # a buffer stays a buffer
    assert leaf._buffers["stat"] is leaf.stat


def test_wrong_assignments_fail_clearly():
    leaf = Leaf()
    with pytest.raises(TypeError, match="cannot assign ndarray to 'w' of Leaf"):
        leaf.w = np.zeros((3, 2))
    with pytest.raises(TypeError, match="buffer 'stat'"):
        leaf.stat = [1, 2, 3]

    class Forgetful(Module):
        def __init__(self):
            self.w = Parameter(np.zeros(1))

    with pytest.raises(AttributeError, match=r"called super\(\)\.__init__\(\)"):
        Forgetful()


def test_train_eval_recursive():
    tree = Tree()
    assert all(m.training for m in tree.modules())
    assert tree.eval() is tree
    assert not any(m.training for m in tree.modules())
    tree.train()
    assert all(m.training for m in tree.modules())


def test_zero_grad_freeze_unfreeze_and_counts():
    tree = Tree()
    for p in tree.parameters():
        p.grad = np.ones_like(p.data)
    tree.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.any() for p in tree.parameters())
    tree.zero_grad()
    assert all(p.grad is None for p in tree.parameters())
    total = sum(p.size for p in tree.parameters())
    assert tree.num_parameters() == total
    tree.encoder.freeze()
    frozen = tree.encoder.w.size + tree.encoder.b.size
    assert tree.num_parameters(trainable_only=True) == total - frozen
    assert tree.encoder.unfreeze() is tree.encoder
    assert all(p.requires_grad for p in tree.parameters())


def test_frozen_parameters_get_no_gradient():
    leaf = Leaf().freeze()
    x = Tensor(np.ones((2, 2), dtype=np.float32), requires_grad=True)
    leaf(x).sum().backward()
    assert leaf.w.grad is None and x.grad is not None


def test_call_runs_forward_and_hooks_then_removes_them():
    leaf = Leaf()
    seen = []
    handle = leaf.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    x = Tensor(np.ones((4, 2), dtype=np.float32))
    assert leaf(x).shape == (4, 3)
    handle.remove()
    leaf(x)
    assert seen == [(4, 3)]


def test_errors_inside_forward_name_the_innermost_layer():
    class Broken(Module):
        def forward(self, x):
            raise ValueError("something is off")

    model = Sequential(Leaf(), Sequential(Broken()))
    with pytest.raises(ValueError) as info:
        model(Tensor(np.ones((1, 2), dtype=np.float32)))
    assert info.value.__notes__ == ["(raised in layer Broken '1.0')"]


def test_astype_converts_parameters_and_float_buffers():
    leaf = Leaf().astype(np.float64)
    assert leaf.w.dtype == np.float64 and leaf.stat.dtype == np.float64
    assert leaf._buffers["stat"] is leaf.stat


def test_repr_is_a_torch_like_tree():
    text = repr(Sequential(Leaf(), Sequential(Leaf())))
    assert text == ("Sequential(\n  (0): Leaf()\n  (1): Sequential(\n    (0): Leaf()\n  )\n)")


def test_deepcopy_gives_an_independent_model():
    tree = Tree()
    twin = copy.deepcopy(tree)
    twin.encoder.w.data += 1
    assert not np.allclose(tree.encoder.w.data, twin.encoder.w.data)
    assert twin.encoder._parameters["w"] is twin.encoder.w and twin.encoder.path == "encoder"

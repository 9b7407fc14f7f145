"""Module.summary: layer names, types, output shapes and parameter counts; state untouched."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import MLP, Linear, Module, Parameter, ReLU


def capture(model, example) -> list[str]:
    printed = []
    model.summary(example, print_fn=printed.append)
    assert len(printed) == 1
    return printed[0].splitlines()


def row(lines, name) -> list[str]:
    found = [line.split() for line in lines if line.split()[:1] == [name]]
    assert len(found) == 1, (name, lines)
    return found[0]


def test_summary_of_a_small_mlp():
    model = MLP([20, 16, 8, 3], dropout=0.5, batch_norm=True, rng=np.random.default_rng(0))
    lines = capture(model, (5, 20))
    assert lines[0] == 'Model "MLP"'
    assert row(lines, "layers.0") == ["layers.0", "Linear", "(5,", "16)", "320"]
    assert row(lines, "layers.1") == ["layers.1", "BatchNorm1d", "(5,", "16)", "32"]
    assert row(lines, "layers.2") == ["layers.2", "ReLU", "(5,", "16)", "0"]
    assert row(lines, "layers.3") == ["layers.3", "Dropout", "(5,", "16)", "0"]
    assert row(lines, "layers.8") == ["layers.8", "Linear", "(5,", "3)", "27"]
    names = [line.split()[0] for line in lines if line.startswith("layers.")]
    assert names == [f"layers.{i}" for i in range(9)]          # call order
    total = 320 + 32 + 16 * 8 + 16 + 27
    assert f"Total params: {total:,}" in lines
    assert f"Trainable params: {total:,}" in lines and "Non-trainable params: 0" in lines


def test_summary_counts_frozen_parameters_and_restores_state():
    model = MLP([10, 100, 2], batch_norm=True, rng=np.random.default_rng(0))
    model.layers[0].freeze()
    before = model.state_dict()
    lines = capture(model, np.ones((4, 10), dtype=np.float32))     # an example input
    assert "Total params: 1,402" in lines
    assert "Trainable params: 402" in lines and "Non-trainable params: 1,000" in lines
    assert model.training and all(m.training for m in model.modules())
    for name, array in model.state_dict().items():                  # running stats untouched
        np.testing.assert_array_equal(array, before[name], err_msg=name)
    assert all(not m._forward_hooks for m in model.modules())


def test_a_container_with_its_own_parameters_gets_a_row():
    class Scaled(Module):
        def __init__(self):
            super().__init__()
            self.scale = Parameter(np.ones(3, dtype=np.float32))
            self.body = Linear(2, 3)
            self.unused = ReLU()

        def forward(self, x):
            return self.body(x) * self.scale

    lines = capture(Scaled(), Tensor(np.zeros((1, 2), dtype=np.float32)))
    assert row(lines, "(model)") == ["(model)", "Scaled", "(1,", "3)", "3"]
    assert row(lines, "body") == ["body", "Linear", "(1,", "3)", "9"]
    assert row(lines, "unused")[2:4] == ["not", "called"]


def test_bad_input_shape_is_rejected():
    with pytest.raises(ValueError, match="summary\\(\\) needs an input shape"):
        MLP([2, 2]).summary((0, 2), print_fn=lambda text: None)

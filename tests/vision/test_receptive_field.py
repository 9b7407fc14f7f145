"""The receptive-field calculator against brute force: the input pixels whose gradient
reaches one output unit of a linear conv/pool stack (all-positive weights, no ReLU)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ivanet import Tensor, nn
from ivanet.nn.conv import Conv2d
from ivanet.nn.pooling import AvgPool2d, GlobalAvgPool2d, MaxPool2d
from ivanet.ops.shape import concat
from ivanet.vision import format_fields, receptive_field, receptive_fields


@st.composite
def linear_stacks(draw):
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        k, s = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        if draw(st.booleans()):
            layers.append(Conv2d(1, 1, k, stride=s, padding=draw(st.integers(0, 1)),
                                 dilation=draw(st.integers(1, 2)), bias=False))
        else:
            layers.append(AvgPool2d(k, s))
    return layers


def _brute_force_size(model, n):
    for module in model.modules():
        if isinstance(module, Conv2d):
            module.weight.data[...] = 1.0
    x = Tensor(np.ones((1, 1, n, n)), requires_grad=True)
    out = model(x)
    center = tuple(s // 2 for s in out.shape[2:])
    grad = np.zeros(out.shape)
    grad[(0, 0) + center] = 1.0
    out.backward(grad)
    rows, cols = np.nonzero(x.grad[0, 0])
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


@given(layers=linear_stacks())
@settings(max_examples=25)
def test_matches_brute_force_on_linear_stacks(layers):
    model = nn.Sequential(*layers).astype(np.float64)
    n = 64                                       # large enough: the centre field is inside
    assert receptive_field(model, (1, 1, n, n)) == _brute_force_size(model, n)


class TwoBranches(nn.Module):
    """A 3×3 branch and a 7×7 branch joined by concatenation: the wider one counts."""

    def __init__(self):
        super().__init__()
        self.small = Conv2d(1, 1, 3, padding=1)
        self.large = Conv2d(1, 1, 7, padding=3)
        self.pool = MaxPool2d(2)
        self.head = GlobalAvgPool2d()

    def forward(self, x):
        x = concat([self.small(x), self.large(x)], axis=1)
        return self.head(self.pool(x).relu())


def test_branches_take_the_widest_path_and_global_pool_sees_everything():
    rows = receptive_fields(TwoBranches(), (1, 1, 16, 16))
    sizes = {row.name: row.size for row in rows}
    assert sizes["small"] == (3, 3) and sizes["large"] == (7, 7)
    assert sizes["pool"] == (8, 8)                  # 7 + (2 − 1)·1
    assert sizes["head"] == (float("inf"),) * 2
    assert receptive_field(TwoBranches(), (1, 1, 16, 16)) == (8, 8)
    table = format_fields(rows)
    assert "global" in table and "8×8" in table

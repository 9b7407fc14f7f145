"""Initialisation: fans and gains as torch.nn.init, sample statistics against the formulas,
and the course's point that equal weights never break symmetry."""
import math

import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import MLP, CrossEntropyLoss, Linear, Parameter, init

torch = pytest.importorskip("torch")

SHAPE = (300, 400)        # 120,000 samples: the sample std is within ~0.5 % of the truth
FAN_IN, FAN_OUT = 400, 300


@pytest.mark.parametrize("shape", [(5, 3), (8, 4, 3, 3), (6, 2, 5), (2, 7, 1, 1)])
def test_fans_match_torch(shape):
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.calculate_fan_in_and_fan_out(np.empty(shape)) == expected
    assert init.calculate_fan_in_and_fan_out(shape) == expected


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match="at least 2 dimensions, got shape \\(4,\\)"):
        init.calculate_fan_in_and_fan_out(np.empty(4))


@pytest.mark.parametrize("name, param", [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)])
def test_gains_match_torch(name, param):
    assert init.calculate_gain(name, param) == pytest.approx(
        torch.nn.init.calculate_gain(name, param), rel=1e-12)


def test_unknown_gain_is_an_error():
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        init.calculate_gain("swish")


def sample(fill, dtype=np.float32, **kwargs) -> np.ndarray:
    array = np.empty(SHAPE, dtype=dtype)
    assert fill(array, rng=np.random.default_rng(0), **kwargs) is array   # in place
    assert array.dtype == dtype
    return array.astype(np.float64)


NORMAL_CASES = [
    ("xavier_normal_", {}, math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("xavier_normal_", {"gain": 5 / 3}, 5 / 3 * math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("kaiming_normal_", {}, math.sqrt(2 / FAN_IN)),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2 / FAN_OUT)),
    ("kaiming_normal_", {"a": 0.2}, math.sqrt(2 / (1 + 0.04)) / math.sqrt(FAN_IN)),
    ("normal_", {"std": 0.05}, 0.05),
]


@pytest.mark.parametrize("name, kwargs, std", NORMAL_CASES)
def test_normal_inits_have_the_formula_std(name, kwargs, std):
    values = sample(getattr(init, name), **kwargs)
    assert abs(values.mean()) < 4 * std / math.sqrt(values.size)
    assert values.std() == pytest.approx(std, rel=0.01)


UNIFORM_CASES = [
    ("xavier_uniform_", {}, math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("kaiming_uniform_", {}, math.sqrt(6 / FAN_IN)),
    ("kaiming_uniform_", {"mode": "fan_out"}, math.sqrt(6 / FAN_OUT)),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, 1 / math.sqrt(FAN_IN)),   # torch's default
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, kwargs, bound", UNIFORM_CASES)
def test_uniform_inits_fill_the_formula_bound(name, kwargs, bound, dtype):
    values = sample(getattr(init, name), dtype=dtype, **kwargs)
    assert values.min() >= -bound and values.max() <= bound
    assert values.min() < -0.999 * bound and values.max() > 0.999 * bound
    assert values.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)   # U(−b, b)


def test_our_std_matches_a_torch_sample_of_the_same_init():
    theirs = torch.nn.init.kaiming_normal_(torch.empty(SHAPE), nonlinearity="relu")
    ours = sample(init.kaiming_normal_, nonlinearity="relu")
    assert ours.std() == pytest.approx(float(theirs.std()), rel=0.02)


def test_constant_fills_and_tensors_are_filled_in_place():
    param = Parameter(np.empty((2, 3), dtype=np.float32))
    data = param.data
    assert init.constant_(param, 0.5) is param and param.data is data
    assert (param.data == 0.5).all()
    assert (init.ones_(param).data == 1).all() and not init.zeros_(param).data.any()
    init.uniform_(param, -2, -1, rng=np.random.default_rng(0))
    assert ((param.data >= -2) & (param.data < -1)).all()
    with pytest.raises(TypeError, match="got list"):
        init.zeros_([1.0, 2.0])


def test_seeded_rng_reproduces_the_weights():
    first = Linear(5, 4, rng=np.random.default_rng(3))
    second = Linear(5, 4, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(first.weight.data, second.weight.data)


def test_linear_init_schemes():
    rng = np.random.default_rng(0)
    layer = Linear(1000, 200, init="torch", rng=rng)
    bound = 1 / math.sqrt(1000)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert layer.bias.data.any()
    he = Linear(1000, 200, rng=rng)
    assert he.weight.data.std() == pytest.approx(math.sqrt(2 / 1000), rel=0.02)
    assert not he.bias.data.any()
    custom = Linear(3, 2, init=lambda w, rng: w.fill(7.0))
    assert (custom.weight.data == 7).all()
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        Linear(3, 2, init="glorot")


def train_two_layer_net(weight_fill, steps: int = 300) -> MLP:
    """A 4-8-3 sigmoid network trained by plain gradient descent, float64."""
    rng = np.random.default_rng(0)
    model = MLP([4, 8, 3], activation="sigmoid", rng=rng).astype(np.float64)
    for layer in (model.layers[0], model.layers[2]):
        weight_fill(layer.weight.data)
        layer.bias.data[...] = 0
    x = rng.standard_normal((32, 4))
    y = rng.integers(0, 3, 32)
    criterion = CrossEntropyLoss()
    for _ in range(steps):
        model.zero_grad()
        criterion(model(Tensor(x)), y).backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    return model


@pytest.mark.parametrize("value", [0.0, 0.3])
def test_equal_initial_weights_never_break_symmetry(value):
    model = train_two_layer_net(lambda w: w.fill(value))
    hidden, output = model.layers[0], model.layers[2]
    assert not np.allclose(output.weight.data, value)       # it did train
    np.testing.assert_allclose(hidden.weight.data, hidden.weight.data[:1].repeat(8, 0),
                               atol=1e-9)                     # all hidden units identical
    np.testing.assert_allclose(hidden.bias.data, hidden.bias.data[0], atol=1e-9)
    np.testing.assert_allclose(output.weight.data, output.weight.data[:, :1].repeat(8, 1),
                               atol=1e-9)


def test_random_initial_weights_give_different_hidden_units():
    rng = np.random.default_rng(1)
    model = train_two_layer_net(lambda w: w.__setitem__(..., rng.standard_normal(w.shape)))
    rows = model.layers[0].weight.data
    assert np.abs(rows - rows[:1]).max(axis=1)[1:].min() > 1e-2


def test_shapes_only_draws_nothing_and_ends_with_its_block():
    array = np.full((4, 5), 7.0, np.float32)
    state = np.random.default_rng(3).bit_generator.state
    generator = np.random.default_rng(3)
    with init.shapes_only():
        init.kaiming_uniform_(array, rng=generator)
        init.xavier_normal_(array, rng=generator)
    assert (array == 7.0).all() and generator.bit_generator.state == state
    init.normal_(array, rng=generator)
    assert not (array == 7.0).any()                  # sampling is back after the block


def test_shapes_only_is_restored_after_an_error():
    with pytest.raises(RuntimeError), init.shapes_only():
        raise RuntimeError("inside")
    array = np.zeros(50, np.float32)
    init.uniform_(array, 1.0, 2.0, rng=np.random.default_rng(0))
    assert array.min() >= 1.0

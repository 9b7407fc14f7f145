"""The registry, ``mlp`` and ``logreg``: shapes, parameter counts, modes, init, state round
trip, "overfits one small batch", and errors that list the valid choices."""
import math

import numpy as np
import pytest

from model_helpers import loss_after_training

from ivanet import Tensor, nn
from ivanet.models import ModelError, create_model, list_models, model_options, register_model
from ivanet.ops.losses import binary_cross_entropy_with_logits, cross_entropy


def test_mlp_default_shape_and_parameter_count(rng):
    model = create_model("mlp", rng=rng)
    x = Tensor(rng.random((4, 1, 28, 28), dtype=np.float32))
    assert model(x).shape == (4, 10)
    assert model.num_parameters() == (784 * 512 + 512) + (512 * 256 + 256) + (256 * 10 + 10)


def test_mlp_options_and_he_init(rng):
    model = create_model("mlp", input_shape=(20,), num_classes=3, hidden=[400], dropout=0.0,
                         rng=rng)
    assert model(Tensor(np.zeros((2, 20), np.float32))).shape == (2, 3)
    assert not any(isinstance(m, nn.Dropout) for m in model.modules())
    weight = next(m for m in model.modules() if isinstance(m, nn.Linear)).weight.data
    assert weight.shape == (400, 20)
    assert weight.std() == pytest.approx(math.sqrt(2 / 20), rel=0.1)  # He: N(0, 2/fan_in)


def test_mlp_dropout_only_in_training_mode(rng):
    model = create_model("mlp", input_shape=(30,), num_classes=4, hidden=[64], dropout=0.5,
                         rng=rng)
    x = Tensor(rng.random((8, 30), dtype=np.float32))
    assert not np.array_equal(model(x).data, model(x).data)
    model.eval()
    np.testing.assert_array_equal(model(x).data, model(x).data)


def test_state_dict_round_trip(rng):
    source = create_model("mlp", input_shape=(12,), num_classes=3, hidden=[8], rng=rng)
    target = create_model("mlp", input_shape=(12,), num_classes=3, hidden=[8],
                          rng=np.random.default_rng(99))
    target.load_state_dict(source.state_dict())
    x = Tensor(rng.random((5, 12), dtype=np.float32))
    source.eval(), target.eval()
    np.testing.assert_array_equal(source(x).data, target(x).data)


def test_mlp_overfits_one_small_batch(rng):
    x = rng.random((16, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 16)
    model = create_model("mlp", hidden=[64], dropout=0.0, rng=rng)
    assert loss_after_training(model, x, y, cross_entropy, steps=100, lr=0.01) < 0.05
    model.eval()
    assert np.array_equal(model(Tensor(x)).data.argmax(1), y)


def test_logreg_is_one_sigmoid_unit_for_two_classes(rng):
    model = create_model("logreg", input_shape=(3,), num_classes=2)
    assert model(Tensor(np.zeros((5, 3), np.float32))).shape == (5, 1)
    assert model.num_parameters() == 4
    assert not np.any(model.state_dict()["1.weight"])  # zeros, as on the slides
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5]) > 0).astype(np.float32)[:, None]  # separable
    assert loss_after_training(model, x, y, binary_cross_entropy_with_logits, steps=150,
                               lr=0.1) < 0.1


def test_logreg_softmax_for_more_classes(rng):
    model = create_model("logreg", num_classes=10)
    assert model(Tensor(np.zeros((2, 1, 28, 28), np.float32))).shape == (2, 10)
    assert model.num_parameters() == 7850


def test_registry_errors_list_the_valid_choices():
    with pytest.raises(ModelError, match="unknown model 'mpl'.*did you mean 'mlp'.*logreg"):
        create_model("mpl")
    with pytest.raises(ModelError, match="no option 'width'.*hidden, dropout"):
        create_model("mlp", width=3)
    with pytest.raises(ModelError, match="model 'mlp': .*dropout"):
        create_model("mlp", dropout=1.5)


def test_list_models_and_options():
    rows = {row.name: row for row in list_models(["mlp", "logreg"])}
    assert rows["mlp"].parameters == 535_818 and rows["logreg"].parameters == 7_850
    assert "perceptron" in rows["mlp"].description
    assert model_options("mlp")["hidden"] == (512, 256)
    assert "rng" not in model_options("mlp")


def test_register_model_rejects_a_second_factory_under_a_taken_name():
    with pytest.raises(ValueError, match="already registered"):
        register_model("mlp", "another")(lambda input_shape=(1,), num_classes=2, rng=None: None)


@pytest.mark.parametrize("name", ["lenet5", "resnet8", "char_lstm", "unet"])
def test_listed_counts_built_without_sampling_equal_a_built_models(name):
    listed = list_models([name])[0].parameters
    assert listed == create_model(name, rng=np.random.default_rng(0)).num_parameters()

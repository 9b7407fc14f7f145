"""TrainConfig: defaults, dict/TOML round trips, one-line errors naming the key."""
import pytest

from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError, UserError


def test_round_trip_through_a_dict():
    config = TrainConfig(model="logreg", epochs=3, lr=0.1, model_options={"init": "he"})
    assert TrainConfig.from_dict(config.to_dict()) == config


def test_unknown_key_is_named_with_a_suggestion():
    with pytest.raises(ConfigError, match="unknown config key 'lrr'.*did you mean 'lr'"):
        TrainConfig.from_dict({"lrr": 0.1})


@pytest.mark.parametrize("key, value, expected", [
    ("epochs", "10", "int"),
    ("epochs", 2.5, "int"),
    ("epochs", True, "int"),
    ("lr", "fast", "float"),
    ("model_options", [1], "dict"),
    ("clip_grad_norm", "1", "float or null"),
])
def test_wrong_type_names_key_expected_and_got(key, value, expected):
    with pytest.raises(ConfigError) as caught:
        TrainConfig.from_dict({key: value})
    message = str(caught.value)
    assert f"'{key}'" in message and f"expected {expected}" in message
    assert f"got {type(value).__name__}" in message and "\n" not in message
    assert isinstance(caught.value, UserError)


def test_ints_are_accepted_where_floats_are_expected():
    assert TrainConfig.from_dict({"lr": 1}).lr == 1.0


@pytest.mark.parametrize("values, fragment", [
    ({"optimizer": "adagrad"}, "'optimizer'"),
    ({"epochs": 0}, "'epochs'"),
    ({"augment": "shift+zoom"}, "'augment'"),
    ({"lr": 0}, "'lr'"),
    ({"monitor": "accuracy"}, "'monitor'"),
])
def test_bad_values_are_rejected(values, fragment):
    with pytest.raises(ConfigError, match=fragment):
        TrainConfig.from_dict(values)


def test_from_toml(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text('model = "mlp"\nepochs = 4\nlr = 0.01\n\n[model_options]\nhidden = [32]\n')
    config = TrainConfig.from_toml(path)
    assert (config.epochs, config.lr, config.model_options) == (4, 0.01, {"hidden": [32]})
    path.write_text("epochs = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        TrainConfig.from_toml(path)
    with pytest.raises(ConfigError, match="does not exist"):
        TrainConfig.from_toml(tmp_path / "missing.toml")


def test_augment_presets_build_in_the_order_given():
    from ivanet.data import RandomCrop, RandomErasing, RandomHorizontalFlip
    from ivanet.training.setup import load_data, make_augmentations
    config = TrainConfig(data="mnist", augment="shift+flip+erase")
    built = make_augmentations(config, load_data(config))
    assert [type(a) for a in built] == [RandomCrop, RandomHorizontalFlip, RandomErasing]

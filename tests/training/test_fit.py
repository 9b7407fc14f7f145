"""fit / evaluate / predict on tiny problems: learning, modes, inputs, early errors."""
import numpy as np
import pytest
from training_helpers import tiny_model

from ivanet import nn
from ivanet.data import ArrayDataset, DataError, DataLoader
from ivanet.ops.losses import cross_entropy
from ivanet.optim import Adam
from ivanet.training import TrainingError, evaluate, fit, predict


def _fit(model, tiny_arrays, **options):
    x, y, x_dev, y_dev = tiny_arrays
    options.setdefault("optimizer", Adam(model.parameters(), lr=0.02))
    options.setdefault("epochs", 6)
    return fit(model, (x, y), (x_dev, y_dev), batch_size=16, progress=False, **options)


def test_fit_reduces_the_loss_and_learns(tiny_arrays):
    model = tiny_model()
    history = _fit(model, tiny_arrays)
    assert len(history) == 6
    assert history["train_loss"][-1] < history["train_loss"][0] / 3
    assert history.last["dev_accuracy"] > 0.9
    assert set(history.last) == {"epoch", "train_loss", "train_accuracy", "dev_loss",
                                 "dev_accuracy", "lr", "seconds"}
    result = evaluate(model, tiny_arrays[2:], metrics=("accuracy", "f1"))
    assert result["accuracy"] == pytest.approx(history.last["dev_accuracy"])
    assert result["loss"] == pytest.approx(history.last["dev_loss"], rel=1e-5)


def test_same_seed_same_weights_even_with_dropout(tiny_arrays):
    first, second = tiny_model(dropout=0.3), tiny_model(dropout=0.3)
    _fit(first, tiny_arrays, epochs=2, seed=7)
    _fit(second, tiny_arrays, epochs=2, seed=7)
    for (name, a), b in zip(first.state_dict().items(), second.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=name)


class _ModeRecorder(nn.Module):
    """Wraps a model and records the training flag of every forward call."""

    def __init__(self, inner):
        super().__init__()
        self.inner, self.modes = inner, []

    def forward(self, x):
        self.modes.append(self.training)
        return self.inner(x)


def test_training_mode_for_steps_and_eval_mode_for_dev(tiny_arrays):
    model = _ModeRecorder(tiny_model(dropout=0.5))
    _fit(model, tiny_arrays, epochs=2)
    steps, dev_batches = 96 // 16, 48 // 16
    expected = ([True] * steps + [False] * dev_batches) * 2
    assert model.modes == expected


def test_inputs_may_be_arrays_datasets_or_loaders(tiny_arrays):
    x, y, x_dev, y_dev = tiny_arrays
    for train in ((x, y), ArrayDataset(x, y), DataLoader(ArrayDataset(x, y), 16, shuffle=True,
                                                         seed=0)):
        model = tiny_model()
        history = fit(model, train, epochs=1, optimizer=Adam(model.parameters()),
                      batch_size=16, progress=False)
        assert "dev_loss" not in history.last and "train_loss" in history.last


def test_predict_is_deterministic_in_eval_mode_and_keeps_the_mode(tiny_arrays):
    model = tiny_model(dropout=0.5)
    x = tiny_arrays[0]
    first, second = predict(model, x, batch_size=10), predict(model, x)
    assert first.shape == (96, 3)
    np.testing.assert_array_equal(first, second)
    assert model.training


def test_nan_in_the_data_names_the_set_and_the_sample(tiny_arrays):
    x, y, x_dev, y_dev = (array.copy() for array in tiny_arrays)
    x[5, 2] = np.nan
    with pytest.raises(DataError, match=r"training data: the input of sample 5 is nan"):
        _fit(tiny_model(), (x, y, x_dev, y_dev))
    x_dev[3, 0] = np.inf
    with pytest.raises(DataError, match=r"dev data: the input of sample 3 is inf"):
        _fit(tiny_model(), (tiny_arrays[0], y, x_dev, y_dev))


def test_a_nan_loss_stops_training_naming_epoch_and_step(tiny_arrays):
    calls = []

    def poisoned(outputs, y):
        if outputs.requires_grad:  # count training steps, not dev evaluations
            calls.append(1)
        loss = cross_entropy(outputs, y)
        return loss * float("nan") if len(calls) == 9 else loss

    model = tiny_model()
    before = model.state_dict()
    with pytest.raises(TrainingError, match=r"became nan at epoch 2, step 3 \(optimizer step 9"):
        _fit(model, tiny_arrays, loss=poisoned)
    assert np.isfinite(model.layers[0].weight.data).all()  # the NaN step was not applied
    assert not np.array_equal(model.layers[0].weight.data, before["layers.0.weight"])


def test_unknown_metric_and_loss_names(tiny_arrays):
    with pytest.raises(ValueError, match="unknown metric 'acc'.*accuracy"):
        _fit(tiny_model(), tiny_arrays, metrics=("acc",))
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        _fit(tiny_model(), tiny_arrays, loss="hinge")

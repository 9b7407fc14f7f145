"""MLP: structure, shapes, whole-model gradient check, train/eval, learns a small batch."""
import numpy as np
import pytest

from ivanet import Tensor, check_model_gradients
from ivanet.nn import (MLP, BatchNorm1d, CrossEntropyLoss, Dropout, Linear, ReLU, Tanh,
                       l2_penalty)


def test_layers_follow_the_course_order():
    model = MLP([6, 5, 4, 3], activation="tanh", dropout=0.2, batch_norm=True)
    kinds = [type(layer) for layer in model.layers]
    assert kinds == [Linear, BatchNorm1d, Tanh, Dropout, Linear, BatchNorm1d, Tanh, Dropout,
                     Linear]
    assert model.layers[0].weight.shape == (5, 6)           # W[1]: (n[1], n[0])
    assert model.layers[0].bias is None                      # batch norm's β replaces it
    assert model.layers[8].bias is not None
    assert model(Tensor(np.zeros((7, 6), dtype=np.float32))).shape == (7, 3)
    assert model.num_parameters() == 6 * 5 + 2 * 5 + 5 * 4 + 2 * 4 + 4 * 3 + 3


def test_plain_mlp_and_output_activation():
    model = MLP([3, 4, 2], output_activation="softmax", rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in model.layers] == [
        "Linear", "ReLU", "Linear", "Softmax"]
    probs = model(Tensor(np.ones((2, 3), dtype=np.float32))).data
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    assert isinstance(MLP([3, 2]).layers[0], Linear) and len(MLP([3, 2]).layers) == 1
    assert isinstance(MLP([3, 4, 2]).layers[1], ReLU)


@pytest.mark.parametrize("kwargs, match", [
    ({"layer_sizes": [3]}, "at least an input and an output"),
    ({"layer_sizes": [3, 2], "activation": "swish"}, "unknown activation 'swish'"),
    ({"layer_sizes": [3, 2], "output_activation": "max"}, "unknown output_activation"),
    ({"layer_sizes": [3, 2], "dropout": 1.0}, "dropout must be a number"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(**kwargs)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_whole_model_gradient_check(batch_norm):
    rng = np.random.default_rng(0)
    model = MLP([4, 6, 5, 3], activation="tanh", batch_norm=batch_norm, rng=rng)
    x, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    criterion = CrossEntropyLoss()

    def loss_fn(scores, labels):
        return criterion(scores, labels) + l2_penalty(model, 0.1, 8)

    report = check_model_gradients(model, loss_fn, (x, y), max_per_parameter=None)
    assert report.passed, str(report)
    assert model.layers[0].weight.dtype == np.float32        # restored afterwards


def test_overfits_one_small_batch():
    rng = np.random.default_rng(0)
    model = MLP([5, 32, 3], batch_norm=True, rng=rng)
    x = Tensor(rng.standard_normal((12, 5)).astype(np.float32))
    y = rng.integers(0, 3, 12)
    criterion = CrossEntropyLoss()
    for _ in range(200):
        model.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    assert loss.item() < 0.05
    assert (model(x).data.argmax(axis=1) == y).all()

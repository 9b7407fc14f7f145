"""Dropout: inverted scaling in training, identity in evaluation, reproducible with rng."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import Dropout, Linear, Sequential


def test_training_zeroes_a_fraction_p_and_scales_survivors():
    layer = Dropout(0.25, rng=np.random.default_rng(0))
    x = Tensor(np.ones((200, 100), dtype=np.float32), requires_grad=True)
    out = layer(x)
    kept = out.data != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out.data[kept], 1 / 0.75, rtol=1e-6)
    assert abs(out.data.mean() - 1) < 0.02          # the expectation is unchanged
    out.backward(np.ones(out.shape, dtype=np.float32))
    np.testing.assert_allclose(x.grad, out.data)    # same mask, same scale backward


def test_eval_returns_the_input_unchanged():
    layer = Dropout(0.5, rng=np.random.default_rng(0)).eval()
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_array_equal(layer(x).data, x.data)


def test_train_eval_switch_through_a_container():
    rng = np.random.default_rng(1)
    model = Sequential(Linear(4, 64, rng=rng), Dropout(0.5, rng=rng))
    x = Tensor(np.ones((8, 4), dtype=np.float32))
    assert not np.array_equal(model(x).data, model(x).data)   # a new mask each step
    model.eval()
    np.testing.assert_array_equal(model(x).data, model(x).data)
    model.train()
    assert (model(x).data == 0).any()


def test_seeded_rng_gives_the_same_masks():
    x = Tensor(np.ones((10, 10), dtype=np.float32))
    first = Dropout(0.5, rng=np.random.default_rng(7))(x).data
    second = Dropout(0.5, rng=np.random.default_rng(7))(x).data
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_p_must_be_a_probability_below_one(p):
    with pytest.raises(ValueError, match=r"Dropout p must be a number in \[0, 1\)"):
        Dropout(p)

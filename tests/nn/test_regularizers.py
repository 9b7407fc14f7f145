"""L2 and L1 penalties: values and gradients against hand NumPy; biases and BN excluded."""
import numpy as np
import pytest

from ivanet import Tensor, gradcheck
from ivanet.nn import MLP, l1_penalty, l2_penalty, regularizers


def make_model() -> MLP:
    return MLP([3, 5, 4, 2], batch_norm=True, rng=np.random.default_rng(0)).astype(np.float64)


def weight_matrices(model):
    return [model.layers[0].weight, model.layers[3].weight, model.layers[6].weight]


def test_only_weight_matrices_are_penalised_by_default():
    model = make_model()
    chosen = regularizers.penalized_parameters(model)
    assert chosen == weight_matrices(model)        # not biases, not batch-norm γ (1-D) or β
    assert regularizers.penalized_parameters(model, include_bias=True) == list(
        model.parameters())


def test_l2_value_and_gradient(rng):
    model = make_model()
    lam, m = 0.7, 32
    penalty = l2_penalty(model, lam, m)
    expected = lam / (2 * m) * sum((w.data ** 2).sum() for w in weight_matrices(model))
    assert penalty.item() == pytest.approx(expected, rel=1e-12)
    penalty.backward()
    for w in weight_matrices(model):
        np.testing.assert_allclose(w.grad, lam / m * w.data, rtol=1e-12)
    assert model.layers[6].bias.grad is None and model.layers[1].weight.grad is None


def test_l1_value_and_gradient():
    model = make_model()
    model.layers[0].weight.data[0, 0] = 0.0        # the subgradient at 0 is 0
    lam, m = 0.3, 8
    penalty = l1_penalty(model, lam, m)
    expected = lam / m * sum(np.abs(w.data).sum() for w in weight_matrices(model))
    assert penalty.item() == pytest.approx(expected, rel=1e-12)
    penalty.backward()
    for w in weight_matrices(model):
        np.testing.assert_allclose(w.grad, lam / m * np.sign(w.data), rtol=1e-12)
    assert model.layers[0].weight.grad[0, 0] == 0


def test_include_bias_penalises_every_parameter():
    model = make_model()
    value = l2_penalty(model, 1.0, 1, include_bias=True).item()
    assert value == pytest.approx(0.5 * sum((p.data ** 2).sum() for p in model.parameters()))


@pytest.mark.parametrize("penalty", [l2_penalty, l1_penalty])
def test_penalties_pass_gradcheck_with_a_random_upstream(rng, penalty):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((2, 3, 2))
    assert gradcheck(lambda x, y: penalty([x, y], 0.9, 5), a, b)


def test_penalty_adds_to_the_loss_and_both_gradients_add_up():
    model = make_model()
    x = Tensor(np.random.default_rng(1).standard_normal((6, 3)))
    data_loss = (model(x) * model(x)).mean()
    data_loss.backward()
    data_grad = model.layers[0].weight.grad.copy()
    model.zero_grad()
    total = (model(x) * model(x)).mean() + l2_penalty(model, 0.5, 6)
    total.backward()
    np.testing.assert_allclose(model.layers[0].weight.grad,
                               data_grad + 0.5 / 6 * model.layers[0].weight.data, rtol=1e-10)


def test_bad_arguments_and_empty_selection():
    with pytest.raises(ValueError, match="lam must be ≥ 0"):
        l2_penalty(make_model(), -1.0, 4)
    with pytest.raises(ValueError, match="m \\(the number of examples\\)"):
        l1_penalty(make_model(), 1.0, 0)
    assert l2_penalty([], 1.0, 1).item() == 0.0

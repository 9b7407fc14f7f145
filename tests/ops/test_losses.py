"""Losses: finite differences and PyTorch parity for every reduction; strict shape errors."""
import re
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from op_checks import check_op, normal, seeds, shapes

from ivanet import Tensor
from ivanet.ops import losses

REDUCTIONS = ["mean", "sum", "none"]
reductions = st.sampled_from(REDUCTIONS)


@given(samples=st.integers(1, 5), classes=st.integers(2, 5), reduction=reductions,
       smoothing=st.sampled_from([0.0, 0.1, 0.5]), seed=seeds)
def test_cross_entropy_with_labels(samples, classes, reduction, smoothing, seed):
    logits, = normal(seed, (samples, classes))
    labels = np.random.default_rng(seed).integers(0, classes, samples)
    check_op(lambda z, y: losses.cross_entropy(z, y, reduction, smoothing),
             lambda z, y: F.cross_entropy(z, y, reduction=reduction, label_smoothing=smoothing),
             logits * 3, labels, seed=seed)


@given(extra=shapes(min_dims=1, max_dims=2, max_side=3), reduction=reductions, seed=seeds)
def test_cross_entropy_class_axis_1_for_spatial_logits(extra, reduction, seed):
    logits, = normal(seed, (2, 3) + extra)                     # (N, C, d1, …)
    labels = np.random.default_rng(seed).integers(0, 3, (2,) + extra)
    check_op(lambda z, y: losses.cross_entropy(z, y, reduction),
             lambda z, y: F.cross_entropy(z, y, reduction=reduction), logits, labels, seed=seed)


def test_cross_entropy_unbatched(rng):
    logits, label = rng.standard_normal(4), np.array(2)
    for reduction in REDUCTIONS:
        check_op(lambda z, y: losses.cross_entropy(z, y, reduction),
                 lambda z, y: F.cross_entropy(z, y, reduction=reduction), logits, label)


@given(samples=st.integers(1, 4), classes=st.integers(2, 4), reduction=reductions,
       smoothing=st.sampled_from([0.0, 0.2]), seed=seeds)
def test_cross_entropy_with_probability_targets(samples, classes, reduction, smoothing, seed):
    """Soft targets (not summing to 1 here): the gradients of logits and targets both."""
    logits, = normal(seed, (samples, classes))
    targets = np.random.default_rng(seed).uniform(0, 1, (samples, classes))
    check_op(lambda z, y: losses.cross_entropy(z, y, reduction, smoothing),
             lambda z, y: F.cross_entropy(z, y, reduction=reduction, label_smoothing=smoothing),
             logits, targets, seed=seed)


def test_cross_entropy_probability_targets_with_class_axis_1(rng):
    logits, targets = rng.standard_normal((2, 3, 2, 2)), rng.uniform(0, 1, (2, 3, 2, 2))
    for reduction in REDUCTIONS:
        check_op(lambda z, y: losses.cross_entropy(z, y, reduction),
                 lambda z, y: F.cross_entropy(z, y, reduction=reduction), logits, targets)


def test_one_hot_targets_equal_labels(rng):
    """The slides' one-hot labels, as ints or floats, give what the class indices give."""
    logits, labels = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    one_hot = np.eye(4, dtype=np.int64)[labels]
    expected = Tensor(logits, requires_grad=True)
    losses.cross_entropy(expected, labels).backward()
    for target in (one_hot, one_hot.astype(np.float64), Tensor(one_hot.astype(np.float32))):
        z = Tensor(logits, requires_grad=True)
        loss = losses.cross_entropy(z, target)
        loss.backward()
        np.testing.assert_allclose(loss.data, losses.cross_entropy(logits, labels).data)
        np.testing.assert_allclose(z.grad, expected.grad, rtol=1e-12)


def test_cross_entropy_is_one_fused_op_with_softmax_minus_target_gradient(rng):
    logits = Tensor(rng.standard_normal((5, 3)), requires_grad=True)
    labels = rng.integers(0, 3, 5)
    loss = losses.cross_entropy(logits, Tensor(labels))
    assert loss.creator.inputs[0] is logits                   # no intermediate graph
    loss.backward()
    probs = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad, (probs - np.eye(3)[labels]) / 5, rtol=1e-12)


@given(lead=shapes(min_dims=0, max_dims=2, max_side=3), classes=st.integers(1, 4),
       reduction=reductions, seed=seeds)
def test_nll_loss(lead, classes, reduction, seed):
    shape = lead[:1] + (classes,) + lead[1:] if lead else (classes,)
    log_probs, = normal(seed, shape)
    labels = np.random.default_rng(seed).integers(0, classes, lead)
    check_op(lambda p, y: losses.nll_loss(p, y, reduction),
             lambda p, y: F.nll_loss(p, y, reduction=reduction), log_probs, labels, seed=seed)


@given(shape=shapes(), reduction=reductions, seed=seeds)
def test_binary_cross_entropy(shape, reduction, seed):
    rng = np.random.default_rng(seed)
    probabilities, targets = rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape)
    check_op(lambda p, y: losses.binary_cross_entropy(p, y, reduction),
             lambda p, y: F.binary_cross_entropy(p, y, reduction=reduction),
             probabilities, targets, seed=seed)


@given(shape=shapes(), reduction=reductions, seed=seeds)
def test_binary_cross_entropy_with_logits(shape, reduction, seed):
    logits, = normal(seed, shape)
    targets = np.random.default_rng(seed).uniform(0, 1, shape)
    check_op(lambda z, y: losses.binary_cross_entropy_with_logits(z, y, reduction),
             lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction=reduction),
             logits * 3, targets, seed=seed)


@given(shape=shapes(), reduction=reductions, seed=seeds)
def test_mse_loss(shape, reduction, seed):
    prediction, target = normal(seed, shape, shape)
    check_op(lambda p, y: losses.mse_loss(p, y, reduction),
             lambda p, y: F.mse_loss(p, y, reduction=reduction), prediction, target, seed=seed)


def quietly(fn):
    """Run fn with every floating-point problem and warning raised as an error."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return fn()


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_clamps_log_at_minus_100_like_torch(reduction):
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    mine, target = Tensor(p, requires_grad=True), Tensor(y, requires_grad=True)
    loss = quietly(lambda: losses.binary_cross_entropy(mine, target, reduction))
    upstream = np.random.default_rng(0).standard_normal(loss.shape)
    quietly(lambda: loss.backward(upstream))
    reference = torch.tensor(p, requires_grad=True)
    expected = F.binary_cross_entropy(reference, torch.tensor(y), reduction=reduction)
    expected.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-12)
    # rtol 1e-8: PyTorch's 1e-12 floor on p(1 − p) is a float32 literal (9.99999996e-13).
    np.testing.assert_allclose(mine.grad, reference.grad.numpy(), rtol=1e-8)
    # PyTorch's target gradient is ±inf at p ∈ {0, 1}; ours is that of the clamped loss.
    assert np.isfinite(target.grad).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, ours, theirs, target", [
    ("cross_entropy", losses.cross_entropy, F.cross_entropy, np.array([0, 1, 2])),
    ("soft cross_entropy", losses.cross_entropy, F.cross_entropy, np.full((3, 3), 1 / 3)),
    ("with_logits", losses.binary_cross_entropy_with_logits,
     F.binary_cross_entropy_with_logits, np.eye(3)),
])
def test_losses_of_logits_stable_at_plus_minus_1000(name, ours, theirs, target, dtype):
    logits = np.array([[1000, -1000, 0], [-1000, 1000, 999], [1, -999, 1000]], dtype=dtype)
    target = target.astype(dtype) if target.dtype.kind == "f" else target
    z = Tensor(logits, requires_grad=True)
    loss = quietly(lambda: ours(z, target))
    quietly(loss.backward)
    reference = torch.tensor(logits, requires_grad=True)
    expected = theirs(reference, torch.from_numpy(target))
    expected.backward()
    assert loss.dtype == dtype and z.grad.dtype == dtype
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(z.grad, reference.grad.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("call", [
    lambda: losses.cross_entropy(np.zeros((4, 3), np.float32), np.zeros(4, np.int64)),
    lambda: losses.cross_entropy(np.zeros((4, 3), np.float32), np.eye(3)[[0, 1, 2, 0]]),
    lambda: losses.nll_loss(np.zeros((4, 3), np.float32), np.zeros(4, np.int64)),
    lambda: losses.binary_cross_entropy(np.full(4, 0.5, np.float32), np.ones(4)),
    lambda: losses.binary_cross_entropy_with_logits(np.zeros(4, np.float32), np.ones(4)),
    lambda: losses.mse_loss(np.zeros(4, np.float32), np.ones(4)),
])
def test_float32_stays_float32(call):
    assert call().dtype == np.float32


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("loss", [losses.mse_loss, losses.binary_cross_entropy,
                                  losses.binary_cross_entropy_with_logits])
@pytest.mark.parametrize("prediction_shape, target_shape", [
    ((5,), (5, 1)), ((5, 1), (5,)), ((5, 2), (2,)), ((3,), (4,))])
def test_elementwise_losses_refuse_to_broadcast(loss, prediction_shape, target_shape):
    prediction = Tensor(np.full(prediction_shape, 0.5), requires_grad=True)
    message = rf"shape \({prediction_shape[0]}.*targets of shape \({target_shape[0]}"
    with pytest.raises(ValueError, match=message):
        loss(prediction, np.zeros(target_shape))


@pytest.mark.parametrize("loss", [losses.cross_entropy, losses.nll_loss])
@pytest.mark.parametrize("labels", [np.zeros((5, 1), int), np.zeros(4, int),
                                    np.zeros(5 * 3, int)])
def test_labels_of_the_wrong_shape(loss, labels):
    with pytest.raises(ValueError, match=r"shape \(5, 3\) need class labels of shape \(5,\).*"
                                         r"got targets of shape " + re.escape(str(labels.shape))):
        loss(Tensor(np.zeros((5, 3))), labels)


@pytest.mark.parametrize("loss", [losses.cross_entropy, losses.nll_loss])
@pytest.mark.parametrize("bad", [-1, 3, 7])
def test_labels_out_of_range_name_the_value(loss, bad):
    with pytest.raises(ValueError, match=rf"class label {bad} is out of range \[0, 3\)"):
        loss(Tensor(np.zeros((4, 3))), np.array([0, 1, bad, 2]))


@pytest.mark.parametrize("loss", [losses.cross_entropy, losses.nll_loss])
def test_float_labels_are_refused(loss):
    with pytest.raises(TypeError, match="class labels must be integers, got dtype float64"):
        loss(Tensor(np.zeros((4, 3))), np.array([0.0, 1.0, 2.0, 1.0]))


def test_binary_cross_entropy_refuses_values_outside_0_1():
    with pytest.raises(ValueError, match="must lie in \\[0, 1\\].*with_logits"):
        losses.binary_cross_entropy(Tensor(np.array([-0.5, 2.0])), np.array([0.0, 1.0]))


@pytest.mark.parametrize("loss", [losses.cross_entropy, losses.nll_loss, losses.mse_loss,
                                  losses.binary_cross_entropy,
                                  losses.binary_cross_entropy_with_logits])
def test_unknown_reduction(loss):
    with pytest.raises(ValueError, match="reduction must be one of"):
        loss(Tensor(np.full((2, 2), 0.5)), np.zeros((2, 2)), reduction="average")


def test_label_smoothing_out_of_range():
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.cross_entropy(Tensor(np.zeros((2, 2))), np.zeros(2, int), label_smoothing=1.5)

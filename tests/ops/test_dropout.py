"""dropout: inverted scaling, the mask from the given Generator, eval identity, edge p."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from op_checks import assert_gradcheck, seeds, shapes

from ivanet import Tensor
from ivanet.ops.dropout import dropout

probabilities = st.sampled_from([0.1, 0.25, 0.5, 0.9])


def expected_mask(seed: int, shape, p: float) -> np.ndarray:
    """The mask dropout draws from default_rng(seed): float32 uniforms below 1 − p."""
    return np.random.default_rng(seed).random(shape, dtype=np.float32) < 1 - p


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(shape=shapes(min_dims=1), p=probabilities, seed=seeds)
def test_forward_and_gradient_are_mask_over_keep(dtype, shape, p, seed):
    x = Tensor(np.random.default_rng(seed + 1).uniform(1, 2, shape).astype(dtype),
               requires_grad=True)
    out = dropout(x, p, True, np.random.default_rng(seed))
    keep = expected_mask(seed, shape, p) / np.asarray(1 - p, dtype)
    upstream = np.random.default_rng(seed + 2).standard_normal(shape).astype(dtype)
    out.backward(upstream)
    assert out.dtype == x.grad.dtype == dtype
    np.testing.assert_allclose(out.data, x.data * keep, rtol=1e-6)
    np.testing.assert_allclose(x.grad, upstream * keep, rtol=1e-6)


@given(shape=shapes(min_dims=1), p=probabilities, seed=seeds)
def test_gradcheck_with_a_fixed_mask(shape, p, seed):
    x = np.random.default_rng(seed).standard_normal(shape)
    assert_gradcheck(lambda x: dropout(x, p, True, np.random.default_rng(seed)), x, seed=seed)


def test_scaling_keeps_the_expected_value():
    x = Tensor(np.ones(200_000, np.float32))
    out = dropout(x, 0.3, True, np.random.default_rng(0)).data
    survivors = out != 0
    np.testing.assert_allclose(out[survivors], 1 / 0.7, rtol=1e-6)
    assert abs(survivors.mean() - 0.7) < 0.005
    assert abs(out.mean() - 1.0) < 0.01


def test_the_generator_decides_the_mask():
    x = Tensor(np.ones((50, 50)))
    same = [dropout(x, 0.5, True, np.random.default_rng(7)).data for _ in range(2)]
    other = dropout(x, 0.5, True, np.random.default_rng(8)).data
    np.testing.assert_array_equal(same[0], same[1])
    assert not np.array_equal(same[0], other)


@pytest.mark.parametrize("training, p", [(False, 0.5), (False, 1.0), (True, 0.0)])
def test_identity_in_eval_mode_and_for_p_zero(training, p):
    x = Tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    out = dropout(x, p, training, np.random.default_rng(0))
    np.testing.assert_array_equal(out.data, x.data)
    out.backward(np.full((3, 4), 2.0))
    np.testing.assert_array_equal(x.grad, np.full((3, 4), 2.0))


def test_p_one_drops_everything():
    x = Tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    out = dropout(x, 1.0, True, np.random.default_rng(0))
    out.backward(np.ones((3, 4)))
    np.testing.assert_array_equal(out.data, 0.0)
    np.testing.assert_array_equal(x.grad, 0.0)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_p_outside_0_1(p):
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        dropout(Tensor(np.ones(3)), p, True, np.random.default_rng(0))


def test_training_needs_a_generator():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        dropout(Tensor(np.ones(3)), 0.5, True, None)

"""The vectorised float32 exp of the recurrent gates: accuracy, special values, fallbacks."""
import numpy as np
import pytest

from ivanet.ops import exp_kernels
from ivanet.ops.exp_kernels import exp_

needs_numba = pytest.mark.skipif(exp_kernels.numba is None, reason="numba not installed")


@needs_numba
def test_relative_error_is_float32_rounding_over_the_whole_range():
    x = np.linspace(-87, 88, 200_001, dtype=np.float32)
    got = exp_(x.copy())
    exact = np.exp(x.astype(np.float64))
    assert np.max(np.abs(got - exact) / exact) < 4e-7     # 3 ulp (float32 eps 1.19e-7)
    assert exp_(np.zeros(3, np.float32)).tolist() == [1.0, 1.0, 1.0]


@needs_numba
def test_special_values_nan_stays_nan_and_extremes_are_clamped():
    x = np.array([np.nan, -np.nan, np.inf, -np.inf, 1000, -1000, 88.5, -88.5], np.float32)
    got = exp_(x)
    assert np.isnan(got[:2]).all()
    top, bottom = np.float32(np.exp(np.float64(88))), np.float32(np.exp(np.float64(-87)))
    np.testing.assert_allclose(got[[2, 4, 6]], top, rtol=1e-6)       # finite, not inf
    np.testing.assert_allclose(got[[3, 5, 7]], bottom, rtol=1e-6)    # normal, not 0
    assert np.isfinite(got[2:]).all() and (got[2:] > 0).all()


@needs_numba
def test_reuses_a_given_scratch_and_keeps_the_shape():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6)).astype(np.float32)
    scratch = np.full(100, 7, np.int32)
    got = exp_(x.copy(), scratch)
    assert got.shape == (4, 6)
    np.testing.assert_allclose(got, np.exp(x), rtol=3e-7)
    assert (scratch[24:] == 7).all()                        # only x.size entries used


@pytest.mark.parametrize("x", [
    np.linspace(-3, 3, 12),                                  # float64: NumPy, exactly
    np.linspace(-3, 3, 24, dtype=np.float32).reshape(4, 6)[:, ::2],   # not contiguous
])
def test_float64_and_strided_arrays_use_numpy(x):
    expected = np.exp(x)
    assert exp_(x) is x
    np.testing.assert_array_equal(x, expected)


def test_without_numba_the_result_is_numpys(monkeypatch):
    monkeypatch.setattr(exp_kernels, "numba", None)
    x = np.linspace(-5, 5, 33, dtype=np.float32)
    expected = np.exp(x)
    np.testing.assert_array_equal(exp_(x), expected)


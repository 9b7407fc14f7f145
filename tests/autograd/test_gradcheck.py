"""gradcheck itself: it passes right backwards and names the input of a wrong one."""
import numpy as np
import pytest

from ivanet import Function, Tensor, gradcheck
from ivanet.autograd.gradcheck import relative_difference


class _WrongSecondGradient(Function):
    """z = a · b with dz/db off by 1%: a subtle bug gradcheck must catch."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        return grad * self.b, grad * self.a * 1.01


class _SoftmaxWithZeroGradient(Function):
    """z = softmax(x) with a backward of zeros: right for an all-ones upstream (the
    softmax Jacobian's columns sum to 0), wrong for any other."""

    def forward(self, x):
        exps = np.exp(x - x.max())
        return exps / exps.sum()

    def backward(self, grad):
        return np.zeros_like(grad)


def test_a_correct_backward_passes(rng):
    report = gradcheck(lambda a, b: (a * b).exp() / (b * b + 1.0), rng.standard_normal((2, 3)),
                       rng.standard_normal(3))
    assert report.passed, f"\n{report}"
    assert [e.name for e in report.entries] == ["input 0", "input 1"]
    assert all(e.checked == n for e, n in zip(report.entries, (6, 3)))


def test_a_wrong_backward_is_caught_and_named(rng):
    report = gradcheck(_WrongSecondGradient.apply, rng.standard_normal((2, 3)),
                       rng.standard_normal((2, 3)))
    assert not report.passed and not bool(report)
    assert report.worst.name == "input 1"
    assert report.entries[0].rel_diff < report.tol < report.entries[1].rel_diff
    assert "FAILED (worst: input 1)" in str(report)
    assert "<-- above tolerance" in str(report)


def test_random_upstream_catches_what_all_ones_would_miss(rng):
    x = rng.standard_normal(5)
    out = _SoftmaxWithZeroGradient.apply(Tensor(x, requires_grad=True))
    ones_probe = Tensor(x, requires_grad=True)
    _SoftmaxWithZeroGradient.apply(ones_probe).backward(np.ones(5))
    np.testing.assert_allclose(ones_probe.grad, 0.0)  # the all-ones check would pass...
    assert out.shape == (5,)
    assert not gradcheck(_SoftmaxWithZeroGradient.apply, x).passed  # ...the random one fails


def test_constants_are_held_fixed(rng):
    constant = Tensor(rng.standard_normal(3))  # requires_grad=False: not checked
    report = gradcheck(lambda a, c: a * c, rng.standard_normal(3), constant)
    assert [e.name for e in report.entries] == ["input 0"]
    assert report.passed


def test_inputs_are_not_modified(rng):
    x = rng.standard_normal(4)
    original = x.copy()
    gradcheck(lambda a: a * a, x)
    np.testing.assert_array_equal(x, original)


def test_no_float_input_raises():
    with pytest.raises(ValueError, match="no floating-point input"):
        gradcheck(lambda i: Tensor(i.data * 2.0), np.arange(3))


def test_relative_difference():
    assert relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_difference(np.ones(2), np.ones(2)) == 0.0
    assert relative_difference(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)

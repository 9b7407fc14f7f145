"""The engine: iterative backward, accumulation, freed graphs, no_grad, detach, diamonds."""
import numpy as np
import pytest
import torch

from ivanet import Function, Tensor, enable_grad, no_grad
from ivanet.autograd import is_grad_enabled
from ivanet.ops import arithmetic, concat, linalg, maximum, minimum, stack, where


def test_long_chain_backward_needs_no_recursion():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, np.full(2, 1.0001 ** 5000), rtol=1e-10)


def test_gradients_accumulate_on_leaves_like_torch(rng):
    data = rng.standard_normal((3, 4))
    x = Tensor(data, requires_grad=True)
    x_torch = torch.tensor(data, requires_grad=True)
    for _ in range(2):
        (x * x * 3.0).sum().backward()
        (x_torch * x_torch * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad, x_torch.grad.numpy(), rtol=1e-12)


def test_leaf_gradient_is_updated_in_place(rng):
    for shape in [(3,), ()]:  # a 0-d gradient too (NumPy hands those back as scalars)
        x = Tensor(rng.standard_normal(shape), requires_grad=True)
        (x * x).sum().backward()
        buffer = x.grad
        assert isinstance(buffer, np.ndarray)
        (x * x).sum().backward()
        assert x.grad is buffer
        np.testing.assert_allclose(buffer, 4 * x.data)


def test_backward_twice_through_a_freed_graph_raises(rng):
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    loss = (x * 2.0).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        loss.backward()


def test_a_new_op_on_a_freed_intermediate_raises(rng):
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    hidden = x * 2.0
    hidden.sum().backward()
    with pytest.raises(RuntimeError, match="already freed"):
        (hidden * 3.0).sum().backward()


def test_retain_graph_allows_a_second_backward(rng):
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_allclose(x.grad, 4 * x.data)


def test_no_grad_records_nothing(rng):
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 2.0).exp().sum()
        with enable_grad():
            z = x * 2.0
    assert is_grad_enabled()
    assert not y.requires_grad and y.creator is None
    assert z.requires_grad and z.creator is not None
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_ops_on_constants_record_nothing(rng):
    y = Tensor(rng.standard_normal(3)) * 2.0
    assert not y.requires_grad and y.creator is None


@pytest.mark.parametrize("shape_a, shape_b", [((3, 1), (4,)), ((2, 3, 4), (3, 1)),
                                              ((), (2, 3)), ((1, 4), (3, 1))])
def test_broadcasting_gradients_match_torch(shape_a, shape_b, rng):
    a_data, b_data = rng.standard_normal(shape_a), rng.standard_normal(shape_b) + 3.0
    a, b = Tensor(a_data, requires_grad=True), Tensor(b_data, requires_grad=True)
    a_t, b_t = torch.tensor(a_data, requires_grad=True), torch.tensor(b_data, requires_grad=True)
    ((a + b) * a / b - b).sum().backward()
    ((a_t + b_t) * a_t / b_t - b_t).sum().backward()
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    np.testing.assert_allclose(a.grad, a_t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad, b_t.grad.numpy(), rtol=1e-12)


def test_detach_shares_data_and_stops_gradients(rng):
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    d = x.detach()
    assert np.shares_memory(d.data, x.data) and not d.requires_grad and d.is_leaf
    (x * d).sum().backward()  # only the direct path: d/dx (x·c) = c
    np.testing.assert_allclose(x.grad, x.data)


def test_diamond_graph_matches_torch(rng):
    data = rng.standard_normal((2, 3))
    a = Tensor(data, requires_grad=True)
    a_t = torch.tensor(data, requires_grad=True)
    for x, exp in ((a, lambda t: t.exp()), (a_t, torch.exp)):
        left, right = x * 2.0, exp(x) + x  # x feeds two branches that meet again
        shared = left * right
        (shared * shared + shared + x * x + (x + x)).sum().backward()
    np.testing.assert_allclose(a.grad, a_t.grad.numpy(), rtol=1e-12)


def test_backward_of_a_non_scalar_needs_a_gradient(rng):
    y = Tensor(rng.standard_normal(3), requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match="scalar"):
        y.backward()
    with pytest.raises(ValueError, match="shape"):
        y.backward(np.ones(4))


def test_backward_on_a_leaf_fills_its_gradient():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    x.backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


@pytest.mark.parametrize("data", [[1, 2, 3], np.arange(3), np.array([True, False])])
def test_integer_tensors_cannot_require_grad(data):
    with pytest.raises(TypeError, match="floating-point"):
        Tensor(data, requires_grad=True)


def test_leaf_gradient_keeps_the_leaf_dtype(rng):
    x = Tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
    (x * 2.0).backward(np.ones(3))  # a float64 upstream
    assert x.grad.dtype == np.float32


class _Recorder(Function):
    """z = a · b, remembering which input gradients the engine asked for."""

    calls: list = []

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        _Recorder.calls.append(self.needs_input_grad)
        return (grad * self.b if self.needs_input_grad[0] else None,
                grad * self.a if self.needs_input_grad[1] else None)


def test_needs_input_grad_tells_which_gradients_to_compute(rng):
    a = Tensor(rng.standard_normal(3), requires_grad=True)
    b = Tensor(rng.standard_normal(3))
    _Recorder.calls.clear()
    _Recorder.apply(a, b).sum().backward()
    assert _Recorder.calls == [(True, False)]
    assert a.grad is not None and b.grad is None


BINARY_OPS = {
    "add": arithmetic.add, "sub": arithmetic.sub, "mul": arithmetic.mul,
    "div": arithmetic.div, "pow": arithmetic.pow, "matmul": linalg.matmul,
    "maximum": maximum, "minimum": minimum,
    "where": lambda a, b: where(a.data > 0.5, a, b),
    "concat": lambda a, b: concat([a, b], 0), "stack": lambda a, b: stack([a, b], 0),
}


@pytest.mark.parametrize("name", sorted(BINARY_OPS))
@pytest.mark.parametrize("constant", [0, 1])
def test_ops_skip_gradients_nobody_needs(name, constant, rng):
    data = [rng.uniform(0.5, 2.0, (3, 3)) for _ in range(2)]
    inputs = [Tensor(d, requires_grad=(i != constant)) for i, d in enumerate(data)]
    out = BINARY_OPS[name](*inputs)
    grads = out.creator.backward(rng.standard_normal(out.shape))
    assert grads[constant] is None
    assert grads[1 - constant].shape == (3, 3)

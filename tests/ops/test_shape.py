"""Shape ops: reshape, transpose, indexing, concat, stack, pad, squeeze, broadcast_to."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from op_checks import check_op, normal, seeds, shapes

from ivanet import Tensor
from ivanet.ops import (broadcast_to, concat, expand_dims, getitem, pad, reshape, shape,
                        squeeze, stack, swapaxes, transpose, unsqueeze)


@given(x_shape=shapes(), data=st.data(), seed=seeds)
def test_reshape(x_shape, data, seed):
    target = list(data.draw(st.permutations(x_shape))) + [1]
    target[data.draw(st.integers(0, len(target) - 1))] = -1
    x, = normal(seed, x_shape)
    check_op(lambda x: reshape(x, target), lambda x: x.reshape(target), x, seed=seed)


@given(x_shape=shapes(min_dims=1), data=st.data(), seed=seeds)
def test_transpose(x_shape, data, seed):
    perm = data.draw(st.permutations(range(len(x_shape))))
    perm = [a - len(perm) if data.draw(st.booleans()) else a for a in perm]
    x, = normal(seed, x_shape)
    check_op(lambda x: transpose(x, perm), lambda x: x.permute(perm), x, seed=seed)


def test_transpose_default_and_method_forms():
    x, = normal(1, (2, 3, 4))
    check_op(lambda x: x.T, lambda x: x.permute(2, 1, 0), x)
    check_op(lambda x: x.transpose(1, 0, 2), lambda x: x.permute(1, 0, 2), x)
    with pytest.raises(ValueError, match="permutation"):
        transpose(Tensor(x), (0, 0, 1))


def test_swapaxes_squeeze_unsqueeze():
    x, = normal(2, (2, 1, 3, 1))
    check_op(lambda x: swapaxes(x, 0, -2), lambda x: x.transpose(0, -2), x)
    check_op(squeeze, torch.squeeze, x)
    check_op(lambda x: squeeze(x, -1), lambda x: x.squeeze(-1), x)
    check_op(lambda x: unsqueeze(x, 0), lambda x: x.unsqueeze(0), x)
    check_op(lambda x: unsqueeze(x, -1), lambda x: x.unsqueeze(-1), x)
    check_op(lambda x: expand_dims(x, (0, 2)), lambda x: x[None, :, None], x)
    with pytest.raises(ValueError, match="size 3"):
        squeeze(Tensor(x), 2)


@given(x_shape=shapes(max_dims=2), data=st.data(), seed=seeds)
def test_broadcast_to(x_shape, data, seed):
    other = data.draw(hnp.broadcastable_shapes(x_shape, min_side=1, max_side=3))
    target = np.broadcast_shapes(x_shape, other)
    x, = normal(seed, x_shape)
    check_op(lambda x: broadcast_to(x, target), lambda x: x.broadcast_to(target), x, seed=seed)


INDEXES = [
    1, -1, (0, 2), slice(1, 3), slice(None, None, 2), (Ellipsis, 0), (slice(None), None, 1),
    np.array([0, 2, 0, -1]),                          # repeats and a negative
    (np.array([0, 1, 2, 0]), np.array([1, 0, 1, 1])),  # x[arange, labels]-style
    (slice(None), np.array([0, 0, 3])),               # not on the leading axis
    np.array([[0, 1], [1, 1]]),                       # a 2-D integer index
    (np.array([2, 2]), 1),                            # array plus int
    (np.array([0, 2]), Ellipsis),
    (np.array([1, 1]), slice(1, 3)),                  # array then a partial slice
    np.array([True, False, True]),                    # boolean mask on axis 0
    None,
]


@pytest.mark.parametrize("index", INDEXES, ids=repr)
def test_getitem(index):
    x, = normal(5, (3, 4, 2))
    check_op(lambda x: x[index], lambda x: x[_torch_index(index)], x)


def test_getitem_negative_step():
    x, = normal(5, (3, 4))
    check_op(lambda x: x[::-1, 1::-2], lambda x: x.flip(0)[:, [1]], x)  # torch: no negative steps


def test_getitem_with_a_mask_tensor_and_a_list():
    x, = normal(6, (3, 4))
    mask = x > 0
    check_op(lambda x: x[Tensor(mask)], lambda x: x[torch.from_numpy(mask)], x)
    check_op(lambda x: x[[2, 0, 2]], lambda x: x[[2, 0, 2]], x)


@given(x_shape=shapes(min_dims=1), data=st.data(), seed=seeds)
def test_getitem_integer_arrays_sum_repeats(x_shape, data, seed):
    """Random integer-array indices (repeats likely) on the leading axes."""
    count = data.draw(st.integers(1, len(x_shape)))
    index_shape = data.draw(shapes(max_dims=2))
    rng = np.random.default_rng(seed)
    index = tuple(rng.integers(-n, n, index_shape) for n in x_shape[:count])
    x, = normal(seed, x_shape)
    check_op(lambda x: x[index], lambda x: x[_torch_index(index)], x, seed=seed)


@pytest.mark.parametrize("x_shape", [(50,), (50, 8), (50, 4, 20)])  # row sizes 1, 8, 80
@pytest.mark.parametrize("repeats", [True, False])
def test_getitem_backward_matches_np_add_at(x_shape, repeats, rng):
    x = Tensor(rng.standard_normal(x_shape), requires_grad=True)
    index = rng.integers(-50, 50, 200) if repeats else rng.permutation(50)[:30]
    grad = rng.standard_normal(index.shape + x_shape[1:])
    x[index].backward(grad)
    expected = np.zeros(x_shape)
    np.add.at(expected, index, grad)
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12)


@st.composite
def concat_cases(draw):
    """Shapes of 1..3 tensors that agree except along ``axis``, and the axis."""
    base = list(draw(shapes(min_dims=1)))
    axis = draw(st.integers(-len(base), len(base) - 1))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    return [tuple(base[:axis % len(base)] + [n] + base[axis % len(base) + 1:])
            for n in sizes], axis


@given(case=concat_cases(), seed=seeds)
def test_concat(case, seed):
    tensor_shapes, axis = case
    arrays = normal(seed, *tensor_shapes)
    check_op(lambda *ts: concat(ts, axis), lambda *ts: torch.cat(ts, axis), *arrays, seed=seed)


@given(x_shape=shapes(), count=st.integers(1, 3), data=st.data(), seed=seeds)
def test_stack(x_shape, count, data, seed):
    axis = data.draw(st.integers(-len(x_shape) - 1, len(x_shape)))
    arrays = normal(seed, *[x_shape] * count)
    check_op(lambda *ts: stack(ts, axis), lambda *ts: torch.stack(ts, axis), *arrays, seed=seed)


@pytest.mark.parametrize("op", [concat, stack])
def test_concat_stack_skip_inputs_without_grad(op, rng):
    a = Tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = Tensor(rng.standard_normal((2, 3)))
    out = op([a, b], 1)
    grads = out.creator.backward(np.ones(out.shape))
    assert grads[1] is None and grads[0].shape == (2, 3)


@given(x_shape=shapes(min_dims=1), data=st.data(), seed=seeds)
def test_pad(x_shape, data, seed):
    widths = [tuple(data.draw(st.integers(0, 2)) for _ in range(2)) for _ in x_shape]
    value = data.draw(st.sampled_from([0.0, -1.5]))
    x, = normal(seed, x_shape)
    torch_pad = [w for pair in reversed(widths) for w in pair]  # last axis first
    check_op(lambda x: pad(x, widths, value), lambda x: F.pad(x, torch_pad, value=value), x,
             seed=seed)


@pytest.mark.parametrize("pad_width", [1, (1, 2), ((1, 0),), ((0, 1), (2, 0)), [[1], [2]]])
def test_pad_accepts_numpy_forms(pad_width, rng):
    x = rng.standard_normal((2, 3))
    out = pad(Tensor(x), pad_width, value=7.0)
    np.testing.assert_array_equal(out.data, np.pad(x, pad_width, constant_values=7.0))


@pytest.mark.parametrize("pad_width", [-1, ((1, 2), (3, 4), (5, 6))])
def test_pad_rejects_bad_widths(pad_width):
    with pytest.raises(ValueError, match="pad_width"):
        pad(Tensor(np.ones((2, 3))), pad_width)


def test_shape_ops_keep_float32(rng):
    x = Tensor(rng.standard_normal((2, 3)).astype(np.float32), requires_grad=True)
    outs = [reshape(x, (3, 2)), x.T, x[np.array([0, 0])], x[0], pad(x, 1),
            concat([x, x], 0), stack([x, x], 1), broadcast_to(x, (4, 2, 3))]
    for out in outs:
        assert out.dtype == np.float32
        out.backward(np.ones(out.shape, np.float32))
    assert x.grad.dtype == np.float32


def test_functional_namespace_exports():
    assert shape.getitem is getitem
    assert Tensor(np.ones(3))[0].item() == 1.0


def _torch_index(index):
    """The same index for a torch tensor (numpy arrays become tensors)."""
    items = index if isinstance(index, tuple) else (index,)
    converted = tuple(torch.from_numpy(i) if isinstance(i, np.ndarray) else i for i in items)
    return converted if isinstance(index, tuple) else converted[0]

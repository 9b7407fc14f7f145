"""Recurrent ops (cells and whole sequences): finite differences with a random upstream,
PyTorch parity of forward and every input gradient, float32, lengths, errors."""
import numpy as np
import pytest
import torch
from op_checks import assert_gradcheck, assert_matches_torch

from ivanet import Tensor
from ivanet.ops import recurrent as R

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "gru": 3, "lstm": 4}
T, N, I, H = 4, 3, 2, 3


def _arrays(mode, seed, steps=T, bias=True):
    rng = np.random.default_rng(seed)
    G = GATES[mode]
    x = rng.standard_normal((steps, N, I))
    h0, c0 = rng.standard_normal((2, N, H))
    weights = [rng.standard_normal((G * H, I)) * 0.7, rng.standard_normal((G * H, H)) * 0.7]
    biases = [rng.standard_normal(G * H), rng.standard_normal(G * H)] if bias else []
    return x, h0, c0, weights, biases


def _sequence_fn(mode, lengths=None, reverse=False):
    """All outputs of the op packed into one tensor, so one upstream covers them all."""
    from ivanet.ops.shape import concat

    def fn(x, h0, c0, *params):
        params = list(params) + [None] * (4 - len(params))
        if mode == "lstm":
            out, h_n, c_n = R.lstm(x, h0, c0, *params, lengths=lengths, reverse=reverse)
            finals = [h_n, c_n]
        elif mode == "gru":
            out, h_n = R.gru(x, h0, *params, lengths=lengths, reverse=reverse)
            finals = [h_n]
        else:
            out, h_n = R.rnn(x, h0, *params, nonlinearity=mode[4:], lengths=lengths,
                             reverse=reverse)
            finals = [h_n]
        return concat([out.reshape(-1)] + [f.reshape(-1) for f in finals])
    return fn


@pytest.mark.parametrize("mode", list(GATES))
@pytest.mark.parametrize("lengths,reverse", [(None, False), (None, True),
                                             ([2, 4, 1], False), ([2, 4, 1], True)])
@pytest.mark.parametrize("bias", [True, False])
def test_sequence_gradcheck(mode, lengths, reverse, bias):
    x, h0, c0, weights, biases = _arrays(mode, 3, bias=bias)
    lengths = None if lengths is None else np.array(lengths)
    fn = _sequence_fn(mode, lengths, reverse)
    if mode == "lstm":
        assert_gradcheck(fn, x, h0, c0, *weights, *biases)
    else:  # c0 unused: held constant
        assert_gradcheck(lambda x, h0, *p: fn(x, h0, None, *p), x, h0, *weights, *biases)


def _torch_sequence(mode):
    """The same math through torch's functional RNN building blocks, step by step."""
    def step(x, h, c, w_ih, w_hh, b_ih, b_hh):
        if mode == "lstm":
            return torch.lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh)
        if mode == "gru":
            return torch.gru_cell(x, h, w_ih, w_hh, b_ih, b_hh), None
        cell = torch.rnn_tanh_cell if mode == "rnn_tanh" else torch.rnn_relu_cell
        return cell(x, h, w_ih, w_hh, b_ih, b_hh), None

    def fn(x, h0, c0, *params):
        h, c, outs = h0, c0, []
        for t in range(x.shape[0]):
            h, c = step(x[t], h, c, *params)
            outs.append(h)
        finals = [h, c] if mode == "lstm" else [h]
        return torch.cat([torch.stack(outs).reshape(-1)] + [f.reshape(-1) for f in finals])
    return fn


@pytest.mark.parametrize("mode", list(GATES))
def test_sequence_matches_torch_cells(mode):
    x, h0, c0, weights, biases = _arrays(mode, 5)
    fn, ref = _sequence_fn(mode), _torch_sequence(mode)
    if mode == "lstm":
        assert_matches_torch(fn, ref, x, h0, c0, *weights, *biases)
    else:
        assert_matches_torch(lambda x, h, *p: fn(x, h, None, *p),
                             lambda x, h, *p: ref(x, h, None, *p), x, h0, *weights, *biases)


@pytest.mark.parametrize("mode", list(GATES))
def test_cell_gradcheck_and_torch(mode):
    x, h0, c0, weights, biases = _arrays(mode, 7, steps=1)
    x = x[0]
    if mode == "lstm":
        def fn(x, h, c, *p):
            h_new, c_new = R.lstm_cell(x, h, c, *p)
            return h_new * 2.0 + c_new * c_new

        def ref(x, h, c, *p):
            h_new, c_new = torch.lstm_cell(x, (h, c), *p)
            return h_new * 2.0 + c_new * c_new
        arrays = (x, h0, c0, *weights, *biases)
    else:
        cells = {"gru": (R.gru_cell, torch.gru_cell), "rnn_tanh": (R.rnn_cell, torch.rnn_tanh_cell),
                 "rnn_relu": (lambda *a: R.rnn_cell(*a, nonlinearity="relu"),
                              torch.rnn_relu_cell)}
        fn, ref = cells[mode]
        arrays = (x, h0, *weights, *biases)
    assert_gradcheck(fn, *arrays)
    assert_matches_torch(fn, ref, *arrays)


def test_cell_is_one_op():
    x, h0, c0, weights, biases = _arrays("gru", 0, steps=1)
    tensors = [Tensor(a, requires_grad=True) for a in (x[0], h0, *weights, *biases)]
    out = R.gru_cell(*tensors)
    assert out.creator.inputs[0] is tensors[0] and len(out.creator.inputs) == 7


@pytest.mark.parametrize("mode", list(GATES))
def test_float32_stays_float32_and_no_state_means_zeros(mode):
    x, h0, c0, weights, biases = _arrays(mode, 1)
    f32 = [Tensor(a.astype(np.float32), requires_grad=True) for a in (x, *weights, *biases)]
    zeros = Tensor(np.zeros((N, H), np.float32))
    fn = _sequence_fn(mode)
    out = fn(f32[0], None, None, *f32[1:])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, fn(f32[0], zeros, zeros, *f32[1:]).data)
    out.backward(np.ones(out.shape, np.float32))
    assert all(t.grad.dtype == np.float32 for t in f32)


def test_lengths_give_each_sequence_its_own_run():
    """A padded batch equals running each sequence alone on its true length."""
    x, h0, c0, weights, biases = _arrays("lstm", 2, steps=5)
    lengths = np.array([3, 5, 2])
    for reverse in (False, True):
        out, h_n, c_n = R.lstm(Tensor(x), Tensor(h0), Tensor(c0), *map(Tensor, weights + biases),
                               lengths=lengths, reverse=reverse)
        for row, length in enumerate(lengths):
            alone = R.lstm(Tensor(x[:length, row:row + 1]), Tensor(h0[row:row + 1]),
                           Tensor(c0[row:row + 1]), *map(Tensor, weights + biases),
                           reverse=reverse)
            np.testing.assert_allclose(out.data[:length, row], alone[0].data[:, 0])
            assert not out.data[length:, row].any()
            np.testing.assert_allclose(h_n.data[row], alone[1].data[0])
            np.testing.assert_allclose(c_n.data[row], alone[2].data[0])


def test_long_sequence_backward_is_iterative():
    x, h0, c0, weights, biases = _arrays("gru", 4, steps=3000)
    params = [Tensor(a.astype(np.float32), requires_grad=True) for a in weights + biases]
    xt = Tensor(x.astype(np.float32), requires_grad=True)
    out, h_n = R.gru(xt, None, *params)
    h_n.sum().backward()
    assert np.isfinite(xt.grad).all() and all(np.isfinite(p.grad).all() for p in params)


def test_bad_inputs_have_clear_errors():
    x, h0, c0, weights, biases = _arrays("lstm", 0)
    w_ih, w_hh = map(Tensor, weights)
    with pytest.raises(ValueError, match="sequence length is 0"):
        R.lstm(Tensor(x[:0]), None, None, w_ih, w_hh)
    with pytest.raises(ValueError, match=r"h0 must have shape \(3, 3\).*got \(2, 3\)"):
        R.lstm(Tensor(x), Tensor(h0[:2]), None, w_ih, w_hh)
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(12, 5\)"):
        R.lstm(Tensor(np.zeros((T, N, 5))), None, None, w_ih, w_hh)
    with pytest.raises(ValueError, match=r"lengths must be 3 integers"):
        R.lstm(Tensor(x), None, None, w_ih, w_hh, lengths=[1.5, 2, 3])
    with pytest.raises(ValueError, match="nonlinearity"):
        R.rnn(Tensor(x), None, w_ih, w_hh, nonlinearity="sigmoid")



def _table_fn(mode, ids, lengths=None, reverse=False, padding_idx=None):
    """``_sequence_fn`` with the input given as rows ``ids`` of a table (the ``ids=`` path)."""
    from ivanet.ops.shape import concat

    def fn(table, h0, c0, *params):
        kw = dict(lengths=lengths, reverse=reverse, ids=ids, padding_idx=padding_idx)
        if mode == "lstm":
            out, h_n, c_n = R.lstm(table, h0, c0, *params, **kw)
            finals = [h_n, c_n]
        elif mode == "gru":
            out, h_n = R.gru(table, h0, *params, **kw)
            finals = [h_n]
        else:
            out, h_n = R.rnn(table, h0, *params, nonlinearity=mode[4:], **kw)
            finals = [h_n]
        return concat([out.reshape(-1)] + [f.reshape(-1) for f in finals])
    return fn


@pytest.mark.parametrize("mode", list(GATES))
@pytest.mark.parametrize("lengths,reverse", [(None, False), (None, True), ([2, 4, 1], True)])
def test_table_rows_input_equals_looking_up_first(mode, lengths, reverse):
    """ids=: step t of row n reads table[ids[t, n]]. Same outputs and gradients as the op on
    the looked-up rows (embedding first, checked against PyTorch above), and finite
    differences; the padding row gets no gradient."""
    from ivanet.ops.embedding import embedding

    rng = np.random.default_rng(11)
    _, h0, c0, weights, biases = _arrays(mode, 5)
    table, ids = rng.standard_normal((5, I)), rng.integers(0, 5, (T, N))
    ids[0, 0] = ids[1, 0] = ids[2, 2] = 2                   # repeated ids add up
    lengths = None if lengths is None else np.array(lengths)
    arrays = (table, h0, c0, *weights, *biases)
    results = []
    for path in ("table", "lookup"):
        inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
        if path == "table":
            out = _table_fn(mode, ids, lengths, reverse, padding_idx=4)(*inputs)
        else:
            rows = embedding(ids, inputs[0], padding_idx=4)
            out = _sequence_fn(mode, lengths, reverse)(rows, *inputs[1:])
        out.backward(np.random.default_rng(2).standard_normal(out.shape))
        results.append([out.data] + [t.grad for t in inputs])
    for position, (a, b) in enumerate(zip(*results)):
        if mode != "lstm" and position == 3:                  # c0: unused, no gradient
            continue
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=f"item {position}")
    assert not results[0][1][4].any() and (ids == 4).any()    # padding row: zero gradient
    fn = _table_fn(mode, ids, lengths, reverse)
    if mode == "lstm":
        assert_gradcheck(fn, *arrays)
    else:
        assert_gradcheck(lambda t, h0, *p: fn(t, h0, None, *p), table, h0, *weights, *biases)


def test_table_rows_input_errors_are_clear():
    _, h0, c0, weights, biases = _arrays("lstm", 1)
    table = Tensor(np.ones((5, I)))
    with pytest.raises(IndexError, match="token id 5 is out of range for a vocabulary of 5"):
        R.lstm(table, None, None, *weights, ids=np.full((T, N), 5))
    with pytest.raises(ValueError, match="2-D integer ids"):
        R.lstm(table, None, None, *weights, ids=np.zeros((T, N, 1), np.int64))
    with pytest.raises(ValueError, match="2-D integer ids"):
        R.lstm(table, None, None, *weights, ids=np.zeros((T, N)))

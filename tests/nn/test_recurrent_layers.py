"""RNN/GRU/LSTM layers and cells against torch.nn: outputs, final states and every gradient
(input, initial states, each parameter) for stacked, bidirectional, batch_first and
variable-length (packed) batches; shapes, state dicts, dropout, errors."""
import numpy as np
import pytest
import torch
from nn_helpers import assert_grads_match, to_torch_state
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ivanet import Tensor, nn
from ivanet.autograd.gradcheck import check_model_gradients
from ivanet.nn import recurrent as recurrent_module

KINDS = {"RNN": (nn.RNN, torch.nn.RNN), "GRU": (nn.GRU, torch.nn.GRU),
         "LSTM": (nn.LSTM, torch.nn.LSTM)}
CELLS = {"RNN": (nn.RNNCell, torch.nn.RNNCell), "GRU": (nn.GRUCell, torch.nn.GRUCell),
         "LSTM": (nn.LSTMCell, torch.nn.LSTMCell)}
T, N, I, H = 5, 4, 3, 6


def _pair(kind, **kwargs):
    ours = KINDS[kind][0](I, H, rng=np.random.default_rng(0), dtype=np.float64, **kwargs)
    theirs = KINDS[kind][1](I, H, **kwargs).double()
    theirs.load_state_dict(to_torch_state(ours))
    return ours, theirs


def _run_both(kind, ours, theirs, x, states, lengths, batch_first):
    """Forward both; returns (our out, our finals, torch out, torch finals, inputs)."""
    mine = [Tensor(x.copy(), requires_grad=True)] + [Tensor(s.copy(), requires_grad=True)
                                                     for s in states]
    ref = [torch.tensor(a, requires_grad=True) for a in [x] + list(states)]
    hx_ours = (mine[1], mine[2]) if kind == "LSTM" else mine[1]
    hx_ref = (ref[1], ref[2]) if kind == "LSTM" else ref[1]
    out, finals = ours(mine[0], hx_ours, lengths=lengths)
    inp = ref[0]
    if lengths is not None:
        inp = pack_padded_sequence(inp, torch.tensor(lengths), batch_first=batch_first,
                                   enforce_sorted=False)
    expected, expected_finals = theirs(inp, hx_ref)
    if lengths is not None:
        expected, _ = pad_packed_sequence(expected, batch_first=batch_first,
                                          total_length=x.shape[1 if batch_first else 0])
    finals = finals if kind == "LSTM" else (finals,)
    expected_finals = expected_finals if kind == "LSTM" else (expected_finals,)
    return out, finals, expected, expected_finals, mine, ref


CONFIGS = [dict(), dict(num_layers=2), dict(bidirectional=True),
           dict(num_layers=2, bidirectional=True, batch_first=True), dict(bias=False)]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "plain")
@pytest.mark.parametrize("variable", [False, True], ids=["equal", "lengths"])
def test_layer_matches_torch(kind, config, variable):
    rng = np.random.default_rng(len(kind) + 7 * len(config) + variable)
    ours, theirs = _pair(kind, **config)
    batch_first = config.get("batch_first", False)
    x = rng.standard_normal((N, T, I) if batch_first else (T, N, I))
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    states = [rng.standard_normal((layers, N, H)) for _ in range(2 if kind == "LSTM" else 1)]
    lengths = np.array([3, 5, 1, 4]) if variable else None
    out, finals, expected, expected_finals, mine, ref = _run_both(
        kind, ours, theirs, x, states, lengths, batch_first)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-10)
    for ours_final, ref_final in zip(finals, expected_finals):
        np.testing.assert_allclose(ours_final.data, ref_final.detach().numpy(), atol=1e-10)
    upstream = [rng.standard_normal(out.shape)] + [rng.standard_normal(f.shape) for f in finals]
    loss = sum(((t * Tensor(u)).sum() for t, u in zip([out, *finals], upstream)), Tensor(0.0))
    loss.backward()
    ref_loss = sum((t * torch.tensor(u)).sum()
                   for t, u in zip([expected, *expected_finals], upstream))
    ref_loss.backward()
    for position, (a, b) in enumerate(zip(mine, ref)):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), atol=1e-10,
                                   err_msg=f"gradient of input {position}")
    assert_grads_match(ours, theirs, rtol=1e-8, atol=1e-10)
    if variable:  # padding never leaks: outputs past each length are exactly zero
        time_major = np.swapaxes(out.data, 0, 1) if batch_first else out.data
        for row, length in enumerate(lengths):
            assert not time_major[length:, row].any()


@pytest.mark.parametrize("kind", list(CELLS))
def test_cell_matches_torch(kind, rng):
    ours = CELLS[kind][0](I, H, rng=rng, dtype=np.float64)
    theirs = CELLS[kind][1](I, H).double()
    theirs.load_state_dict(to_torch_state(ours))
    x, h, c = rng.standard_normal((N, I)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    mine = [Tensor(a.copy(), requires_grad=True) for a in (x, h, c)]
    ref = [torch.tensor(a, requires_grad=True) for a in (x, h, c)]
    if kind == "LSTM":
        outs, expected = ours(mine[0], (mine[1], mine[2])), theirs(ref[0], (ref[1], ref[2]))
    else:
        outs, expected = (ours(mine[0], mine[1]),), (theirs(ref[0], ref[1]),)
    upstream = [rng.standard_normal((N, H)) for _ in outs]
    for o, e in zip(outs, expected):
        np.testing.assert_allclose(o.data, e.detach().numpy(), atol=1e-12)
    sum(((o * Tensor(u)).sum() for o, u in zip(outs, upstream)), Tensor(0.0)).backward()
    sum((e * torch.tensor(u)).sum() for e, u in zip(expected, upstream)).backward()
    used = 3 if kind == "LSTM" else 2
    for a, b in zip(mine[:used], ref[:used]):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), atol=1e-12)
    assert_grads_match(ours, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kind", list(KINDS))
def test_deep_bidirectional_gradcheck(kind):
    """Finite differences through a whole stacked bidirectional layer with lengths."""
    model = KINDS[kind][0](2, 3, num_layers=2, bidirectional=True, batch_first=True,
                           rng=np.random.default_rng(1), dtype=np.float64)
    x = np.random.default_rng(2).standard_normal((3, 4, 2))
    lengths = np.array([4, 2, 3])
    report = check_model_gradients(model, lambda out, _: (out[0] * out[0]).sum(),
                                   (x, np.zeros(1)), max_per_parameter=8)
    assert report.passed, report
    out, _ = model(Tensor(x), lengths=lengths)
    assert out.shape == (3, 4, 6) and not out.data[1, 2:].any()


def test_default_initial_state_is_zeros_and_state_dict_round_trip(rng):
    model = nn.LSTM(I, H, num_layers=2, rng=rng)
    x = Tensor(rng.standard_normal((T, N, I)).astype(np.float32))
    zeros = Tensor(np.zeros((2, N, H), np.float32))
    a, (h_a, c_a) = model(x)
    b, (h_b, c_b) = model(x, (zeros, zeros))
    np.testing.assert_array_equal(a.data, b.data)
    assert a.dtype == np.float32 and h_a.shape == (2, N, H) and c_a.shape == (2, N, H)
    clone = nn.LSTM(I, H, num_layers=2, rng=np.random.default_rng(9))
    clone.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(clone(x)[0].data, a.data)
    assert sorted(model.state_dict()) == sorted(torch.nn.LSTM(I, H, 2).state_dict())


def test_dropout_between_layers_only_in_training(rng):
    model = nn.GRU(I, H, num_layers=2, dropout=0.5, rng=rng)
    x = Tensor(rng.standard_normal((T, N, I)).astype(np.float32))
    model.eval()
    np.testing.assert_array_equal(model(x)[0].data, model(x)[0].data)
    model.train()
    assert not np.array_equal(model(x)[0].data, model(x)[0].data)


def test_truncated_bptt_by_detaching_the_state(rng):
    model = nn.LSTM(I, H, rng=rng, dtype=np.float64)
    x = rng.standard_normal((2 * T, N, I))
    _, (h, c) = model(Tensor(x[:T]))
    out, _ = model(Tensor(x[T:]), (h.detach(), c.detach()))
    out.sum().backward()
    assert h.grad is None and all(p.grad is not None for p in model.parameters())


def test_a_thousand_step_sequence_backward(rng):
    model = nn.LSTM(2, 4, rng=rng)
    x = Tensor(rng.standard_normal((1000, 2, 2)).astype(np.float32), requires_grad=True)
    out, _ = model(x)
    out[-1].sum().backward()
    assert np.isfinite(x.grad).all() and np.abs(x.grad[-1]).sum() > 0


@pytest.mark.parametrize("kind", list(KINDS))
def test_errors_name_the_layer(kind):
    model = KINDS[kind][0](I, H, num_layers=2)
    with pytest.raises(ValueError, match="sequence length is 0"):
        model(Tensor(np.zeros((0, N, I), np.float32)))
    first = KINDS[kind][0](I, H, batch_first=True)
    with pytest.raises(ValueError, match=r"sequence length is 0 \(input shape \(4, 0, 3\)\)"):
        first(Tensor(np.zeros((N, 0, I), np.float32)))      # the shape the user gave
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4, 6\), got \(1, 4, 6\)"):
        bad = Tensor(np.zeros((1, N, H), np.float32))
        model(Tensor(np.zeros((T, N, I), np.float32)), (bad, bad) if kind == "LSTM" else bad)
    with pytest.raises(ValueError, match="expected input with 3 features"):
        model(Tensor(np.zeros((T, N, I + 1), np.float32)))
    with pytest.raises(ValueError, match=r"every length must be in \[1, 5\].*got 0"):
        model(Tensor(np.zeros((T, N, I), np.float32)), lengths=[1, 0, 2, 3])
    cell = CELLS[kind][0](I, H)
    with pytest.raises(ValueError, match=r"h must have shape \(4, 6\), got \(4, 5\)"):
        h = Tensor(np.zeros((N, H - 1), np.float32))
        cell(Tensor(np.zeros((N, I), np.float32)), (h, h) if kind == "LSTM" else h)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("config", [dict(batch_first=True),
                                    dict(num_layers=2, bidirectional=True)],
                         ids=["batch_first", "deep,bidirectional"])
@pytest.mark.parametrize("vocab", [4, 60], ids=["table", "rows"])
def test_embedding_then_layer_matches_torch(kind, config, vocab):
    """Embedding → layer: with a small vocabulary the layer reads the table's rows (the
    embedding output drops out of the graph); either way outputs, the embedding's and the
    layer's gradients equal torch.nn's, padding row included."""
    rng = np.random.default_rng(vocab)
    ours, theirs = _pair(kind, **config)
    embedding = nn.Embedding(vocab, I, padding_idx=1, rng=rng, dtype=np.float64)
    torch_embedding = torch.nn.Embedding(vocab, I, padding_idx=1).double()
    torch_embedding.load_state_dict(to_torch_state(embedding))
    batch_first = config.get("batch_first", False)
    ids = rng.integers(0, vocab, (N, T) if batch_first else (T, N))
    ids[0, 0] = 1
    lengths = np.array([3, 5, 1, 4])
    x = embedding(ids)
    taken = recurrent_module._embedding_lookup(x, batch_first, ours)
    assert (taken is not None) == (vocab == 4)
    out, _ = ours(x, lengths=lengths)
    packed = pack_padded_sequence(torch_embedding(torch.from_numpy(ids)), torch.tensor(lengths),
                                  batch_first=batch_first, enforce_sorted=False)
    expected, _ = pad_packed_sequence(theirs(packed)[0], batch_first=batch_first,
                                      total_length=T)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-10)
    upstream = rng.standard_normal(out.shape)
    (out * Tensor(upstream)).sum().backward()
    (expected * torch.tensor(upstream)).sum().backward()
    assert_grads_match(ours, theirs, rtol=1e-8, atol=1e-10)
    assert_grads_match(embedding, torch_embedding, rtol=1e-8, atol=1e-10)
    assert not embedding.weight.grad[1].any()

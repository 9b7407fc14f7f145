"""The fused float32 LSTM step loops (numba) against their NumPy fallback and torch.nn.LSTM
in float32; the row scatter-add of the embedding gradients against np.add.at."""
import numpy as np
import pytest
import torch
from nn_helpers import assert_grads_match, to_torch_state
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ivanet import Tensor, nn
from ivanet.ops import embedding as embedding_ops
from ivanet.ops import lstm_kernels

needs_numba = pytest.mark.skipif(lstm_kernels.numba is None, reason="numba not installed")
T, N, I, H = 7, 5, 3, 8
LENGTHS = np.array([7, 2, 5, 1, 6])


def _run(lengths, seed=0):
    """A float32 2-layer bidirectional LSTM: outputs, finals and every gradient."""
    rng = np.random.default_rng(seed)
    lstm = nn.LSTM(I, H, num_layers=2, bidirectional=True, rng=np.random.default_rng(1))
    x, h0, c0 = (Tensor(a.astype(np.float32), requires_grad=True) for a in
                 (rng.standard_normal((T, N, I)), rng.standard_normal((4, N, H)),
                  rng.standard_normal((4, N, H))))
    out, (h_n, c_n) = lstm(x, (h0, c0), lengths=lengths)
    upstream = [rng.standard_normal(t.shape).astype(np.float32) for t in (out, h_n, c_n)]
    sum(((t * Tensor(u)).sum() for t, u in zip((out, h_n, c_n), upstream)),
        Tensor(np.float32(0))).backward()
    return lstm, (x, h0, c0), upstream, [out.data, h_n.data, c_n.data, x.grad, h0.grad,
                                         c0.grad] + [p.grad for p in lstm.parameters()]


@needs_numba
@pytest.mark.parametrize("lengths", [None, LENGTHS], ids=["equal", "lengths"])
def test_fused_loops_equal_the_numpy_fallback(lengths, monkeypatch):
    fused = _run(lengths)[3]
    monkeypatch.setattr(lstm_kernels, "numba", None)
    assert not lstm_kernels.fused(np.zeros(2, np.float32))
    fallback = _run(lengths)[3]
    for position, (a, b) in enumerate(zip(fused, fallback)):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=2e-6, err_msg=f"item {position}")


@pytest.mark.parametrize("lengths", [None, LENGTHS], ids=["equal", "lengths"])
def test_float32_lstm_matches_torch(lengths):
    """The float32 path (fused when numba is installed) against torch.nn.LSTM in float32."""
    lstm, (x, h0, c0), upstream, got = _run(lengths, seed=3)
    theirs = torch.nn.LSTM(I, H, num_layers=2, bidirectional=True)
    theirs.load_state_dict(to_torch_state(lstm))
    ref = [torch.tensor(t.data, requires_grad=True) for t in (x, h0, c0)]
    inp = ref[0] if lengths is None else pack_padded_sequence(
        ref[0], torch.tensor(lengths), enforce_sorted=False)
    out, (h_n, c_n) = theirs(inp, (ref[1], ref[2]))
    if lengths is not None:
        out, _ = pad_packed_sequence(out, total_length=T)
    sum((t * torch.from_numpy(u)).sum() for t, u in zip((out, h_n, c_n), upstream)).backward()
    expected = [out.detach(), h_n.detach(), c_n.detach()] + [t.grad for t in ref]
    for position, (a, b) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=f"item {position}")
    assert_grads_match(lstm, theirs, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("use_numba", [True, False])
def test_scatter_add_rows_equals_add_at(use_numba, monkeypatch):
    if not use_numba:
        monkeypatch.setattr(embedding_ops, "numba", None)
    elif embedding_ops.numba is None:
        pytest.skip("numba not installed")
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 6, 50)
    src = rng.standard_normal((50, 4)).astype(np.float32)
    out = rng.standard_normal((6, 4)).astype(np.float32)
    expected = out.copy()
    np.add.at(expected, rows, src)
    assert embedding_ops.scatter_add_rows(rows, src, out) is out
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


def test_blas_buffer_is_prefaulted_once_and_can_be_turned_off(monkeypatch):
    from ivanet.ops import allocator

    assert allocator._blas_touched                     # done when ivanet.ops.recurrent loaded
    assert allocator.prefault_blas_buffer() is False  # once per process
    monkeypatch.setattr(allocator, "_blas_touched", False)
    monkeypatch.setenv("IVANET_BLAS_PREFAULT", "0")
    assert allocator.prefault_blas_buffer() is False and not allocator._blas_touched
    monkeypatch.delenv("IVANET_BLAS_PREFAULT")
    assert allocator.prefault_blas_buffer() is True and allocator._blas_touched

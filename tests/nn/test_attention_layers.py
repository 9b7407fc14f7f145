"""MultiheadAttention against torch.nn.MultiheadAttention (outputs, weights, every gradient,
masks, batch_first); AdditiveAttention and DotProductAttention shapes and masks; Embedding."""
import numpy as np
import pytest
import torch
from nn_helpers import assert_grads_match, to_torch_state

from ivanet import Tensor, nn

E, HEADS, L, S, N = 8, 2, 3, 5, 2


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("masks", [False, True])
def test_multihead_matches_torch(batch_first, masks, rng):
    ours = nn.MultiheadAttention(E, HEADS, batch_first=batch_first, rng=rng, dtype=np.float64)
    theirs = torch.nn.MultiheadAttention(E, HEADS, batch_first=batch_first).double()
    theirs.load_state_dict(to_torch_state(ours))
    shape_q, shape_k = ((N, L, E), (N, S, E)) if batch_first else ((L, N, E), (S, N, E))
    arrays = [rng.standard_normal(shape_q), rng.standard_normal(shape_k),
              rng.standard_normal(shape_k)]
    kwargs_ours, kwargs_torch = {}, {}
    if masks:
        padding = np.zeros((N, S), bool)
        padding[0, 3:] = True
        causal = np.triu(np.ones((L, S), bool), k=2)
        kwargs_ours = dict(key_padding_mask=padding, attn_mask=causal)
        kwargs_torch = dict(key_padding_mask=torch.from_numpy(padding),
                            attn_mask=torch.from_numpy(causal))
    mine = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    ref = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, weights = ours(*mine, **kwargs_ours)
    expected, expected_weights = theirs(*ref, **kwargs_torch)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(weights.data, expected_weights.detach().numpy(), atol=1e-12)
    if masks:
        assert (weights.data[0, :, 3:] == 0).all()
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))
    for a, b in zip(mine, ref):
        np.testing.assert_allclose(a.grad, b.grad.numpy(), atol=1e-12)
    assert_grads_match(ours, theirs, rtol=1e-9, atol=1e-12)


def test_multihead_errors_and_per_head_weights(rng):
    layer = nn.MultiheadAttention(E, HEADS, batch_first=True, rng=rng)
    x = Tensor(rng.standard_normal((N, L, E)).astype(np.float32))
    _, per_head = layer(x, x, x, average_attn_weights=False)
    assert per_head.shape == (N, HEADS, L, L)
    assert layer(x, x, x, need_weights=False)[1] is None
    with pytest.raises(ValueError, match="not divisible"):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(ValueError, match=r"attn_mask must have shape \(3, 3\)"):
        layer(x, x, x, attn_mask=np.zeros((2, 2), bool))
    with pytest.raises(ValueError, match="expected input with 8 features"):
        layer(Tensor(np.zeros((N, L, 4))), x, x)


def test_additive_attention_layer(rng):
    layer = nn.AdditiveAttention(query_size=4, key_size=6, attention_size=5, rng=rng)
    query = Tensor(rng.standard_normal((N, 4)).astype(np.float32), requires_grad=True)
    keys = Tensor(rng.standard_normal((N, S, 6)).astype(np.float32), requires_grad=True)
    mask = np.ones((N, S), bool)
    mask[1, 2:] = False
    context, weights = layer(query, keys, mask=mask)
    assert context.shape == (N, 6) and weights.shape == (N, S)
    assert (weights.data[1, 2:] == 0).all()
    np.testing.assert_allclose(weights.data.sum(-1), 1, rtol=1e-6)
    context.sum().backward()
    assert all(p.grad is not None for p in layer.parameters()) and query.grad is not None


def test_dot_product_attention_layer(rng):
    q = Tensor(rng.standard_normal((N, L, 4)))
    k = Tensor(rng.standard_normal((N, S, 4)))
    scaled, plain = nn.DotProductAttention(), nn.DotProductAttention(scaled=False)
    a, b = scaled(q, k)[1].data, plain(q, k)[1].data
    scores = q.data @ np.swapaxes(k.data, 1, 2)
    expected = np.exp(scores / 2) / np.exp(scores / 2).sum(-1, keepdims=True)
    np.testing.assert_allclose(a, expected)
    assert not np.allclose(a, b)


def test_embedding_layer_matches_torch(rng):
    ours = nn.Embedding(7, 3, padding_idx=0, rng=rng, dtype=np.float64)
    assert not ours.weight.data[0].any()
    theirs = torch.nn.Embedding(7, 3, padding_idx=0).double()
    theirs.load_state_dict(to_torch_state(ours))
    ids = rng.integers(0, 7, (4, 5))
    out, expected = ours(ids), theirs(torch.from_numpy(ids))
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))
    assert_grads_match(ours, theirs, rtol=1e-12, atol=1e-12)
    with pytest.raises(IndexError, match=r"Embedding: token id 7 .* vocabulary of 7"):
        ours(np.array([1, 7]))
    with pytest.raises(ValueError, match="padding_idx"):
        nn.Embedding(3, 2, padding_idx=3)

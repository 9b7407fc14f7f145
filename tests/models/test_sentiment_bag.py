"""``sentiment_bag``: the mean of word and hashed word-pair vectors, padding that adds
nothing, parameter count, and overfitting one small batch."""
import numpy as np
import pytest

from model_helpers import loss_after_training

from ivanet.models import ModelError, create_model
from ivanet.models.sentiment_bag import PAIR_PRIME, bigram_ids


def _model(rng, **options):
    values = dict(vocab_size=20, embedding_dim=6, rng=rng)
    return create_model("sentiment_bag", **{**values, **options})


def test_bigram_ids_hash_neighbours_and_skip_padding():
    ids = np.array([[3, 4, 5, 0], [7, 0, 0, 0]])
    pairs = bigram_ids(ids, buckets=11)
    expected = [1 + (3 * PAIR_PRIME + 4) % 11, 1 + (4 * PAIR_PRIME + 5) % 11, 0]
    assert pairs.tolist() == [expected, [0, 0, 0]]
    assert bigram_ids(np.array([[4, 3]]), 10**6)[0, 0] != bigram_ids(np.array([[3, 4]]),
                                                                    10**6)[0, 0]


def test_logits_are_the_head_of_the_mean_of_word_and_pair_vectors(rng):
    model = _model(rng, bigram_buckets=30).eval()
    assert (model.bigrams.weight.data == 0).all()          # unseen pairs add nothing
    model.bigrams.weight.data[1:] = rng.normal(size=(30, 6))
    ids = np.array([[3, 4, 5, 0, 0], [6, 0, 0, 0, 0]])
    words, pairs = model.embedding.weight.data, model.bigrams.weight.data
    first = (words[[3, 4, 5]].sum(0) + pairs[bigram_ids(ids, 30)[0, :2]].sum(0)) / 5
    means = np.stack([first, words[6]])                  # a one-word sentence has no pair
    expected = means @ model.head.weight.data.T + model.head.bias.data
    np.testing.assert_allclose(model(ids).data, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model(ids[:, :3]).data, expected, rtol=1e-5, atol=1e-6)


def test_parameter_count_and_errors(rng):
    assert _model(rng).num_parameters() == 20 * 6 + 6 * 2 + 2
    assert _model(rng, bigram_buckets=30).num_parameters() == 20 * 6 + 31 * 6 + 6 * 2 + 2
    with pytest.raises(ModelError, match="bigram_buckets must be ≥ 0"):
        _model(rng, bigram_buckets=-1)
    with pytest.raises(ModelError, match=r"expected word ids \(N, T\)"):
        _model(rng)(np.zeros((3,), dtype=np.int64))


def test_overfits_one_small_batch(rng):
    model = _model(rng, bigram_buckets=50)
    ids = rng.integers(2, 20, (8, 6))
    ids[::2, 4:] = 0
    labels = rng.integers(0, 2, 8)
    assert loss_after_training(model, ids, labels, lr=0.1) < 0.05

"""skipgram: registered, two (V, D) tables, word2vec's start, learns a tiny corpus, seeded."""
import math

import numpy as np
import pytest

from ivanet.models import create_model
from ivanet.optim.sgd import SGD
from ivanet.training.skipgram import SkipGramConfig, train_skipgram


def test_registered_with_two_tables_and_word2vec_start():
    model = create_model("skipgram", num_classes=50, embedding_dim=8,
                         rng=np.random.default_rng(0))
    assert model.num_parameters() == 2 * 50 * 8
    assert np.abs(model.input.weight.data).max() <= 0.5 / 8 and not model.output.weight.data.any()
    rng = np.random.default_rng(1)
    loss = model(rng.integers(0, 50, 6), rng.integers(0, 50, 6), rng.integers(0, 50, (6, 3)))
    assert float(loss.data) == np.float32(4 * math.log(2))        # all scores start at 0
    with pytest.raises(TypeError, match="python -m ivanet.training.skipgram"):
        model(rng.integers(0, 50, 6))                                 # what `fit` would call


def test_overfits_one_batch():
    rng = np.random.default_rng(2)
    model = create_model("skipgram", num_classes=20, embedding_dim=6, rng=rng)
    batch = rng.integers(0, 20, 8), rng.integers(0, 20, 8), rng.integers(0, 20, (8, 4))
    optimizer = SGD(model.parameters(), lr=2.0)
    losses = []
    for _ in range(100):
        loss = model(*batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.data))
    assert losses[-1] < 0.1 * losses[0]


def test_training_on_a_tiny_corpus_is_seeded_and_learns():
    rng = np.random.default_rng(3)
    # two topics that never mix: words of a topic should end up closer to each other
    topics = [["sun", "sky", "cloud", "rain"], ["cat", "dog", "fur", "paw"]]
    words = [w for _ in range(300) for topic in topics for w in rng.choice(topic, 6)]
    config = SkipGramConfig(embedding_dim=8, window=2, negatives=2, min_count=1,
                            subsample=1.0, epochs=3, batch_size=32, seed=0)
    model, corpus, history = train_skipgram(config, words, log=lambda line: None)
    again, _, history_again = train_skipgram(config, words, log=lambda line: None)
    np.testing.assert_array_equal(model.vectors(), again.vectors())
    assert history["loss"] == history_again["loss"] and history["loss"][-1] < 3 * math.log(2)
    unit = model.vectors() / np.linalg.norm(model.vectors(), axis=1, keepdims=True)
    index = corpus.vocabulary.index
    same = unit[index["sun"]] @ unit[index["rain"]]
    other = unit[index["sun"]] @ unit[index["dog"]]
    assert same > other

"""``sentiment_nb``: distinct-feature sets, the Naive-Bayes log-count ratio against a direct
count, the logits formula, the trainer calling ``fit_data``, errors, and overfitting."""
import numpy as np
import pytest

from model_helpers import loss_after_training

from ivanet.models import ModelError, create_model
from ivanet.models.sentiment_bag import bigram_ids
import zlib

from ivanet.models.sentiment_nb import char_ngrams, char_table, feature_sets


def _model(rng, **options):
    return create_model("sentiment_nb", **{"vocab_size": 10, "bigram_buckets": 7, "rng": rng,
                                           **options})


def test_feature_sets_hold_each_word_and_pair_once():
    ids = np.array([[3, 4, 3, 4, 0], [5, 0, 0, 0, 0]])
    rows = feature_sets(ids, vocab_size=10, buckets=7)
    pair = 10 + bigram_ids(np.array([[3, 4]]), 7)[0, 0] - 1
    back = 10 + bigram_ids(np.array([[4, 3]]), 7)[0, 0] - 1
    assert sorted(set(rows[0].tolist()) - {0}) == sorted({3, 4, pair, back})
    assert (rows[0] != 0).sum() == len({3, 4, pair, back})      # "3 4" twice counts once
    assert sorted(rows[1].tolist()) == [0] * 8 + [5]


def test_char_ngrams_are_those_of_the_space_padded_word():
    assert char_ngrams("fun") == [" f", "fu", "un", "n ", " fu", "fun", "un ", " fun", "fun ",
                                  " fun "]
    assert char_ngrams("a") == [" a", "a ", " a "]


def test_char_table_hashes_each_words_distinct_ngrams_and_skips_reserved_tokens():
    table = char_table(["<pad>", "<unk>", "fun", "aa"], buckets=1000, width=12)
    assert not table[:2].any()
    expected = {zlib.crc32(g.encode()) % 1000 + 1 for g in char_ngrams("fun")}
    assert set(table[2].tolist()) - {0} == expected
    assert (table[3] > 0).sum() == len(set(char_ngrams("aa")))   # " aa", "aa " ... once each
    assert (char_table(["<pad>", "<unk>", "fun"], 1000, width=4)[2] > 0).sum() == 4


def test_words_sharing_a_stem_share_character_features(rng):
    tokens = ["<pad>", "<unk>", "boring", "bored", "great"]
    model = _model(rng, vocab_size=5, bigram_buckets=0, char_buckets=100_000)
    model.fit_data(np.array([[2], [4]]), np.array([0, 1]), {"tokens": tokens})
    features = model.features(np.array([[2], [3], [4]]))
    boring, bored, great = ({f for f in row.tolist() if f >= 5} for row in features)
    assert boring & bored and not boring & great                   # " bo", "bor", " bor", ...
    shared = sorted(boring & bored)
    assert (model.log_ratio[shared] < 0).all()   # seen in the negative row only → negative
    # "bored" never occurred in training, yet its character n-grams score it negative
    model.weights.weight.data[5:, 1] = 1.0              # logit₁ = Σ r_f: positive evidence
    logits = model(np.array([[3]])).data
    assert logits[0, 0] > logits[0, 1]


def test_log_ratio_is_the_smoothed_class_frequency_ratio(rng):
    model = _model(rng, bigram_buckets=0, alpha=1.0)
    ids = np.array([[2, 3, 0], [2, 2, 0], [4, 3, 5]])
    labels = np.array([1, 1, 0])
    model.fit_data(ids, labels)
    # rows holding each word: positive {2: 2, 3: 1}, negative {3: 1, 4: 1, 5: 1}
    p = 1 + np.array([0, 0, 2, 1, 0, 0, 0, 0, 0, 0], dtype=float)
    q = 1 + np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0], dtype=float)
    expected = np.log(p / p[1:].sum()) - np.log(q / q[1:].sum())
    expected[0] = 0.0
    np.testing.assert_allclose(model.log_ratio, expected, rtol=1e-6)
    assert model.log_ratio[2] > 0 > model.log_ratio[4]


def test_logits_are_bias_plus_ratio_weighted_feature_weights(rng):
    model = _model(rng)
    model.log_ratio[...] = rng.normal(size=model.log_ratio.shape).astype(np.float32)
    model.log_ratio[0] = 0.0
    model.weights.weight.data[1:] = rng.normal(size=(16, 2))
    model.bias.data[...] = [0.5, -0.25]
    ids = np.array([[3, 4, 3, 0], [6, 0, 0, 0]])
    rows = feature_sets(ids, 10, 7)
    w, r = model.weights.weight.data, model.log_ratio
    expected = np.stack([(r[f][:, None] * w[f]).sum(0) for f in rows]) + [0.5, -0.25]
    np.testing.assert_allclose(model(ids).data, expected, rtol=1e-5, atol=1e-6)


def test_training_setup_fits_the_ratios_on_the_training_split(rng):
    from ivanet.data.dataset import ArrayDataset
    from ivanet.data.dataset import DataSplits
    from ivanet.training.config import TrainConfig
    from ivanet.training.setup import make_model

    x = np.array([[2, 3, 0], [2, 2, 0], [4, 3, 5], [4, 0, 0]])
    y = np.array([1, 1, 0, 0])
    data = ArrayDataset(x, y)
    splits = DataSplits(name="toy", train=data, dev=data, test=data, task="classification",
                        input_shape=(3,), num_classes=2,
                        vocabulary={"tokens": [f"w{i}" for i in range(6)]})
    model, model_config = make_model(
        TrainConfig(model="sentiment_nb", data="toy",
                    model_options={"bigram_buckets": 0, "char_buckets": 64}), splits)
    assert model_config["vocab_size"] == 6
    assert model.log_ratio[2] > 0 > model.log_ratio[4]          # "2" positive, "4" negative
    np.testing.assert_array_equal(model.word_chars, char_table(
        splits.vocabulary["tokens"], 64, model.word_chars.shape[1]))
    assert model.log_ratio[5] < 0                               # "5" in a negative row
    splits.statistics = ArrayDataset(np.array([[5, 0, 0]] * 3), np.array([1, 1, 1]))
    counted, _ = make_model(TrainConfig(model="sentiment_nb", data="toy"), splits)
    assert counted.log_ratio[5] > 0                             # counted, not trained on


def test_errors_name_the_problem(rng):
    with pytest.raises(ModelError, match="compares two classes, the data has 3"):
        create_model("sentiment_nb", vocab_size=10, num_classes=3)
    with pytest.raises(ModelError, match="alpha"):
        _model(rng, alpha=0)
    with pytest.raises(ModelError, match="labels 0/1"):
        _model(rng).fit_data(np.array([[2, 3]]), np.array([2]))
    with pytest.raises(ModelError, match=r"word ids must lie in 0\.\.9"):
        _model(rng)(np.array([[2, 12]]))
    with pytest.raises(ModelError, match="needs the vocabulary"):
        _model(rng, char_buckets=5).fit_data(np.array([[2, 3]]), np.array([1]))
    with pytest.raises(ModelError, match="vocabulary has 3 tokens.*vocab_size=10"):
        _model(rng, char_buckets=5).set_vocabulary(["<pad>", "<unk>", "a"])
    with pytest.raises(ModelError, match=r"expected word ids \(N, T\)"):
        _model(rng)(np.zeros((3,), dtype=np.int64))


def test_state_dict_keeps_the_ratios_and_training_separates_a_small_batch(rng):
    model = _model(rng, bigram_buckets=50, vocab_size=20, char_buckets=30)
    ids = rng.integers(2, 20, (8, 6))
    ids[::2, 4:] = 0
    labels = rng.integers(0, 2, 8)
    model.fit_data(ids, labels, {"tokens": ["<pad>", "<unk>"] + [f"w{i}" for i in range(18)]})
    assert loss_after_training(model, ids, labels, lr=0.1) < 0.05
    copy = _model(rng, bigram_buckets=50, vocab_size=20, char_buckets=30)
    copy.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(copy.log_ratio, model.log_ratio)
    np.testing.assert_array_equal(copy.word_chars, model.word_chars)
    np.testing.assert_allclose(copy(ids).data, model(ids).data)

"""``ner_tagger`` and the feature input of the BiLSTM tagger: shapes, padding that never
leaks, clear errors for bad ids, and tiny overfit runs on generated ``ner-templates``."""
import json

import numpy as np
import pytest

from model_helpers import loss_after_training

from ivanet.models import ModelError, create_model
from ivanet.training.resolve import resolve_loss


def _model(rng, **options):
    values = dict(input_shape=(5, 3), vocab_size=20, num_classes=6, embedding_dim=4,
                  hidden_size=5, dropout=0.0, rng=rng)
    return create_model("ner_tagger", **{**values, **options})


def test_feature_ids_shape_and_padding_never_leaks(rng):
    model = _model(rng).eval()
    ids = rng.integers(2, 20, (3, 4, 3))
    padded = np.concatenate([ids, np.zeros((3, 2, 3), dtype=ids.dtype)], axis=1)
    out, longer = model(ids), model(padded)
    assert out.shape == (3, 6, 4) and longer.shape == (3, 6, 6)
    np.testing.assert_allclose(longer.data[:, :, :4], out.data, atol=1e-6)


def test_same_parameters_as_pos_tagger(rng):
    options = dict(input_shape=(5, 3), vocab_size=20, num_classes=6, embedding_dim=4,
                   hidden_size=5, rng=rng)
    pos = create_model("pos_tagger", **options)
    assert _model(rng).num_parameters() == pos.num_parameters() == (
        20 * 4 + 2 * (4 * 5 * (3 * 4 + 5) + 2 * 4 * 5) + 6 * 10 + 6)


@pytest.mark.parametrize("ids, message", [
    (np.ones((2, 4), dtype=np.int64), r"expected ids of shape \(N, T, 3\), got \(2, 4\)"),
    (np.ones((2, 4, 2), dtype=np.int64), r"got \(2, 4, 2\)"),
    (np.ones((2, 0, 3), dtype=np.int64), "sentences are empty"),
])
def test_bad_shapes_are_model_errors(rng, ids, message):
    with pytest.raises(ModelError, match=message):
        _model(rng)(ids)


def test_ids_out_of_range_name_the_embedding(rng):
    ids = np.full((1, 2, 3), 20)
    with pytest.raises(Exception, match="20"):
        _model(rng)(ids)


def test_overfits_one_generated_batch(rng):
    from ivanet.data import load

    splits = load("ner-templates", train_size=12, dev_size=2, test_size=2)
    x, y = splits.train.x, splits.train.y
    model = create_model("ner_tagger", input_shape=x.shape[1:], num_classes=splits.num_classes,
                         vocab_size=len(splits.vocabulary["tokens"]), embedding_dim=8,
                         hidden_size=16, dropout=0.0, rng=rng)
    loss_fn = resolve_loss("masked_cross_entropy")
    assert loss_after_training(model, x, y, loss_fn, steps=50, lr=0.03) < 0.05


def test_ivanet_train_runs_on_ner_templates(tmp_path):
    from ivanet.training import TrainConfig, train_run

    config = TrainConfig(model="ner_tagger", data="ner-templates", epochs=2, batch_size=16,
                         lr=0.02, data_options={"train_size": 64, "dev_size": 8,
                                                "test_size": 16},
                         model_options={"embedding_dim": 6, "hidden_size": 8},
                         progress=False, report=False, out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    results = json.loads((run_dir / "results.json").read_text())
    assert 0.0 <= results["metrics"]["test"]["token_accuracy"] <= 1.0
    _predicts_word_features(run_dir)


def _predicts_word_features(run_dir):
    """A word-feature run predicts one sentence (T, 4) or a batch (N, T, 4) of any T."""
    from ivanet.data.dataset import DataError
    from ivanet.training.loading import predict_run

    sentence = np.full((5, 4), 3, dtype=np.int64)
    one = predict_run(run_dir, sentence).outputs
    batch = predict_run(run_dir, np.stack([sentence, sentence])).outputs
    assert one.shape == (1, 11, 5) and batch.shape == (2, 11, 5)    # (N, tags, T)
    np.testing.assert_allclose(batch[0], one[0], rtol=1e-5, atol=1e-6)
    with pytest.raises(DataError, match=r"\(T, 4\) or \(N, T, 4\) integers; got int64 of "
                                        r"shape \(2, 5, 3\)"):
        predict_run(run_dir, np.zeros((2, 5, 3), dtype=np.int64))


def test_word_dropout_only_in_training(rng):
    model = _model(rng, word_dropout=0.5)
    ids = rng.integers(3, 20, (4, 6, 3))
    assert not np.allclose(model(ids).data, model(ids).data)  # fresh words dropped each call
    model.eval()
    np.testing.assert_array_equal(model(ids).data, model(ids).data)
    with pytest.raises(ModelError, match=r"word_dropout must be in \[0, 1\)"):
        _model(rng, word_dropout=1.0)

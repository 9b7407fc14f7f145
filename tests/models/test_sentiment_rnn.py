"""``sentiment_rnn``: shapes, padding that never leaks, parameter count, overfitting one
small batch, and training from the ``sentiment`` loader's data by ``train_run``."""
import numpy as np
import pytest

from model_helpers import loss_after_training

from ivanet import Tensor
from ivanet.models import ModelError, create_model
from ivanet.ops.losses import cross_entropy
from ivanet.optim import Adam


def _model(rng, **options):
    values = dict(vocab_size=20, embedding_dim=6, hidden_size=5, dropout=0.0, rng=rng)
    return create_model("sentiment_rnn", **{**values, **options})


@pytest.mark.parametrize("options", [{"cell": "lstm"}, {"cell": "gru", "bidirectional": True,
                                                         "num_layers": 2},
                                     {"bidirectional": True, "pooling": "max_mean",
                                      "embedding_dropout": 0.5}])
def test_padding_never_changes_the_logits(rng, options):
    model = _model(rng, **options).eval()
    ids = rng.integers(2, 20, (3, 4))
    padded = np.concatenate([ids, np.zeros((3, 5), dtype=ids.dtype)], axis=1)
    out = model(ids)
    assert out.shape == (3, 2)
    np.testing.assert_allclose(model(padded).data, out.data, atol=1e-6)


def test_parameter_count(rng):
    model = _model(rng)
    assert model.num_parameters() == 20 * 6 + 4 * 5 * (6 + 5) + 2 * 4 * 5 + 5 * 2 + 2


def test_max_mean_pooling_matches_numpy(rng):
    model = _model(rng, pooling="max_mean").eval()
    ids = rng.integers(2, 20, (2, 5))
    ids[1, 2:] = 0
    out, _ = model.rnn(model.embedding(ids[:, :5]), lengths=np.array([5, 2]))
    pooled = model._max_mean(out, np.array([5, 2])).data
    for row, n in enumerate([5, 2]):
        real = out.data[row, :n]
        np.testing.assert_allclose(pooled[row], np.concatenate([real.max(0), real.mean(0)]),
                                   rtol=1e-5, atol=1e-6)


def test_bad_pooling_and_bad_ids_are_model_errors(rng):
    with pytest.raises(ModelError, match="pooling must be one of last, max_mean"):
        _model(rng, pooling="attention")
    with pytest.raises(ModelError, match=r"expected word ids \(N, T\) with T ≥ 1"):
        _model(rng)(np.zeros((2, 0), dtype=np.int64))
    with pytest.raises(Exception, match="25"):
        _model(rng)(np.full((1, 3), 25))


def test_unknown_cell_is_a_model_error(rng):
    with pytest.raises(ModelError, match="cell must be one of lstm, gru"):
        _model(rng, cell="transformer")


def test_overfits_one_small_batch(rng):
    model = _model(rng, hidden_size=16)
    ids = rng.integers(2, 20, (8, 6))
    ids[::2, 4:] = 0                                       # some sentences are shorter
    labels = rng.integers(0, 2, 8)
    assert loss_after_training(model, ids, labels, lr=0.05) < 0.05



def test_frozen_embedding_keeps_its_vectors_while_the_rest_learns(rng):
    model = _model(rng, freeze_embedding=True)
    start = {name: value.copy() for name, value in model.state_dict().items()}
    assert model.num_parameters(trainable_only=True) == model.num_parameters() - 20 * 6
    optimizer = Adam(list(model.parameters()), lr=0.05)
    loss = cross_entropy(model(Tensor(rng.integers(2, 20, (4, 5)))), rng.integers(0, 2, 4))
    loss.backward()
    optimizer.step()
    after = model.state_dict()
    np.testing.assert_array_equal(after["embedding.weight"], start["embedding.weight"])
    assert not np.array_equal(after["head.weight"], start["head.weight"])

def test_trains_on_the_sentiment_loader(tmp_path, monkeypatch):
    from ivanet.data.sets import sentiment
    from ivanet.training import TrainConfig, load_run, train_run

    monkeypatch.setenv("IVANET_DATA", str(tmp_path))
    (tmp_path / "sentiment").mkdir()
    rows = [f'"{1 if i % 2 else -1}","{"good fun" if i % 2 else "bad dull"} film . "'
            for i in range(40)]
    (tmp_path / "sentiment" / sentiment.MEMBER).write_text("\n".join(rows))
    config = TrainConfig(model="sentiment_rnn", data="sentiment", epochs=8, batch_size=8,
                         lr=0.02, model_options={"embedding_dim": 4, "hidden_size": 4},
                         progress=False, report=False, out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    run = load_run(run_dir)
    assert run.checkpoint.model_config["vocab_size"] == 2 + 6  # good fun bad dull film .
    assert (run_dir / "vocabulary.json").is_file()
    import json
    results = json.loads((run_dir / "results.json").read_text())
    assert results["metrics"]["test"]["accuracy"] == 1.0

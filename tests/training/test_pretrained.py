"""Starting a model's word embedding from pretrained vectors (``pretrained_embedding``)."""
import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from ivanet.data.dataset import ArrayDataset, DataSplits
from ivanet.training import TrainConfig, load_run, train_run
from ivanet.training.errors import ConfigError
from ivanet.training.pretrained import (initialise_embedding, load_pretrained_embedding,
                                        read_word_vectors)
from ivanet.training.setup import make_model

DATA_TOKENS = ["<pad>", "<unk>", "good", "bad", "film", "plot"]


def _vectors(tokens, dim=3, seed=0):
    return np.random.default_rng(seed).normal(size=(len(tokens), dim)).astype(np.float32)


def _splits(n=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, len(DATA_TOKENS), size=(n, 5))
    data = ArrayDataset(x, (x == 2).any(axis=1).astype(np.int64))
    return DataSplits(name="toy", train=data, dev=data, test=data, task="classification",
                      input_shape=(5,), num_classes=2, class_names=("neg", "pos"),
                      vocabulary={"kind": "WordVocabulary", "tokens": DATA_TOKENS})


def test_rows_are_matched_by_token_and_rescaled_to_the_random_start():
    tokens = ["plot", "<pad>", "good", "unseen", "film", "bad"]   # other order, other words
    vectors = _vectors(tokens)
    weight = np.random.default_rng(1).normal(size=(6, 3)).astype(np.float32)
    weight[0] = 0
    before = weight.copy()
    found = initialise_embedding(weight, DATA_TOKENS, tokens, vectors, padding_idx=0)
    assert (found["found"], found["words"], found["coverage"]) == (4, 4, 1.0)
    scale = found["scale"]
    assert scale == pytest.approx(before[1:].std() / vectors[[2, 5, 4, 0]].std(), rel=1e-6)
    for row, token in ((2, "good"), (3, "bad"), (4, "film"), (5, "plot")):
        np.testing.assert_allclose(weight[row], vectors[tokens.index(token)] * scale,
                                   rtol=1e-6)
    assert (weight[0] == 0).all()                               # <pad> stays zero
    np.testing.assert_array_equal(weight[1], before[1])          # <unk>: no vector, kept


def test_mismatched_vectors_are_refused_with_the_reason():
    weight = np.zeros((6, 3), dtype=np.float32)
    with pytest.raises(ConfigError, match="4 dimensions, the model's embedding 3: set "
                                          "embedding_dim = 4"):
        initialise_embedding(weight, DATA_TOKENS, DATA_TOKENS, _vectors(DATA_TOKENS, dim=4))
    other = ["<pad>", "<unk>", "king", "queen", "good"]
    with pytest.raises(ConfigError, match=r"only 1 of the data's 4 words \(25%\) have a "
                                          r"vector .* another corpus or tokenizer"):
        initialise_embedding(weight, DATA_TOKENS, other, _vectors(other))
    with pytest.raises(ConfigError, match="vocabulary has 6 tokens, the embedding 4 rows"):
        initialise_embedding(weight[:4], DATA_TOKENS, DATA_TOKENS, _vectors(DATA_TOKENS))


def test_npz_and_skipgram_folder_read_the_same_vectors(tmp_path):
    tokens, vectors = ["<pad>", "<unk>", "good", "film"], _vectors(["a"] * 4)
    np.savez(tmp_path / "v.npz", tokens=np.array(tokens), vectors=vectors)
    folder = tmp_path / "run"
    folder.mkdir()
    save_file({"input": vectors, "output": vectors * 0}, str(folder / "vectors.safetensors"))
    (folder / "vocabulary.json").write_text(json.dumps({"kind": "Vocabulary",
                                                        "tokens": tokens}))
    for path in (tmp_path / "v.npz", folder):
        read_tokens, read = read_word_vectors(path)
        assert read_tokens == tokens and read.dtype == np.float32
        np.testing.assert_array_equal(read, vectors)


def test_bad_vector_files_are_config_errors(tmp_path):
    np.savez(tmp_path / "objects.npz", tokens=np.array(["a", None], dtype=object),
             vectors=np.zeros((2, 3)))
    with pytest.raises(ConfigError, match="without pickle"):
        read_word_vectors(tmp_path / "objects.npz")
    np.savez(tmp_path / "short.npz", tokens=np.array(["a", "b"]), vectors=np.zeros((3, 2)))
    with pytest.raises(ConfigError, match="2 tokens and vectors of shape \\(3, 2\\)"):
        read_word_vectors(tmp_path / "short.npz")
    np.savez(tmp_path / "named.npz", words=np.array(["a"]), vectors=np.zeros((1, 2)))
    with pytest.raises(ConfigError, match="'tokens' and 'vectors', found vectors, words"):
        read_word_vectors(tmp_path / "named.npz")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no vectors.safetensors and no vocabulary.json"):
        read_word_vectors(tmp_path / "empty")
    with pytest.raises(ConfigError, match="neither a skip-gram run folder"):
        read_word_vectors(tmp_path / "missing.txt")
    with pytest.raises(ConfigError, match="no word embedding"):
        load_pretrained_embedding(object(), tmp_path / "short.npz", None)


def test_config_option_starts_the_embedding_and_is_not_a_model_argument(tmp_path):
    vectors = _vectors(DATA_TOKENS, dim=4, seed=3)
    np.savez(tmp_path / "v.npz", tokens=np.array(DATA_TOKENS), vectors=vectors)
    options = {"embedding_dim": 4, "hidden_size": 4}
    config = TrainConfig(model="sentiment_rnn", data="toy", seed=5,
                         model_options={**options, "pretrained_embedding":
                                        str(tmp_path / "v.npz")})
    model, model_config = make_model(config, _splits())
    plain, _ = make_model(config.replace(model_options=options), _splits())
    assert "pretrained_embedding" not in model_config   # a checkpoint rebuilds without it
    weight, start = model.embedding.weight.data, plain.embedding.weight.data
    assert (weight[0] == 0).all()
    scale = start[1:].std() / vectors[2:].std()
    np.testing.assert_allclose(weight[2:], vectors[2:] * scale, rtol=1e-5)
    np.testing.assert_array_equal(weight[1], start[1])  # <unk>: the random start
    for name, param in model.state_dict().items():       # everything else: the same start
        if name != "embedding.weight":
            np.testing.assert_array_equal(param, plain.state_dict()[name])


def test_a_run_with_pretrained_vectors_trains_and_reloads(tmp_path, monkeypatch):
    vectors = _vectors(DATA_TOKENS, dim=4, seed=3)
    np.savez(tmp_path / "v.npz", tokens=np.array(DATA_TOKENS), vectors=vectors)
    monkeypatch.setattr("ivanet.training.setup.load", lambda name, **options: _splits(32))
    config = TrainConfig(model="sentiment_rnn", data="toy", epochs=1, batch_size=8,
                         progress=False, report=False, out=str(tmp_path / "run"),
                         model_options={"embedding_dim": 4, "hidden_size": 4,
                                        "pretrained_embedding": str(tmp_path / "v.npz")})
    run_dir = train_run(config, quiet=True)
    (tmp_path / "v.npz").unlink()                         # the checkpoint alone suffices
    loaded = load_run(run_dir)
    assert "pretrained_embedding" not in loaded.checkpoint.model_config
    assert loaded.model.embedding.weight.shape == (6, 4)

"""``ivanet train skipgram`` end to end on a tiny generated corpus and tiny test sets."""
import json

import numpy as np
import pytest
from safetensors.numpy import load_file

from ivanet.data.sets import shakespeare, word_tests
from ivanet.training import skipgram

from cli_helpers import invoke

# two families of words that never share a sentence; the map pairs (man, woman), (king,
# queen), (boy, girl) are in it, so the map has 6 words
TOPICS = (("man", "woman", "king", "queen", "boy", "girl"),
          ("sun", "rain", "cloud", "sky", "wind", "snow"))
ANALOGIES = (": family\nman woman king queen\nboy girl man woman\nman woman prince princess\n"
             ": weather\nsun rain cloud sky\n")


@pytest.fixture
def word_cache(tmp_path, monkeypatch):
    """$IVANET_DATA with a 7,200-word 'shakespeare' and 4 analogies, 3 + 2 similarity pairs
    (one analogy and one pair of each set outside the vocabulary)."""
    monkeypatch.setenv("IVANET_DATA", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    sentences = [" ".join(rng.choice(TOPICS[i % 2], 6)) + "." for i in range(1200)]
    (tmp_path / "cache" / shakespeare.NAME).mkdir(parents=True)
    (tmp_path / "cache" / shakespeare.NAME / "shakespeare.txt").write_text(" ".join(sentences))
    tests = tmp_path / "cache" / word_tests.NAME
    tests.mkdir()
    (tests / word_tests.ANALOGIES).write_text(ANALOGIES)
    (tests / word_tests.WORDSIM).write_text("king\tqueen\t8\nsun\tking\t1\nman\tboy\t6\n"
                                            "tiger\tcat\t7\n")
    (tests / word_tests.SIMLEX).write_text("rain\tsnow\t7\nman\tsky\t0.5\nold\tnew\t2\n")
    (tests / word_tests.LEE).write_text("the sun and the rain\n")
    return tmp_path


def _config(path, *lines):
    path.write_text("\n".join(['model = "skipgram"', 'data = "shakespeare"', 'epochs = 2',
                               'batch_size = 64', 'lr = 0.01', 'optimizer = "adam"',
                               'progress = false', *lines]) + "\n")
    return path


SMALL = ('model_options = { embedding_dim = 8 }',
         'data_options = { window = 2, negatives = 2, min_count = 1, subsample = 1.0 }')


def test_train_skipgram_writes_vectors_evaluation_and_map(word_cache):
    run = word_cache / "run"
    result = invoke("train", "skipgram", "--config", _config(word_cache / "sg.toml", *SMALL),
                    "--out", run)
    assert result.exit_code == 0, result.output + str(result.exception)
    for name in ("config.json", "vocabulary.json", "vectors.safetensors", "results.json",
                 "word_map.png"):
        assert (run / name).is_file(), name
    assert json.loads((run / "config.json").read_text())["model"] == "skipgram"
    tokens = json.loads((run / "vocabulary.json").read_text())["tokens"]
    vectors = load_file(str(run / "vectors.safetensors"))
    assert len(tokens) == 2 + 12 and vectors["input"].shape == (14, 8)
    results = json.loads((run / "results.json").read_text())
    assert results["config"]["embedding_dim"] == 8 and len(results["loss"]) == 2
    analogies = results["analogies"]
    assert (analogies["covered"], analogies["total"]) == (3, 4)
    assert analogies["sections"]["family"][1] == 2
    assert (results["wordsim353"]["covered"], results["simlex999"]["covered"]) == (3, 2)
    assert results["map_words"] == ["man", "woman", "king", "queen", "boy", "girl"]
    # the topics never mix: a word's nearest neighbour is from its own topic
    index = {token: i for i, token in enumerate(tokens)}
    unit = vectors["input"] / np.linalg.norm(vectors["input"], axis=1, keepdims=True)
    assert results["neighbours"]["king"][0][0] in TOPICS[0]          # a probe word
    for word, topic in (("king", 0), ("rain", 1)):
        cosines = unit[2:] @ unit[index[word]]
        cosines[index[word] - 2] = -np.inf
        assert tokens[2 + int(np.argmax(cosines))] in TOPICS[topic]
    assert "analogies:" in result.output and f"run folder: {run}" in result.output


def test_module_alias_trains_the_same_vectors(word_cache):
    cli_run, alias_run = word_cache / "cli", word_cache / "alias"
    result = invoke("train", "skipgram", "--config", _config(word_cache / "sg.toml", *SMALL),
                    "--out", cli_run)
    assert result.exit_code == 0, result.output
    skipgram.main(["--epochs", "2", "--batch-size", "64", "--lr", "0.01", "--optimizer",
                   "adam", "--embedding-dim", "8", "--window", "2", "--negatives", "2",
                   "--min-count", "1", "--subsample", "1.0", "--out", str(alias_run)])
    first = load_file(str(cli_run / "vectors.safetensors"))["input"]
    np.testing.assert_array_equal(first, load_file(str(alias_run / "vectors.safetensors"))["input"])


def test_data_chooses_the_corpus(word_cache):
    run = word_cache / "both"
    result = invoke("train", "skipgram", "--config", _config(word_cache / "sg.toml", *SMALL),
                    "--data", "shakespeare+lee", "--epochs", "1", "--out", run)
    assert result.exit_code == 0, result.output
    tokens = json.loads((run / "vocabulary.json").read_text())["tokens"]
    assert {"the", "and"} <= set(tokens) and len(tokens) == 2 + 12 + 2   # the Lee story's
    assert json.loads((run / "results.json").read_text())["config"]["corpus"] == \
        "shakespeare+lee"


@pytest.mark.parametrize("option, message", [
    ('data = "mnist"', "data must be a word corpus"),
    ('data_options = { windw = 2 }', "unknown data_options key 'windw'"),
    ('model_options = { embedding_dim = 0 }', "must be a positive int"),
    ('optimizer = "rmsprop"', "optimizer must be 'sgd'")])
def test_bad_settings_fail_before_training(word_cache, option, message):
    config = word_cache / "bad.toml"
    corpus = [] if option.startswith("data =") else ['data = "shakespeare"']
    config.write_text("\n".join(['epochs = 1', *corpus, option]) + "\n")
    result = invoke("train", "skipgram", "--config", config, "--out", word_cache / "run")
    assert result.exit_code != 0 and message in result.output
    assert not (word_cache / "run").exists()

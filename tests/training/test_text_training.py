"""A character language model trained end to end on a tiny text file, then sampled."""
import json

import numpy as np
import pytest

from ivanet.data import DataError
from ivanet.data.text import Vocabulary
from ivanet.training import TrainConfig, load_run, train_run
from ivanet.training.generation import encode_prompt, generate_text, run_vocabulary

WORDS = "to be or not that is the question whether tis nobler".split()


@pytest.fixture(scope="module")
def text_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("text")
    rng = np.random.default_rng(0)
    lines = [" ".join(rng.choice(WORDS, 6)) for _ in range(120)]
    (folder / "tiny.txt").write_text("\n".join(lines) + "\n")
    config = TrainConfig(model="char_lstm", data=str(folder / "tiny.txt"), epochs=1,
                         batch_size=8, lr=0.01, data_options={"seq_len": 16},
                         model_options={"embedding_dim": 8, "hidden_size": 16},
                         progress=False, report=False, out=str(folder / "run"))
    return train_run(config, quiet=True)


def test_text_run_saves_its_vocabulary_and_loss_in_nats(text_run):
    vocabulary = run_vocabulary(text_run)
    saved = json.loads((text_run / "vocabulary.json").read_text())
    assert saved["kind"] == "CharVocabulary" and set("tobe \n") <= set(saved["tokens"])
    assert load_run(text_run).checkpoint.model_config["num_classes"] == len(vocabulary)
    results = json.loads((text_run / "results.json").read_text())
    assert results["diagnosis"] is None and results["errors"]["dev"] is None
    for split in ("train", "dev", "test"):  # mean cross-entropy per character, in nats
        loss = results["metrics"][split]["loss"]
        assert 0 < loss < np.log(len(vocabulary)) + 0.5
    with np.load(text_run / "predictions.npz") as arrays:
        assert arrays["y_pred"].shape == arrays["y_true"].shape  # (N, T) next characters


def test_generation_is_repeatable_and_stays_in_the_vocabulary(text_run):
    known = set(run_vocabulary(text_run).tokens)
    first = generate_text(text_run, "to be", length=40, temperature=0.8, seed=3)
    assert len(first) <= 40 and set(first) <= known
    assert first == generate_text(text_run, "to be", length=40, temperature=0.8, seed=3)
    greedy = generate_text(text_run, "not ", length=20, temperature=0)
    assert greedy == generate_text(text_run, "not ", length=20, temperature=0, seed=9)
    top1 = generate_text(text_run, "not ", length=20, temperature=1.5, top_k=1, seed=1)
    assert top1 == greedy  # the top 1 is the argmax whatever the temperature


def test_prompt_with_unseen_characters_names_them(text_run):
    with pytest.raises(DataError, match=r"2 character\(s\) the model never saw: 'Q', 'é'"):
        generate_text(text_run, "Qué", length=5)
    with pytest.raises(DataError, match="prompt is empty"):
        encode_prompt(run_vocabulary(text_run), "")


def test_a_run_without_text_cannot_generate(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(DataError, match="has no vocabulary.json"):
        generate_text(tmp_path, "to", length=3)


def test_word_vocabulary_runs_are_refused(text_run, tmp_path):
    import shutil

    copy = shutil.copytree(text_run, tmp_path / "words")
    (copy / "vocabulary.json").write_text(json.dumps(
        Vocabulary.from_dict({"kind": "WordVocabulary", "tokens": ["to"]}).to_dict()))
    with pytest.raises(DataError, match="not a character language model"):
        generate_text(copy, "to", length=3)


def test_evaluate_run_reads_token_ids(text_run):
    from ivanet.training import evaluate_run

    results = evaluate_run(text_run, split="dev")
    saved = json.loads((text_run / "results.json").read_text())["metrics"]["dev"]["loss"]
    assert results["loss"] == pytest.approx(saved, rel=1e-6) and results["error"] is None

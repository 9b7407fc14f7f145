"""``date_translator`` through the training pipeline on the ``dates`` set, then used with
``translate_run``: exact match is reported, outputs keep their length, errors are clear."""
import json

import pytest

from ivanet.data import DataError
from ivanet.training import TrainConfig, train_run
from ivanet.training.translation import translate_run


@pytest.fixture(scope="module")
def date_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates")
    config = TrainConfig(model="date_translator", data="dates", epochs=1, batch_size=32,
                         lr=0.01, data_options={"train_size": 96, "dev_size": 16,
                                                "test_size": 16},
                         model_options={"embedding_dim": 4, "hidden_size": 6,
                                        "attention_size": 4},
                         progress=False, report=False, out=str(folder / "run"))
    return train_run(config, quiet=True)


def test_the_run_reports_exact_match(date_run):
    results = json.loads((date_run / "results.json").read_text())
    test = results["metrics"]["test"]
    assert 0.0 <= test["sequence_accuracy"] <= test["token_accuracy"] <= 1.0


def test_translate_run_keeps_the_length_and_names_unseen_characters(date_run):
    (result,) = translate_run(date_run, ["9 mars 1987"])
    assert len(result.output) == 10 and result.attention.shape == (10, len(result.text))
    with pytest.raises(DataError, match="never saw"):
        translate_run(date_run, ["9 мар 1987"])
    with pytest.raises(DataError, match="non-empty list"):
        translate_run(date_run, "9 mars 1987")

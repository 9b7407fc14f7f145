"""experiments/tagging_eval.py: known / unknown word accuracy and entity scores of a tiny
``ner_tagger`` run, consistent with the run's own token accuracy."""
import json

from tests.experiments.helpers import load_experiment


def test_evaluates_a_tiny_ner_run(tmp_path):
    from ivanet.training import TrainConfig, train_run

    config = TrainConfig(model="ner_tagger", data="ner-templates", epochs=2, batch_size=16,
                         lr=0.02, data_options={"train_size": 48, "dev_size": 8,
                                                "test_size": 12},
                         model_options={"embedding_dim": 6, "hidden_size": 8},
                         progress=False, report=False, out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    report = load_experiment("tagging_eval").evaluate_tagger(str(run_dir))
    results = json.loads((run_dir / "results.json").read_text())
    assert abs(report["test_token_accuracy"]
               - results["metrics"]["test"]["token_accuracy"]) < 1e-9
    assert 0 < report["unknown_word_share"] < 1
    for kind in ("entities", "entities_PER", "entities_DATE"):
        assert 0.0 <= report[kind]["f1"] <= 1.0 and report[kind]["entities"] >= 0
    assert report["entities"]["entities"] == sum(
        report[f"entities_{kind}"]["entities"] for kind in ("PER", "LOC", "ORG", "DATE"))

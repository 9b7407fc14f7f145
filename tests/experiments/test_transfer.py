"""experiments/transfer.py: subsets, few-shot draws, freezing, one tiny seed end to end."""
import json

import numpy as np
import pytest

from ivanet.data.dataset import ArrayDataset
from ivanet.data.sets.common import make_splits

from .helpers import load_experiment

transfer = load_experiment("transfer")


def _tiny_splits(rng, per_class=3):
    y = np.repeat(np.arange(10), per_class)
    x = rng.random((len(y), 1, 28, 28), dtype=np.float32)
    return make_splits("tiny", ArrayDataset(x, y), None, ArrayDataset(x.copy(), y.copy()),
                       task="classification", description="random images")


def test_class_subset_keeps_only_those_classes_and_renumbers(rng):
    y = rng.integers(0, 10, size=50)
    x = np.arange(50)
    xs, ys = transfer.class_subset(x, y, (7, 5))
    assert np.array_equal(xs, x[np.isin(y, (5, 7))])
    assert np.array_equal(ys, np.where(y[np.isin(y, (5, 7))] == 7, 0, 1))


def test_few_shot_draws_distinct_examples_of_every_class(rng):
    y = rng.integers(0, 4, size=80)
    picked = transfer.few_shot(y, 3, rng)
    assert len(set(picked.tolist())) == 12
    assert np.array_equal(np.bincount(y[picked]), [3, 3, 3, 3])
    with pytest.raises(ValueError, match="class"):
        transfer.few_shot(np.array([0, 0, 1]), 2, rng)


@pytest.mark.parametrize("method, trainable", [
    ("scratch", None), ("head", ("classifier.4.",)),
    ("classifier", ("classifier.",)), ("all", None)])
def test_adapt_copies_weights_and_freezes_as_named(rng, method, trainable):
    pretrained = transfer.create_model("lenet5", num_classes=5, rng=rng)
    model = transfer.adapt(method, pretrained, num_classes=3, seed=0)
    names = dict(model.named_parameters())
    assert names["classifier.4.weight"].shape == (3, 84)
    for name, param in names.items():
        assert param.requires_grad == (trainable is None or name.startswith(trainable)), name
    same = np.array_equal(names["features.0.weight"].data,
                          dict(pretrained.named_parameters())["features.0.weight"].data)
    assert same == (method != "scratch")


def test_run_seed_scores_every_method_on_the_target_classes(rng):
    result = transfer.run_seed(_tiny_splits(rng), seed=0, shots=2, pretrain_epochs=1,
                               finetune_epochs=1)
    assert result["pretrain_examples"] == 15
    assert set(result["accuracy"]) == set(transfer.METHODS)
    assert all(0.0 <= value <= 1.0 for value in result["accuracy"].values())


def test_main_writes_a_report_the_results_page_can_show(rng, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "load", lambda name: _tiny_splits(rng))
    out = tmp_path / "transfer.json"
    args = ["--seeds", "0", "1", "--shots", "1", "--pretrain-epochs", "1",
            "--finetune-epochs", "1", "--out", str(out)]
    assert transfer.main(args) == 0
    report = json.loads(out.read_text())
    assert [s["seed"] for s in report["seeds"]] == [0, 1] and report["test_examples"] == 15
    text = load_experiment("cnn_results").transfer_section(report)
    assert all(f"| {method} |" in text for method in transfer.METHODS)

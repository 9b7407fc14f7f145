"""train_run end to end on a small .npz data set, and the run-folder readers."""
import json

import numpy as np
import pytest
from training_helpers import bar_images

from ivanet.data import DataError
from ivanet.training import (ConfigError, RunFolderError, TrainConfig, evaluate_run,
                             load_checkpoint, load_run, predict_run, train_run)


def _config(npz_data, tmp_path, **changes):
    values = dict(model="mlp", data=str(npz_data), epochs=3, batch_size=32, lr=0.01,
                  model_options={"hidden": [16], "dropout": 0.1}, progress=False,
                  report=False, runs_dir=str(tmp_path / "runs"))
    return TrainConfig.from_dict({**values, **changes})


def test_train_run_writes_the_run_folder(npz_data, tmp_path, capsys):
    run_dir = train_run(_config(npz_data, tmp_path))
    assert run_dir.parent == tmp_path / "runs" and run_dir.name.startswith("mlp-")
    names = {p.name for p in run_dir.iterdir()}
    assert {"config.json", "metrics.csv", "metrics.jsonl", "checkpoints", "results.json",
            "predictions.npz"} <= names
    assert json.loads((run_dir / "config.json").read_text())["epochs"] == 3
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [row["epoch"] for row in rows] == [1, 2, 3]
    results = json.loads((run_dir / "results.json").read_text())
    assert results["status"] == "finished" and results["epochs_trained"] == 3
    assert results["metrics"]["test"]["accuracy"] > 0.8  # the bars are easy
    assert results["diagnosis"]["verdict"] in ("good fit", "high bias", "high variance",
                                               "high bias and high variance")
    assert results["parameters"] == 64 * 16 + 16 + 16 * 3 + 3
    with np.load(run_dir / "predictions.npz", allow_pickle=False) as predictions:
        assert predictions["probabilities"].shape == (60, 3)
        assert predictions["sample_inputs"].shape == (60, 1, 8, 8)
        chosen = predictions["sample_index"]
        assert sorted(chosen.tolist()) == list(range(60))    # all 60 fit in the grid
        np.testing.assert_array_equal(predictions["sample_true"], predictions["y_true"][chosen])
        assert predictions["class_names"].dtype.kind == "U"
        np.testing.assert_allclose(predictions["probabilities"].sum(axis=1), 1, rtol=1e-5)
    assert load_checkpoint(run_dir / "checkpoints" / "last.safetensors").epoch == 3
    printed = capsys.readouterr().out
    assert " test: loss" in printed and "diagnosis:" in printed and str(run_dir) in printed


def test_load_evaluate_and_predict_a_run(npz_data, tmp_path):
    run_dir = train_run(_config(npz_data, tmp_path), quiet=True)
    run = load_run(run_dir)
    assert not run.model.training and run.data["task"] == "classification"
    results = json.loads((run_dir / "results.json").read_text())
    evaluated = evaluate_run(run_dir)
    assert evaluated["accuracy"] == pytest.approx(results["metrics"]["test"]["accuracy"])
    assert evaluated["error"] == pytest.approx(results["errors"]["test"])
    images, labels = bar_images(20, np.random.default_rng(5))
    batch = predict_run(run_dir, images)
    assert batch.labels.shape == (20,) and np.mean(batch.labels == labels) > 0.8
    one = predict_run(run_dir, images[3, 0])  # a single (H, W) uint8 image
    assert one.labels[0] == batch.labels[3] and one.names == [str(batch.labels[3])]
    with pytest.raises(DataError, match=r"expects inputs of shape \(1, 8, 8\)"):
        predict_run(run_dir, np.zeros((2, 9, 9), np.float32))


def test_out_folder_must_be_new_or_empty(npz_data, tmp_path):
    (tmp_path / "empty").mkdir()
    run_dir = train_run(_config(npz_data, tmp_path, out=str(tmp_path / "empty"), epochs=1),
                        quiet=True)
    assert run_dir == tmp_path / "empty" and (run_dir / "results.json").is_file()
    with pytest.raises(RunFolderError, match="already exists and is not empty"):
        train_run(_config(npz_data, tmp_path, out=str(run_dir), epochs=1), quiet=True)


def test_config_mistakes_fail_before_a_folder_is_made(npz_data, tmp_path):
    with pytest.raises(ConfigError, match="unknown model 'mpl'.*did you mean 'mlp'"):
        train_run(_config(npz_data, tmp_path, model="mpl"))
    with pytest.raises(ConfigError, match="input_shape"):
        train_run(_config(npz_data, tmp_path, model_options={"input_shape": [64]}))
    with pytest.raises(ConfigError, match="has no option 'depth'"):
        train_run(_config(npz_data, tmp_path, model_options={"depth": 3}))
    with pytest.raises(DataError):
        train_run(_config(npz_data, tmp_path, data=str(tmp_path / "none.npz")))
    assert not (tmp_path / "runs").exists()


def test_early_stopping_run_reports_the_best_weights(npz_data, tmp_path):
    run_dir = train_run(_config(npz_data, tmp_path, epochs=4, early_stopping=1, lr=0.5,
                                optimizer="sgd"), quiet=True)
    results = json.loads((run_dir / "results.json").read_text())
    assert results["weights"] == "best" and 1 <= results["best_epoch"] <= 4


def test_logistic_regression_on_two_classes(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {}
    for part, n in (("train", 200), ("dev", 50), ("test", 50)):
        y = rng.integers(0, 2, n)
        arrays[f"x_{part}"] = (rng.normal(0, 1, (n, 4)) + 2.0 * y[:, None]).astype(np.float32)
        arrays[f"y_{part}"] = y
    np.savez(tmp_path / "two.npz", **arrays)
    config = TrainConfig(model="logreg", data=str(tmp_path / "two.npz"), epochs=5, lr=0.1,
                         optimizer="sgd", progress=False, report=False,
                         out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    assert load_run(run_dir).model.num_parameters() == 5  # one sigmoid unit: w (4) and b
    results = json.loads((run_dir / "results.json").read_text())
    assert results["metrics"]["test"]["accuracy"] > 0.85


def test_resume_refuses_changed_configuration_and_missing_checkpoints(npz_data, tmp_path):
    config = _config(npz_data, tmp_path, epochs=1)
    run_dir = train_run(config, quiet=True)
    with pytest.raises(ConfigError, match="keys differ.*: lr"):
        train_run(config.replace(lr=0.5), resume=run_dir)
    (run_dir / "checkpoints" / "last.safetensors").unlink()
    with pytest.raises(RunFolderError, match="no last.safetensors"):
        train_run(resume=run_dir)
    with pytest.raises(RunFolderError, match="no such run folder"):
        train_run(resume=tmp_path / "nowhere")


def test_regression_run_logs_mae_and_diagnoses_with_r2(tmp_path):
    rng = np.random.default_rng(1)
    weights = np.array([1.5, -2.0, 0.5, 3.0])
    arrays = {}
    for part, n in (("train", 256), ("dev", 64), ("test", 64)):
        x = rng.normal(5.0, 2.0, (n, 4)).astype(np.float32)  # standardised by the run
        arrays[f"x_{part}"] = x
        arrays[f"y_{part}"] = ((x - 5.0) @ weights / 4 + rng.normal(0, 0.1, n)).astype(
            np.float32)
    np.savez(tmp_path / "lines.npz", **arrays)
    config = TrainConfig(data=str(tmp_path / "lines.npz"), epochs=15, lr=0.01,
                         batch_size=32, model_options={"hidden": [32], "dropout": 0.0},
                         progress=False, report=False, out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert {"train_mae", "dev_mae", "train_r2", "dev_r2"} <= set(rows[-1])
    results = json.loads((run_dir / "results.json").read_text())
    assert results["metrics"]["test"]["r2"] > 0.9
    assert results["errors"]["dev"] == pytest.approx(1 - results["metrics"]["dev"]["r2"])
    with np.load(run_dir / "predictions.npz", allow_pickle=False) as predictions:
        assert predictions["y_pred"].shape == (64, 1) and "probabilities" not in predictions
    prediction = predict_run(run_dir, arrays["x_test"][:3])
    assert prediction.labels is None and prediction.outputs.shape == (3, 1)


def test_evaluate_with_flip_tta_averages_the_mirrored_probabilities(npz_data, tmp_path):
    run_dir = train_run(_config(npz_data, tmp_path), quiet=True)
    with np.load(npz_data) as arrays:
        x, y = arrays["x_test"], arrays["y_test"]
    mean = (predict_run(run_dir, x).probabilities
            + predict_run(run_dir, np.ascontiguousarray(x[..., ::-1])).probabilities) / 2
    evaluated = evaluate_run(run_dir, tta="flip")
    assert evaluated["accuracy"] == pytest.approx(np.mean(mean.argmax(1) == y))
    assert evaluated["loss"] == pytest.approx(-np.log(mean[np.arange(len(y)), y]).mean(),
                                              rel=1e-4)
    assert evaluated["error"] == pytest.approx(1 - evaluated["accuracy"])
    assert evaluated["loss"] != pytest.approx(evaluate_run(run_dir)["loss"])  # mirror counted
    with pytest.raises(ValueError, match="tta must be one of none, flip"):
        evaluate_run(run_dir, tta="crop")


def test_resuming_with_more_epochs_stretches_the_cosine_schedule(npz_data, tmp_path):
    planned = train_run(_config(npz_data, tmp_path, epochs=4, out=str(tmp_path / "four")),
                        quiet=True)
    short = train_run(_config(npz_data, tmp_path, epochs=2, out=str(tmp_path / "two")),
                      quiet=True)
    train_run(_config(npz_data, tmp_path, epochs=4, out=str(tmp_path / "two")), resume=short,
              quiet=True)

    def rates(run_dir):
        return [json.loads(line)["lr"]
                for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    four, resumed = rates(planned), rates(short)
    assert len(resumed) == 4 and resumed[:2] == pytest.approx([0.01, 0.005])
    assert resumed[2:] == pytest.approx(four[2:])       # epochs 3-4 as if planned for 4
    assert min(resumed[2:]) > 0


def test_the_prediction_grid_shows_mistakes_first():
    from ivanet.training.results import sample_indices

    y_true = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    y_pred = np.array([0, 2, 2, 1, 1, 0, 0, 0])       # wrong at 1, 3, 5, 7
    assert sample_indices(y_true, y_pred, 4).tolist() == [1, 3, 0, 2]
    assert sample_indices(y_true, y_pred, 64).tolist() == [1, 3, 5, 7, 0, 2, 4, 6]
    assert sample_indices(y_true, y_true, 3).tolist() == [0, 1, 2]

"""The commands on a real (tiny) run: train, evaluate, predict, report, resume, tune..."""
import json
import re
import shutil
import sys

import numpy as np
import pytest
from PIL import Image

from ivanet.autograd.gradcheck import GradCheckEntry, GradCheckReport
from ivanet.models.registry import create_model, list_models

from cli_helpers import folder_state, invoke, line_images

RUN_FILES = ["config.json", "metrics.csv", "metrics.jsonl", "results.json", "predictions.npz",
             "checkpoints/last.safetensors", "report.html", "curves.png",
             "confusion_matrix.png", "sample_predictions.png"]


def _numbers(text: str, row: str) -> list[float]:
    """The numbers on the table row that starts with ``row``."""
    line = next(line for line in text.splitlines() if line.startswith(row))
    return [float(x) for x in re.findall(r"-?\d+\.\d+", line)]


def test_train_writes_a_run_folder(trained_run):
    for name in RUN_FILES:
        assert (trained_run / name).is_file(), name
    config = json.loads((trained_run / "config.json").read_text())
    assert (config["epochs"], config["batch_size"], config["lr"]) == (1, 16, 0.01)  # CLI, TOML
    assert config["model_options"] == {"hidden": [32], "dropout": 0.0}
    assert len((trained_run / "metrics.csv").read_text().splitlines()) == 2
    results = json.loads((trained_run / "results.json").read_text())
    assert results["status"] == "finished" and results["metrics"]["test"]["accuracy"] > 0.6


def test_evaluate_matches_results_json(trained_run):
    result = invoke("evaluate", trained_run)
    assert result.exit_code == 0, result.stderr
    test = json.loads((trained_run / "results.json").read_text())["metrics"]["test"]
    loss, accuracy, error = _numbers(result.output, "test")
    assert loss == pytest.approx(test["loss"], abs=1e-4)
    assert accuracy == pytest.approx(test["accuracy"], abs=1e-4)
    assert error == pytest.approx(1 - test["accuracy"], abs=1e-4)
    every = invoke("evaluate", trained_run, "--split", "all")
    assert [line.split()[0] for line in every.output.splitlines()[2:]] == ["train", "dev", "test"]


def test_predict_a_npy_example_and_a_batch(trained_run, tmp_path, rng):
    images, labels = line_images(4, rng)
    np.save(tmp_path / "one.npy", images[0])
    one = invoke("predict", trained_run, tmp_path / "one.npy", "--top", "3")
    assert one.exit_code == 0, one.stderr
    assert re.match(r"predicted: \S+ \(class [0-2], probability \d+\.\d%\)", one.output)
    probabilities = [float(line.split()[-1]) for line in one.output.splitlines()[3:]]
    assert len(probabilities) == 3 and sum(probabilities) == pytest.approx(1, abs=1e-3)
    assert probabilities == sorted(probabilities, reverse=True)
    np.save(tmp_path / "batch.npy", images)
    batch = invoke("predict", trained_run, tmp_path / "batch.npy")
    assert batch.exit_code == 0, batch.stderr
    assert len(batch.output.splitlines()) == 2 + 4


def test_predict_an_image_file(trained_run, tmp_path):
    """A clean 40×40 vertical line (class 1), resized by the CLI to the model's 8×8."""
    picture = np.zeros((40, 40), np.uint8)
    picture[:, 18:23] = 255
    Image.fromarray(picture).convert("RGB").save(tmp_path / "vertical.png")
    result = invoke("predict", trained_run, tmp_path / "vertical.png")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("predicted: 1 (class 1")
    Image.fromarray(255 - picture).save(tmp_path / "dark_on_light.jpg")
    inverted = invoke("predict", trained_run, tmp_path / "dark_on_light.jpg", "--invert")
    assert inverted.output.startswith("predicted: 1 (class 1")


def test_report_rerenders_the_page(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    for name in ("report.html", "curves.png"):
        (run / name).unlink()
    result = invoke("report", run)
    assert result.exit_code == 0, result.stderr
    assert result.output.strip() == f"report: {run / 'report.html'}"
    page = (run / "report.html").read_text()
    assert page.count('<img src="data:image/png;base64,') == 4 and (run / "curves.png").is_file()


def test_resume_trains_more_epochs_in_the_same_folder(trained_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    result = invoke("train", "--resume", run, "--epochs", "2")
    assert result.exit_code == 0, result.stderr
    assert len((run / "metrics.csv").read_text().splitlines()) == 3
    assert json.loads((run / "config.json").read_text())["epochs"] == 2


def test_models_lists_the_zoo_with_parameter_counts():
    result = invoke("models", "--options")  # builds every model once: slow for vgg16
    assert result.exit_code == 0
    table, options = result.output.split("\n\n", 1)
    rows = {line.split()[0]: line.split()[1] for line in table.splitlines()[2:]}
    assert set(rows) == {info.name for info in list_models()}
    assert int(rows["mlp"].replace(",", "")) == create_model("mlp").num_parameters()
    assert "mlp: input_shape=(1, 28, 28), num_classes=10, hidden=" in options


def test_data_list():
    result = invoke("data", "list")
    assert result.exit_code == 0 and re.search(r"^mnist\s+yes", result.output, re.MULTILINE)
    assert "licence:" in invoke("data", "list", "--verbose").output


def test_gradcheck_passes_on_random_and_real_inputs(tiny_npz):
    result = invoke("gradcheck", "logreg", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert "gradient check passed" in result.output
    real = invoke("gradcheck", "mlp", "--data", tiny_npz, "--max-per-parameter", "5")
    assert real.exit_code == 0 and "input (4, 1, 8, 8)" in real.output


def test_gradcheck_failure_exits_with_status_1(monkeypatch):
    def wrong(*args, **kwargs):
        return GradCheckReport([GradCheckEntry("weight", 0.3, 1.0, 2.0, (0, 1), 5)], tol=1e-6)

    # the package re-exports a *function* named gradcheck: patch the module object itself
    monkeypatch.setattr(sys.modules["ivanet.autograd.gradcheck"], "check_model_gradients", wrong)
    result = invoke("gradcheck", "logreg")
    assert result.exit_code == 1
    assert "above tolerance" in result.output and "FAILED" in result.output


def test_tune_writes_the_tune_folder(tiny_npz, tmp_path):
    out = tmp_path / "tune"
    result = invoke("tune", "logreg", "--trials", "2", "--epochs", "1", "--sampler", "random",
                    "--data", tiny_npz, "--out", out)
    assert result.exit_code == 0, result.stderr
    for name in ("study.db", "results.csv", "results.md", "tune.json", "score_vs_lr.png"):
        assert (out / name).is_file(), name
    assert re.search(r"^trial 1: \d\.\d{4}  \(lr=", result.output, re.MULTILINE)
    assert "best: trial" in result.output
    again = invoke("tune", "logreg", "--trials", "1", "--epochs", "1", "--data", tiny_npz,
                   "--out", out)
    assert again.exit_code == 0 and json.loads((out / "tune.json").read_text())["trials"] == 3


def test_failed_commands_leave_the_run_alone(trained_run):
    before = folder_state(trained_run)
    invoke("evaluate", trained_run, "--data", "imagenet22k")
    invoke("train", "mlp", "--resume", trained_run, "--optimizer", "sgd")
    assert folder_state(trained_run) == before

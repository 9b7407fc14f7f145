"""``ivanet train unet`` and ``ivanet train conv_autoencoder`` end to end on tiny data."""
import csv
import json

import numpy as np
import pytest
from click.testing import CliRunner

from ivanet.cli.main import cli


def _npz(path, n=24, side=8):
    """Tiny ivanet .npz: 8×8 uint8 'digits' (a bright bar per class) of 3 classes."""
    rng = np.random.default_rng(0)
    arrays = {}
    for part in ("train", "dev", "test"):
        labels = rng.integers(0, 3, n)
        images = rng.integers(0, 30, (n, 1, side, side))
        for i, label in enumerate(labels):
            images[i, 0, 2 + label:5 + label, 1:7] = 255
        arrays[f"x_{part}"], arrays[f"y_{part}"] = images.astype(np.uint8), labels
    np.savez(path, **arrays)
    return path


def _config(path, lines):
    path.write_text("\n".join(['epochs = 1', 'batch_size = 4', 'progress = false',
                               'report = false', *lines]) + "\n")
    return path


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_train_unet_writes_run_folder_and_resumes(tmp_path):
    pytest.importorskip("skimage")
    data = _npz(tmp_path / "digits.npz")
    config = _config(tmp_path / "unet.toml", [
        'model_options = { width = 2 }',
        'data_options = { train_count = 8, dev_count = 4, test_count = 4, image_size = 16, '
        'item_size = [6, 10] }'])
    run = tmp_path / "run"
    result = _invoke("train", "unet", "--data", data, "--config", config, "--out", run)
    assert result.exit_code == 0, result.output
    for name in ("config.json", "metrics.csv", "results.json", "overlays.png",
                 "checkpoints/last.safetensors"):
        assert (run / name).is_file(), name
    test = json.loads((run / "results.json").read_text())["metrics"]["test"]
    assert len(test["per_class_iou"]) == 4 and 0 <= test["pixel_accuracy"] <= 1
    result = _invoke("train", "--resume", run, "--epochs", "2")
    assert result.exit_code == 0, result.output
    with open(run / "metrics.csv") as handle:
        assert [row["epoch"] for row in csv.DictReader(handle)] == ["1", "2"]


def test_train_unet_rejects_unknown_data_option(tmp_path):
    config = _config(tmp_path / "bad.toml", ['data_options = { train_cont = 8 }'])
    result = _invoke("train", "unet", "--data", _npz(tmp_path / "d.npz"), "--config", config,
                     "--out", tmp_path / "run")
    assert result.exit_code != 0
    assert "train_cont" in str(result.output) + str(result.exception)


def test_train_autoencoder_reports_three_mses(tmp_path):
    config = _config(tmp_path / "ae.toml", [
        'model_options = { width = 2, code_channels = 2 }',
        'data_options = { noise_std = 0.3, test_noise_std = 0.3 }'])
    run = tmp_path / "ae"
    result = _invoke("train", "conv_autoencoder", "--data", _npz(tmp_path / "d.npz"),
                     "--config", config, "--out", run)
    assert result.exit_code == 0, result.output
    test = json.loads((run / "results.json").read_text())["metrics"]["test"]
    for key in ("reconstruction_mse", "denoising_mse", "noisy_input_mse"):
        assert 0 <= test[key] <= 1
    assert (run / "autoencoder.png").is_file()

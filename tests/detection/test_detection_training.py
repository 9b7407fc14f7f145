"""``ivanet train yolo`` end to end on tiny composites, resume, and images with no objects."""
import json

import numpy as np
import pytest
from safetensors.numpy import load_file

from cli_helpers import invoke
from ivanet import Tensor
from ivanet.data.registry import load
from ivanet.detection import encode_batch, mean_average_precision, yolo_loss
from ivanet.training.detection import load_detector
from ivanet.training.detection_data import SceneLoader, SceneTargets, scene_options
from ivanet.training.errors import ConfigError

pytest.importorskip("skimage")
TINY = """epochs = {epochs}
batch_size = 4
schedule = "none"
monitor = "dev_map50"
progress = false

[model_options]
width = 2

[data_options]
per_epoch = 8
dev = 4
test = 4
image_size = 32
"""
ANCHORS = np.array([[8.0, 10.0], [12.0, 14.0]])


def _train(folder, epochs, *extra):
    config = folder / f"tiny-{epochs}.toml"
    config.write_text(TINY.format(epochs=epochs))
    return invoke("train", "yolo", "--config", config, *extra)


@pytest.fixture(scope="module")
def one_epoch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("yolo")
    result = _train(folder, 1, "--out", folder / "run")
    assert result.exit_code == 0, result.output
    return folder


def test_train_yolo_writes_a_detector_run(one_epoch):
    run = one_epoch / "run"
    for name in ("config.json", "detector.json", "metrics.csv", "results.json",
                 "checkpoints/last.safetensors", "predictions.npz", "detections.png"):
        assert (run / name).is_file(), name
    header = (run / "metrics.csv").read_text().splitlines()[0].split(",")
    assert {"train_loss", "dev_loss", "dev_map50"} <= set(header)
    results = json.loads((run / "results.json").read_text())
    assert results["status"] == "finished" and results["epochs_trained"] == 1
    assert {"map50", "map50_95", "ap50_per_class"} <= set(results["metrics"]["test"])
    detector = load_detector(run)
    assert detector.image_size == (32, 32) and detector.anchors.shape == (3, 2)


def test_resume_ends_with_the_weights_of_an_uninterrupted_run(one_epoch, tmp_path):
    import shutil

    resumed = tmp_path / "resumed"
    shutil.copytree(one_epoch / "run", resumed)
    result = invoke("train", "--resume", resumed, "--epochs", "2")
    assert result.exit_code == 0, result.output
    straight = _train(tmp_path, 2, "--out", tmp_path / "straight")
    assert straight.exit_code == 0, straight.output
    a = load_file(str(resumed / "checkpoints/last.safetensors"))
    b = load_file(str(tmp_path / "straight/checkpoints/last.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_scene_options_reject_unknown_keys_and_bad_sizes():
    with pytest.raises(ConfigError, match="per_epoch"):
        scene_options({"train_count": 10})
    with pytest.raises(ConfigError, match="multiple of 8"):
        scene_options({"image_size": 60})


def test_train_yolo_refuses_classification_augmentation(tmp_path):
    result = invoke("train", "yolo", "--epochs", "1", "--out", tmp_path / "run",
                    "--config", _write(tmp_path, 'augment = "flip"\n'))
    assert result.exit_code == 2 and "augment" in result.stderr


def _write(folder, text):
    path = folder / "extra.toml"
    path.write_text(text)
    return path


def test_scenes_without_objects_train_on_objectness_only():
    splits = load("mnist")
    options = scene_options({"per_epoch": 4, "image_size": 32, "max_objects": 0})
    loader = SceneLoader(splits, options, SceneTargets(ANCHORS, 32, 10), 4, seed=0)
    images, target = next(iter(loader))
    assert images.shape == (4, 1, 32, 32) and target.shape == (4, 4, 4, 2, 15)
    assert not target.any()
    raw = Tensor(np.random.default_rng(0).standard_normal((4, 30, 4, 4)), requires_grad=True)
    loss = yolo_loss(raw, target, ANCHORS, (32, 32), lambda_noobj=0.5)
    loss.backward()
    t0 = raw.data.reshape(4, 2, 15, 4, 4)[:, :, 0]
    expected = 0.5 * np.sum(np.logaddexp(0, t0)) / 4          # BCE(σ(t₀), 0) = softplus(t₀)
    assert np.isclose(loss.item(), expected)
    grad = raw.grad.reshape(4, 2, 15, 4, 4)
    assert not grad[:, :, 1:].any() and (grad[:, :, 0] > 0).all()  # only p_c, pushed down


def test_empty_images_in_map():
    a = np.array([[0.0, 0.0, 10.0, 10.0]])
    empty = (np.zeros((0, 4)), np.zeros(0, int))
    predictions = [(a, [0.9], [0])]
    targets = [(a, [0])]
    assert mean_average_precision(predictions, targets, 1)[0] == 1.0
    quiet = [(np.zeros((0, 4)), np.zeros(0), np.zeros(0, int))]
    assert mean_average_precision(predictions + quiet, targets + [empty], 1)[0] == 1.0
    ghost = [(a, [0.95], [0])]            # a detection on an empty image: a false positive
    value = mean_average_precision(predictions + ghost, targets + [empty], 1)[0]
    assert value == pytest.approx(0.5)
    target = encode_batch([np.zeros((0, 4))], [[]], (32, 32), 4, ANCHORS, 10)
    assert target.shape == (1, 4, 4, 2, 15) and not target.any()

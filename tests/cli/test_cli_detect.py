"""``ivanet detect RUN IMAGE`` on a detector trained for one tiny epoch; its errors."""
import numpy as np
import pytest
from PIL import Image

from cli_helpers import invoke
from ivanet.training.detection import load_detector, train_detector


@pytest.fixture(scope="module")
def detector_run(tmp_path_factory):
    pytest.importorskip("skimage")
    out = tmp_path_factory.mktemp("detector") / "run"
    train_detector(out, epochs=1, train_count=8, test_count=4, dev_count=4, batch_size=4,
                   width=2)
    return out


def test_detector_run_round_trip(detector_run):
    detector = load_detector(detector_run)
    assert detector.anchors.shape == (3, 2) and detector.image_size == (64, 64)
    assert {"map50", "map50_95", "seconds"} <= set(detector.info)
    [(boxes, scores, labels)] = detector.detect(np.zeros((1, 1, 64, 64), np.float32), 0.0)
    assert boxes.shape == (len(scores), 4) and len(labels) == len(scores)


def test_detect_writes_the_picture(detector_run, tmp_path):
    image = tmp_path / "scene.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64), np.uint8)).save(image)
    result = invoke("detect", detector_run, image, "--score-threshold", "0")
    assert result.exit_code == 0, result.output
    picture = Image.open(tmp_path / "scene-detections.png")
    assert picture.size == (256, 256) and picture.mode == "RGB"
    np.save(tmp_path / "scene.npy", np.zeros((1, 64, 64), np.float32))
    result = invoke("detect", detector_run, tmp_path / "scene.npy", "--out", tmp_path / "o.png")
    assert result.exit_code == 0 and (tmp_path / "o.png").is_file()


def test_detect_errors(detector_run, tmp_path):
    image = tmp_path / "odd.png"
    Image.fromarray(np.zeros((30, 64), np.uint8)).save(image)
    result = invoke("detect", detector_run, image)
    assert result.exit_code == 2 and "multiples of 8" in result.stderr
    result = invoke("detect", tmp_path, image)
    assert result.exit_code == 2 and "not a detector run" in result.stderr

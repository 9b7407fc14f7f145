"""The U-Net and Siamese training functions run end to end on tiny settings."""
import json

import numpy as np
import pytest

from ivanet.training.segmentation import train_unet
from ivanet.training.siamese import train_siamese


def test_train_unet_writes_results_and_overlays(tmp_path):
    pytest.importorskip("skimage")
    results = train_unet(tmp_path / "unet", epochs=1, train_count=8, test_count=4,
                         batch_size=4, width=2, log=lambda m: None)
    saved = json.loads((tmp_path / "unet" / "results.json").read_text())
    assert saved["mean_iou"] == pytest.approx(results["mean_iou"])
    assert 0 <= results["pixel_accuracy"] <= 1 and len(results["per_class_iou"]) == 11
    with np.load(tmp_path / "unet" / "examples.npz", allow_pickle=False) as examples:
        assert examples["truth"].shape == examples["predicted"].shape == (4, 32, 32)


def test_train_siamese_reports_one_shot_accuracies():
    model, results = train_siamese("mnist", seen=tuple(range(6)), steps=2, per_class=4,
                                   width=2, embedding=4, episodes=3, log=lambda m: None)
    assert results["unseen_classes"] == 4
    for key in ("siamese_4way_1shot", "pixels_4way_1shot", "siamese_4way_5shot"):
        assert 0 <= results[key] <= 1
    assert model(np.zeros((1, 1, 28, 28), np.float32)).shape == (1, 4)

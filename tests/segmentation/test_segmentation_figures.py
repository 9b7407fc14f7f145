"""The overlay and autoencoder pictures are written; a mask of the wrong size is refused."""
import numpy as np
import pytest

from ivanet.reports.segmentation import autoencoder_figure, mask_overlay, overlay_figure


def test_overlay_figure_and_mask_size_error(tmp_path):
    images = np.random.default_rng(0).uniform(0, 1, (3, 1, 8, 8)).astype(np.float32)
    truth = np.zeros((3, 8, 8), np.int64)
    truth[:, 2:5, 2:5] = [[[1]], [[4]], [[11]]]
    overlay_figure(images, truth, np.roll(truth, 1, axis=2), tmp_path / "overlay.png")
    assert (tmp_path / "overlay.png").stat().st_size > 0
    tinted = np.asarray(mask_overlay(images[0], truth[0], scale=1), np.float32)
    assert not np.allclose(tinted[3, 3], tinted[3, 3].mean())   # coloured, not grey
    with pytest.raises(ValueError, match="differ in size"):
        mask_overlay(images[0], truth[0, :4])


def test_autoencoder_figure(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 1, (2, 1, 8, 8))
    autoencoder_figure(images, images, rng.standard_normal((2, 3, 2, 2)), images, images,
                       tmp_path / "ae.png")
    assert (tmp_path / "ae.png").stat().st_size > 0

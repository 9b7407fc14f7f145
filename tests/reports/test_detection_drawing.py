"""Drawing detections: boxes land where they should, in the class colour; grids tile."""
import numpy as np

from ivanet.reports.detections import PALETTE, detection_grid, draw_detections, to_rgb


def test_box_outline_is_drawn_at_the_scaled_corners():
    image = np.zeros((1, 16, 16), np.float32)
    picture = draw_detections(image, [[4, 8, 12, 16]], [1], [0.9], ["a", "b"], scale=2)
    pixels = np.asarray(picture)
    assert picture.size == (32, 32)
    assert tuple(pixels[24, 8]) == PALETTE[1]            # left edge x = 4·2, mid-height
    assert tuple(pixels[24, 16]) == (0, 0, 0)            # inside stays the image


def test_to_rgb_and_grid():
    assert to_rgb(np.ones((5, 7))).size == (7, 5)
    assert to_rgb(np.zeros((3, 5, 7), np.float32)).size == (7, 5)
    grid = detection_grid([to_rgb(np.ones((4, 4)))] * 5, columns=2)
    assert grid.size == (8, 12)


def test_caption_is_written_inside_its_label_bar():
    image = np.zeros((1, 32, 32), np.float32)
    pixels = np.asarray(draw_detections(image, [[8, 16, 24, 30]], [0], [0.5], ["x"], 4))
    bar = pixels[16 * 4 - 14:16 * 4 - 2, 8 * 4:8 * 4 + 30]           # just above the box
    assert (bar == PALETTE[0]).all(axis=-1).mean() > 0.3              # the coloured bar
    assert (bar.sum(axis=-1) == 0).any()                              # black caption text

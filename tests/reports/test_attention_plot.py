"""The attention heat-map: one panel per example, shapes checked against the texts."""
import numpy as np
import pytest

from ivanet.reports.attention import plot_attention


def test_writes_a_figure_and_checks_shapes(tmp_path):
    weights = np.full((10, 11), 1 / 11)
    path = plot_attention([("9 mars 1987", "1987-03-09", weights)] * 3, tmp_path / "a.png")
    assert path.stat().st_size > 1000
    with pytest.raises(ValueError, match="do not match"):
        plot_attention([("9 mars", "1987-03-09", weights)], tmp_path / "b.png")
    with pytest.raises(ValueError, match="no panels"):
        plot_attention([], tmp_path / "c.png")

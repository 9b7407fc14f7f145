"""report.html as a browser shows it: headless Chromium, offline, DOM and screenshot."""
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

DEV_ORANGE = np.array([255, 127, 14])  # the dev curve in curves.png
RED = np.array([214, 39, 40])  # mistakes in sample_predictions.png


def _chromium(tmp_path: Path, page: Path, *arguments: str) -> str:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", *arguments, page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _count_near(pixels: np.ndarray, color: np.ndarray) -> int:
    return int(np.sum(np.abs(pixels - color).max(axis=-1) < 30))


def test_dom_holds_the_embedded_figures(written_run, tmp_path):
    dom = _chromium(tmp_path, written_run / "report.html", "--dump-dom")
    images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)"', dom)
    assert len(images) == 4
    assert any("Confusion matrix" in alt for alt in images)
    assert "high variance" in dom


def test_screenshot_shows_the_figures(written_run, tmp_path):
    shot = tmp_path / "report.png"
    _chromium(tmp_path, written_run / "report.html", f"--screenshot={shot}",
              "--window-size=1200,4000")
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int64)
    assert pixels.shape[:2] == (4000, 1200)
    figures = pixels[1000:]  # below the results and diagnosis tables
    assert np.mean(figures.min(axis=-1) < 230) > 0.05  # not blank
    assert _count_near(figures, DEV_ORANGE) > 200  # the curves image was decoded and drawn
    assert _count_near(figures, RED) > 300  # the sample grid with its red mistake frames

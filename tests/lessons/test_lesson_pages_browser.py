"""Lesson pages and the course index as headless Chromium shows them (offline)."""
import re
import subprocess
from pathlib import Path

import pytest

from ivanet.lessons.runner import run_all

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


def _dom(tmp_path: Path, page: Path) -> str:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}",
               "--dump-dom", page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_index_and_lesson_pages_render(tmp_path):
    course = run_all("smoke", tmp_path, names=["softmax", "activations"], echo=lambda _: None)
    index = _dom(tmp_path, course / "index.html")
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == ["lesson-activations/lesson.html", "lesson-softmax/lesson.html"]
    assert "Day 1" in index and "Day 2" in index
    page = _dom(tmp_path, course / "lesson-softmax" / "lesson.html")
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 1
    assert re.search(r'class="(not-)?shown"', page)
    assert "0.9025" in page  # softmax(5.1) in the results table

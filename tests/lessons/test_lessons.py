"""Every lesson in its smoke size: the files it writes, its findings, its reproducibility."""
import json
import re

import pytest

from ivanet.data import list_datasets
from ivanet.lessons.outcome import Outcome, pick
from ivanet.lessons.registry import LESSONS, get_lesson
from ivanet.lessons.runner import run_lesson

CACHED = {info.name for info in list_datasets() if info.cached}
NEEDS = {"neuron": "housing", "learning-rate": "housing", "normalization": "housing",
         "splits": "digits", "initialization": "digits", "random-search": "digits",
         "logistic-regression": "faces", "edge-detection": "faces",  # faces: scikit-image
         "embedding-analogies": "shakespeare",
         "pooling": "faces", "iou-nms": "faces", "unet-masks": "faces",  # scikit-image
         "residual": "fashion-mnist", "transfer": "fashion-mnist",
         "hidden-state": "shakespeare", "sampling": "shakespeare"}


def _needs_data(name: str) -> None:
    data = NEEDS.get(name)
    if data is not None and data not in CACHED:
        pytest.skip(f"lesson {name} needs `ivanet data fetch {data}`")


def _untimed(summary: dict) -> tuple:
    """Tables and findings without wall-clock measurements (columns or evidence in seconds)."""
    tables = [[{key: value for key, value in row.items() if "second" not in key}
               for row in table["rows"]] for table in summary["tables"]]
    # A verdict that rests on a timing (e.g. "runs faster") may flip on a busy machine.
    findings = [(f["claim"], None, "") if _timed(f["evidence"]) else
                (f["claim"], f["shown"], f["evidence"]) for f in summary["findings"]]
    return tables, findings


def _timed(evidence: str) -> bool:
    return " s " in evidence or " ms " in evidence


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_smoke_run_writes_its_files_and_is_reproducible(name, tmp_path):
    _needs_data(name)
    lines = []
    folder, summary = run_lesson(name, "smoke", folder=tmp_path / "first", echo=lines.append)
    assert (folder / "lesson.html").is_file() and (folder / "results.json").is_file()
    assert summary["figures"], "a lesson draws at least one figure"
    for figure, caption in summary["figures"]:
        assert (folder / figure).stat().st_size > 1000 and caption
    assert summary["findings"], "a lesson checks at least one claim"
    assert all(isinstance(finding["shown"], bool) for finding in summary["findings"])
    page = (folder / "lesson.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == len(summary["figures"])
    assert get_lesson(name).claim.split()[0] in page
    assert any(line.startswith(("[shown]", "[NOT shown]")) for line in lines)
    _, again = run_lesson(name, "smoke", folder=tmp_path / "second", echo=lambda line: None)
    assert _untimed(again) == _untimed(summary), "same seed, same numbers"
    assert json.loads((folder / "results.json").read_text())["name"] == name


def test_registry_lists_every_lesson_module():
    assert all(callable(lesson.run) for lesson in LESSONS.values())
    days = [lesson.day for lesson in LESSONS.values()]
    assert days == sorted(days) and set(days) >= {1, 2}


def test_sizes_are_checked():
    assert pick("smoke", 100, 2) == 2 and pick("full", 100, 2) == 100
    with pytest.raises(ValueError, match="full, smoke"):
        pick("huge", 1, 2)
    with pytest.raises(ValueError, match="unknown lesson 'nope'"):
        get_lesson("nope")
    assert Outcome().to_dict()["findings"] == []

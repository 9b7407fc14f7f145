"""report.html: self-contained, with the results, the diagnosis and the four figures."""
import base64
import json
import re

import numpy as np
import pytest
from PIL import Image

from ivanet.reports import ReportError, read_run, write_report
from ivanet.reports.html import render_html

from reports_helpers import make_run_folder

FIGURES = ["curves.png", "learning_rate.png", "confusion_matrix.png", "sample_predictions.png"]


def _data_uris(page: str) -> list[str]:
    return re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)


def test_report_embeds_every_figure(written_run):
    fake_run = written_run
    page = (fake_run / "report.html").read_text(encoding="utf-8")
    for name in FIGURES:
        assert (fake_run / name).is_file(), name
    uris = _data_uris(page)
    assert len(uris) == 4
    embedded = {base64.b64decode(uri) for uri in uris}
    assert embedded == {(fake_run / name).read_bytes() for name in FIGURES}


def test_report_has_no_external_resources(written_run):
    page = (written_run / "report.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(?!data:)', page)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "<script" not in page


def test_report_shows_results_config_and_diagnosis(written_run):
    page = (written_run / "report.html").read_text(encoding="utf-8")
    results = json.loads((written_run / "results.json").read_text())
    for split in ("train", "dev", "test"):
        accuracy = results["metrics"][split]["accuracy"]
        assert f"<th>{split}</th>" in page and f"{accuracy:.4f}" in page
    assert "<th>split</th><th>loss</th><th>accuracy</th><th>error</th>" in page
    assert '<th>test</th><td class="number">0.4500</td>' in page
    assert "high variance" in page
    for remedy in results["diagnosis"]["remedies"]:
        assert f"<li>{remedy}</li>" in page
    assert '<th>variance = dev − train</th><td class="number">11.00%</td>' in page
    assert "<th>model_options.hidden</th><td>[64, 32]</td>" in page
    assert "<th>optimizer</th><td>adam</td>" in page


def test_config_values_are_escaped(fake_run):
    config = json.loads((fake_run / "config.json").read_text())
    config["data"] = "<script>alert(1)</script>"
    (fake_run / "config.json").write_text(json.dumps(config))
    page = render_html(read_run(fake_run), figures=[])
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_report_of_an_unfinished_run(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, epochs=3, with_results=False)
    (run / "predictions.npz").unlink()
    page = write_report(run).read_text(encoding="utf-8")
    assert len(_data_uris(page)) == 2  # curves and learning rate only
    assert "No final results" in page and "No diagnosis" in page
    assert not (run / "confusion_matrix.png").exists()


def test_report_of_a_regression_run_skips_classification_figures(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, epochs=3)
    np.savez(run / "predictions.npz", y_true=rng.normal(size=(20, 1)),
             y_pred=rng.normal(size=(20, 1)))
    page = write_report(run).read_text(encoding="utf-8")
    assert len(_data_uris(page)) == 2


def test_report_rewrites_figures_of_a_later_epoch(fake_run, rng):
    (fake_run / "predictions.npz").unlink()
    assert write_report(fake_run) == fake_run / "report.html"
    before = Image.open(fake_run / "curves.png").copy()
    make_run_folder(fake_run, rng, epochs=20)
    (fake_run / "predictions.npz").unlink()
    write_report(fake_run)
    after = Image.open(fake_run / "curves.png")
    assert before.size == after.size
    assert np.any(np.asarray(before) != np.asarray(after))


def test_not_a_run_folder(tmp_path):
    with pytest.raises(ReportError, match="not a run folder"):
        write_report(tmp_path)
    assert not (tmp_path / "report.html").exists()

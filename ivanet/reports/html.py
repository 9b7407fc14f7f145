"""The self-contained HTML run report: results, diagnosis, figures and configuration."""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
from html import escape
from pathlib import Path

from ivanet.reports import plots
from ivanet.reports.runfolder import SPLITS, RunFiles, read_run
from ivanet.reports.template import REPORT_TEMPLATE

FIGURES = (  # file name, caption
    ("curves.png", "Loss and metrics per epoch on the train and dev sets."),
    ("learning_rate.png", "Learning rate used in each epoch."),
    ("confusion_matrix.png", "Confusion matrix on the test set (rows: true class)."),
    ("sample_predictions.png", "Test samples, the first mistakes (up to half of the grid) "
                               "then the first right answers, with their predicted class; "
                               "mistakes in red with the true class in brackets."),
)
DIAGNOSIS_ROWS = (  # results.json key, label
    ("human_error", "human error (≈ Bayes error)"), ("train_error", "train error"),
    ("dev_error", "dev error"), ("avoidable_bias", "avoidable bias = train − human"),
    ("variance", "variance = dev − train"), ("tolerance", "a gap is high above"),
)


def write_report(run_dir: str | Path) -> Path:
    """Draw the figures and write ``report.html`` into ``run_dir``; return the page's path.

    Reads only the run folder's files (see docs/run-folder.md); raises
    :class:`ivanet.reports.runfolder.ReportError` when they are missing or unreadable.
    """
    run = read_run(run_dir)
    figures = render_figures(run)
    page = run.run_dir / "report.html"
    partial = page.with_name(".report.html.tmp")
    partial.write_text(render_html(run, figures), encoding="utf-8")
    os.replace(partial, page)
    return page


def render_figures(run: RunFiles) -> list[tuple[Path, str]]:
    """Write the PNG figures the run's files allow; return (path, caption) pairs."""
    folder, predictions = run.run_dir, run.predictions
    captions = dict(FIGURES)
    drawn = [plots.plot_curves(run.history, folder / "curves.png"),
             plots.plot_learning_rate(run.history, folder / "learning_rate.png")]
    names = predictions.get("class_names")
    names = [str(name) for name in names] if names is not None else None
    if _is_classification(predictions, "y_true", "y_pred"):
        drawn.append(plots.plot_confusion_matrix(predictions["y_true"], predictions["y_pred"],
                                                 names, folder / "confusion_matrix.png"))
    if _is_classification(predictions, "sample_true", "sample_pred", "sample_inputs"):
        drawn.append(plots.plot_sample_predictions(
            predictions["sample_inputs"], predictions["sample_true"],
            predictions["sample_pred"], names, folder / "sample_predictions.png"))
    return [(path, captions[path.name]) for path in drawn if path is not None]


def render_html(run: RunFiles, figures: list[tuple[Path, str]]) -> str:
    """The report page as one string, images embedded as base64 data URIs."""
    results = run.results
    status = results.get("status", "no results.json yet (unfinished run?)")
    subtitle = f"{len(run.history)} epoch(s) recorded &middot; status: {escape(str(status))}"
    return REPORT_TEMPLATE.substitute(
        title=escape(run.title), subtitle=subtitle,
        results_table=results_table(run.split_metrics()),
        diagnosis=diagnosis_html(run.diagnosis),
        figures="\n".join(figure_html(path, caption) for path, caption in figures)
        or '<p class="empty">No figures: the run folder has no metrics or predictions.</p>',
        summary_table=key_value_table({k: v for k, v in results.items()
                                       if not isinstance(v, (dict, list))}),
        config_table=key_value_table(_flatten(run.config)),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        run_dir=escape(str(run.run_dir)))


def results_table(metrics: dict[str, dict[str, float]]) -> str:
    """Rows train/dev/test, one column per metric."""
    if not metrics:
        return '<p class="empty">No final results (results.json missing or empty).</p>'
    columns: list[str] = []
    for values in metrics.values():
        columns += [name for name in values if name not in columns]
    head = "".join(f"<th>{escape(name)}</th>" for name in columns)
    rows = [f"<tr><th>{split}</th>" + "".join(_cell(metrics[split].get(name)) for name in columns)
            + "</tr>" for split in SPLITS if split in metrics]
    return f"<table>\n<tr><th>split</th>{head}</tr>\n" + "\n".join(rows) + "\n</table>"


def diagnosis_html(diagnosis: dict) -> str:
    """The verdict, the error rates and gaps behind it (in %) and the remedies to try."""
    if not diagnosis:
        return '<p class="empty">No diagnosis in results.json.</p>'
    verdict = str(diagnosis.get("verdict", "unknown"))
    good = any(word in verdict.lower() for word in ("good", "low bias and low variance"))
    values = {key: value for key, value in diagnosis.items()
              if isinstance(value, (int, float)) and not isinstance(value, bool)}
    if "avoidable_bias" not in values and {"human_error", "train_error"} <= values.keys():
        values["avoidable_bias"] = values["train_error"] - values["human_error"]
    if "variance" not in values and {"train_error", "dev_error"} <= values.keys():
        values["variance"] = values["dev_error"] - values["train_error"]
    rows = "\n".join(f'<tr><th>{label}</th><td class="number">{values[key]:.2%}</td></tr>'
                     for key, label in DIAGNOSIS_ROWS if key in values)
    remedies = "".join(f"<li>{escape(str(remedy))}</li>"
                       for remedy in diagnosis.get("remedies") or [])
    return (f'<p class="verdict {"good" if good else "bad"}">{escape(verdict)}</p>\n'
            + (f"<table>\n{rows}\n</table>\n" if rows else "")
            + (f"<p>Remedies to try:</p>\n<ul>{remedies}</ul>" if remedies else ""))


def figure_html(path: Path, caption: str) -> str:
    """An <img> whose source is the PNG itself, base64-encoded."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def key_value_table(values: dict) -> str:
    """A two-column table; an empty dict gives a short note instead."""
    if not values:
        return '<p class="empty">Nothing recorded.</p>'
    rows = "\n".join(f"<tr><th>{escape(str(key))}</th>{_cell(value)}</tr>"
                     for key, value in values.items())
    return f"<table>\n{rows}\n</table>"


def _cell(value) -> str:
    if isinstance(value, bool) or value is None:
        return f"<td>{'' if value is None else value}</td>"
    if isinstance(value, float):
        text = f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.4g}"
        return f'<td class="number">{text}</td>'
    if isinstance(value, int):
        return f'<td class="number">{value}</td>'
    if not isinstance(value, str):
        value = json.dumps(value)
    return f"<td>{escape(value)}</td>"


def _flatten(values: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in values.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _is_classification(predictions: dict, *keys: str) -> bool:
    if not all(key in predictions for key in keys):
        return False
    return all(predictions[key].ndim == 1 and predictions[key].dtype.kind in "iu"
               for key in keys if key != "sample_inputs")

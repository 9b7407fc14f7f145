"""Learning curves of the text-task runs (sentiment, POS, NER) for
``docs/results.md, "Text tasks"``: train and dev accuracy per epoch, one panel a run.

    python experiments/text_tasks_figures.py runs/results/sentiment_rnn-sentiment-reviews \
        runs/results/pos_tagger-pos-oanc-features runs/results/ner_tagger-ner-templates
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from ivanet.reports.lessons_plots import plot_panels

OUT = Path("docs/images/text-tasks-curves.png")


def panel(run_dir: Path) -> dict:
    """Train and dev accuracy (token accuracy for taggers) of one run, per epoch."""
    rows = list(csv.DictReader((run_dir / "metrics.csv").open()))
    metric = "accuracy" if "train_accuracy" in rows[0] else "token_accuracy"
    epochs = [int(row["epoch"]) for row in rows]
    series = [(f"{part} {metric.replace('_', ' ')}", epochs,
               [100 * float(row[f"{part}_{metric}"]) for row in rows], "-o")
              for part in ("train", "dev")]
    return {"title": run_dir.name, "xlabel": "epoch", "ylabel": "%", "series": series}


if __name__ == "__main__":
    print(plot_panels([panel(Path(arg)) for arg in sys.argv[1:]], OUT))

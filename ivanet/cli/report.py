"""``ivanet report RUN``: re-render a run folder's figures and report.html."""
from __future__ import annotations

from pathlib import Path

import click

from ivanet.cli.common import RUN_FOLDER


@click.command()
@click.argument("run", type=RUN_FOLDER)
def report(run: Path) -> None:
    """Draw the figures of run folder RUN and write RUN/report.html.

    The page is self-contained (images embedded), so it can be mailed or archived alone.
    It reads only the run folder's files: config.json, metrics.jsonl/.csv, results.json
    and predictions.npz; a run still in progress gets a report of the epochs so far.
    """
    from ivanet.reports import write_report

    click.echo(f"report: {write_report(run)}")

"""``ivanet evaluate RUN``: a trained run's metrics on its data set (or another)."""
from __future__ import annotations

from pathlib import Path

import click

from ivanet.cli.common import RUN_FOLDER, echo_table

SPLITS = ("train", "dev", "test")


@click.command(context_settings={"show_default": True})
@click.argument("run", type=RUN_FOLDER)
@click.option("--split", type=click.Choice([*SPLITS, "all"]), default="test",
              help="Which part of the data set to evaluate on.")
@click.option("--data", metavar="NAME|PATH",
              help="Evaluate on another data set with the same input shape and classes.  "
                   "[default: the run's own]")
@click.option("--batch-size", type=click.IntRange(min=1), default=256)
@click.option("--tta", type=click.Choice(["none", "flip"]), default="none",
              help="Test-time augmentation for image classifiers: 'flip' averages the class "
                   "probabilities of each image and its left-right mirror.")
def evaluate(run: Path, split: str, data: str | None, batch_size: int, tta: str) -> None:
    """Report the loss, metrics and error of run RUN's trained model.

    The weights are the ones results.json was computed with (the best dev epoch's after
    early stopping, else the last). Inputs are standardised with the training set's
    statistics saved in the checkpoint.
    """
    from ivanet.data import DataError
    from ivanet.training.loading import evaluate_run

    splits = SPLITS if split == "all" else (split,)
    metrics = {}
    for name in splits:
        try:
            metrics[name] = evaluate_run(run, data=data, split=name, batch_size=batch_size,
                                         tta=tta)
        except DataError:
            if split == "all" and name == "dev":
                continue  # a .npz file without x_dev, y_dev
            raise
    names = list(next(iter(metrics.values())))
    echo_table(["split", *names], [[name, *(values[key] for key in names)]
                                   for name, values in metrics.items()])

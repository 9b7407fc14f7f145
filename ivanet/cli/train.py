"""``ivanet train MODEL``: one training run into a new run folder."""
from __future__ import annotations

from pathlib import Path

import click

from ivanet.cli.common import RUN_FOLDER, build_config

TOML_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(context_settings={"show_default": True})
@click.argument("model", required=False)
@click.option("--data", metavar="NAME|PATH",
              help="A data set name (see 'ivanet data list') or a .npz file with x_train, "
                   "y_train, [x_dev, y_dev,] x_test, y_test.  [default: mnist]")
@click.option("--epochs", type=click.IntRange(min=1), help="Passes over the training set.")
@click.option("--batch-size", type=click.IntRange(min=1), help="Examples per gradient step.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), help="Learning rate α.")
@click.option("--optimizer", metavar="NAME",
              help="sgd, momentum, adam, adamw or rmsprop.  [default: adam]")
@click.option("--seed", type=click.IntRange(min=0),
              help="Seed of every random choice: initial weights, shuffling, dropout.")
@click.option("--config", "config_file", type=TOML_FILE, metavar="FILE.toml",
              help="A TOML file of TrainConfig keys; command-line options override it.")
@click.option("--out", type=click.Path(path_type=Path), metavar="DIR",
              help="The run folder to create (must not exist or be empty).  "
                   "[default: runs/MODEL-YYYYmmdd-HHMMSS]")
@click.option("--resume", type=RUN_FOLDER, metavar="RUN",
              help="Continue the run in folder RUN from its last checkpoint "
                   "(use --epochs to train it longer).")
def train(model: str | None, data: str | None, epochs: int | None, batch_size: int | None,
          lr: float | None, optimizer: str | None, seed: int | None, config_file: Path | None,
          out: Path | None, resume: Path | None) -> None:
    """Train MODEL (see 'ivanet models') and write a run folder.

    The configuration is TrainConfig's defaults, then FILE.toml's keys, then the options
    given here. The run folder gets config.json, metrics.csv/.jsonl, checkpoints/,
    results.json (train/dev/test metrics and the bias/variance diagnosis),
    predictions.npz and report.html.

    \b
    Examples:
      ivanet train mlp --epochs 5
      ivanet train lenet --data fashion_mnist --lr 3e-3 --batch-size 64
      ivanet train mlp --data my_data.npz --config settings.toml --out runs/first
      ivanet train --resume runs/first --epochs 20
    """
    if model is None and resume is None:
        raise click.UsageError("give a MODEL to train ('ivanet models' lists them) or "
                               "--resume RUN")
    if model is not None:
        from ivanet.models.registry import model_options

        model_options(model)  # an unknown name fails here, listing the known ones
    if resume is not None and out is not None:
        raise click.UsageError("--out and --resume exclude each other: a resumed run "
                               "continues in its own folder")
    config = build_config(model, config_file, {
        "data": data, "epochs": epochs, "batch_size": batch_size, "lr": lr,
        "optimizer": optimizer, "seed": seed, "out": None if out is None else str(out)},
        resume=resume)
    from ivanet.training.run import train_run

    run_dir = train_run(config, resume=resume)
    report = run_dir / "report.html"
    if report.is_file():
        click.echo(f"report: {report}")

"""``ivanet tune MODEL``: search hyperparameters with short training runs (Optuna)."""
from __future__ import annotations

from pathlib import Path

import click

from ivanet.cli.common import build_config, echo_table
from ivanet.cli.train import TOML_FILE

DEFAULT_EPOCHS = 3


@click.command(context_settings={"show_default": True})
@click.argument("model")
@click.option("--trials", type=click.IntRange(min=1), required=True,
              help="Trials to run now (a study that already exists gets this many more).")
@click.option("--sampler", type=click.Choice(["random", "tpe"]), default="tpe",
              help="random: independent draws; tpe: Optuna's Tree-structured Parzen "
                   "Estimator, which samples more where earlier trials scored well.")
@click.option("--storage", metavar="URL",
              help="Optuna storage URL, e.g. postgresql://user@host/db, so that several "
                   "machines share one study.  [default: sqlite:///<tune folder>/study.db]")
@click.option("--study-name", metavar="NAME", help="[default: tune-MODEL]")
@click.option("--data", metavar="NAME|PATH", help="Data set name or .npz file.  [default: mnist]")
@click.option("--epochs", type=click.IntRange(min=1),
              help="Epochs per trial.  [default: 3, or the TOML file's epochs]")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the trials and the sampler.")
@click.option("--config", "config_file", type=TOML_FILE, metavar="FILE.toml",
              help="TrainConfig keys the trials start from (the search overrides lr, "
                   "batch_size and the model's dropout and hidden width).")
@click.option("--out", type=click.Path(path_type=Path), metavar="DIR",
              help="The tune folder.  [default: runs/tune-MODEL-YYYYmmdd-HHMMSS]")
def tune(model: str, trials: int, sampler: str, storage: str | None, study_name: str | None,
         data: str | None, epochs: int | None, seed: int | None, config_file: Path | None,
         out: Path | None) -> None:
    """Search MODEL's hyperparameters with short training runs.

    Sampled: the learning rate (log-uniform, 1e-4 to 1e-1), the batch size (16 to 256,
    powers of 2), and dropout and hidden width where MODEL has them.

    Each trial is a short training run (--epochs) scored by its dev error (1 − accuracy,
    or 1 − R² for regression). The tune folder gets study.db, trials/, results.csv,
    results.md (best first), tune.json and score_vs_lr.png.

    \b
    Examples:
      ivanet tune mlp --trials 20 --epochs 2
      ivanet tune lenet --trials 50 --sampler random --data fashion_mnist
      ivanet tune mlp --trials 10 --storage postgresql://me@db/ivanet --study-name mlp-1
    """
    from ivanet.models.registry import model_options

    model_options(model)  # an unknown name fails here, listing the known ones
    config = build_config(model, config_file, {"data": data, "epochs": epochs, "seed": seed})
    if epochs is None and config_file is None:
        config = config.replace(epochs=DEFAULT_EPOCHS)
    import optuna

    from ivanet.reports import write_tune_plot
    from ivanet.training.tune import tune as run_search

    optuna.logging.set_verbosity(optuna.logging.WARNING)  # one line per trial comes from here

    result = run_search(config, trials, sampler=sampler, storage=storage,
                        study_name=study_name, out=out, on_trial=_echo_trial)
    plot = write_tune_plot(result.tune_dir)
    best = result.best
    if best:
        click.echo(f"best: trial {best['trial']}, {result.score_name} {best['score']:.4f}")
        echo_table(["hyperparameter", "value"],
                   [[name, value] for name, value in best["params"].items()], numbers=".4g")
    click.echo(f"tune folder: {result.tune_dir} (results.md"
               f"{', ' + plot.name if plot is not None else ''})")


def _echo_trial(trial) -> None:
    params = ", ".join(f"{key}={value:.3g}" if isinstance(value, float) else f"{key}={value}"
                       for key, value in trial.params.items())
    score = f"{trial.value:.4f}" if trial.value is not None else trial.state.name.lower()
    click.echo(f"trial {trial.number}: {score}  ({params})")

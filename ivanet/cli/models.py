"""``ivanet models``: the model zoo with parameter counts."""
from __future__ import annotations

import click

from ivanet.cli.common import echo_table


@click.command()
@click.option("--options", "show_options", is_flag=True,
              help="Also list each model's options and their defaults.")
def models(show_options: bool) -> None:
    """List the models 'ivanet train MODEL' can build.

    Parameter counts are for the default options (MNIST-sized input, 10 classes); a run
    sizes the input and output layers to its data set.
    """
    from ivanet.models.registry import list_models

    rows = list_models()
    echo_table(["model", "parameters", "description"],
               [[row.name, row.parameters, row.description] for row in rows])
    if show_options:
        for row in rows:
            options = ", ".join(f"{key}={value!r}" for key, value in row.options.items())
            click.echo(f"\n{row.name}: {options}")

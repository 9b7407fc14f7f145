"""``ivanet data list`` and ``ivanet data fetch NAME``: the data sets ivanet knows."""
from __future__ import annotations

import click

from ivanet.cli.common import echo_table


@click.group()
def data() -> None:
    """List the known data sets, or download one into the local cache.

    Training never downloads: 'ivanet data fetch NAME' is the one step that does. Your own
    data works too: pass a .npz file to 'ivanet train --data FILE.npz'.
    """


@data.command("list")
@click.option("-v", "--verbose", is_flag=True, help="Also show source, licence and location.")
def list_command(verbose: bool) -> None:
    """Show each data set and whether it is on disk (ready to train on offline)."""
    from ivanet.data import list_datasets

    infos = list_datasets()
    echo_table(["name", "on disk", "description"],
               [[info.name, "yes" if info.cached else "no", info.description] for info in infos])
    if verbose:
        for info in infos:
            click.echo(f"\n{info.name}\n  source:   {info.source}\n  licence:  {info.licence}"
                       f"\n  location: {info.location}")


@data.command()
@click.argument("name")
def fetch(name: str) -> None:
    """Download data set NAME into the cache and check its checksums."""
    from ivanet.data import fetch as fetch_data

    folder = fetch_data(name)
    click.echo(f"{name}: ready in {folder}")

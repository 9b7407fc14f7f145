"""The ``ivanet`` command: a click group with one module per subcommand.

User mistakes (an unknown model, a missing file, a bad option value, a corrupted
checkpoint...) print one line ``error: ...`` on stderr and exit with status 2; anything
else is a bug in ivanet and keeps its traceback.
"""
from __future__ import annotations

import sys

import click

from ivanet import __version__
from ivanet.cli import (data, evaluate, gradcheck, lesson, models, predict, report, train,
                        tune)
from ivanet.cli.common import is_user_error
from ivanet.cli import detect  # noqa: I001  (the detector's command)
from ivanet.cli import generate  # noqa: I001  (text from a character language model)

EXIT_USER_ERROR, EXIT_INTERRUPTED = 2, 130


class IvanetGroup(click.Group):
    """A click group that turns user errors into one line and exit status 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help())
            status = 0
        except click.ClickException as error:
            status = _one_line_error(_click_message(error))
        except click.Abort:
            status = _one_line_error("interrupted", EXIT_INTERRUPTED)
        except Exception as error:  # noqa: BLE001 - user errors in one line, bugs re-raised
            if not is_user_error(error):
                raise
            status = _one_line_error(str(error))
        status = status if isinstance(status, int) else 0
        if not standalone_mode:
            return status
        sys.exit(status)


@click.group("ivanet", cls=IvanetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ivanet",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """ivanet: train, evaluate and inspect the IVA course's NumPy neural networks.

    \b
    Typical session:
      ivanet models                      the model zoo with parameter counts
      ivanet data list                   the data sets and whether they are on disk
      ivanet train mlp --epochs 5        train; writes runs/mlp-<date>-<time>/
      ivanet evaluate runs/mlp-...       loss, accuracy and error on the test set
      ivanet predict runs/mlp-... 7.png  classify an image (or a .npy array)
      ivanet tune mlp --trials 20        search learning rate, batch size, dropout, width

    Run 'ivanet COMMAND --help' for a command's options.
    """


for command in (train.train, evaluate.evaluate, predict.predict, models.models, data.data,
                report.report, gradcheck.gradcheck, tune.tune, lesson.lesson):
    cli.add_command(command)
cli.add_command(detect.detect)
cli.add_command(generate.generate)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ivanet`` script and of ``python -m ivanet``."""
    cli.main(args=argv, prog_name="ivanet")


def _click_message(error: click.ClickException) -> str:
    message = error.format_message().replace("\n", " ").strip()
    context = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and context is not None:
        message += f" (see '{context.command_path} --help')"
    return message


def _one_line_error(message: str, status: int = EXIT_USER_ERROR) -> int:
    first = " ".join(message.split()) or "unknown error"
    click.echo(f"error: {first}", err=True)
    return status

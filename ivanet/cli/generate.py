"""``ivanet generate RUN --prompt TEXT``: text written by a trained character model."""
from __future__ import annotations

from pathlib import Path

import click

from ivanet.cli.common import RUN_FOLDER


@click.command(context_settings={"show_default": True})
@click.argument("run", type=RUN_FOLDER)
@click.option("--prompt", required=True, help="The text to continue.")
@click.option("--temperature", type=click.FloatRange(min=0), default=0.8,
              help="Sampling temperature: 0 picks the most likely character, 1 samples the "
                   "model's distribution, higher is wilder.")
@click.option("--length", type=click.IntRange(min=1), default=300,
              help="Characters to generate after the prompt.")
@click.option("--top-k", type=click.IntRange(min=1), default=None,
              help="Sample only among the K most likely characters.")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Seed of the sampling, for a repeatable text.")
def generate(run: Path, prompt: str, temperature: float, length: int, top_k: int | None,
             seed: int | None) -> None:
    """Continue PROMPT with the character language model of run folder RUN.

    Prints the prompt followed by LENGTH generated characters.

    \b
    Examples:
      ivanet generate runs/char_lstm-... --prompt "ROMEO." --temperature 0.5
      ivanet generate runs/char_lstm-... --prompt "To be" --top-k 5 --seed 1
    """
    from ivanet.training.generation import generate_text

    text = generate_text(run, prompt, length, temperature, top_k, seed)
    click.echo(prompt + text)

"""``ivanet lesson``: the course's experiments, one per slide claim, run on real data."""
from __future__ import annotations

from pathlib import Path

import click


@click.group()
def lesson() -> None:
    """List and run the course's lessons (an experiment, its table, figures, a page).

    \b
      ivanet lesson list                  the lessons by course day
      ivanet lesson run learning-rate     one lesson; writes runs/lesson-<name>-<time>/
      ivanet lesson run --all             every lesson and an index page
    """


@lesson.command("list")
def list_lessons() -> None:
    """The lessons by course day, with the slide claim each one checks."""
    from ivanet.lessons.registry import LESSONS

    day = None
    for item in LESSONS.values():
        if item.day != day:
            day = item.day
            click.echo(f"Day {day}")
        click.echo(f"  {item.name:<22} {item.title}")
        click.echo(f"  {'':<22} claim: {item.claim}")


@lesson.command("run")
@click.argument("names", nargs=-1)
@click.option("--all", "run_every", is_flag=True, help="Run every lesson; write an index page.")
@click.option("--size", type=click.Choice(["full", "smoke"]), default="full", show_default=True,
              help="'smoke' runs a tiny version in seconds (for testing).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of every lesson.")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), default="runs",
              show_default=True, help="Folder that receives the run folders.")
def run(names: tuple[str, ...], run_every: bool, size: str, seed: int, runs_dir: Path) -> None:
    """Run lesson NAME (or several, or --all): print its table, write figures and a page."""
    from ivanet.lessons.registry import LESSONS
    from ivanet.lessons.runner import run_all, run_lesson

    unknown = [name for name in names if name not in LESSONS]
    if unknown:
        raise click.BadParameter(f"unknown lesson {unknown[0]!r}; see 'ivanet lesson list'",
                                 param_hint="NAME")
    if run_every == bool(names):
        raise click.UsageError("give a lesson NAME or --all (not both)")
    if run_every or len(names) > 1:
        run_all(size, runs_dir, seed, echo=click.echo, names=names or None)
    else:
        run_lesson(names[0], size, runs_dir, seed, echo=click.echo)

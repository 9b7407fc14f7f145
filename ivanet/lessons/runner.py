"""Running lessons: a fresh run folder, the lesson's experiment, its table, its page.

    runs/lesson-<name>-<YYYYmmdd-HHMMSS>/   results.json, *.png, lesson.html
    runs/course-<YYYYmmdd-HHMMSS>/           index.html and one lesson-<name>/ per lesson
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ivanet.lessons.outcome import Outcome, Table, check_size
from ivanet.lessons.registry import LESSONS, Lesson, get_lesson
from ivanet.reports.lessons_page import write_index_page, write_lesson_page
from ivanet.training.folder import new_folder

Echo = Callable[[str], None]


def run_lesson(name: str, size: str = "full", runs_dir: str | Path = "runs", seed: int = 0,
               echo: Echo = print, folder: Path | None = None) -> tuple[Path, dict]:
    """Run lesson ``name`` into a new folder; print its tables; return (folder, summary)."""
    lesson, size = get_lesson(name), check_size(size)
    if folder is None:
        folder = new_folder(Path(runs_dir) / f"lesson-{name}-{time.strftime('%Y%m%d-%H%M%S')}")
    else:
        folder.mkdir(parents=True, exist_ok=False)
    echo(f"lesson {lesson.name} (day {lesson.day}): {lesson.title}")
    started = time.perf_counter()
    outcome: Outcome = lesson.run(folder, size=size, seed=seed)
    seconds = time.perf_counter() - started
    summary = {"name": lesson.name, "day": lesson.day, "title": lesson.title,
               "claim": lesson.claim, "size": size, "seed": seed,
               "seconds": round(seconds, 2), **outcome.to_dict()}
    (folder / "results.json").write_text(json.dumps(summary, indent=2, default=float),
                                         encoding="utf-8")
    write_lesson_page(folder, summary)
    for table in outcome.tables:
        echo(format_table(table))
    for finding in outcome.findings:
        echo(f"[{'shown' if finding.shown else 'NOT shown'}] {finding.claim}  "
             f"({finding.evidence})")
    echo(f"{seconds:.1f} s; page: {folder / 'lesson.html'}")
    return folder, summary


def run_all(size: str = "full", runs_dir: str | Path = "runs", seed: int = 0,
            echo: Echo = print, names: Iterable[str] | None = None) -> Path:
    """Run every lesson (or ``names``) into one course folder with an index page."""
    lessons: list[Lesson] = [get_lesson(n) for n in names] if names else list(LESSONS.values())
    course = new_folder(Path(runs_dir) / f"course-{time.strftime('%Y%m%d-%H%M%S')}")
    summaries = []
    for lesson in lessons:
        _, summary = run_lesson(lesson.name, size, seed=seed, echo=echo,
                                folder=course / f"lesson-{lesson.name}")
        summaries.append({**summary, "page": f"lesson-{lesson.name}/lesson.html"})
        echo("")
    page = write_index_page(course, summaries)
    echo(f"index: {page}")
    return course


def format_table(table: Table) -> str:
    """The table as aligned plain text for the terminal."""
    if not table.rows:
        return f"{table.title}: (no rows)"
    columns = list(table.rows[0])
    cells = [[_text(row.get(column)) for column in columns] for row in table.rows]
    widths = [max(len(column), *(len(row[i]) for row in cells))
              for i, column in enumerate(columns)]
    line = "  ".join(column.ljust(width) for column, width in zip(columns, widths))
    body = ["  ".join(cell.rjust(width) if _numeric(cell) else cell.ljust(width)
                     for cell, width in zip(row, widths)) for row in cells]
    return "\n".join([table.title, line, "-" * len(line), *body])


def _text(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.3g}"
    return str(value)


def _numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False

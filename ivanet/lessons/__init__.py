"""The runnable course: one experiment per slide claim (``ivanet lesson``).

    from ivanet.lessons import LESSONS, run_lesson
    folder, summary = run_lesson("learning-rate", size="smoke")

Each lesson is a short module (``day1_neuron.py``, ...) with ``run(folder, size, seed)``
that uses only the public library and returns an ``Outcome``: tables, figures and the
slide claims it checked, each with a verdict computed from the numbers.
"""
from ivanet.lessons.outcome import Finding, Outcome, Table
from ivanet.lessons.registry import LESSONS, Lesson, get_lesson
from ivanet.lessons.runner import run_all, run_lesson

__all__ = ["LESSONS", "Lesson", "get_lesson", "run_lesson", "run_all", "Outcome", "Table",
           "Finding"]

"""What a lesson hands back: its tables, its figures and its findings (claim vs numbers)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SIZES = ("full", "smoke")


@dataclass
class Table:
    """A titled table: ``rows`` are dicts with the same keys (the columns, in order)."""

    title: str
    rows: list[dict]


@dataclass
class Finding:
    """One slide claim checked against the run's numbers.

    ``shown`` is computed from the numbers by the lesson, never written by hand;
    ``evidence`` gives the numbers that decided it.
    """

    claim: str
    shown: bool
    evidence: str

    def __post_init__(self) -> None:
        self.shown = bool(self.shown)  # numpy comparisons give np.bool_


@dataclass
class Outcome:
    """A lesson's results: tables, figures as (file name, caption), findings, notes."""

    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-able values, as written to the lesson's ``results.json``."""
        return asdict(self)


def check_size(size: str) -> str:
    """``size`` if it is "full" or "smoke", else a ValueError in the user's terms."""
    if size not in SIZES:
        raise ValueError(f"lesson size must be one of {', '.join(SIZES)}, got {size!r}")
    return size


def pick(size: str, full, smoke):
    """``full`` for a full-size run, ``smoke`` for the quick test size."""
    return full if check_size(size) == "full" else smoke

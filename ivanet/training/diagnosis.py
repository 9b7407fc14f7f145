"""Bias / variance diagnosis from train and dev error (Day 2, "Bias / variance").

The course's table, with human (≈ Bayes) error near 0:

    train error   1%              15%         15%                           0.5%
    dev error     11%             16%         30%                           1%
    verdict       high variance   high bias   high bias and high variance   good fit

Two gaps decide it:

    avoidable bias = train error − human error   (how far training is from the best possible)
    variance       = dev error − train error     (how much worse on examples not trained on)

A gap counts as *high* when it exceeds ``tolerance`` (default 2 percentage points). The
table itself brackets the line: a 1-point gap is low (columns 1 and 2) and a 10-point gap
is high. Two points is about two standard errors of an error rate near 10% measured on
1,000 dev examples (√(0.1·0.9/1000) ≈ 0.95%), so a smaller gap is within the noise of
measuring it. Given ``dev_size``, the tolerance widens to two standard errors of the
measured dev error when that is larger (a 100-example dev set cannot show a 2-point gap).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

DEFAULT_TOLERANCE = 0.02

BIAS_REMEDIES = (
    "bigger network (more layers or more units per layer)",
    "train longer (more epochs, or a better optimizer such as Adam)",
    "another architecture (e.g. a CNN for images)",
)
VARIANCE_REMEDIES = (
    "more training data",
    "regularisation: L2 weight decay, dropout, data augmentation",
    "early stopping (keep the weights of the best dev epoch)",
)

VERDICTS = ("good fit", "high bias", "high variance", "high bias and high variance")


@dataclass(frozen=True)
class Diagnosis:
    """The verdict, the numbers behind it and what to try next (errors as fractions)."""

    verdict: str
    train_error: float
    dev_error: float
    human_error: float
    avoidable_bias: float
    variance: float
    tolerance: float
    remedies: list[str] = field(default_factory=list)

    @property
    def high_bias(self) -> bool:
        return self.avoidable_bias > self.tolerance

    @property
    def high_variance(self) -> bool:
        return self.variance > self.tolerance

    def to_dict(self) -> dict:
        """Plain JSON-able values, as stored in ``results.json``."""
        return asdict(self)

    def __str__(self) -> str:
        lines = [f"diagnosis: {self.verdict} (train error {self.train_error:.2%}, "
                 f"dev error {self.dev_error:.2%}, human error {self.human_error:.2%}; "
                 f"avoidable bias {self.avoidable_bias:+.2%}, variance {self.variance:+.2%}, "
                 f"tolerance {self.tolerance:.2%})"]
        lines += [f"  try: {remedy}" for remedy in self.remedies]
        return "\n".join(lines)


def _error(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"diagnose: {name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"diagnose: {name} must be a finite error rate >= 0, got {value}")
    return value


def diagnose(train_error: float, dev_error: float, human_error: float | None = None,
             tolerance: float = DEFAULT_TOLERANCE, dev_size: int | None = None) -> Diagnosis:
    """Classify a run as in the course's table from its error rates (fractions: 0.11 = 11%).

    ``human_error`` (a proxy for the Bayes error) defaults to 0. ``dev_size`` (examples in
    the dev set) widens ``tolerance`` to two standard errors of ``dev_error`` if larger.
    """
    train_error, dev_error = _error("train_error", train_error), _error("dev_error", dev_error)
    human_error = 0.0 if human_error is None else _error("human_error", human_error)
    tolerance = _error("tolerance", tolerance)
    if dev_size is not None and dev_size > 0:
        standard_error = math.sqrt(min(dev_error, 1.0) * (1 - min(dev_error, 1.0)) / dev_size)
        tolerance = max(tolerance, 2 * standard_error)
    avoidable_bias = train_error - human_error
    variance = dev_error - train_error
    high_bias, high_variance = avoidable_bias > tolerance, variance > tolerance
    verdict = VERDICTS[int(high_bias) + 2 * int(high_variance)]
    remedies = (list(BIAS_REMEDIES) if high_bias else []) + (
        list(VARIANCE_REMEDIES) if high_variance else [])
    return Diagnosis(verdict, train_error, dev_error, human_error, avoidable_bias, variance,
                     tolerance, remedies)

"""Errors the user can fix (bad configuration, broken checkpoint, diverged training).

The CLI prints a ``UserError`` as one line and exits with status 2; anything else is a bug
and keeps its traceback. Data problems raise ``ivanet.data.DataError`` (its own family).
"""
from __future__ import annotations


class UserError(Exception):
    """A problem in what the user asked for, explained in one line in the user's terms."""


class ConfigError(UserError, ValueError):
    """A configuration key that is unknown, of the wrong type or out of range."""


class CheckpointError(UserError):
    """A checkpoint that is missing, truncated, corrupted or belongs to another model."""


class RunFolderError(UserError):
    """A run folder that cannot be created, or is not a run folder."""


class TrainingError(UserError):
    """Training cannot go on (the loss became NaN or infinite)."""


class DependencyError(UserError, ImportError):
    """An optional package that a requested feature needs is not installed."""

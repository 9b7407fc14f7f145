"""Differentiable math, one module per family; each op is a ``Function`` plus a function."""
from ivanet.ops import arithmetic, linalg  # noqa: F401

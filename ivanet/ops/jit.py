"""numba, when installed (else None), for the few fused loops NumPy cannot express in one pass.

Kernels written with it keep a NumPy fallback that gives the same numbers, so numba is an
optional speed-up, never a requirement.
"""
from __future__ import annotations

try:
    import numba
except ImportError:                      # optional dependency
    numba = None

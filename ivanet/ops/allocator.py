"""Keep freed memory in the process: large temporaries without page faults (glibc only).

A conv net allocates many-megabyte temporaries (im2col matrices, feature maps, gradients)
in every step. glibc serves each from a fresh ``mmap`` and unmaps it on free, so every step
pays page faults and the kernel's zeroing of those pages again — measured here at about
half of a LeNet-5 training step. Raising the mmap and trim thresholds makes ``malloc``
reuse the freed heap instead, the way PyTorch's caching allocator reuses its blocks: the
process keeps its peak memory, and steps run at the speed of the arithmetic.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_done = False


def retain_freed_memory(limit_bytes: int = 1 << 30) -> bool:
    """Serve allocations up to ``limit_bytes`` from the reusable heap; True if applied.

    Does nothing (returns False) off Linux/glibc, or when the environment variable
    ``IVANET_MALLOC_TUNING=0`` is set. Idempotent.
    """
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux") or os.environ.get("IVANET_MALLOC_TUNING") == "0":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):            # musl and other libcs have no mallopt
        return False
    _done = bool(mallopt(_M_MMAP_THRESHOLD, int(limit_bytes))) and bool(
        mallopt(_M_TRIM_THRESHOLD, 2 * int(limit_bytes)))
    return _done

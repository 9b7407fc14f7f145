"""Shared test setup: one BLAS/torch thread (the machine has two cores), hypothesis profile."""
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

# Every test folder is a package (tests.ops.test_conv), so equal file names in two folders
# cannot clash; the folders' helper modules (op_checks, nn_helpers, ...) are imported by
# plain name, so their folders go on the path.
for _folder in sorted(Path(__file__).resolve().parent.iterdir()):
    if _folder.is_dir() and _folder.name != "__pycache__":
        sys.path.insert(0, str(_folder))

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ivanet", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ivanet")

try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:  # the oracle is optional: parity tests skip without it
    torch = None


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh seeded generator per test."""
    return np.random.default_rng(1234)

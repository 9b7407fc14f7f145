"""Fixtures of the report tests: a fake run folder (see reports_helpers.py)."""
from pathlib import Path

import numpy as np
import pytest

from reports_helpers import make_run_folder


@pytest.fixture
def fake_run(tmp_path, rng) -> Path:
    """A finished classification run of 12 epochs with 85 % test accuracy."""
    return make_run_folder(tmp_path / "mlp-20250101-120000", rng)


@pytest.fixture(scope="session")
def written_run(tmp_path_factory) -> Path:
    """A fake run whose report was written once (for tests that only read it)."""
    from ivanet.reports import write_report

    run = make_run_folder(tmp_path_factory.mktemp("written") / "mlp-run",
                          np.random.default_rng(1234))
    write_report(run)
    return run

"""Fixtures of the CLI tests: a tiny data set and one run trained on it by the CLI."""
from pathlib import Path

import pytest

from cli_helpers import invoke, write_npz


@pytest.fixture(scope="session")
def tiny_npz(tmp_path_factory) -> Path:
    return write_npz(tmp_path_factory.mktemp("data") / "lines.npz")


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, tiny_npz) -> Path:
    """``ivanet train mlp --epochs 1`` on the line images (a small mlp via a TOML file)."""
    folder = tmp_path_factory.mktemp("runs")
    config = folder / "small.toml"
    config.write_text('batch_size = 16\nlr = 0.01\nprogress = false\n\n'
                      '[model_options]\nhidden = [32]\ndropout = 0.0\n')
    result = invoke("train", "mlp", "--data", tiny_npz, "--epochs", "1", "--config", config,
                    "--out", folder / "run")
    assert result.exit_code == 0, result.output + result.stderr
    return folder / "run"

"""--help of every command, --version, and ``python -m ivanet``."""
import subprocess
import sys

import pytest

from ivanet import __version__

from cli_helpers import invoke

COMMANDS = {  # command → words its help must contain
    (): ["train", "evaluate", "predict", "models", "data", "report", "gradcheck", "tune"],
    ("train",): ["MODEL", "--data", "--epochs", "--batch-size", "--lr", "--optimizer",
                 "--seed", "--config", "--out", "--resume", "TOML"],
    ("evaluate",): ["RUN", "--split", "--data"],
    ("predict",): ["RUN", "INPUT", ".npy", "--top", "--invert"],
    ("models",): ["arameter", "--options"],
    ("data",): ["list", "fetch"],
    ("data", "list"): ["on disk", "--verbose"],
    ("data", "fetch"): ["NAME", "cache"],
    ("report",): ["RUN", "report.html"],
    ("gradcheck",): ["MODEL", "finite differences", "--batch-size", "--tol", "status 1"],
    ("tune",): ["MODEL", "--trials", "--storage", "--study-name", "--sampler", "random",
                "tpe", "log-uniform", "postgresql://"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=lambda c: " ".join(c) or "ivanet")
def test_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("Usage: ")
    for word in COMMANDS[command]:
        assert word in result.output, f"{word!r} missing from 'ivanet {' '.join(command)} --help'"


def test_short_help_option_and_no_arguments():
    assert invoke("train", "-h").output == invoke("train", "--help").output
    bare = invoke()
    assert bare.exit_code == 0 and "Commands:" in bare.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"ivanet {__version__}"


def test_python_dash_m_ivanet():
    done = subprocess.run([sys.executable, "-m", "ivanet", "--version"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == f"ivanet {__version__}"

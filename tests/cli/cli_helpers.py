"""Tiny data for the CLI tests: 8×8 line images of 3 classes in an ivanet .npz file."""
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result

from ivanet.cli.main import cli

CLASS_LINES = ("horizontal", "vertical", "diagonal")


def line_images(n: int, rng: np.random.Generator, side: int = 8):
    """(n, 1, side, side) uint8 images over noise: a horizontal line (class 0), a vertical
    line (1) or the diagonal (2), at a random row/column."""
    labels = rng.integers(0, 3, n)
    images = rng.integers(0, 50, (n, 1, side, side))
    where = rng.integers(1, side - 1, n)
    everywhere = np.arange(side)
    for i, (label, k) in enumerate(zip(labels, where)):
        line = ((np.full(side, k), everywhere) if label == 0 else
                (everywhere, np.full(side, k)) if label == 1 else (everywhere, everywhere))
        images[i, 0][line] += 200
    return images.astype(np.uint8), labels.astype(np.int64)


def write_npz(path: Path, seed: int = 0, n_train: int = 480, n_eval: int = 60) -> Path:
    rng = np.random.default_rng(seed)
    arrays = {}
    for part, n in (("train", n_train), ("dev", n_eval), ("test", n_eval)):
        arrays[f"x_{part}"], arrays[f"y_{part}"] = line_images(n, rng)
    np.savez(path, **arrays)
    return path


def invoke(*args: str) -> Result:
    """``ivanet ARGS`` in-process, stdout and stderr captured separately."""
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (recursively) with its content, to prove it untouched."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}

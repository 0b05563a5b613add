"""Derived data kept on disk between processes, so that a new process (each `relazione ask`)
does not rebuild what an earlier one already built from the same store: the scored year view
with its facts, and the catalog of names the question parser reads.

An entry is valid for one *slot* (what it is about: an Ente, a year, a policy) at one
*version* (the Ente's generation token in the store, which every write to that Ente replaces
with a fresh random token, plus a fingerprint of this code and of the Python and pydantic
that pickled it). Writing an entry removes the slot's entries of other versions, so the
directory holds one file per slot. A file that cannot be read back (truncated, corrupt,
written by other code) is removed and counts as a miss; a directory that cannot be written
only costs the rebuild. The files are pickles the app writes into its own data directory
and reads back from there only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from .launch import collector_paused

_PACKAGES = ("assistant", "ingest")


@cache
def code_fingerprint() -> str:
    """Changes when a module of the app changes (size or modification time), or the Python or
    pydantic under it: an upgrade never reads entries pickled by the code before it."""
    import pydantic

    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    root = Path(__file__).resolve().parents[1]
    sources = sorted(
        os.path.join(folder, name)
        for package in _PACKAGES
        for folder, _, files in os.walk(root / package)
        for name in files
        if name.endswith(".py")
    )
    for source in sources:
        stat = os.stat(source)
        digest.update(f"{source}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _hash(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


class DiskCache:
    """Pickled values under `directory` (None: a cache that keeps nothing)."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def _path(self, kind: str, slot: tuple, version: tuple) -> tuple[Path, str]:
        assert self.directory is not None
        stem = f"{kind}-{_hash(slot)}"
        return self.directory / f"{stem}-{_hash((version, code_fingerprint()))}.pickle", stem

    def get(self, kind: str, slot: tuple, version: tuple) -> Any | None:
        """The value stored for `slot` at `version`, or None."""
        if self.directory is None:
            return None
        path, _ = self._path(kind, slot, version)
        try:
            # tens of thousands of containers, none garbage: not walked by collections meanwhile
            with open(path, "rb") as f, collector_paused():
                stored_key, value = pickle.load(f)
        except OSError:  # absent, or no directory to read
            return None
        except Exception:  # any damage (truncated, corrupt, classes gone): a miss, and the file goes
            _remove(path)
            return None
        if stored_key != (kind, slot, version, code_fingerprint()):
            _remove(path)
            return None
        return value

    def put(self, kind: str, slot: tuple, version: tuple, value: Any) -> None:
        """Store `value` for `slot` at `version` (written whole, then renamed into place), and
        remove the slot's entries of other versions."""
        if self.directory is None:
            return
        path, stem = self._path(kind, slot, version)
        tmp: Path | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.directory, suffix=".tmp", delete=False) as f:
                tmp = Path(f.name)
                pickle.dump(((kind, slot, version, code_fingerprint()), value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except Exception:  # a read-only data dir, a full disk, a value that cannot be pickled: nothing kept
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            return
        for old in self.directory.glob(f"{stem}-*.pickle"):
            if old != path:
                _remove(old)

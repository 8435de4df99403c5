"""Writing outputs: atomically, so that a failed build never truncates or destroys a file."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Readers see either the old file or the complete new one, never a part; if anything
    fails (disk full, interruption) the old file is left as it was.
    """
    _write_then(path, data, os.replace)


def write_all(files: dict[Path, bytes]) -> None:
    """Write several files as one: every one to a temporary file first, then all renamed into place.

    If any write fails (a full disk), no file is replaced: the earlier outputs all stay as they were.
    """
    written: dict[Path, str] = {}
    try:
        for path, data in files.items():
            written[path] = _temporary(path, data)
        for path, temporary in written.items():
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise BuildError(f"{path}: cannot write: {error.strerror}") from None
    finally:
        for temporary in written.values():  # whatever was not renamed into place
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet: complete or not at all, and never over another file."""
    try:
        _write_then(path, data, os.link)  # a link fails, rather than replaces, if the file appeared meanwhile
    except FileExistsError:
        raise BuildError(f"{path} already exists: it was left as it is") from None


def _write_then(path: Path, data: bytes, publish: Callable[[str, Path], None]) -> None:
    """Write ``data`` to a temporary file beside ``path``, then ``publish(temporary, path)``."""
    temporary = _temporary(path, data)
    try:
        publish(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        raise BuildError(f"{path}: cannot write: {error.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


STALE_TEMPORARY_SECONDS = 600
"""A temporary file this old was left by a build that was killed (builds stop after 120 s by default)."""


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of ``path`` left behind by a build killed while writing."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                leftover.unlink()


def _temporary(path: Path, data: bytes) -> str:
    """``data`` in a complete, synced temporary file beside ``path`` (hidden, so never taken for an output)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        return temporary
    except OSError as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise BuildError(f"{path}: cannot write: {error.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

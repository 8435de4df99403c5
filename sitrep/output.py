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


def write_all(files: dict[Path, bytes], announce: Callable[[list[tuple[Path, int]]], None] | None = None) -> None:
    """Write several files as one: every one to a temporary file first, then all renamed into place.

    If a write fails (a full disk), no file is replaced: the earlier outputs all stay as they were. A rename
    that fails once others are done (a rare failure of the folder itself) is an error that names the files
    already replaced and those left as they were. ``announce``, if given, is told each file and the inode
    of its new content just before the renames begin: whoever watches the build can then tell, should it be
    killed among them, exactly which files were replaced (a replaced file has its new inode).
    """
    written: dict[Path, str] = {}
    try:
        for path, data in files.items():
            written[path] = _temporary(path, data)
        if announce is not None:
            announce([(path, os.stat(temporary).st_ino) for path, temporary in written.items()])
        replaced: list[Path] = []
        for path, temporary in written.items():
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise BuildError(
                    f"{path}: cannot write: {error.strerror}; {replacement_note(replaced, list(files))}"
                ) from None
            replaced.append(path)
    finally:
        for temporary in written.values():  # whatever was not renamed into place
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def replacement_note(replaced: list[Path], planned: list[Path]) -> str:
    """What a build stopped among its renames leaves: which outputs are new and which are as they were."""
    kept = [path for path in planned if path not in replaced]
    if not replaced:
        return "its earlier outputs are untouched"
    if not kept:
        return "all its outputs were replaced by the new ones"
    return (
        f"it had replaced {_listed(replaced)} with the new version, and left {_listed(kept)} as they were "
        "(build it again to bring them all up to date)"
    )


def _listed(paths: list[Path]) -> str:
    return ", ".join(str(path) for path in paths)


def refuse_targets(targets: list[Path], source: Path | None) -> None:
    """Refuse, before anything is written, outputs that would overwrite the input file ``source`` or that
    no file can be written to (a symbolic link on the way that leads round in a loop)."""
    for target in targets:
        try:
            real = target.resolve()
        except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 says so of a loop
            raise BuildError(
                f"{target}: cannot write: a symbolic link on the way to it leads round in a loop; remove the link "
                "or choose another output folder with -o"
            ) from None
        if source is not None and real == source.resolve():
            raise BuildError(f"{target} is the input file itself: choose another output folder with -o")


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
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path.name), suffix=".tmp")
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


def temporary_prefix(name: str, pid: int | None = None) -> str:
    """How the temporary files of the output ``name`` that process ``pid`` (this one by default) writes begin:
    hidden, so never taken for an output, and marked with the process, so that the files of a process that
    was killed can be found and removed."""
    return f".{name}.{os.getpid() if pid is None else pid}-"


def remove_temporaries(folder: Path, pid: int) -> None:
    """The temporary files process ``pid`` (now dead) left in ``folder``."""
    for leftover in folder.glob(f".*.{pid}-*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

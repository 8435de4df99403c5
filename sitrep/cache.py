"""The user's cache of what sitrep compiles, so that a new process does not compile it again.

Jinja turns each template into Python code, which costs more than a Markdown build's own work: the code
of every template a build compiles is kept (``sitrep.render.TemplateCache``) and read back by the next
process. A language catalog (``.po``) is compiled to gettext's ``.mo`` form once, and the month names
the checks look for are read from Babel's locale data once (``kept``). The folder is ``$SITREP_CACHE``
if set, else ``sitrep`` in the user's cache folder (``$XDG_CACHE_HOME``, by default ``~/.cache``: sitrep
runs on Linux, where the XDG base directories are the standard). Emptying it (`sitrep cache --clear`) is
always safe: it fills again as things are compiled.

An entry is used only if it was made from the same text (Jinja keeps a checksum of a template; any other
entry is named by the hash of what it was made from) by the same Jinja, Babel and Python, and for a
template, by an environment set up the same way (``sitrep.render.fingerprint``): an edited template or
catalog, or an upgrade, never runs stale code or words. Entries are written to a temporary file and
renamed, so that processes writing at once never read half an entry. A folder that cannot be written
(read-only, full) or a damaged entry costs only the compiling, never the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import BuildError
from .output import write_atomic


def folder() -> Path:
    """The cache folder: ``$SITREP_CACHE``, else ``$XDG_CACHE_HOME/sitrep``, else ``~/.cache/sitrep``."""
    if os.environ.get("SITREP_CACHE"):
        return Path(os.environ["SITREP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "sitrep"


T = TypeVar("T")

KINDS = ("templates", "catalogs", "dates")
"""The cache folder's own folders, one per kind of thing compiled: all that `clear` removes."""


def entries() -> list[Path]:
    """Every file the cache holds."""
    return sorted(path for kind in KINDS for path in (folder() / kind).rglob("*") if path.is_file())


def clear() -> None:
    """Remove every entry of the cache (only the folders sitrep made in it, whatever else the folder holds)."""
    for kind in KINDS:
        shutil.rmtree(folder() / kind, ignore_errors=True)
    with contextlib.suppress(OSError):  # left in place if it holds anything else
        folder().rmdir()


def kept(kind: str, source: bytes, compile: Callable[[bytes], bytes], read: Callable[[bytes], T], *, version: str) -> T:
    """``read`` of what ``compile`` makes of ``source``: kept in the ``kind`` folder of the cache, so that the
    next process reads it instead of compiling the same bytes with the same ``version`` of the compiler again.
    An entry ``read`` refuses (ValueError: damaged) is made again."""
    key = hashlib.sha256(b"\0".join((version.encode("utf-8"), sys.implementation.cache_tag.encode(), source)))
    path = folder() / kind / key.hexdigest()[:32]
    with contextlib.suppress(OSError, ValueError):
        return read(path.read_bytes())
    made = compile(source)
    with contextlib.suppress(OSError, BuildError):  # a folder that cannot be written: the build goes on, uncached
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, made)
    return read(made)

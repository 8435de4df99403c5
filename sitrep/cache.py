"""The user's cache of compiled templates and catalogs, so that a new process does not compile them again.

Jinja turns each template into Python code, which costs more than a Markdown build's own work; the code
of every template a build compiles is kept in the cache folder and read back by the next process. A
catalog (``.po``) is compiled to gettext's ``.mo`` form the same way, once. The folder is
``$SITREP_CACHE`` if set, else ``sitrep`` in the user's cache folder (``$XDG_CACHE_HOME``, by default
``~/.cache``: sitrep runs on Linux, where the XDG base directories are the standard). It holds nothing
else; deleting it (`sitrep cache --clear`) is always safe, and it fills again as things are compiled.

An entry is used only if it was compiled from the same text (Jinja keeps a checksum of a template; a
catalog's entry is named by the hash of its ``.po`` file), by the same Jinja and Python, for an
environment set up the same way (``fingerprint``): an edited template or catalog, or an upgrade, never
runs stale code or words. Entries are written to a temporary file and renamed, so that processes writing
at once never read half an entry. A folder that cannot be written (read-only, full) or a damaged entry
costs only the compiling, never the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


def folder() -> Path:
    """The cache folder: ``$SITREP_CACHE``, else ``$XDG_CACHE_HOME/sitrep``, else ``~/.cache/sitrep``."""
    if os.environ.get("SITREP_CACHE"):
        return Path(os.environ["SITREP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "sitrep"


T = TypeVar("T")

KINDS = ("templates", "catalogs")
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
    with contextlib.suppress(OSError):  # a folder that cannot be written: the build goes on, uncached
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as temporary:
            temporary.write(made)
        try:
            os.replace(temporary.name, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary.name)
    return read(made)


def fingerprint(environment: jinja2.Environment) -> str:
    """What the code Jinja compiles depends on besides a template's text: Jinja's and Python's versions and
    the environment's settings (delimiters, whitespace, autoescaping, finalize, extensions, filters, sandbox),
    as a short hash."""
    settings = sorted((k, v) for k, v in vars(environment).items() if isinstance(v, str | bool | int | None))
    parts = (
        jinja2.__version__,
        sys.implementation.cache_tag,
        type(environment).__qualname__,
        environment.undefined.__qualname__,
        getattr(environment.finalize, "__qualname__", None),
        sorted(environment.extensions),
        sorted(environment.filters),
        sorted(environment.tests),
        settings,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates on disk, in a folder of its own for one environment's
    ``fingerprint``, made (for this user only) when first written to."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(str(folder() / "templates" / fingerprint(environment)), "%s.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (a full disk, a crash while copying the folder): compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a folder that cannot be written: the build goes on, uncached
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)

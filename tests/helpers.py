"""Helpers several test modules share (tests/ is on the import path when pytest runs them)."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sitrep.load import load_bytes
from sitrep.model import Report, parse_report


def report_from(text: str) -> Report:
    """A validated Report from YAML text (dedented), through the real loader and model."""
    return parse_report(load_bytes(textwrap.dedent(text).encode("utf-8"), "test.yaml"))


DEADLINE_S = 5.0
"""How long a test waits for a background loop (watch, serve) to do what it expects."""


def wait_until(condition: Callable[[], bool], what: str, lines: list[str]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {DEADLINE_S} s; echoed so far:\n" + "\n".join(lines))
        time.sleep(0.01)


def replace_once(path: Path, old: str, new: str) -> str:
    """Edit ``path`` in place, as most editors save; return the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def located(text: str, needle: str) -> str:
    """``LINE:COL`` of the one occurrence of ``needle`` in ``text``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} not found")

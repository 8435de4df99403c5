"""Helpers several test modules share (tests/ is on the import path when pytest runs them)."""

from __future__ import annotations

import textwrap

from sitrep.load import load_bytes
from sitrep.model import Report, parse_report


def report_from(text: str) -> Report:
    """A validated Report from YAML text (dedented), through the real loader and model."""
    return parse_report(load_bytes(textwrap.dedent(text).encode("utf-8"), "test.yaml"))

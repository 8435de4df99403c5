"""The corpus of hand-editing mistakes: tests/data/mistakes/base.yaml, a valid report, and
tests/data/mistakes/mistakes.yaml, for each mistake the edits that make it in that report and the exact
problem lines `sitrep validate` must print for the result.

Used by tests/test_mistakes.py (the messages) and tests/editor_cases.py (the editor sees a mistake too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent / "data" / "mistakes"
BASE = FOLDER / "base.yaml"
CORPUS = FOLDER / "mistakes.yaml"


class EditMissed(Exception):
    """An edit of the corpus does not find its text exactly once."""


@dataclass(frozen=True)
class Mistake:
    name: str
    what: str
    """The mistake, in words."""
    edits: tuple[tuple[str, str], ...]
    """(find, replace) pairs, applied in order to the base report."""
    expected: tuple[str, ...]
    """The problem lines of `sitrep validate`, each after the file's name (``LINE:COL: field: message``)."""

    def text(self, base: str) -> str:
        """``base`` with this mistake made in it."""
        for number, (find, replace) in enumerate(self.edits, start=1):
            found = base.count(find)
            if found != 1:
                raise EditMissed(
                    f"{CORPUS.name}: {self.name}, edit {number}: {find!r} is in the report {found} times, not once: "
                    f"make `find` match the text of {BASE.name} as the edits before it leave it"
                )
            base = base.replace(find, replace)
        return base


def mistakes() -> list[Mistake]:
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [
        Mistake(
            name,
            case["mistake"],
            tuple((edit["find"], edit["replace"]) for edit in case["edits"]),
            tuple(case["expected"]),
        )
        for name, case in corpus.items()
    ]

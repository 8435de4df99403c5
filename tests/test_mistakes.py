"""A corpus of real hand-editing mistakes: each file is the example report with one mistake in it.

Every `tests/data/mistakes/NN-name.yaml` starts with a comment saying what the mistake is; its
`NN-name.expected` holds the exact problem lines `sitrep validate` must print for it: one line per
problem, naming the line where the analyst made the mistake, the field, and what to write instead.
Warnings (`: warning:`) and the summary line are not compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main

ROOT = Path(__file__).resolve().parents[1]
MISTAKES = ROOT / "tests" / "data" / "mistakes"
CASES = sorted(MISTAKES.glob("*.yaml"))
PROBLEM_LINE = re.compile(r"^tests/data/mistakes/[^:]+\.yaml:\d+:\d+:")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2: stderr is always separate


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if PROBLEM_LINE.match(line) and ": warning:" not in line]


@pytest.mark.parametrize("path", CASES, ids=[path.name for path in CASES])
def test_mistake_is_reported_where_it_was_made(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT).as_posix()
    result = _runner().invoke(main, ["validate", relative])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert _problem_lines(result.stderr) == expected


def test_every_case_says_what_the_mistake_is() -> None:
    for path in CASES:
        assert path.read_text(encoding="utf-8").startswith("# "), path.name
        assert path.with_suffix(".expected").is_file(), path.name


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25

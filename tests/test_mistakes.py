"""A corpus of real hand-editing mistakes (tests/mistakes.py): each is a valid report with one mistake made in
it by a few edits, and the exact problem lines `sitrep validate` must print for it: one line per problem,
naming the line where the analyst made the mistake, the field, and what to write instead. Warnings
(`: warning:`) and the summary line are not compared.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from mistakes import BASE, CORPUS, FOLDER, EditMissed, Mistake, mistakes

from sitrep.build import check_file
from sitrep.cli import main
from sitrep.errors import InputError

MISTAKES = mistakes()
PROBLEM_LINE = re.compile(r"^[^:]+\.yaml:\d+:\d+:")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2: stderr is always separate


def _validate(name: str, text: str, folder, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(folder)
    (folder / name).write_text(text, encoding="utf-8")
    return _runner().invoke(main, ["validate", name])


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if PROBLEM_LINE.match(line) and ": warning:" not in line]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[mistake.name for mistake in MISTAKES])
def test_mistake_is_reported_where_it_was_made(mistake: Mistake, tmp_path, monkeypatch) -> None:
    name = f"{mistake.name}.yaml"
    result = _validate(name, mistake.text(BASE.read_text(encoding="utf-8")), tmp_path, monkeypatch)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert _problem_lines(result.stderr) == [f"{name}:{line}" for line in mistake.expected]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[mistake.name for mistake in MISTAKES])
def test_every_message_of_a_mistake_is_one_line(mistake: Mistake, tmp_path) -> None:
    """Its errors and warnings as `sitrep validate` finds them, before the terminal sees them (which would show a
    line break inside a message as an escape): a message built from a docstring or an example that runs over
    several lines would break the one-line ``file:line:col: field: message`` form."""
    path = tmp_path / f"{mistake.name}.yaml"
    path.write_text(mistake.text(BASE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_file(path)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert problem.message.splitlines() == [problem.message], problem
        assert problem.field.splitlines() in ([problem.field], []), problem


def test_the_report_the_mistakes_are_made_in_has_none(tmp_path, monkeypatch) -> None:
    """So that every problem a case prints comes from its edits."""
    result = _validate("base.yaml", BASE.read_text(encoding="utf-8"), tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output


def test_an_edit_that_no_longer_finds_its_text_says_which_and_where() -> None:
    mistake = Mistake("99-example", "an example", (("value: 745", "value: 746"), ("gone", "")), ("1:1: x",))
    assert mistake.text("a\nvalue: 745\nb gone\n") == "a\nvalue: 746\nb \n"
    with pytest.raises(EditMissed) as missed:
        mistake.text("value: 745\nvalue: 745\n")
    assert str(missed.value) == (
        "mistakes.yaml: 99-example, edit 1: 'value: 745' is in the report 2 times, not once: make `find` match "
        "the text of base.yaml as the edits before it leave it"
    )
    with pytest.raises(EditMissed, match=r"edit 2: 'gone' is in the report 0 times"):
        mistake.text("value: 745\n")


def test_every_case_says_what_the_mistake_is_and_what_it_prints() -> None:
    assert len(MISTAKES) >= 25
    for mistake in MISTAKES:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", mistake.name), mistake.name
        assert mistake.what and mistake.edits and mistake.expected, mistake.name


def test_the_corpus_folder_holds_only_the_base_and_the_edits() -> None:
    """A mistake written as a whole file beside them would never be tested: it goes into mistakes.yaml."""
    assert sorted(path.name for path in FOLDER.iterdir()) == sorted([BASE.name, CORPUS.name])

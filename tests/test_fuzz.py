"""Property-based tests: whatever the input file holds, `sitrep build` ends in a report or in located errors.

Two sources of input: arbitrary text and bytes, and the example files with the mistakes hand
editing makes (a line deleted, duplicated, swapped or re-indented, characters typed at random, a
value replaced, the file cut short). Every build must either succeed (exit 0) or report errors
that each name `path:line:col:` (exit 1); never a traceback, and never a partial output: after a
failed build the output folder is exactly as it was, after a successful one it holds the complete
new files (the same bytes a second build writes) and the earlier files of other reports.

Markdown output only, so that each build takes milliseconds; derandomized, so CI is stable.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.cli import main

pytestmark = pytest.mark.slow  # generated and mutated inputs, thousands of builds

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "inputs").glob("*.yaml"))}
FIRST = "syria-coast-2025-03.yaml"  # the edition the second one names in `previous:`

LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in 1 file$")

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder (hidden temporary files included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


class Workspace:
    """The examples side by side, their Markdown built once, and a folder per step of a case."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.case = root / "case"
        self.out = root / "out"
        self.again = root / "again"
        self.case.mkdir()
        for name, text in EXAMPLES.items():
            (self.case / name).write_text(text, encoding="utf-8")
        for boundaries in (ROOT / "inputs").glob("*.geojson"):  # the areas the examples' maps name
            shutil.copy(boundaries, self.case)
        result = CliRunner().invoke(main, ["build", str(self.case), "-o", str(root / "baseline"), "-f", "md"])
        assert result.exit_code == 0, result.output
        self.baseline = snapshot(root / "baseline")
        assert {f"{Path(name).stem}.md" for name in EXAMPLES} <= set(self.baseline)

    def check(self, name: str, data: bytes) -> None:
        """Build ``data`` as ``case/name`` over the earlier outputs and check what the build did."""
        for other, text in EXAMPLES.items():  # the unmutated editions, for `previous:`
            (self.case / other).write_text(text, encoding="utf-8")
        path = self.case / name
        path.write_bytes(data)
        shutil.rmtree(self.out, ignore_errors=True)
        self.out.mkdir()
        for output, content in self.baseline.items():
            (self.out / output).write_bytes(content)

        result = CliRunner().invoke(main, ["build", str(path), "-o", str(self.out), "-f", "md"])

        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        lines = result.stderr.splitlines()
        assert lines and SUMMARY.fullmatch(lines[-1]), result.stderr
        for line in lines[:-1]:
            assert LOCATED.match(line), f"not located: {line!r}"
        outputs = snapshot(self.out)
        if result.exit_code == 1:
            assert outputs == self.baseline, "a failed build changed the output folder"
            return
        shutil.rmtree(self.again, ignore_errors=True)
        second = CliRunner().invoke(main, ["build", str(path), "-o", str(self.again), "-f", "md"])
        assert second.exit_code == 0, second.output
        written = snapshot(self.again)
        assert f"{path.stem}.md" in written
        assert outputs == {**self.baseline, **written}, "the output folder holds something a build did not write"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz"))


# ---------------------------------------------------------------------------
# Arbitrary input

YAML_ALPHABET = st.sampled_from(
    list("abc019 :-[]{}#&*!|>'\"%@`,?\t\n\r\\~.") + ["\u00e9", "\u0627", "\ufeff", "\u200b", "\x00", "\x85"]
)

arbitrary = st.one_of(
    st.binary(max_size=2_000),
    st.text(max_size=2_000).map(lambda text: text.encode("utf-8")),
    st.text(YAML_ALPHABET, max_size=400).map(lambda text: text.encode("utf-8")),
)


@FUZZ
@given(data=arbitrary)
def test_arbitrary_input_ends_in_a_report_or_located_errors(workspace, data):
    workspace.check(FIRST, data)


# ---------------------------------------------------------------------------
# The mistakes of hand editing, made to the example files

TOKENS = [
    "NO",
    "yes",
    "on",
    "~",
    "null",
    "''",
    '""',
    "1:20",
    "012",
    "1e3",
    "0x1F",
    ".inf",
    "-5",
    "1.068",
    "1,0",
    "9999999999999999999999999",
    "08/03/2025",
    "2025-02-30",
    "2025-03-09 18:00",
    "[]",
    "{}",
    "[a, b",
    "{a: 1",
    "&anchor x",
    "*alias",
    "!!str x",
    "!!python/object/apply:os.system [true]",
    "|",
    ">-",
    "- item",
    "? key",
    "'open quote",
    '"open quote',
    "\u201ccurly\u201d",
    "javascript:alert(1)",
    "<script>x</script>",
    "{{ 7*7 }}",
    "a: b",
    "#",
    "\u200b",
    "TODO",
    "sohr",
    "killed-total",
    "latakia",
    "745-1,068",
    "at least 5",
    "\ufffe",
    '"\\uFFFF"',
    "killed \u2066745\u2069 to 1,068",
    '"https://example.org/\\u202e"',
    "1" + "0" * 309,
    "9" * 4400,
    "[x](javascript&#58;alert(1))",
    "![x](https://example.org/x.png)",
    "=HYPERLINK(1)",
    "P" * 150,
]

LINE_KEY = re.compile(r"^(\s*(?:-\s+)?[\w-]+:\s+)\S.*$")


@st.composite
def edited(draw) -> tuple[str, bytes]:
    """An example file with one to three hand-editing mistakes in it."""
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    text = EXAMPLES[name]
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mistake(text))
    return name, text.encode("utf-8")


def mistake(text: str) -> st.SearchStrategy[str]:
    lines = text.split("\n")

    @st.composite
    def delete_line(draw):
        index = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:index] + lines[index + 1 :])

    @st.composite
    def duplicate_line(draw):
        index = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[: index + 1] + lines[index:])

    @st.composite
    def swap_lines(draw):
        first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        swapped = list(lines)
        swapped[first], swapped[second] = swapped[second], swapped[first]
        return "\n".join(swapped)

    @st.composite
    def insert_characters(draw):
        at = draw(st.integers(0, len(text)))
        typed = draw(st.one_of(st.text(YAML_ALPHABET, min_size=1, max_size=5), st.text(min_size=1, max_size=5)))
        return text[:at] + typed + text[at:]

    @st.composite
    def change_indentation(draw):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        indent = len(line) - len(line.lstrip(" "))
        new_indent = max(0, indent + draw(st.sampled_from([-4, -2, -1, 1, 2, 4])))
        changed = list(lines)
        changed[index] = " " * new_indent + line.lstrip(" ")
        return "\n".join(changed)

    @st.composite
    def replace_value(draw):
        candidates = [index for index, line in enumerate(lines) if LINE_KEY.match(line)]
        if not candidates:  # an earlier mistake cut the file short
            return text + draw(st.sampled_from(TOKENS))
        index = draw(st.sampled_from(candidates))
        token = draw(st.one_of(st.sampled_from(TOKENS), st.text(YAML_ALPHABET, max_size=8), st.text(max_size=8)))
        changed = list(lines)
        changed[index] = LINE_KEY.match(lines[index]).group(1) + token
        return "\n".join(changed)

    @st.composite
    def truncate(draw):
        return text[: draw(st.integers(0, len(text)))]

    return st.one_of(
        delete_line(),
        duplicate_line(),
        swap_lines(),
        insert_characters(),
        change_indentation(),
        replace_value(),
        truncate(),
    )


@FUZZ
@given(case=edited())
def test_an_edited_example_ends_in_a_report_or_located_errors(workspace, case):
    name, data = case
    workspace.check(name, data)

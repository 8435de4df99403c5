"""The live preview loop, run in a thread on real files and stopped with its stop_event.

Every wait polls for the expected state with a deadline; nothing sleeps blindly. Builds are
Markdown only (fast), or a fake build that records what it was asked to build.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import DEADLINE_S, located, replace_once, wait_until

import sitrep.watch
from sitrep.batch import Limits, Outcome
from sitrep.build import Options
from sitrep.errors import BuildError
from sitrep.watch import is_temporary, watch

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
DEBOUNCE_MS = 50
STOP_WITHIN_S = 2.0


@contextlib.contextmanager
def watching(paths: list[Path], output: Path, **options) -> Iterator[list[str]]:
    """Run watch() in a thread, yield the lines it echoes, then stop it and check it ended cleanly."""
    lines: list[str] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            watch(paths, output, echo=lines.append, debounce_ms=DEBOUNCE_MS, stop_event=stop, **options)
        except BaseException as error:  # handed to the test, below
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield lines
    finally:
        stop.set()
        thread.join(STOP_WITHIN_S)
    assert not thread.is_alive(), "watch() did not end after its stop_event was set"
    if failures:
        raise failures[0]


PROBE = "probe.yaml"


class FakeBuild:
    """Records the inputs it is asked to build; raises an error queued for an input once."""

    @property
    def built(self) -> list[Path]:
        """The inputs built, the probe left out."""
        return [path for path in self.calls if path.name != PROBE]

    def __init__(self, formats: tuple[str, ...] = ("pdf", "md"), folder: Path = Path("out")) -> None:
        self.calls: list[Path] = []
        self.fail_next: dict[Path, Exception] = {}
        self.formats, self.folder = formats, folder

    def __call__(self, path: Path) -> Outcome:
        self.calls.append(path)
        if path in self.fail_next:
            return Outcome(path, error=self.fail_next.pop(path))
        return Outcome(path, tuple(self.folder / f"{path.stem}.{fmt}" for fmt in self.formats))


def until_watching(probe: Path, fake: FakeBuild, lines: list[str]) -> None:
    """Append to ``probe`` until the loop rebuilds it: the watcher only starts after the first build."""
    deadline = time.monotonic() + DEADLINE_S
    before = fake.calls.count(probe)
    while fake.calls.count(probe) == before:
        if time.monotonic() > deadline:
            pytest.fail(f"the watcher did not see {probe} change within {DEADLINE_S} s:\n" + "\n".join(lines))
        with probe.open("a") as stream:
            stream.write("# probe\n")
        retry = time.monotonic() + 0.2
        while fake.calls.count(probe) == before and time.monotonic() < retry:
            time.sleep(0.01)


def without_probe(lines: list[str]) -> list[str]:
    return [line for line in lines if PROBE not in line]


def save_by_rename(path: Path, text: str) -> None:
    """Save as editors that write a hidden temporary file, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def timeless(lines: list[str]) -> list[str]:
    """``lines`` with build times, which vary, written as ``N``."""
    return [re.sub(r" in \d+\.\d\d s$", " in N s", line) for line in lines]


@pytest.fixture
def events_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No comparing of file stats when quiet: only file events can start a rebuild."""
    monkeypatch.setattr(sitrep.watch, "QUIET_CHECK_MS", 600_000)


@pytest.fixture
def probe(project: Path) -> Path:
    """An input the tests append to until the watcher reacts; its builds are left out of assertions."""
    path = Path("inputs", PROBE)  # relative, as the tests name the inputs, from the project folder
    path.write_text("probe: 1\n")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with inputs/ and a templates/ with one stylesheet, as the current directory."""
    (tmp_path / "inputs").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "sitrep.css").write_text("body { color: black; }\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_edits_rebuild_and_a_broken_file_keeps_the_last_good_output(tmp_path: Path) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    source, markdown = inputs / "syria.yaml", out / "syria.md"
    shutil.copy(EXAMPLE, source)

    def has(pattern: str) -> Callable[[], bool]:
        return lambda: any(re.fullmatch(pattern, line) for line in lines)

    with watching([inputs], out, formats=("md",)) as lines:
        # the Markdown of each edition (English, Arabic, French) and its charts
        wait_until(
            has(
                rf"built {re.escape(str(source))} -> {re.escape(str(markdown))}(, \S+\.(svg|md))* "
                r"in \d+\.\d\d s"
            ),
            "initial build",
            lines,
        )
        assert "1,018" in markdown.read_text()

        replace_once(source, "      - value: 1,018\n", "      - value: 1,019\n")
        wait_until(lambda: "1,019" in markdown.read_text(), "rebuild with the edited number", lines)
        wait_until(
            has(
                rf"rebuilt {re.escape(str(source))} -> {re.escape(str(markdown))}(, \S+\.(svg|md))* "
                r"in \d+\.\d\d s"
            ),
            "rebuilt line",
            lines,
        )
        good = markdown.read_bytes()

        broken = source.read_text().replace("      - value: 1,068\n", "      - value: 1.068\n")
        save_by_rename(source, broken)
        error = f"{source}:{located(broken, '1.068')}: figures.killed-civilians.estimates[1].value: "
        kept = f"{source}: not rebuilt, the last good output is kept"

        def reported() -> bool:
            errors = [i for i, line in enumerate(lines) if line.startswith(error)]
            return bool(errors) and kept in lines[errors[0] :]

        wait_until(reported, "located error followed by the kept-output line", lines)
        assert markdown.read_bytes() == good

        replace_once(source, "      - value: 1.068\n", "      - value: 1,069\n")
        wait_until(lambda: "1,069" in markdown.read_text(), "rebuild after the fix", lines)
    assert not any(line.startswith(error) for line in lines[lines.index(kept) + 1 :])


def test_a_template_change_rebuilds_every_input_and_build_errors_do_not_stop_the_loop(
    project: Path, events_only: None, probe: Path
) -> None:
    templates = project / "templates"
    shutil.copytree(ROOT / "templates", templates, dirs_exist_ok=True)
    a, b = Path("inputs/a.yaml"), Path("inputs/b.yaml")
    a.write_text("a: 1\n")
    b.write_text("b: 1\n")
    fake = FakeBuild(("md",))
    with watching(
        [Path("inputs")], Path("out"), formats=("md",), options=Options(templates=(templates,)), build=fake
    ) as lines:
        wait_until(lambda: fake.built == [a, b], "initial build of both inputs", lines)
        assert timeless(without_probe(lines)) == [f"built {a} -> out/a.md in N s", f"built {b} -> out/b.md in N s"]
        until_watching(probe, fake, lines)

        with (templates / "sitrep.css").open("a") as css:
            css.write("h1 { color: navy; }\n")
        wait_until(lambda: len(fake.built) == 4, "rebuild of both after a CSS change", lines)
        assert fake.built[2:] == [a, b]

        fake.fail_next[a] = BuildError("sitrep.html:3: template error: unexpected '}'")
        (templates / "fonts" / "OFL.txt").write_text("changed\n")
        wait_until(lambda: len(fake.built) == 6, "rebuild of both after a font folder change", lines)
        assert fake.built[4:] == [a, b]
        assert timeless(without_probe(lines)[-3:]) == [
            f"{a}: sitrep.html:3: template error: unexpected '}}'",
            f"{a}: not rebuilt, the last good output is kept",
            f"rebuilt {b} -> out/b.md in N s",
        ]

        replace_once(a, "a: 1", "a: 2")
        wait_until(lambda: len(fake.built) == 7, "rebuild after a YAML change", lines)
    assert fake.built[6:] == [a]


def test_editor_files_hidden_files_and_the_output_folder_trigger_nothing(
    project: Path, events_only: None, probe: Path
) -> None:
    inputs, templates = Path("inputs"), project / "templates"
    out = templates / "out"  # inside a template folder: its writes must not start a rebuild loop
    out.mkdir()
    a, b = inputs / "a.yaml", inputs / "b.yaml"
    a.write_text("a: 1\n")
    b.write_text("b: 1\n")
    fake = FakeBuild()
    with watching([inputs], out, options=Options(templates=(templates,)), build=fake) as lines:
        wait_until(lambda: fake.built == [a, b], "initial build", lines)
        until_watching(probe, fake, lines)
        ignored = [".a.yaml.swp", "a.yaml~", ".#a.yaml", "#a.yaml#", "4913", ".a.yaml", "notes.txt"]
        for name in ignored:
            (inputs / name).write_text("x: 1\n")
        for name in [".sitrep.css.swp", "sitrep.css~", "4913", "sitrep.css___jb_tmp___"]:
            (templates / name).write_text("x\n")
        (out / "a.md").write_text("# a\n")
        # Events arrive in order: once b's later edit is built, the files above have been seen.
        replace_once(b, "b: 1", "b: 2")
        wait_until(lambda: len(fake.built) == 3, "rebuild of b", lines)
    assert fake.built == [a, b, b]


def test_a_named_file_is_watched_through_its_folder_and_renamed_saves_are_seen(
    project: Path, events_only: None, probe: Path
) -> None:
    a = Path("inputs/a.yaml")
    a.write_text("a: 1\n")
    fake = FakeBuild()
    with watching([a, probe], Path("out"), options=Options(templates=(project / "templates",)), build=fake) as lines:
        wait_until(lambda: fake.built == [a], "initial build", lines)
        until_watching(probe, fake, lines)
        Path("inputs/other.yaml").write_text("other: 1\n")  # beside it, but not named
        for saves, text in enumerate(["a: 2\n", "a: 33\n"], start=1):  # the file replaced twice: still watched
            save_by_rename(a, text)
            wait_until(lambda saves=saves: len(fake.built) == 1 + saves, "rebuild after a renamed save", lines)
    assert fake.built == [a, a, a]
    assert timeless(without_probe(lines)) == ["built inputs/a.yaml -> out/a.pdf, out/a.md in N s"] + 2 * [
        "rebuilt inputs/a.yaml -> out/a.pdf, out/a.md in N s"
    ]


def test_files_added_to_a_watched_folder_are_built_and_removals_said(
    project: Path, events_only: None, probe: Path
) -> None:
    a, b = Path("inputs/a.yaml"), Path("inputs/b.yml")
    a.write_text("a: 1\n")
    fake = FakeBuild()
    with watching(
        [Path("inputs")], Path("out"), options=Options(templates=(project / "templates",)), build=fake
    ) as lines:
        wait_until(lambda: fake.built == [a], "initial build", lines)
        until_watching(probe, fake, lines)
        b.write_text("b: 1\n")
        wait_until(lambda: fake.built == [a, b], "build of the added file", lines)
        b.unlink()
        removed = f"{b}: removed, its last outputs are left as they are"
        wait_until(lambda: removed in lines, "removal line", lines)
    assert fake.built == [a, b]


@pytest.mark.slow
def test_a_change_made_while_the_first_build_runs_is_not_lost(project: Path) -> None:
    a = Path("inputs/a.yaml")
    a.write_text("a: 1\n")
    fake = FakeBuild()

    def build_and_edit(path: Path) -> Outcome:
        if not fake.calls:  # the watcher is not started yet: no event will tell of this edit
            path.write_text("a: 22\n")
        return fake(path)

    with watching([a], Path("out"), options=Options(templates=(project / "templates",)), build=build_and_edit) as lines:
        wait_until(lambda: len(fake.calls) == 2, "rebuild of the file edited during the first build", lines)
    assert fake.calls == [a, a]


def test_the_stop_event_ends_the_loop_promptly(project: Path) -> None:
    a = Path("inputs/a.yaml")
    a.write_text("a: 1\n")
    fake, stop, ended = FakeBuild(), threading.Event(), threading.Event()

    def run() -> None:
        watch(
            [a],
            Path("out"),
            options=Options(templates=(project / "templates",)),
            build=fake,
            echo=lambda _line: None,
            stop_event=stop,
        )
        ended.set()  # reached only if watch() returned rather than raised

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_until(lambda: fake.calls == [a], "initial build", [])
    stop.set()
    thread.join(STOP_WITHIN_S)  # a deadline for the test, not a measure: watch must end once told to
    assert not thread.is_alive() and ended.is_set()


@pytest.mark.parametrize("name", [".x.yaml.swp", "x.yaml~", ".#x.yaml", "#x.yaml#", "4913", ".x.yaml.tmp", "~$x"])
def test_editor_files_are_temporary(name: str) -> None:
    assert is_temporary(name)


@pytest.mark.parametrize("name", ["x.yaml", "sitrep.css", "NotoSans-Regular.ttf", "2025.yaml"])
def test_real_files_are_not_temporary(name: str) -> None:
    assert not is_temporary(name)


@pytest.mark.slow
def test_saving_a_previous_edition_rebuilds_the_editions_that_follow_it(tmp_path: Path) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", inputs)
    first, second = inputs / "syria-coast-2025-03.yaml", inputs / "syria-coast-2025-03-no2.yaml"
    second_md = out / "syria-coast-2025-03-no2.md"
    with watching([inputs], out, formats=("md",)) as lines:
        wait_until(lambda: second_md.exists() and (out / "syria-coast-2025-03.md").exists(), "initial builds", lines)
        # No. 1's ambush estimate from ABC News changes: No. 2, which carries 16 for the same day, now shows both
        # numbers (for one day, so not compared).
        ambush = "      - value: {}\n        source: abcnews\n"
        replace_once(first, ambush.format(16), ambush.format(17))
        wait_until(
            lambda: "ABC News: from 17 (6 March 2025) [9] to 16 (6 March 2025) [9]" in second_md.read_text(),
            "rebuild of the edition that follows",
            lines,
        )
    assert any(line.startswith(f"rebuilt {second} -> ") for line in lines)


def test_watching_one_edition_follows_the_previous_one_it_names(tmp_path: Path) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", inputs)
    first, second = inputs / "syria-coast-2025-03.yaml", inputs / "syria-coast-2025-03-no2.yaml"
    second_md = out / "syria-coast-2025-03-no2.md"
    with watching([second], out, formats=("md",)) as lines:  # No. 2 alone: No. 1 is not an input
        wait_until(second_md.exists, "initial build", lines)
        ambush = "      - value: {}\n        source: abcnews\n"
        replace_once(first, ambush.format(16), ambush.format(17))
        saved = [time.monotonic()]

        def rebuilt() -> bool:
            if "ABC News: from 17 (6 March 2025)" in second_md.read_text():
                return True
            if time.monotonic() - saved[0] > 0.2:  # the watcher starts after the first build: save again
                with first.open("a", encoding="utf-8") as stream:
                    stream.write("# saved again\n")
                saved[0] = time.monotonic()
            return False

        wait_until(rebuilt, "rebuild of No. 2", lines)
    assert not (out / "syria-coast-2025-03.md").exists()


def test_an_edition_refused_for_its_previous_one_is_built_once_that_one_is_mended(tmp_path: Path) -> None:
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", inputs)
    first, second = inputs / "syria-coast-2025-03.yaml", inputs / "syria-coast-2025-03-no2.yaml"
    good = first.read_text(encoding="utf-8")
    first.write_text(good.replace("  number: 1\n", "  number: one\n", 1), encoding="utf-8")
    second_md = out / "syria-coast-2025-03-no2.md"
    with watching([inputs], out, formats=("md",)) as lines:
        wait_until(lambda: f"{second}: not built, the last good output is kept" in lines, "No. 2 refused", lines)
        first.write_text(good, encoding="utf-8")
        wait_until(second_md.exists, "No. 2 built once No. 1 is mended", lines)
    assert any(line.startswith(f"rebuilt {second} -> ") for line in lines)


@pytest.mark.slow
def test_builds_run_under_the_limits_and_a_fixed_template_is_used_at_once(tmp_path: Path) -> None:
    inputs, out, templates = tmp_path / "inputs", tmp_path / "out", tmp_path / "templates"
    inputs.mkdir()
    source = inputs / "syria.yaml"
    shutil.copy(EXAMPLE, source)
    templates.mkdir()
    endless = ROOT / "tests" / "data" / "adversarial" / "templates" / "endless-loop" / "sitrep.md"
    shutil.copy(endless, templates / "sitrep.md")
    options = Options(templates=(templates,), languages=("en",))
    with watching([inputs], out, formats=("md",), options=options, limits=Limits(seconds=1)) as lines:
        stopped = [
            f"{source}: stopped after 1 s, the time limit for one file (raise it with --timeout); its earlier outputs "
            "are untouched",
            f"{source}: not built, the last good output is kept",
        ]
        wait_until(lambda: lines[-2:] == stopped, "the build stopped at its time limit", lines)
        (templates / "sitrep.md").unlink()  # the built-in template again, in a fresh worker
        wait_until(lambda: (out / "syria.md").exists(), "the rebuild with the built-in template", lines)
    assert any(line.startswith(f"rebuilt {source} -> {out / 'syria.md'}") for line in lines)

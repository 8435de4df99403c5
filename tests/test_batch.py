"""Batch builds: warm workers that build file after file under limits, several at a time; one failure (a bad
file, a bug, a worker that dies or runs over) never stops the rest, and nothing is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import sitrep.batch
import sitrep.output
from sitrep import settings
from sitrep.batch import Limits, Workers, build_all
from sitrep.cli import main
from sitrep.errors import Bug, BuildError, InputError

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
NO2 = "syria-coast-2025-03-no2"


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    bad = folder / "broken.yaml"
    bad.write_text("report: [\n", encoding="utf-8")
    return sorted(folder.glob("*.yaml"))


@pytest.mark.slow
def test_every_file_is_built_in_parallel_and_a_bad_one_stops_nothing(inputs, tmp_path):
    outcomes = {o.path.name: o for o in build_all(inputs, tmp_path / "out", ("md",), jobs=2)}
    assert set(outcomes) == {"broken.yaml"} | {path.name for path in INPUTS.glob("*.yaml")}
    assert isinstance(outcomes["broken.yaml"].error, InputError)
    assert outcomes["broken.yaml"].error.problems[0].line == 1
    for name, editions in (("syria-coast-2025-03", ("", "-ar", "-fr")), (NO2, ("",))):
        assert outcomes[f"{name}.yaml"].error is None
        out = tmp_path / "out"
        endings = (".md", "-figures.svg", "-timeline.svg", "-map.svg")
        assert outcomes[f"{name}.yaml"].written == tuple(
            out / f"{name}{edition}{ending}" for edition in editions for ending in endings
        )
        assert (tmp_path / "out" / f"{name}.md").read_text(encoding="utf-8").startswith("# Syria")
    assert outcomes[f"{NO2}.yaml"].previous == "syria-coast-2025-03.yaml"


# Stand-ins for a build, run in the workers (which inherit them through fork). Each leaves the id of the process
# that built the file in FOLDER/NAME.pid, so that a test can tell which worker built which file.


def built_by(path: Path, folder: Path) -> int:
    return int((folder / f"{path.stem}.pid").read_text())


def recording(path, folder, formats, options, announce=None):
    folder.mkdir(exist_ok=True)
    (folder / f"{path.stem}.pid").write_text(str(os.getpid()))
    if path.stem == "bug":
        raise ZeroDivisionError("the bug")
    if path.stem == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if path.stem == "slow":
        time.sleep(3600)
    if path.stem == "litters":
        tempfile.mkdtemp(prefix="weasyprint-")  # as WeasyPrint does for the fonts of a PDF, and never removes
    return [], SimpleNamespace(warnings=[], report=SimpleNamespace(report=SimpleNamespace(previous=None)))


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(sitrep.batch, "build_file", recording)


def names(*stems: str) -> list[Path]:
    return [Path(f"{stem}.yaml") for stem in stems]


def test_one_worker_builds_file_after_file_and_one_that_met_a_bug_is_replaced(fake, tmp_path):
    out = tmp_path / "out"
    outcomes = list(build_all(names("a", "b", "bug", "c"), out, ("md",)))
    assert [outcome.path.stem for outcome in outcomes] == ["a", "b", "bug", "c"]
    assert [outcome.error is None for outcome in outcomes] == [True, True, False, True]
    bug = outcomes[2].error
    assert isinstance(bug, Bug)
    assert bug.summary == "ZeroDivisionError: the bug"
    assert bug.details.startswith("Traceback (most recent call last):")
    assert 'raise ZeroDivisionError("the bug")' in bug.details
    pid = {path.stem: built_by(path, out) for path in names("a", "b", "bug", "c")}
    assert pid["a"] == pid["b"] == pid["bug"] != pid["c"]
    assert os.getpid() not in pid.values()


def test_a_worker_that_dies_fails_its_file_only_and_is_replaced(fake, tmp_path):
    out = tmp_path / "out"
    outcomes = list(build_all(names("a", "killed", "b"), out, ("md",)))
    assert [outcome.error for outcome in outcomes[::2]] == [None, None]
    assert isinstance(outcomes[1].error, BuildError)
    assert str(outcomes[1].error) == (
        "the build stopped unexpectedly (killed by SIGKILL); its earlier outputs are untouched"
    )
    assert built_by(Path("a"), out) == built_by(Path("killed"), out) != built_by(Path("b"), out)


@pytest.mark.slow
def test_a_build_past_its_time_limit_is_stopped_and_a_fresh_worker_goes_on(fake, tmp_path):
    out = tmp_path / "out"
    outcomes = list(build_all(names("slow", "slow2", "a"), out, ("md",), jobs=2, limits=Limits(seconds=1)))
    errors = {outcome.path.stem: outcome.error for outcome in outcomes}
    assert str(errors["slow"]) == (
        "stopped after 1 s, the time limit for one file (raise it with --timeout); its earlier outputs are untouched"
    )
    assert errors["slow2"] is None and errors["a"] is None
    assert built_by(Path("a"), out) != built_by(Path("slow"), out)


def test_a_worker_is_replaced_after_its_share_of_files(fake, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "FILES_PER_WORKER", 2)
    out = tmp_path / "out"
    assert all(outcome.error is None for outcome in build_all(names("a", "b", "c"), out, ("md",)))
    assert built_by(Path("a"), out) == built_by(Path("b"), out) != built_by(Path("c"), out)


def allocate_without_bound(*args, **kwargs):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def test_a_build_past_its_memory_limit_fails_cleanly(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(sitrep.batch, "build_file", allocate_without_bound)
    [outcome] = build_all(inputs[:1], tmp_path / "out", ("md",), limits=Limits(memory_mib=1024))
    assert isinstance(outcome.error, BuildError)
    assert str(outcome.error).startswith("ran out of memory: the limit for one file is 1024 MiB")


@pytest.mark.slow
def test_the_cli_reports_a_bug_in_one_line_naming_the_file_and_builds_the_others(inputs, tmp_path, monkeypatch):
    real = sitrep.batch.build_file

    def broken_for_one(path, *args, **kwargs):
        if path.stem == NO2:
            raise ZeroDivisionError("the bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sitrep.batch, "build_file", broken_for_one)
    folder, out = inputs[0].parent, tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-f", "md", "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    bug = (
        f"{folder}/{NO2}.yaml: this is a bug in sitrep (ZeroDivisionError: the bug); please report it to sitrep's "
        "maintainers with the file and the output of the same command with --verbose"
    )
    assert bug in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "2 errors, 7 warnings in 6 files"  # No. 2's warning unseen
    assert (out / "syria-earthquake-2023-03-08.md").exists()  # the last file, built after the bug

    verbose = CliRunner().invoke(main, ["build", str(folder), "-f", "md", "-o", str(out), "-v"])
    lines = verbose.stderr.splitlines()
    assert lines[lines.index(bug) + 1] == "Traceback (most recent call last):"
    assert "ZeroDivisionError: the bug" in lines


# Nothing left behind


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """A temporary folder of its own for the test, as TMPDIR would give."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_no_temporary_folder_survives_a_pdf_build(temporary, tmp_path):
    [outcome] = build_all([INPUTS / f"{NO2}.yaml"], tmp_path / "out", ("pdf",))
    assert outcome.error is None
    assert list(temporary.iterdir()) == []


@pytest.mark.slow
def test_no_temporary_folder_survives_a_worker_killed_or_stopped(fake, temporary, tmp_path):
    outcomes = list(build_all(names("litters", "killed", "slow"), tmp_path / "out", ("md",), limits=Limits(1)))
    assert [outcome.error is None for outcome in outcomes] == [True, False, False]
    assert list(temporary.iterdir()) == []


def test_the_folder_of_a_run_that_was_killed_is_removed_by_the_next(fake, temporary, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    abandoned = temporary / f"sitrep-{gone.pid}-x1y2z3"
    (abandoned / "worker").mkdir(parents=True)
    (abandoned / "worker" / "weasyprint-abc").mkdir()
    running = temporary / f"sitrep-{os.getpid()}-a1b2c3"  # this process is alive: its folder is in use
    running.mkdir()
    with Workers(tmp_path / "out", ("md",)):
        assert not abandoned.exists()
        assert running.exists()


# The outputs of one file: all new, all old, or the message says which were replaced


@pytest.mark.slow
def test_a_build_killed_between_two_renames_says_exactly_which_outputs_it_replaced(inputs, tmp_path, monkeypatch):
    source, out = inputs[0].parent / f"{NO2}.yaml", tmp_path / "out"
    [first] = build_all([source], out, ("md",))
    assert first.error is None
    old = {path: (path.read_bytes(), path.stat().st_ino) for path in first.written}
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('western coast"', 'western coast, revised"', 1), encoding="utf-8")

    parent, replace = os.getpid(), os.replace

    def replace_then_die(temporary, target):  # the kill comes right after the first rename, in the worker
        replace(temporary, target)
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(sitrep.output.os, "replace", replace_then_die)
    [second] = build_all([source], out, ("md",))
    monkeypatch.undo()
    markdown, *others = first.written
    assert str(second.error) == (
        "the build stopped unexpectedly (killed by SIGKILL); it had replaced "
        f"{markdown} with the new version, and left {', '.join(map(str, others))} as they were (build it again to "
        "bring them all up to date)"
    )
    assert markdown.read_text(encoding="utf-8").startswith("# Syria: Violence on the western coast, revised\n")
    for path in others:
        assert (path.read_bytes(), path.stat().st_ino) == old[path]
    assert sorted(path.name for path in out.iterdir()) == sorted(path.name for path in first.written)  # no .tmp


def test_a_rename_that_fails_midway_names_the_files_replaced_and_those_kept(tmp_path, monkeypatch):
    a, b, c = (tmp_path / name for name in ("a.md", "b.svg", "c.svg"))
    for path in (a, b, c):
        path.write_text("old")
    calls, replace = [], os.replace

    def fails_second(temporary, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(temporary, target)

    monkeypatch.setattr(sitrep.output.os, "replace", fails_second)
    with pytest.raises(BuildError) as failed:
        sitrep.output.write_all({a: b"new", b: b"new", c: b"new"})
    assert str(failed.value) == (
        f"{b}: cannot write: No space left on device; it had replaced {a} with the new version, and left {b}, {c} "
        "as they were (build it again to bring them all up to date)"
    )
    assert [path.read_text() for path in (a, b, c)] == ["new", "old", "old"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.md", "b.svg", "c.svg"]


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "inputs"],
        ["build", "inputs", "-f", "md", "-o", "out"],
        ["--help"],
    ],
)
def test_commands_that_need_no_pdf_never_load_weasyprint(tmp_path, command):
    shutil.copytree(INPUTS, tmp_path / "inputs")
    probe = (
        "import sys\nfrom sitrep.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_file_whose_worker_cannot_be_started_fails_with_a_message(fake, tmp_path, monkeypatch):
    def no_more_processes():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_more_processes)
    outcomes = list(build_all(names("a", "b"), tmp_path / "out", ("md",)))
    assert [str(outcome.error) for outcome in outcomes] == 2 * [
        "cannot start a process to build it: Resource temporarily unavailable"
    ]

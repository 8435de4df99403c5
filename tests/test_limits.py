"""Limits that hold for everything a file or a template can do: hostile templates (tests/data/adversarial/templates)
are compiled and rendered only in a limited worker, and each ends in a located message and exit 1; a worker dies
within its budget even when its parent is killed or stopped; an output path that loops is a message too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DEADLINE_S

from sitrep.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tests" / "data" / "adversarial" / "templates"
NO2 = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"


def build(tmp_path: Path, *options: str):
    return CliRunner().invoke(main, ["build", str(NO2), "-f", "md", "-o", str(tmp_path / "out"), *options])


@pytest.mark.parametrize(
    "case, message",
    [
        ("power", "power/sitrep.md:1: the template tried something templates may not do: 10 ** 5000 is too large "),
        ("float-power", "float-power/sitrep.md:2: the template tried something templates may not do: 10.0 ** 5000 "),
        ("recursive-macro", "recursive-macro/sitrep.md:2: the template calls itself without end (a macro that "),
        ("includes-itself", "includes-itself/sitrep.md:1: the template calls itself without end (a macro that "),
        ("huge-list", "huge-list/sitrep.md:1: the template tried something templates may not do: a list of 1 "),
    ],
)
def test_a_hostile_template_ends_in_a_located_message(tmp_path, case, message):
    result = build(tmp_path, "--templates", str(TEMPLATES / case))
    assert result.exit_code == 1
    first, summary = result.stderr.splitlines()
    assert first.startswith(f"{NO2}: {TEMPLATES}/{message}")
    assert summary == "1 error, 0 warnings in 1 file"
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_template_that_allocates_without_bound_is_stopped_in_the_worker_not_in_the_parent(tmp_path):
    # Compiled in the parent, `[0] * 30000000` took it to 5.8 GB whatever --memory said; this template doubles a
    # text until no memory is left.
    probe = (
        "import resource, sys\nfrom sitrep.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as end:\n"
        "    print(end.code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
    )
    command = ["build", str(NO2), "-f", "md", "-o", str(tmp_path / "out"), "--memory", "1024"]
    result = subprocess.run(
        [sys.executable, "-c", probe, *command, "--templates", str(TEMPLATES / "doubling")],
        capture_output=True,
        text=True,
        check=True,
    )
    code, parent_mib = map(int, result.stdout.split())
    assert code == 1
    assert result.stderr.splitlines()[0] == (
        f"{NO2}: ran out of memory: the limit for one file is 1024 MiB (raise it with --memory); its earlier "
        "outputs are untouched"
    )
    assert parent_mib < 512


def test_an_output_folder_that_is_a_symlink_loop_is_a_message(tmp_path):
    loop = tmp_path / "out"
    loop.symlink_to(loop)
    result = build(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{NO2}: {loop}/syria-coast-2025-03-no2.md: cannot write: a symbolic link on the way to it leads round in "
        "a loop; remove the link or choose another output folder with -o"
    )


def test_an_output_file_that_is_a_symlink_loop_is_a_message(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "other.md").symlink_to(out / "syria-coast-2025-03-no2.md")
    (out / "syria-coast-2025-03-no2.md").symlink_to(out / "other.md")
    result = build(tmp_path)
    assert result.exit_code == 1
    assert "syria-coast-2025-03-no2.md: cannot write: a symbolic link on the way to it leads round" in result.stderr


# A worker never outlives its budget


def endless_build(tmp_path: Path, timeout: str) -> tuple[subprocess.Popen, int]:
    """`sitrep build` with a template that loops for hours, started in its own process with its own temporary
    folder (tmp_path/tmp); its worker's id, once it runs."""
    command = [sys.executable, "-c", "from sitrep.cli import main; main()", "build", str(NO2), "-f", "md"]
    options = ["-o", str(tmp_path / "out"), "--timeout", timeout, "--templates", str(TEMPLATES / "endless-loop")]
    (tmp_path / "tmp").mkdir()
    parent = subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, TMPDIR=str(tmp_path / "tmp")),
    )
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    deadline = time.monotonic() + 4 * DEADLINE_S
    while not children.read_text().split():
        assert time.monotonic() < deadline, "no worker started"
        time.sleep(0.05)
    return parent, int(children.read_text().split()[0])


def ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie, not yet reaped, has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def cpu_seconds(pid: int) -> float:
    """The CPU time process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_end(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not ended(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
def test_a_worker_dies_with_its_parent(tmp_path):
    parent, worker = endless_build(tmp_path, "600")
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    dead = wait_for_end(worker, DEADLINE_S)
    if not dead:
        os.kill(worker, signal.SIGKILL)
    assert dead, "the worker outlived its parent"


@pytest.mark.slow
def test_a_worker_keeps_its_own_clock_when_its_parent_cannot(tmp_path):
    parent, worker = endless_build(tmp_path, "1")
    deadline = time.monotonic() + 4 * DEADLINE_S
    while cpu_seconds(worker) < 0.3:  # building (the template's loop), not waiting for the file to build
        assert time.monotonic() < deadline, "the worker never started building"
        time.sleep(0.02)
    os.kill(parent.pid, signal.SIGSTOP)  # the parent can stop nothing now
    try:
        dead = wait_for_end(worker, 4 * DEADLINE_S)
    finally:
        os.kill(parent.pid, signal.SIGCONT)
    _out, err = parent.communicate(timeout=4 * DEADLINE_S)
    assert dead, "the worker ran on past its time limit"
    assert parent.returncode == 1
    assert err.splitlines()[0] == (
        f"{NO2}: stopped after 1 s, the time limit for one file (raise it with --timeout); its earlier outputs are "
        "untouched"
    )


@pytest.mark.slow
def test_a_build_asked_to_terminate_stops_its_workers_and_leaves_nothing(tmp_path):
    parent, worker = endless_build(tmp_path, "600")
    assert [path.name.split("-")[1] for path in (tmp_path / "tmp").iterdir()] == [str(parent.pid)]
    parent.terminate()
    _out, err = parent.communicate(timeout=4 * DEADLINE_S)
    assert parent.returncode == 1
    assert err.splitlines()[-1] == "Aborted!"
    assert ended(worker)
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
def test_a_style_sheet_that_imports_itself_is_a_message(tmp_path):
    folder = TEMPLATES / "imports-itself"
    result = CliRunner().invoke(
        main, ["build", str(NO2), "-f", "pdf", "-o", str(tmp_path / "out"), "--templates", str(folder)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{NO2}: PDF rendering failed: {folder}/sitrep.css is read over and over: a style sheet that imports itself, "
        "directly or through another; remove the @import that leads back to it"
    )


def test_a_template_that_is_a_symlink_loop_is_a_message_not_passed_over(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "sitrep.md").symlink_to(folder / "other.md")
    (folder / "other.md").symlink_to(folder / "sitrep.md")
    result = build(tmp_path, "--templates", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{NO2}: template sitrep.md in {folder} is a symbolic link that leads nowhere, or round in a loop: replace it "
        "with the file itself"
    )

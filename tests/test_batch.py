"""Batch builds: each file in a child process under limits, several at a time, one failure never stops the rest."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sitrep.batch
from sitrep.batch import Limits, build_all
from sitrep.errors import BuildError, InputError

INPUTS = Path(__file__).resolve().parent.parent / "inputs"


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
    for name, editions in (("syria-coast-2025-03", ("", "-ar", "-fr")), ("syria-coast-2025-03-no2", ("",))):
        assert outcomes[f"{name}.yaml"].error is None
        out = tmp_path / "out"
        endings = (".md", "-figures.svg", "-timeline.svg", "-map.svg")
        assert outcomes[f"{name}.yaml"].written == tuple(
            out / f"{name}{edition}{ending}" for edition in editions for ending in endings
        )
        assert (tmp_path / "out" / f"{name}.md").read_text(encoding="utf-8").startswith("# Syria")


def sleep_forever(*args, **kwargs):
    time.sleep(3600)


@pytest.mark.slow
def test_a_build_past_its_time_limit_is_stopped_and_the_others_go_on(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(sitrep.batch, "build_file", sleep_forever)  # the children inherit it through fork
    started = time.monotonic()
    outcomes = list(build_all(inputs[:2], tmp_path / "out", ("md",), jobs=2, limits=Limits(seconds=1)))
    assert time.monotonic() - started < 10
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert isinstance(outcome.error, BuildError)
        assert str(outcome.error).startswith("stopped after 1 s, the time limit for one file")
    assert not (tmp_path / "out").exists()


def allocate_without_bound(*args, **kwargs):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def test_a_build_past_its_memory_limit_fails_cleanly(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(sitrep.batch, "build_file", allocate_without_bound)
    [outcome] = build_all(inputs[:1], tmp_path / "out", ("md",), limits=Limits(memory_mib=1024))
    assert isinstance(outcome.error, BuildError)
    assert str(outcome.error).startswith("ran out of memory: the limit for one file is 1024 MiB")


def test_a_bug_in_a_child_is_reported_with_its_traceback(inputs, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("the bug")

    monkeypatch.setattr(sitrep.batch, "build_file", broken)
    with pytest.raises(RuntimeError, match="this is a bug in sitrep"):
        list(build_all(inputs[:1], tmp_path / "out", ("md",)))


@pytest.mark.slow
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

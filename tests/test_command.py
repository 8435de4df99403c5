"""The `sitrep` command as users start it, a process of its own (`sitrep.cli.run`): it ends at once after the
command's work, with the command's exit code and everything it wrote on the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
EARTHQUAKE = [ROOT / "inputs" / f"syria-earthquake-2023-{day}.yaml" for day in ("02-13", "02-21")]


BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
"""The environment of a user's shell: standard output through a pipe is buffered."""


def _sitrep(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sitrep", *args]
    return subprocess.run(command, capture_output=True, cwd=ROOT, env=BUFFERED, timeout=120)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--version"], 0),
        (["validate", str(EXAMPLE), "-q"], 0),
        (["validate", str(EXAMPLE), "--strict", "-q"], 1),  # its warning counts as an error
        (["validate", "no-such-file.yaml"], 2),
        (["--no-such-option"], 2),
        (["diff", *map(str, EARTHQUAKE)], 1),  # the editions differ
        (["diff", str(EXAMPLE), str(EXAMPLE)], 0),
    ],
)
def test_the_process_ends_with_the_commands_exit_code(args, code):
    assert _sitrep(*args).returncode == code


def test_all_it_printed_reaches_a_pipe():
    process = _sitrep("schema")
    assert process.returncode == 0
    assert process.stdout.decode("utf-8") == schema_text()  # far more than a pipe's buffer: flushed at the end
    warned = _sitrep("validate", str(EXAMPLE))
    in_process = CliRunner().invoke(main, ["validate", str(EXAMPLE)])
    assert warned.stdout.decode("utf-8") == in_process.stdout
    assert warned.stderr.decode("utf-8") == in_process.stderr
    assert warned.stderr.decode("utf-8").endswith("0 errors, 1 warning in 1 file\n")


def test_a_build_writes_what_it_writes_in_process(tmp_path):
    assert (
        _sitrep("build", str(EXAMPLE), "-f", "md", "-f", "hxl", "-q", "-o", str(tmp_path / "process")).returncode == 0
    )
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), "-f", "md", "-f", "hxl", "-q", "-o", str(tmp_path / "in")]
    )
    assert result.exit_code == 0, result.output
    written = {path.name: path.read_bytes() for path in (tmp_path / "process").iterdir()}
    assert written == {path.name: path.read_bytes() for path in (tmp_path / "in").iterdir()}
    assert len(written) >= 6  # three editions' Markdown and their charts, and the data


def _run_with(body: str) -> subprocess.CompletedProcess:
    """`sitrep.cli.run` ending a stand-in command whose body is ``body``."""
    script = "\n".join(
        ("import sys, click", "from sitrep import cli", "@click.command()", "def command():", f"    {body}")
    )
    script += "\ncli.main = command\ncli.run()\n"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, env=BUFFERED, timeout=60)


def test_what_a_command_left_in_the_buffers_is_written_before_the_end():
    ended = _run_with("sys.stdout.write('x' * 100_000 + 'end'); sys.stderr.write('said'); sys.exit(3)")
    assert (ended.returncode, ended.stdout, ended.stderr) == (3, b"x" * 100_000 + b"end", b"said")


def test_an_exit_with_a_message_is_left_to_python():
    ended = _run_with("sys.exit('stopped: see above')")
    assert (ended.returncode, ended.stderr) == (1, b"stopped: see above\n")

"""The command line, run in-process with click's CliRunner, exact output on error paths."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import sitrep.build
import sitrep.output
import sitrep.pdf
from sitrep import __version__
from sitrep.build import check_file, render_outputs
from sitrep.cli import main
from sitrep.errors import BuildError
from sitrep.output import write_atomic

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
STEM = "syria-coast-2025-03"

# A small valid report; the bad files below are this one with mistakes written into it.
GOOD = """\
report:
  title: "Syria: Violence on the western coast"
  crisis: syria-coast-2025
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Coastal crisis analysis cell

sources:
  sohr:
    publisher: Syrian Observatory for Human Rights
    kind: monitor

figures:
  killed-civilians:
    metric: killed
    group: civilians
    estimates:
      - value: 745
        source: sohr
        as_of: 2025-03-08

narrative:
  overview: Fighting broke out on 6 March.
"""

# Line 20, column 16 is where `1.068` starts; line 22, column 16 where `08/03/2025` starts.
BAD_NUMBERS = GOOD.replace("value: 745", "value: 1.068").replace("as_of: 2025-03-08", "as_of: 08/03/2025")
BAD_NUMBERS_ERRORS = (
    "{path}:20:16: figures.killed-civilians.estimates[0].value: expected a whole number, got '1.068': "
    "the point is ambiguous (decimal or thousands?); write 1068 or 1,068\n"
    "{path}:22:16: figures.killed-civilians.estimates[0].as_of: '08/03/2025' is ambiguous: day/month or "
    "month/day? Write it as YYYY-MM-DD (for example 2025-03-08) or as 8 March 2025\n"
)

# The time zone is missing on line 6 (value at column 10); an event on lines 25-28 cites a source
# that does not exist (`reuters`, line 27, column 21) and misspells `locations` (key at line 28, column 5).
BAD_REFERENCES = GOOD.replace("as_of: 2025-03-09 18:00 +03:00", "as_of: 2025-03-09 18:00").replace(
    "narrative:",
    "events:\n"
    "  - date: 2025-03-06\n"
    "    text: Violence breaks out on the coast.\n"
    "    sources: [sohr, reuters]\n"
    "    locaton: [latakia]\n"
    "\n"
    "narrative:",
)
BAD_REFERENCES_ERRORS = (
    "{path}:6:10: report.as_of: '2025-03-09 18:00' has no time zone, so readers elsewhere cannot tell when it "
    "was: add one, for example 2025-03-09 18:00 +02:00 (or UTC)\n"
    "{path}:27:21: events[0].sources[1]: no source with id 'reuters': add it under `sources:`, or use one of: sohr\n"
    "{path}:28:5: events[0].locaton: unknown field 'locaton': did you mean 'locations'?\n"
)


def test_the_bad_files_are_what_the_expected_messages_say():
    """The expected messages above were written from these lines; keep them in step."""
    numbers = BAD_NUMBERS.split("\n")
    assert numbers[20 - 1].index("1.068") + 1 == 16
    assert numbers[22 - 1].index("08/03/2025") + 1 == 16
    references = BAD_REFERENCES.split("\n")
    assert references[6 - 1].index("2025-03-09 18:00") + 1 == 10
    assert references[27 - 1].index("reuters") + 1 == 21
    assert references[28 - 1].index("locaton") + 1 == 5


def charts(folder: str, stem: str) -> str:
    """The lines for the chart files a Markdown build writes beside the .md (the key figures, the timeline, the
    locator map)."""
    return f"wrote {folder}/{stem}-figures.svg\nwrote {folder}/{stem}-timeline.svg\nwrote {folder}/{stem}-map.svg\n"


EDITIONS = ("", "-ar", "-fr")
"""The example is written in English, Arabic and French: a build makes an edition in each."""


def wrote(folder: str, stem: str, *endings: str) -> str:
    """What a build of the example prints: for each edition, its files in the order of the formats asked for,
    then (for Markdown) its charts."""
    return "".join(
        "".join(f"wrote {folder}/{stem}{edition}{ending}\n" for ending in endings)
        + (charts(folder, stem + edition) if ".md" in endings else "")
        for edition in EDITIONS
    )


def files(stem: str, *endings: str) -> list[str]:
    """The files of every edition of the example a build writes, sorted."""
    charted = (*endings, "-figures.svg", "-timeline.svg", "-map.svg") if ".md" in endings else endings
    return sorted(f"{stem}{edition}{ending}" for edition in EDITIONS for ending in charted)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder (hidden temporary files included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------------------
# Version and help


def test_version(runner):
    result = runner.invoke(main, ["--version"], prog_name="sitrep")
    assert result.exit_code == 0
    assert result.output == f"sitrep, version {__version__}\n"


def test_main_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"], prog_name="sitrep")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: sitrep [OPTIONS] COMMAND [ARGS]...")
    for name, command in main.commands.items():
        assert command.get_short_help_str(), f"{name} has no help text"
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help(runner, name):
    command = main.commands[name]
    assert command.help and command.help.strip(), f"{name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help text"
    for flag in ("--help", "-h"):
        result = runner.invoke(main, [name, flag], prog_name="sitrep")
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: sitrep {name} ")
        assert command.help.strip().splitlines()[0] in result.output


# ---------------------------------------------------------------------------
# build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A folder where `sitrep build` (no arguments, default formats) has run once on the example."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "inputs").mkdir()
    shutil.copy(EXAMPLE, folder / "inputs")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert result.stdout == wrote("out", STEM, ".pdf", ".md")
    return folder


def test_build_writes_pdf_and_md_by_default(built):
    out = built / "out"
    assert sorted(p.name for p in out.iterdir()) == files(STEM, ".pdf", ".md")
    assert (out / f"{STEM}.pdf").read_bytes().startswith(b"%PDF-")
    expected = render_outputs(check_file(EXAMPLE), ("md",), source_name=EXAMPLE.name)[".md"]
    assert (out / f"{STEM}.md").read_bytes() == expected


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A working folder holding inputs/<example>, as the current directory."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_only_the_formats_asked_for(runner, workdir):
    result = runner.invoke(main, ["build", "-f", "html", "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == wrote("out", STEM, ".html", ".md")
    assert sorted(p.name for p in (workdir / "out").iterdir()) == files(STEM, ".html", ".md")
    assert (workdir / "out" / f"{STEM}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_format_asked_for_twice_is_built_once(runner, workdir):
    result = runner.invoke(main, ["build", "--format", "md", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == wrote("out", STEM, ".md")


def test_build_into_another_folder(runner, workdir):
    result = runner.invoke(main, ["build", f"inputs/{STEM}.yaml", "-o", "reports/2025", "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == wrote("reports/2025", STEM, ".md")
    assert sorted(p.name for p in (workdir / "reports" / "2025").iterdir()) == files(STEM, ".md")
    assert not (workdir / "out").exists()
    result = runner.invoke(main, ["build", "--output", "elsewhere", "-f", "md"])
    assert result.exit_code == 0, result.output
    first = (workdir / "reports" / "2025" / f"{STEM}.md").read_bytes()
    assert (workdir / "elsewhere" / f"{STEM}.md").read_bytes() == first


def test_a_folder_with_a_good_and_a_bad_file_builds_the_good_one(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "inputs" / "a-good.yaml", GOOD)
    write(tmp_path / "inputs" / "b-bad.yaml", BAD_NUMBERS)
    write(tmp_path / "inputs" / "notes.txt", "not a report")
    result = runner.invoke(main, ["build", "-f", "md"])
    assert result.exit_code == 1
    assert result.stdout == "wrote out/a-good.md\nwrote out/a-good-map.svg\n"  # no key figures, no events: a map only
    assert result.stderr == (
        BAD_NUMBERS_ERRORS.format(path="inputs/b-bad.yaml") + "not built: inputs/b-bad.yaml\n"
        "2 errors, 0 warnings in 2 files\n"
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-good-map.svg", "a-good.md"]


def test_a_broken_file_leaves_earlier_outputs_untouched(runner, built, tmp_path, monkeypatch):
    work = tmp_path / "work"
    shutil.copytree(built, work)
    monkeypatch.chdir(work)
    before = snapshot(work / "out")
    source = work / "inputs" / EXAMPLE.name
    text = source.read_text(encoding="utf-8")
    assert "      - value: 1,018\n" in text
    source.write_text(text.replace("      - value: 1,018\n", "      - value: 1.018\n"), encoding="utf-8")
    line = text[: text.index("      - value: 1,018\n")].count("\n") + 1
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"inputs/{EXAMPLE.name}:{line}:16: figures.killed-total.estimates[0].value: expected a whole number, "
        "got '1.018': the point is ambiguous (decimal or thousands?); write 1018 or 1,018\n"
        "1 error, 0 warnings in 1 file\n"
    )
    assert snapshot(work / "out") == before


def failing_pdf(*args, **kwargs):
    raise BuildError("PDF rendering failed: the printer caught fire")


def test_a_failed_pdf_leaves_earlier_outputs_untouched(runner, built, tmp_path, monkeypatch):
    work = tmp_path / "work"
    shutil.copytree(built, work)
    monkeypatch.chdir(work)
    before = snapshot(work / "out")
    monkeypatch.setattr(sitrep.pdf, "html_to_pdf", failing_pdf)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"inputs/{EXAMPLE.name}: PDF rendering failed: the printer caught fire\n1 error, 0 warnings in 1 file\n"
    )
    assert snapshot(work / "out") == before


def test_a_failed_pdf_writes_no_markdown_either(runner, workdir, monkeypatch):
    monkeypatch.setattr(sitrep.pdf, "html_to_pdf", failing_pdf)
    result = runner.invoke(main, ["build", "-f", "md", "-f", "pdf"])
    assert result.exit_code == 1
    assert result.stdout == ""
    out = workdir / "out"
    assert not out.exists() or list(out.iterdir()) == []


# ---------------------------------------------------------------------------
# validate


def test_validate_the_example(runner, workdir):
    result = runner.invoke(main, ["validate", f"inputs/{STEM}.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"inputs/{STEM}.yaml: ok\n"
    result = runner.invoke(main, ["validate"])  # inputs/ by default
    assert result.exit_code == 0, result.output
    assert result.stdout == f"inputs/{STEM}.yaml: ok\n"


@pytest.mark.parametrize(
    "text, errors",
    [
        (BAD_NUMBERS, BAD_NUMBERS_ERRORS),
        (BAD_REFERENCES, BAD_REFERENCES_ERRORS),
    ],
    ids=["numbers", "references"],
)
def test_validate_lists_every_error_located(runner, tmp_path, monkeypatch, text, errors):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "bad.yaml", text)
    result = runner.invoke(main, ["validate", "bad.yaml"])
    assert result.exit_code == 1
    assert result.stdout == ""
    count = errors.count("{path}")
    assert result.stderr == errors.format(path="bad.yaml") + f"{count} errors, 0 warnings in 1 file\n"


def test_validate_a_folder_reports_each_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "reports" / "a.yaml", GOOD)
    write(tmp_path / "reports" / "b.yml", BAD_REFERENCES)
    write(tmp_path / "reports" / "c.yaml", BAD_NUMBERS)
    result = runner.invoke(main, ["validate", "reports"])
    assert result.exit_code == 1
    assert result.stdout == "reports/a.yaml: ok\n"
    assert result.stderr == (
        BAD_REFERENCES_ERRORS.format(path="reports/b.yml")
        + BAD_NUMBERS_ERRORS.format(path="reports/c.yaml")
        + "invalid: reports/b.yml, reports/c.yaml\n"
        + "5 errors, 0 warnings in 3 files\n"
    )


def test_validate_does_not_write_anything(runner, workdir):
    before = sorted(p.relative_to(workdir) for p in workdir.rglob("*"))
    assert runner.invoke(main, ["validate"]).exit_code == 0
    assert sorted(p.relative_to(workdir) for p in workdir.rglob("*")) == before


# ---------------------------------------------------------------------------
# Usage errors


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "-f", "odt"], "'odt'"),
        (["build", "missing.yaml"], "missing.yaml: no such file or folder"),
        (["validate", "missing.yaml"], "missing.yaml: no such file or folder"),
        (["build", "empty"], "no .yaml or .yml files found"),
        (["validate", "empty"], "no .yaml or .yml files found"),
        (["build", "--nope"], "--nope"),
        (["publish"], "No such command 'publish'"),
    ],
)
def test_usage_errors_exit_2(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_no_inputs_folder_is_a_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2
    assert "inputs: no such file or folder" in result.stderr


# ---------------------------------------------------------------------------
# Atomic writes


def test_write_atomic_replaces_the_file_and_creates_folders(tmp_path):
    target = tmp_path / "a" / "b" / "report.md"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch, failing):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old report")

    def boom(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sitrep.output.os, failing, boom)
    with pytest.raises(BuildError) as raised:
        write_atomic(target, b"new report" * 1000)
    assert str(raised.value) == f"{target}: cannot write: No space left on device"
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file left behind


def test_write_atomic_cleans_up_after_an_interruption(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_bytes(b"old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sitrep.output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_failed_write_during_build_is_reported(runner, workdir, monkeypatch):
    def boom(*args, **kwargs):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(sitrep.output.os, "replace", boom)
    result = runner.invoke(main, ["build", "-f", "md"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"inputs/{STEM}.yaml: out/{STEM}.md: cannot write: Permission denied; its earlier outputs are untouched\n"
        "1 error, 0 warnings in 1 file\n"
    )
    assert list((workdir / "out").iterdir()) == []


def test_temporary_files_left_by_a_killed_build_are_cleared_by_the_next_one(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".{STEM}.md.abc123.tmp"
    fresh = out / f".{STEM}.md.def456.tmp"  # might belong to a build running right now: left alone
    for leftover in (stale, fresh):
        leftover.write_text("half a report", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    sitrep.output.write_all({out / f"{STEM}.md": b"# report\n"})
    assert not stale.exists()
    assert fresh.exists()
    assert (out / f"{STEM}.md").read_bytes() == b"# report\n"


# ---------------------------------------------------------------------------
# Conventions: standard input and output, quiet and verbose


def test_validate_reads_standard_input_and_names_it_in_messages(runner):
    result = runner.invoke(main, ["validate", "-"], input=EXAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout == "<stdin>: ok\n"
    broken = runner.invoke(main, ["validate", "-"], input=b"report: [\n")
    assert broken.exit_code == 1
    assert broken.stderr.startswith("<stdin>:1:9: report: ")


def test_build_reads_standard_input_into_the_name_given(runner, tmp_path):
    result = runner.invoke(
        main,
        ["build", "-", "-o", str(tmp_path), "-f", "md", "--lang", "en", "--name", "coast"],
        input=EXAMPLE.read_bytes(),
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "coast-figures.svg",
        "coast-map.svg",
        "coast-timeline.svg",
        "coast.md",
    ]
    expected = render_outputs(check_file(EXAMPLE), ("md",), source_name="coast.yaml")[".md"]
    assert (tmp_path / "coast.md").read_bytes() == expected
    bad = runner.invoke(main, ["build", "-", "--name", "../elsewhere"], input=EXAMPLE.read_bytes())
    assert bad.exit_code == 2 and "cannot name a file" in bad.stderr


def test_quiet_prints_only_problems_and_verbose_says_how_long(runner, tmp_path):
    quiet = runner.invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "-f", "md", "--lang", "en", "-q"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == ""
    assert quiet.stderr.count("warning:") == 1 and "errors" not in quiet.stderr  # the example's one warning
    verbose = runner.invoke(main, ["validate", str(EXAMPLE), "-v"])
    assert re.fullmatch(rf"{re.escape(str(EXAMPLE))}: ok \(\d+\.\d\d s\)\n", verbose.stdout)
    built = runner.invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "-f", "md", "--lang", "en", "-v"])
    assert re.search(rf"^built {re.escape(str(EXAMPLE))} in \d+\.\d\d s$", built.stderr, flags=re.M)


def test_schema_to_standard_output_with_a_dash(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["schema", "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/")
    assert not (tmp_path / "-").exists()


# ---------------------------------------------------------------------------
# One way to report: every command's errors and bugs


BUG_LINE = (
    "this is a bug in sitrep (ZeroDivisionError: the bug); please report it to sitrep's maintainers with the file "
    "and the output of the same command with --verbose"
)


def zero_division(*args, **kwargs):
    raise ZeroDivisionError("the bug")


def test_a_bug_met_while_validating_fails_that_file_only(runner, tmp_path, monkeypatch):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD, encoding="utf-8")
    real = sitrep.build.check_file
    monkeypatch.setattr(sitrep.build, "check_file", lambda path, **kw: (zero_division if path == bad else real)(path))
    result = runner.invoke(main, ["validate", str(bad), str(good)])
    assert result.exit_code == 1
    assert result.stdout == f"{good}: ok\n"
    assert result.stderr == f"{bad}: {BUG_LINE}\ninvalid: {bad}\n1 error, 0 warnings in 2 files\n"
    verbose = runner.invoke(main, ["validate", str(bad), "--verbose"])
    lines = verbose.stderr.splitlines()
    assert lines[:2] == [f"{bad}: {BUG_LINE}", "Traceback (most recent call last):"]
    assert "ZeroDivisionError: the bug" in lines


def test_a_bug_in_a_command_is_one_line_and_its_exit_code(runner, tmp_path, monkeypatch):
    import sitrep.new

    monkeypatch.setattr(sitrep.new, "create", zero_division)
    result = runner.invoke(main, ["new", str(tmp_path / "report.yaml")])
    assert result.exit_code == 1
    assert result.stderr == BUG_LINE + "\n"


def test_every_command_reports_its_error_in_the_same_style(runner, tmp_path):
    existing = tmp_path / "report.yaml"
    existing.write_text(GOOD, encoding="utf-8")
    coloured = runner.invoke(main, ["new", str(existing)], color=True)
    assert coloured.exit_code == 1
    assert (
        coloured.stderr
        == click.style(f"{existing} already exists: sitrep new never overwrites a file; choose another name", fg="red")
        + "\n"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(BAD_NUMBERS, encoding="utf-8")
    compared = runner.invoke(main, ["diff", str(existing), str(broken)])
    assert compared.exit_code == 2
    assert compared.stderr == BAD_NUMBERS_ERRORS.format(path=broken)


def test_two_inputs_whose_outputs_would_share_a_name_are_refused_before_anything_is_built(tmp_path):
    for crisis in ("syria", "sudan"):
        (tmp_path / crisis).mkdir()
        shutil.copy(EXAMPLE, tmp_path / crisis / "sitrep.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "syria" / "sitrep.yaml"), str(tmp_path / "sudan"), "-f", "md", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "would both write sitrep.* into one folder: build them with separate -o, or rename one" in result.stderr
    assert not out.exists()


def test_a_file_named_twice_is_built_once(tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(EXAMPLE), str(EXAMPLE.parent / "." / EXAMPLE.name), "-f", "md", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count(f"wrote {tmp_path / 'syria-coast-2025-03.md'}\n") == 1
    assert result.stderr.endswith("in 1 file\n")

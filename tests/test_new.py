"""`sitrep new`: a starter that validates, the next edition of a series, and never a file overwritten.

Run in-process with click's CliRunner inside tmp_path; the example report is copied there first.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.build import check_file, read_report
from sitrep.cli import main
from sitrep.schema import SCHEMA_FILE, schema_text

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "syria-coast-2025-03.yaml"
MODELINE = "# yaml-language-server: $schema=sitrep.schema.json"

PLACEHOLDER_TEXT = "placeholder 'TODO' left in the text: write the real text"
PLACEHOLDER_COUNTRY = "'XXX' is a placeholder: write the affected country's ISO 3166-1 alpha-3 code, such as SYR"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"NO_COLOR": None})


@pytest.fixture
def series(tmp_path, monkeypatch) -> Path:
    """tmp_path as the working folder, with the example report in inputs/; returns the example's copy."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    return Path(shutil.copy(EXAMPLE, tmp_path / "inputs" / EXAMPLE.name))


def first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n")[0]


def is_placeholder_warning(message: str) -> bool:
    return message in (PLACEHOLDER_TEXT, PLACEHOLDER_COUNTRY) or message.startswith("marked for review: ")


# ---------------------------------------------------------------------------
# The starter


def test_starter_with_options_validates_with_placeholder_warnings_only(runner, tmp_path):
    path = tmp_path / "kassala.yaml"
    title = 'Sudan: "Floods" in Kassala'
    result = runner.invoke(
        main, ["new", str(path), "--crisis", "sudan-floods-2025", "--title", title, "--country", "SDN"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {path}\nwrote {tmp_path / SCHEMA_FILE}\n"
    assert first_line(path) == MODELINE

    checked = check_file(path)
    info = checked.report.report
    assert (info.title, info.crisis, info.country, info.number) == (title, "sudan-floods-2025", "SDN", 1)
    assert checked.warnings
    assert all(is_placeholder_warning(w.message) for w in checked.warnings), checked.warnings
    flagged = {w.field for w in checked.warnings}
    assert {"report.title", "report.crisis", "report.country"}.isdisjoint(flagged)
    assert {"narrative.overview", "highlights[0].text"} <= flagged

    validated = runner.invoke(main, ["validate", str(path)])
    assert validated.exit_code == 0
    assert validated.stdout == f"{path}: ok\n"
    assert validated.stderr.endswith(f"0 errors, {len(checked.warnings)} warnings in 1 file\n")


def test_starter_without_options_validates_with_placeholder_warnings_only(runner, tmp_path):
    path = tmp_path / "report.yaml"
    result = runner.invoke(main, ["new", str(path)])
    assert result.exit_code == 0, result.output
    assert first_line(path) == MODELINE

    checked = check_file(path)
    assert all(is_placeholder_warning(w.message) for w in checked.warnings), checked.warnings
    flagged = {w.field: w.message for w in checked.warnings}
    assert flagged["report.country"] == PLACEHOLDER_COUNTRY
    assert flagged["report.title"] == PLACEHOLDER_TEXT
    assert flagged["report.crisis"] == PLACEHOLDER_TEXT

    validated = runner.invoke(main, ["validate", str(path)])
    assert validated.exit_code == 0
    assert validated.stderr.endswith(f"0 errors, {len(checked.warnings)} warnings in 1 file\n")


def test_starter_is_of_today_with_a_time_zone(runner, tmp_path):
    path = tmp_path / "report.yaml"
    before = datetime.now().astimezone()
    assert runner.invoke(main, ["new", str(path)]).exit_code == 0
    info = read_report(path).report
    assert info.as_of.utcoffset() is not None
    assert before - timedelta(minutes=1) <= info.as_of <= datetime.now().astimezone()
    assert info.period.start == info.period.end == info.as_of.date()


def test_new_writes_the_schema_beside_the_file_if_absent(runner, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    assert runner.invoke(main, ["new", str(folder / "report.yaml")]).exit_code == 0
    assert (folder / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()
    assert not (tmp_path / SCHEMA_FILE).exists()


def test_new_leaves_an_existing_schema_alone(runner, tmp_path):
    schema = tmp_path / SCHEMA_FILE
    schema.write_bytes(b'{"title": "the analyst\'s own schema"}\n')
    path = tmp_path / "report.yaml"
    result = runner.invoke(main, ["new", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"wrote {path}\n"
    assert schema.read_bytes() == b'{"title": "the analyst\'s own schema"}\n'


@pytest.mark.parametrize("options", [[], ["--crisis", "sudan-floods-2025"]], ids=["starter", "with-options"])
def test_new_never_overwrites_a_file(runner, tmp_path, options):
    path = tmp_path / "report.yaml"
    path.write_bytes(b"report: {title: the analyst's work}\n")
    result = runner.invoke(main, ["new", str(path), *options])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{path} already exists: sitrep new never overwrites a file; choose another name\n"
    assert path.read_bytes() == b"report: {title: the analyst's work}\n"
    assert not (tmp_path / SCHEMA_FILE).exists()


# ---------------------------------------------------------------------------
# The next edition: sitrep new NEXT --from PREVIOUS

NEXT = Path("inputs") / "syria-coast-2025-03-no2.yaml"
PREVIOUS = Path("inputs") / EXAMPLE.name


def test_next_edition_moves_the_report_on(runner, series):
    result = runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {NEXT}\nwrote {NEXT.parent / SCHEMA_FILE}\n"
    assert first_line(NEXT) == MODELINE

    info = read_report(NEXT).report
    before = read_report(PREVIOUS).report
    assert (info.title, info.crisis, info.country) == (before.title, before.crisis, before.country)
    assert info.number == 2
    assert (info.period.start, info.period.end) == (date(2025, 3, 10), date(2025, 3, 12))
    assert info.as_of == datetime(2025, 3, 12, 18, 0, tzinfo=timezone(timedelta(hours=3)))
    assert info.next_update == date(2025, 3, 15)
    assert info.previous == EXAMPLE.name
    text = NEXT.read_text(encoding="utf-8")
    assert re.search(r"^  as_of: 2025-03-12 18:00 \+03:00$", text, re.MULTILINE)
    assert re.search(rf"^  previous: {re.escape(EXAMPLE.name)}$", text, re.MULTILINE)


def test_next_edition_keeps_sources_locations_and_every_estimate(runner, series):
    assert runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)]).exit_code == 0
    new, old = read_report(NEXT), read_report(PREVIOUS)
    assert new.sources == old.sources
    assert new.locations == old.locations
    assert list(new.figures) == list(old.figures)
    for figure_id, figure in old.figures.items():
        carried = new.figures[figure_id]
        assert carried.model_dump(exclude={"estimates"}) == figure.model_dump(exclude={"estimates"})
        assert len(carried.estimates) == len(figure.estimates)
        for estimate, before in zip(carried.estimates, figure.estimates, strict=True):
            assert (estimate.value, estimate.low, estimate.high) == (before.value, before.low, before.high)
            assert estimate.model_dump(exclude={"review"}) == before.model_dump(exclude={"review"})
            assert before.review is None
            assert estimate.review
            assert "No. 1" in estimate.review


def test_next_edition_replaces_highlights_and_narrative_with_placeholders(runner, series):
    assert runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)]).exit_code == 0
    new, old = read_report(NEXT), read_report(PREVIOUS)
    languages = old.report.languages
    assert len(languages) > 1  # a placeholder in each of the report's languages, to be written in each
    assert new.highlights
    assert all(set(h.text) == set(languages) for h in new.highlights)
    assert all(text.startswith("TODO") for h in new.highlights for text in h.text.values())
    assert all(text.startswith("TODO") for text in new.narrative.overview.values())
    assert new.narrative.outlook is not None
    assert all(text.startswith("TODO") for text in new.narrative.outlook.values())
    text = NEXT.read_text(encoding="utf-8")
    for highlight in old.highlights:
        for said in highlight.text.values():
            assert said[:40] not in text
    for said in old.narrative.overview.values():
        assert said.split("\n")[0] not in text


def test_next_edition_validates_with_placeholder_and_review_warnings_only(runner, series):
    assert runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)]).exit_code == 0
    old = read_report(PREVIOUS)
    reviews = {
        f"figures.{figure_id}.estimates[{index}].review"
        for figure_id, figure in old.figures.items()
        for index in range(len(figure.estimates))
    }
    placeholders = {
        f"{field}.{language}"
        for field in ("highlights[0].text", "narrative.overview", "narrative.outlook")
        for language in old.report.languages
    }
    # Carried over with its warning: SOHR's total of 8 March is older and smaller than its count of civilians.
    outdated = {"figures.killed-total.estimates[0].as_of"}

    checked = check_file(NEXT)
    assert {w.field for w in checked.warnings} == reviews | placeholders | outdated
    assert len(checked.warnings) == len(reviews | placeholders | outdated)
    for warning in checked.warnings:
        expected = (
            "marked for review: "
            if warning.field in reviews
            else "the total's current number, 1,018"
            if warning.field in outdated
            else PLACEHOLDER_TEXT
        )
        assert warning.message.startswith(expected)

    result = runner.invoke(main, ["validate", str(NEXT)])
    assert result.exit_code == 0
    assert result.stdout == f"{NEXT}: ok\n"
    assert result.stderr.endswith(f"0 errors, {len(reviews | placeholders | outdated)} warnings in 1 file\n")
    assert "warning: " in result.stderr


def test_next_edition_in_another_folder_points_back_relatively(runner, series):
    path = Path("later") / "no2.yaml"
    path.parent.mkdir()
    result = runner.invoke(main, ["new", str(path), "--from", str(PREVIOUS)])
    assert result.exit_code == 0, result.output
    assert read_report(path).report.previous == f"../inputs/{EXAMPLE.name}"
    assert (path.parent / SCHEMA_FILE).exists()
    assert check_file(path).report.report.number == 2


def test_next_edition_never_overwrites_a_file(runner, series):
    NEXT.write_bytes(b"# the analyst's second edition\n")
    result = runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)])
    assert result.exit_code == 1
    assert NEXT.read_bytes() == b"# the analyst's second edition\n"


@pytest.mark.parametrize("option", [["--crisis", "syria-coast-2025"], ["--title", "Syria"], ["--country", "SYR"]])
def test_from_with_crisis_title_or_country_is_a_usage_error(runner, series, option):
    result = runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS), *option])
    assert result.exit_code == 2
    assert "Error: --from carries the crisis, title and country over: give either --from or those\n" in result.stderr
    assert not NEXT.exists()
    assert not (NEXT.parent / SCHEMA_FILE).exists()


def test_next_edition_builds(runner, series):
    assert runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)]).exit_code == 0
    result = runner.invoke(main, ["build", "-f", "md", "-o", "out", str(NEXT)])
    assert result.exit_code == 0, result.output
    output = Path("out") / "syria-coast-2025-03-no2.md"
    written = [
        Path("out") / f"syria-coast-2025-03-no2{edition}{ending}"
        for edition in ("", "-ar", "-fr")
        for ending in (".md", "-figures.svg", "-timeline.svg", "-map.svg")
    ]
    assert result.stdout == "".join(f"wrote {path}\n" for path in written)
    markdown = output.read_text(encoding="utf-8")
    assert "Situation Report No. 2" in markdown
    assert "12 March 2025" in markdown
    assert "1,018" in markdown


def test_next_edition_in_another_folder_finds_the_maps_boundaries(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = Path("inputs")
    inputs.mkdir()
    quake = EXAMPLE.parent / "syria-earthquake-2023-02-21.yaml"
    for name in (quake.name, "syria-earthquake-2023-02-13.yaml", "syria-adm1.geojson"):
        shutil.copy(EXAMPLE.parent / name, inputs)
    path = Path("later") / "no3.yaml"
    path.parent.mkdir()
    assert runner.invoke(main, ["new", str(path), "--from", str(inputs / quake.name)]).exit_code == 0
    assert read_report(path).map.boundaries == "../inputs/syria-adm1.geojson"
    assert check_file(path).boundaries is not None  # the areas map's file is found: the new edition validates


def test_next_edition_promises_no_next_update_the_previous_did_not(runner, series):
    text = series.read_text(encoding="utf-8")
    assert text.count("  next_update: 2025-03-12\n") == 1
    series.write_text(text.replace("  next_update: 2025-03-12\n", ""), encoding="utf-8")
    assert runner.invoke(main, ["new", str(NEXT), "--from", str(PREVIOUS)]).exit_code == 0
    assert read_report(NEXT).report.next_update is None
    assert "(its comments are not carried over)" in NEXT.read_text(encoding="utf-8").split("\n")[1]

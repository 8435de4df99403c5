"""Changes between editions: fact by fact, nothing dropped silently, differences only within one source."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import report_from

from sitrep.build import check_file, read_report
from sitrep.cli import main
from sitrep.diff import compare
from sitrep.view import make_view

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
FIRST = INPUTS / "syria-coast-2025-03.yaml"
SECOND = INPUTS / "syria-coast-2025-03-no2.yaml"


@pytest.fixture(scope="module")
def changes():
    return compare(read_report(FIRST), read_report(SECOND))


def test_a_trend_is_one_source_newest_number_in_each_edition(changes):
    [trend] = [t for t in changes.trends if t.figure == "killed-civilians"]
    assert (trend.before.source, trend.before.value, trend.before.via) == ("sohr", 1068, "insiderpaper")
    assert (trend.after.source, trend.after.value, trend.after.via) == ("sohr", 1383, "shafaq-0312")
    assert trend.change == 315


def test_no_trend_is_computed_across_sources(changes):
    # The ambush toll: ABC News said 16 in both editions; the new 13 (BBC) and "at least 16" (Defence
    # Ministry) come from other sources, so nothing may be subtracted from anything.
    assert [t for t in changes.trends if t.figure == "killed-ambush"] == []
    assert all(t.before.source == t.after.source for t in changes.trends)


def test_new_estimates_are_listed_with_their_sources(changes):
    added = {(c.figure, c.estimate.source, c.estimate.bounds) for c in changes.section("figures") if c.kind == "added"}
    assert ("killed-civilians", "ohchr", (111, 111)) in added
    assert ("killed-civilians", "sohr", (1383, 1383)) in added
    assert ("killed-ambush", "bbc", (13, 13)) in added


def small(extra: str) -> str:
    return textwrap.dedent("""\
        report:
          title: "Syria: Test"
          crisis: test
          country: SYR
          number: 1
          as_of: 2025-03-09 18:00 +03:00
          period: {from: 2025-03-06, to: 2025-03-09}
          produced_by: Test
        sources:
          sohr: {publisher: SOHR}
          abc: {publisher: ABC News}
        locations:
          latakia: {name: Latakia, admin_level: 1}
        narrative: {overview: Test.}
        """) + textwrap.dedent(extra)


def test_a_dropped_estimate_and_a_dropped_figure_are_changes_too():
    before = report_from(small("""\
        figures:
          killed: {metric: killed, estimates: [{value: 10, source: sohr, as_of: 2025-03-08},
                                               {value: 12, source: abc, as_of: 2025-03-08}]}
          injured: {metric: injured, estimates: [{value: 5, source: abc, as_of: 2025-03-08}]}
        """))
    after = report_from(small("""\
        figures:
          killed: {metric: killed, estimates: [{value: 10, source: sohr, as_of: 2025-03-08}]}
        """))
    dropped = [(c.figure, c.estimate.value) for c in compare(before, after).section("figures") if c.kind == "dropped"]
    assert dropped == [("killed", 12), ("injured", 5)]


def test_services_cut_and_restored():
    def services(status: str) -> str:
        return f"""\
            services:
              - {{sector: water, status: {status}, text: Water., locations: [latakia], sources: [abc]}}
            """

    def change(before: str, after: str) -> list:
        return compare(report_from(small(services(before))), report_from(small(services(after)))).section("services")

    cut, restored = change("functioning", "cut"), change("cut", "restored")
    assert [(c.kind, c.before, c.after, c.locations) for c in cut] == [("cut", "functioning", "cut", ("latakia",))]
    assert [(c.kind, c.before, c.after) for c in restored] == [("restored", "cut", "restored")]


def test_the_report_shows_the_trend_beside_the_key_figure_with_both_numbers_cited():
    checked = check_file(SECOND)
    view = make_view(checked.report, checked.previous)
    civilians = next(f for f in view.key_figures if f.id == "killed-civilians")
    [trend] = civilians.trends
    assert trend.text == "▲ 315 since No. 1 (SOHR)"
    assert (trend.before_number, trend.before.text) == ("1,068", "SOHR via Insider Paper, 9 March 2025")
    assert (trend.after_number, trend.after.text) == ("1,383", "SOHR via Shafaq News, 12 March 2025")
    assert view.previous_edition == "Situation Report No. 1"
    assert [group.title for group in view.changes] == ["Figures", "Events", "Services", "Displacement",
                                                       "Humanitarian access", "Statements"]


def test_sitrep_diff_prints_text_and_json():
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(FIRST), str(SECOND)])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Changes from Situation Report No. 1 to No. 2\n\nfigures:\n")
    assert "  killed-civilians: sohr 1,068 (2025-03-09) -> 1,383 (2025-03-12), +315\n" in text.stdout
    assert "  added killed-ambush: 13 (bbc, 2025-03-06, reported)\n" in text.stdout
    as_json = runner.invoke(main, ["diff", "--json", str(FIRST), str(SECOND)])
    data = json.loads(as_json.stdout)
    assert (data["from"], data["to"]) == (1, 2)
    assert [(t["figure"], t["change"]) for t in data["trends"]] == [("killed-civilians", 315)]


def test_sitrep_diff_of_an_invalid_file_is_a_located_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("report: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(FIRST), str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{broken}:1:9: ")

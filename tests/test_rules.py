"""Every rule in ``sitrep.checks.RULES``: where it points, how severe it is, what it tells the analyst to do,
and what it must leave alone.

Inputs are in tests/data/rules/: each is tests/data/model/minimal.yaml with one change, named in its
first lines; tests/data/rules/series/ holds editions that name ``edition-1.yaml`` as their previous one.
Each rule is run alone, so that a test says what that rule finds; findings are located as ``check_file``
and the CLI locate them, and every expected line and column is checked against the text written there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep import checks
from sitrep.build import check_file, map_boundaries, read_report
from sitrep.checks import RULES, Context, Rule
from sitrep.cli import main
from sitrep.errors import InputError, Problem
from sitrep.load import load_file
from sitrep.model import parse_report

DATA = Path(__file__).parent / "data" / "rules"
SERIES = DATA / "series"
FIRST_EDITION = SERIES / "edition-1.yaml"


def findings(rule: Rule, path: Path, previous: Path | None = None) -> list[Problem]:
    """What ``rule`` alone finds in the file at ``path``, located as the CLI shows it, sorted by place."""
    loaded = load_file(path, display=path.name)
    report = parse_report(loaded)
    context = Context(
        report, read_report(previous) if previous else None, boundaries=map_boundaries(path, report, loaded)
    )
    return sorted(loaded.problem(f.loc, f.message, severity=f.severity) for f in rule(context))


def located(problem: Problem) -> tuple[int, int, str]:
    return problem.line, problem.column, problem.field


def written_at(path: Path, line: int, column: int) -> str:
    """The text of ``path`` from ``line``:``column`` (1-based) to the end of that line."""
    return path.read_text(encoding="utf-8").split("\n")[line - 1][column - 1 :]


def assert_points_at(problem: Problem, path: Path, written: str) -> None:
    """The problem's line and column are where ``written`` starts in the file."""
    assert written_at(path, problem.line, problem.column).startswith(written), (problem, written)


def documented_severity(rule: Rule) -> str:
    """``error`` or ``warning``, as the first line of the rule's docstring says."""
    first_line = (rule.__doc__ or "").strip().split("\n")[0]
    match = re.search(r"\((error|warning)\)$", first_line)
    assert match, f"{rule.__name__}: the docstring's first line must end in (error) or (warning)"
    return match.group(1)


# ---------------------------------------------------------------------------
# Every rule is tested, with the severity its docstring gives

# For each rule, a file it flags (and the previous edition it needs), and a file it must leave alone.
CASES: dict[str, tuple[tuple[Path, Path | None], tuple[Path, Path | None]]] = {
    "part_of_cycles": ((DATA / "part-of-loop.yaml", None), (DATA / "part-of-chain.yaml", None)),
    "part_of_another_unit": ((DATA / "part-of-another-unit.yaml", None), (DATA / "part-of-same-unit.yaml", None)),
    "part_of_another_area": ((DATA / "part-of-another-area.yaml", None), (DATA / "part-of-area-within.yaml", None)),
    "locations_in_other_countries": (
        (DATA / "location-in-another-country.yaml", None),
        (DATA / "locations-in-two-countries.yaml", None),
    ),
    "coverage_over_requirement": (
        (DATA / "funded-over-requirement.yaml", None),
        (DATA / "funded-within-requirement.yaml", None),
    ),
    "part_larger_than_total": ((DATA / "part-above-total.yaml", None), (DATA / "part-below-total.yaml", None)),
    "parts_sum_past_total": ((DATA / "parts-sum-past-total.yaml", None), (DATA / "parts-sum-within-total.yaml", None)),
    "totals_overtaken_by_parts": (
        (DATA / "total-overtaken-by-part.yaml", None),
        (DATA / "total-newer-than-parts.yaml", None),
    ),
    "several_numbers_one_day": (
        (DATA / "one-source-two-numbers-one-day.yaml", None),
        (DATA / "one-source-one-number-per-day.yaml", None),
    ),
    "lead_older_than_others": (
        (DATA / "lead-older-than-another.yaml", None),
        (DATA / "lead-as-new-as-others.yaml", None),
    ),
    "figures_all_withdrawn": (
        (DATA / "figure-all-withdrawn.yaml", None),
        (DATA / "one-source-one-number-per-day.yaml", None),
    ),
    "estimate_after_report": (
        (DATA / "estimate-after-report.yaml", None),
        (DATA / "estimate-on-report-day.yaml", None),
    ),
    "stale_figures": ((DATA / "stale-figure.yaml", None), (DATA / "stale-not-yet.yaml", None)),
    "dates_outside_period": ((DATA / "dates-outside-period.yaml", None), (DATA / "dates-inside-period.yaml", None)),
    "unused_sources": ((DATA / "unused-source.yaml", None), (DATA / "sources-each-used-once.yaml", None)),
    "unused_locations": ((DATA / "unused-location.yaml", None), (DATA / "locations-each-used-once.yaml", None)),
    "numbers_without_figures": ((DATA / "numbers-without-figures.yaml", None), (DATA / "numbers-backed.yaml", None)),
    "placeholders": ((DATA / "placeholders.yaml", None), (DATA / "placeholders-none.yaml", None)),
    "map_areas": ((DATA / "map-areas-mismatched.yaml", None), (DATA / "map-areas-matched.yaml", None)),
    "follows_previous": ((SERIES / "wrong-number.yaml", FIRST_EDITION), (SERIES / "edition-2.yaml", FIRST_EDITION)),
    "figures_redefined": (
        (SERIES / "figure-redefined.yaml", FIRST_EDITION),
        (SERIES / "edition-2.yaml", FIRST_EDITION),
    ),
}

RULE_IDS = [rule.__name__ for rule in RULES]


def test_every_rule_has_a_case_here():
    assert sorted(CASES) == sorted(RULE_IDS)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_finds_its_case_with_the_documented_severity(rule):
    (path, previous), _ = CASES[rule.__name__]
    found = findings(rule, path, previous)
    assert found
    assert {problem.severity for problem in found} == {documented_severity(rule)}


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_leaves_its_negative_case_alone(rule):
    _, (path, previous) = CASES[rule.__name__]
    assert findings(rule, path, previous) == []


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_negative_cases_are_clean_for_every_rule(rule):
    """The negative files are valid reports no rule objects to, so each shows only what it is meant to."""
    _, (path, previous) = CASES[rule.__name__]
    loaded = load_file(path)
    report = parse_report(loaded)
    assert (
        checks.run(report, read_report(previous) if previous else None, boundaries=map_boundaries(path, report, loaded))
        == []
    )


# ---------------------------------------------------------------------------
# part_of_cycles (error)


def test_part_of_loop_is_reported_once_on_its_first_figure():
    path = DATA / "part-of-loop.yaml"
    [problem] = findings(checks.part_of_cycles, path)
    assert located(problem) == (28, 14, "figures.killed-total.part_of")
    assert_points_at(problem, path, "killed-civilians")
    assert problem.is_error
    assert problem.message.startswith("'killed-total' ends up as a part of itself through `part_of`")
    assert "killed-total -> killed-civilians -> killed-total" in problem.message
    assert problem.message.endswith(": a breakdown must point at a larger total")


def test_chain_of_breakdowns_is_not_a_loop():
    report = parse_report(load_file(DATA / "part-of-chain.yaml"))
    assert report.figures["killed-children"].part_of == "killed-civilians"
    assert list(checks.part_of_cycles(Context(report))) == []


# ---------------------------------------------------------------------------
# part_larger_than_total (error)


def test_part_above_its_total_the_same_day_is_an_error():
    path = DATA / "part-above-total.yaml"
    [problem] = findings(checks.part_larger_than_total, path)
    assert located(problem) == (37, 16, "figures.killed-civilians.estimates[0].value")
    assert_points_at(problem, path, "1,068")
    assert problem.is_error
    assert problem.message == (
        "1,068 is more than the 1,018 that sohr gave the same day for the total 'killed-total': "
        "a part cannot exceed its total; check both numbers and the `part_of`"
    )


def test_part_range_wholly_above_its_total_is_an_error():
    path = DATA / "part-range-above-total.yaml"
    [problem] = findings(checks.part_larger_than_total, path)
    assert located(problem) == (37, 16, "figures.killed-civilians.estimates[0].value")
    assert_points_at(problem, path, "1,050-1,100")
    assert problem.is_error
    assert problem.message.startswith("1,050-1,100 is more than the 1,018 that sohr gave the same day")


def test_part_above_a_total_of_another_day_or_source_is_fine():
    """SOHR's 1,068 civilians of 9 March is above its 1,018 total of 8 March: the days differ.
    Reuters' 1,100 is not compared with SOHR's total; a range that may be below the total is fine."""
    report = parse_report(load_file(DATA / "part-below-total.yaml"))
    civilians = report.figures["killed-civilians"].estimates
    assert [(e.bounds, e.source, e.as_of.isoformat()) for e in civilians[1:]] == [
        ((1068, 1068), "sohr", "2025-03-09"),
        ((1100, 1100), "reuters-0308", "2025-03-08"),
        ((900, 1100), "sohr", "2025-03-07"),
    ]
    assert list(checks.part_larger_than_total(Context(report))) == []


def test_a_part_exceeds_its_total_only_if_every_number_it_allows_does(tmp_path):
    path = DATA / "part-up-to-or-more-than.yaml"
    [problem] = findings(checks.part_larger_than_total, path)
    assert_points_at(problem, path, "1000, qualifier: more-than")
    assert problem.message == (
        "more than 1,000 is more than the 1,000 that b gave the same day for the total 'injured': a part cannot "
        "exceed its total; check both numbers and the `part_of`"
    )


def test_a_part_of_a_part_is_checked_against_every_total_up_its_chain():
    path = DATA / "three-level-part-above-top.yaml"
    [problem] = findings(checks.part_larger_than_total, path)
    assert problem.field == "figures.displaced-jarablus.estimates[0].value"
    assert problem.message.startswith("1,200 is more than the 1,000 that a gave the same day for the total 'displaced'")


def test_the_summary_counts_errors_and_warnings_apart():
    result = CliRunner().invoke(main, ["validate", str(DATA / "part-up-to-or-more-than.yaml")])
    assert result.exit_code == 1
    assert result.stderr.endswith("1 error, 1 warning in 1 file\n")


# ---------------------------------------------------------------------------
# parts_sum_past_total (warning)


def test_parts_adding_up_past_their_total_warn_at_the_total():
    path = DATA / "parts-sum-past-total.yaml"
    [problem] = findings(checks.parts_sum_past_total, path)
    assert located(problem) == (29, 16, "figures.killed-total.estimates[0].value")
    assert_points_at(problem, path, "1,018")
    assert not problem.is_error
    assert problem.message == (
        "the parts of 'killed-total' that sohr gave on 2025-03-08, 745 (killed-civilians) + 300 (killed-security), "
        "add up to 1,045, more than the total of 1,018 it gave that day: check the numbers, or whether the parts "
        "overlap"
    )


def test_a_part_through_two_outlets_or_withdrawn_is_not_added_twice_or_at_all(tmp_path):
    text = (DATA / "parts-sum-past-total.yaml").read_text(encoding="utf-8")
    security = "      - value: 300\n        source: sohr\n        as_of: 2025-03-08\n"
    assert text.count(security) == 1
    withdrawn = tmp_path / "withdrawn.yaml"
    withdrawn.write_text(text.replace(security, security + "        withdrawn: counted twice\n"), encoding="utf-8")
    civilians = "      - value: 745\n        source: sohr\n        via: reuters-0308\n        as_of: 2025-03-08\n"
    assert text.count(civilians) == 1
    outlets = tmp_path / "outlets.yaml"  # 745 + 273 = 1,018, the total, when the 745 of two outlets counts once
    outlets.write_text(
        text.replace(security, security.replace("300", "273")).replace(
            civilians, civilians + civilians.replace("        via: reuters-0308\n", "")
        ),
        encoding="utf-8",
    )
    assert findings(checks.parts_sum_past_total, withdrawn) == []
    assert findings(checks.parts_sum_past_total, outlets) == []


def test_parts_adding_up_to_exactly_their_total_are_fine():
    """745 + 125 + 148 = 1,018 on 8 March; the parts of 9 March have no total that day to exceed."""
    assert findings(checks.parts_sum_past_total, DATA / "parts-sum-within-total.yaml") == []


# ---------------------------------------------------------------------------
# part_of_another_unit, part_of_another_area, locations_in_other_countries (errors)


def test_a_part_counting_other_things_than_its_total_is_an_error():
    path = DATA / "part-of-another-unit.yaml"
    [problem] = findings(checks.part_of_another_unit, path)
    assert located(problem) == (37, 14, "figures.buildings-destroyed.part_of")
    assert_points_at(problem, path, "killed-civilians")
    assert problem.message == (
        "'buildings-destroyed' counts buildings but its total 'killed-civilians' counts people: a part must count "
        "the same things as its total; give one of them its right `unit`, or remove `part_of`"
    )


def test_a_part_for_another_area_than_its_total_is_an_error_and_within_says_which_areas_nest():
    path = DATA / "part-of-another-area.yaml"
    [problem] = findings(checks.part_of_another_area, path)
    assert located(problem) == (41, 15, "figures.killed-tartus.location")
    assert_points_at(problem, path, "tartus")
    assert problem.message == (
        "'tartus' is not within 'latakia', the area of the total 'killed-civilians': if it is, say so with "
        "`within: latakia` on the location; otherwise remove `part_of`, as numbers for other areas are not parts of "
        "this total"
    )
    assert findings(checks.part_of_another_area, DATA / "part-of-area-within.yaml") == []


def test_a_location_in_a_country_the_report_does_not_name_is_an_error():
    path = DATA / "location-in-another-country.yaml"
    [problem] = findings(checks.locations_in_other_countries, path)
    assert located(problem) == (24, 14, "locations.latakia.country")
    assert problem.message == (
        "'LBN' is not among the report's countries (SYR): add it to `report.country` (a list, "
        "such as [SYR, TUR]), or check the code"
    )


# ---------------------------------------------------------------------------
# coverage_over_requirement (warning)


def test_funding_above_its_requirement_is_named_with_both_amounts():
    path = DATA / "funded-over-requirement.yaml"
    amount, share = findings(checks.coverage_over_requirement, path)
    assert (located(amount), amount.message) == (
        (51, 18, "funding[0].funded[0].amount"),
        "US$120 million funded is more than the requirement of US$100 million that reuters-0308 gave the same day: "
        "check both amounts",
    )
    assert (located(share), share.message) == (
        (52, 19, "funding[0].funded[1].percent"),
        "120% is more than the whole requirement: check the share, or whether it is of another appeal",
    )


def test_a_withdrawn_requirement_or_amount_is_not_compared(tmp_path):
    text = (DATA / "funded-over-requirement.yaml").read_text(encoding="utf-8")
    requirement = "      - {amount: US$100 million, source: reuters-0308, as_of: 2025-03-08}"
    funded = "      - {amount: US$120 million, source: reuters-0308, as_of: 2025-03-08}"
    assert requirement in text and funded in text
    corrected = tmp_path / "corrected.yaml"
    corrected.write_text(
        text.replace(
            requirement,
            requirement.replace("}", ", withdrawn: corrected the same day}")
            + "\n      - {amount: US$150 million, source: reuters-0308, as_of: 2025-03-08}",
        ),
        encoding="utf-8",
    )
    withdrawn = tmp_path / "withdrawn.yaml"
    withdrawn.write_text(text.replace(funded, funded.replace("}", ", withdrawn: counted twice}")), encoding="utf-8")
    for path in (corrected, withdrawn):
        assert [p.message for p in findings(checks.coverage_over_requirement, path)] == [
            "120% is more than the whole requirement: check the share, or whether it is of another appeal"
        ]


def test_a_month_and_a_day_of_it_from_one_source_are_both_current_and_named():
    path = DATA / "month-and-a-day-of-it.yaml"
    [problem] = findings(checks.several_numbers_one_day, path)
    assert located(problem) == (18, 41, "figures.killed.estimates[0].as_of")
    assert_points_at(problem, path, "2025-02}")
    assert problem.message == (
        "a gives 1,000 for 'killed' in 2025-02 and 1,200 on 2025-02-28, a day of that month: the two cannot be "
        "put in order, so both are shown as its current numbers; give the month's number its day if the source "
        "says it, or mark the one it has replaced with `withdrawn:`"
    )


def test_a_figure_whose_every_number_is_withdrawn_is_named():
    [problem] = findings(checks.figures_all_withdrawn, DATA / "figure-all-withdrawn.yaml")
    assert located(problem) == (16, 5, "figures.killed")
    assert problem.message == (
        "every number of 'killed' is withdrawn, so the report shows it with no current number: add the number "
        "its sources give now, or remove the figure"
    )


def test_a_lead_older_than_another_sources_count_is_named_with_both():
    path = DATA / "lead-older-than-another.yaml"
    [problem] = findings(checks.lead_older_than_others, path)
    assert problem.field == "figures.injured.lead"
    assert_points_at(problem, path, "a")
    assert problem.message == (
        "the lead, a, gives 'injured' as of 2025-03-01, older than 300 from b on 2025-03-08: check that its number "
        "should still lead"
    )


# ---------------------------------------------------------------------------
# figures_redefined (warning)


def test_a_figure_that_counts_something_else_under_its_old_id_is_named_with_both():
    path = SERIES / "figure-redefined.yaml"
    [problem] = findings(checks.figures_redefined, path, FIRST_EDITION)
    assert located(problem) == (29, 12, "figures.killed-civilians.group")
    assert_points_at(problem, path, "children")
    assert problem.message == (
        "its group was 'civilians' in No. 1 and is 'children' now, so the report shows it as a new figure and "
        "does not compare its numbers with No. 1's; if it counts what it did, write the same; if it is another "
        "figure, give it another id"
    )


# ---------------------------------------------------------------------------
# totals_overtaken_by_parts (warning)


def test_a_total_older_and_smaller_than_its_part_is_named_with_both_numbers():
    path = DATA / "total-overtaken-by-part.yaml"
    [problem] = findings(checks.totals_overtaken_by_parts, path)
    assert located(problem) == (33, 16, "figures.killed-total.estimates[0].as_of")
    assert_points_at(problem, path, "2025-03-08")
    assert problem.message == (
        "the total's current number, 1,018 from sohr on 2025-03-08, is older and smaller than its part "
        "'killed-civilians': 1,068 from sohr on 2025-03-09; look for a newer total (the report notes this beside it)"
    )


def test_a_total_only_older_than_its_part_is_named_older():
    report = parse_report(load_file(DATA / "total-overtaken-by-part.yaml"))
    older = report.model_copy(
        update={
            "figures": {
                **report.figures,
                "killed-total": report.figures["killed-total"].model_copy(
                    update={
                        "estimates": [report.figures["killed-total"].estimates[0].model_copy(update={"value": 2000})]
                    }
                ),
            }
        }
    )
    [finding] = checks.totals_overtaken_by_parts(Context(older))
    assert finding.message.startswith(
        "the total's current number, 2,000 from sohr on 2025-03-08, is older than its "
        "part 'killed-civilians': 1,068 from sohr on 2025-03-09;"
    )


# ---------------------------------------------------------------------------
# several_numbers_one_day (warning)


def test_one_source_giving_two_numbers_for_one_day_is_pointed_at_the_second():
    path = DATA / "one-source-two-numbers-one-day.yaml"
    [problem] = findings(checks.several_numbers_one_day, path)
    assert located(problem) == (34, 16, "figures.killed-civilians.estimates[1].value")
    assert_points_at(problem, path, "750")
    assert problem.message == (
        "sohr gives 745 and 750 for 'killed-civilians' on 2025-03-08: each is shown as its number for that day; "
        "check which is right, and mark a number the source has taken back with `withdrawn:`"
    )


# ---------------------------------------------------------------------------
# estimate_after_report (error)


def test_estimate_dated_after_the_report_is_an_error():
    path = DATA / "estimate-after-report.yaml"
    [problem] = findings(checks.estimate_after_report, path)
    assert located(problem) == (33, 16, "figures.killed-civilians.estimates[0].as_of")
    assert_points_at(problem, path, "2025-03-10")
    assert problem.is_error
    assert problem.message == (
        "2025-03-10 is after the report's as-of (2025-03-09): check the date, or move the report's `as_of` on"
    )


def test_estimate_dated_the_day_of_the_report_is_fine():
    assert findings(checks.estimate_after_report, DATA / "estimate-on-report-day.yaml") == []


# ---------------------------------------------------------------------------
# stale_figures (warning)


def test_stale_figure_warns_at_its_newest_estimate():
    """The newest estimate is written first (22 February), the older one second."""
    path = DATA / "stale-figure.yaml"
    [problem] = findings(checks.stale_figures, path)
    assert located(problem) == (33, 16, "figures.killed-civilians.estimates[0].as_of")
    assert_points_at(problem, path, "2025-02-22")
    assert not problem.is_error
    assert problem.message == (
        "the newest estimate of 'killed-civilians' is 15 days older than the report: "
        "look for a newer estimate, or remove the figure if it no longer matters"
    )


def test_figure_fourteen_days_old_or_with_a_recent_estimate_is_not_stale():
    report = parse_report(load_file(DATA / "stale-not-yet.yaml"))
    as_of = report.report.as_of.date()
    assert (as_of - report.figures["killed-civilians"].estimates[0].as_of) == checks.STALE_AFTER
    assert list(checks.stale_figures(Context(report))) == []


# ---------------------------------------------------------------------------
# dates_outside_period (warning)


def test_dates_outside_the_period_warn_in_events_statements_and_movements():
    path = DATA / "dates-outside-period.yaml"
    found = findings(checks.dates_outside_period, path)
    assert [located(problem) for problem in found] == [
        (40, 11, "events[1].date"),
        (46, 11, "statements[0].date"),
        (52, 11, "displacement[0].date"),
    ]
    for problem, written in zip(found, ["2025-03-10", "2025-03-05", "2025-03-11"], strict=True):
        assert_points_at(problem, path, written)
        assert not problem.is_error
        assert problem.message == (
            f"{written} is outside the period covered (2025-03-06 to 2025-03-09): "
            "check the date, or widen `report.period`"
        )


def test_dates_on_the_first_and_last_days_of_the_period_are_fine():
    assert findings(checks.dates_outside_period, DATA / "dates-inside-period.yaml") == []


def test_in_a_series_earlier_events_are_context_but_later_ones_warn():
    """edition-2 covers 10-12 March and keeps the event of 6 March; it adds one of 13 March."""
    assert findings(checks.dates_outside_period, SERIES / "edition-2.yaml", FIRST_EDITION) == []
    path = SERIES / "edition-2-after-period.yaml"
    [problem] = findings(checks.dates_outside_period, path, FIRST_EDITION)
    assert located(problem) == (41, 11, "events[1].date")
    assert_points_at(problem, path, "2025-03-13")
    assert problem.message.startswith("2025-03-13 is outside the period covered (2025-03-10 to 2025-03-12)")


# ---------------------------------------------------------------------------
# unused_sources and unused_locations (warnings)


def test_unused_source_warns_at_its_id():
    path = DATA / "unused-source.yaml"
    [problem] = check_file(path).warnings
    assert (problem.line, problem.column, problem.field) == (19, 3, "sources.afp")
    assert_points_at(problem, path, "afp:")
    assert not problem.is_error
    assert problem.message == "source 'afp' is never cited: cite it or remove it"


def test_source_cited_once_anywhere_is_used():
    """Cited only as an estimate's via, by a highlight, a service, a movement, an access constraint,
    an event or as a statement's via: each counts."""
    report = parse_report(load_file(DATA / "sources-each-used-once.yaml"))
    assert len(report.sources) == 7
    assert list(checks.unused_sources(Context(report))) == []


def test_unused_location_warns_at_its_id():
    path = DATA / "unused-location.yaml"
    [problem] = check_file(path).warnings
    assert (problem.line, problem.column, problem.field) == (24, 3, "locations.tartus")
    assert_points_at(problem, path, "tartus:")
    assert not problem.is_error
    assert problem.message == "location 'tartus' is never used: use it or remove it"


def test_location_used_once_anywhere_is_used():
    """Used only by a figure, an event, a service, a movement or an access constraint: each counts."""
    report = parse_report(load_file(DATA / "locations-each-used-once.yaml"))
    assert len(report.locations) == 5
    assert list(checks.unused_locations(Context(report))) == []


# ---------------------------------------------------------------------------
# numbers_without_figures (warning)


def test_numbers_no_figure_gives_warn_in_narrative_highlights_and_events():
    path = DATA / "numbers-without-figures.yaml"
    found = findings(checks.numbers_without_figures, path)
    assert [located(problem) for problem in found] == [
        (36, 11, "highlights[0].text"),
        (41, 11, "events[0].text"),
        (51, 13, "narrative.overview"),
        (52, 12, "narrative.outlook"),
    ]
    for problem, number in zip(found, ["12", "16", "1,200", "300"], strict=True):
        assert not problem.is_error
        assert problem.message == (
            f"the number {number} is not given by any figure, so no source backs it: "
            "add it as a figure estimate with its source, or check it"
        )
    assert_points_at(found[2], path, "Fighting broke out")


def test_numbers_figures_give_dates_years_and_single_digits_are_not_flagged():
    """745 and 1,068 are values, 900 and 1,100 the ends of a range; 6 March, March 9, 9 March 2025
    and December 2024 are dates; 3 is a single digit."""
    assert findings(checks.numbers_without_figures, DATA / "numbers-backed.yaml") == []


# ---------------------------------------------------------------------------
# placeholders (warning)


def test_placeholders_and_review_marks_warn_where_they_are():
    path = DATA / "placeholders.yaml"
    found = findings(checks.placeholders, path)
    assert [located(problem) for problem in found] == [
        (6, 12, "report.country"),
        (10, 16, "report.produced_by"),
        (35, 17, "figures.killed-civilians.estimates[0].review"),
        (50, 12, "narrative.outlook"),
    ]
    country, team, review, outlook = found
    assert not any(problem.is_error for problem in found)
    assert_points_at(country, path, "XXX")
    assert country.message == (
        "'XXX' is a placeholder: write the affected country's ISO 3166-1 alpha-3 code, such as SYR"
    )
    assert_points_at(team, path, '"TODO: your office')
    assert team.message == "placeholder 'TODO' left in the text: write the real text"
    # The marker is found in any case; the review text is reported once, as a review mark.
    assert_points_at(outlook, path, '"todo: what')
    assert outlook.message == team.message
    assert_points_at(review, path, "carried over")
    assert review.message == "marked for review: carried over from No. 1; TODO check it"


def test_words_that_begin_with_the_marker_are_not_placeholders():
    report = parse_report(load_file(DATA / "placeholders-none.yaml"))
    assert report.statements[0].speaker == "Tzvetan Todorov"
    assert list(checks.placeholders(Context(report))) == []


# ---------------------------------------------------------------------------
# follows_previous: errors for crisis, number and as-of; warnings for the period


def test_next_edition_follows_its_previous_one():
    checked = check_file(SERIES / "edition-2.yaml")
    assert checked.report.report.number == 2
    assert checked.warnings == []


def test_previous_edition_of_another_crisis_is_an_error():
    path = SERIES / "other-crisis.yaml"
    [problem] = findings(checks.follows_previous, path, FIRST_EDITION)
    assert located(problem) == (4, 11, "report.crisis")
    assert_points_at(problem, path, "syria-2025")
    assert problem.is_error
    assert problem.message == (
        "the previous edition is of crisis 'syria-coast-2025', this one of 'syria-2025': "
        "use the same crisis id across a series"
    )


def test_wrong_edition_number_is_an_error():
    path = SERIES / "wrong-number.yaml"
    [problem] = findings(checks.follows_previous, path, FIRST_EDITION)
    assert located(problem) == (6, 11, "report.number")
    assert_points_at(problem, path, "3")
    assert problem.is_error
    assert problem.message == "the previous edition is No. 1, so this one should be No. 2, not 3"


def test_as_of_not_after_the_previous_one_is_an_error():
    """17:00 +02:00 is the same moment as the first edition's 18:00 +03:00."""
    path = SERIES / "as-of-not-after.yaml"
    [problem] = findings(checks.follows_previous, path, FIRST_EDITION)
    assert located(problem) == (8, 10, "report.as_of")
    assert_points_at(problem, path, "2025-03-09 17:00 +02:00")
    assert problem.is_error
    assert problem.message.startswith("this edition's as-of is not after the previous edition's")
    assert problem.message.endswith(": move it on")


def test_as_of_later_only_by_its_time_zone_is_after():
    """18:00 +02:00 is an hour after 18:00 +03:00, though the clock reads the same."""
    assert findings(checks.follows_previous, SERIES / "as-of-later-by-zone.yaml", FIRST_EDITION) == []


@pytest.mark.parametrize(
    ("name", "relation"), [("period-gap.yaml", "leaves a gap after"), ("period-overlap.yaml", "overlaps")]
)
def test_gap_or_overlap_between_periods_is_a_warning(name, relation):
    path = SERIES / name
    [problem] = findings(checks.follows_previous, path, FIRST_EDITION)
    assert located(problem) == (8, 18, "report.period.from")
    assert_points_at(problem, path, "2025-03-")
    assert not problem.is_error
    assert problem.message == (
        f"the period {relation} the previous edition's (which ends 2025-03-09): it usually starts on 2025-03-10"
    )


def test_check_file_reads_the_previous_edition_beside_the_file():
    """check_file finds edition-1.yaml relative to the file, not to the working folder."""
    with pytest.raises(InputError) as caught:
        check_file(SERIES / "wrong-number.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (6, 11, "report.number")
    assert problem.path == str(SERIES / "wrong-number.yaml")


def test_check_file_keeps_period_warnings_as_warnings():
    [problem] = check_file(SERIES / "period-gap.yaml").warnings
    assert (problem.field, problem.severity) == ("report.period.from", "warning")


@pytest.mark.parametrize(
    "name, advice",
    [
        ("previous-invalid.yaml", "is not valid: run `sitrep validate {previous}`"),
        ("previous-missing.yaml", "cannot be found: write its path relative to this file"),
    ],
)
def test_check_file_refuses_a_report_whose_previous_edition_is_not_valid(name, advice):
    path = SERIES / name
    previous = SERIES / parse_report(load_file(path)).report.previous
    with pytest.raises(InputError) as caught:
        check_file(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (10, 13, "report.previous")
    assert_points_at(problem, path, previous.name)
    assert problem.is_error
    assert str(previous) in problem.message
    assert advice.format(previous=previous) in problem.message


# ---------------------------------------------------------------------------
# --strict, and build refusing errors but not warnings, through the CLI

STALE = DATA / "stale-figure.yaml"  # one warning, no error
STALE_AT = f"{STALE}:33:16: figures.killed-civilians.estimates[0].as_of:"
STALE_MESSAGE = (
    "the newest estimate of 'killed-civilians' is 15 days older than the report: look for a newer "
    "estimate, or remove the figure if it no longer matters"
)
LATE = DATA / "estimate-after-report.yaml"  # one error
LATE_ERROR = (
    f"{LATE}:33:16: figures.killed-civilians.estimates[0].as_of: 2025-03-10 is after the report's "
    "as-of (2025-03-09): check the date, or move the report's `as_of` on\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"NO_COLOR": None})


def test_warnings_alone_validate(runner):
    result = runner.invoke(main, ["validate", str(STALE)])
    assert result.exit_code == 0
    assert result.stdout == f"{STALE}: ok\n"
    assert result.stderr == f"{STALE_AT} warning: {STALE_MESSAGE}\n0 errors, 1 warning in 1 file\n"


def test_strict_turns_warnings_into_errors(runner):
    result = runner.invoke(main, ["validate", "--strict", str(STALE)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{STALE_AT} {STALE_MESSAGE}\n1 error, 0 warnings in 1 file\n"


def test_strict_changes_nothing_for_a_clean_file(runner):
    clean = SERIES / "edition-2.yaml"
    result = runner.invoke(main, ["validate", "--strict", str(clean)])
    assert result.exit_code == 0
    assert result.stdout == f"{clean}: ok\n"
    assert result.stderr == "0 errors, 0 warnings in 1 file\n"


def test_strict_errors_are_red_on_a_terminal_but_never_with_no_color(runner):
    coloured = runner.invoke(main, ["validate", "--strict", str(STALE)], color=True)
    assert coloured.exit_code == 1
    assert "\x1b[31m" + STALE_MESSAGE in coloured.stderr
    plain = runner.invoke(main, ["validate", "--strict", str(STALE)], color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 1
    assert "\x1b[" not in plain.output
    assert plain.stderr == f"{STALE_AT} {STALE_MESSAGE}\n1 error, 0 warnings in 1 file\n"


def test_build_refuses_a_file_with_errors(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "-f", "md", "-o", str(out), str(LATE)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == LATE_ERROR + "1 error, 0 warnings in 1 file\n"
    assert not out.exists() or list(out.iterdir()) == []


def test_build_publishes_a_file_with_only_warnings(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "-f", "md", "-o", str(out), str(STALE)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {out / 'stale-figure.md'}\n")
    assert result.stderr == f"{STALE_AT} warning: {STALE_MESSAGE}\n0 errors, 1 warning in 1 file\n"
    assert "stale-figure.md" in [p.name for p in out.iterdir()]
    markdown = (out / "stale-figure.md").read_text(encoding="utf-8")
    assert "Syria: Violence on the western coast" in markdown
    assert "745" in markdown


def test_build_strict_refuses_a_file_with_warnings_and_leaves_its_output(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "stale-figure.md"
    earlier.write_bytes(b"an earlier build\n")
    result = runner.invoke(main, ["build", "--strict", "-f", "md", "-o", str(out), str(STALE)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{STALE_AT} {STALE_MESSAGE}\n1 error, 0 warnings in 1 file\n"
    assert "stale-figure.md" in [p.name for p in out.iterdir()]
    assert earlier.read_bytes() == b"an earlier build\n"

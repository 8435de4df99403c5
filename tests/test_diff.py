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


def of(changes, figure_id):
    return [(c.kind, c.sources) for c in changes.of_figure(figure_id)]


def test_a_source_with_a_newer_number_is_superseded_with_what_it_said_in_between(changes):
    [sohr, ohchr] = changes.of_figure("killed-civilians")
    assert (sohr.kind, sohr.sources) == ("superseded", ("sohr",))
    assert [c.first.value for c in (*sohr.before, *sohr.between, *sohr.after)] == [1068, 1225, 1383]
    assert (sohr.change, sohr.no_change_because, sohr.direction) == (315, None, "up")
    assert (ohchr.kind, ohchr.sources, ohchr.change) == ("new", ("ohchr",), None)


def test_no_change_is_computed_across_sources(changes):
    # The ambush toll: ABC News said 16 in both editions; the new 13 (BBC) and "at least 16" (Defence
    # Ministry) come from other sources, so nothing may be subtracted from anything.
    assert of(changes, "killed-ambush") == [("new", ("syria-mod",)), ("new", ("bbc",))]
    assert all(c.change is None for c in changes.of_figure("killed-ambush"))


def test_new_figures_come_with_the_history_their_source_gave(changes):
    [latakia] = changes.of_figure("killed-civilians-latakia")
    assert (latakia.kind, latakia.figure_added) == ("new", True)
    assert [c.first.value for c in latakia.between] == [658]
    assert [c.first.value for c in latakia.after] == [683]


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


def test_a_removed_number_and_a_removed_figure_are_changes_too():
    before = report_from(
        small("""\
        figures:
          killed: {metric: killed, estimates: [{value: 10, source: sohr, as_of: 2025-03-08},
                                               {value: 12, source: abc, as_of: 2025-03-08}]}
          injured: {metric: injured, estimates: [{value: 5, source: abc, as_of: 2025-03-08}]}
        """)
    )
    after = report_from(
        small("""\
        figures:
          killed: {metric: killed, estimates: [{value: 10, source: sohr, as_of: 2025-03-08}]}
        """)
    )
    changes = compare(before, after)
    assert [(c.figure, c.kind, c.figure_removed, [x.first.value for x in c.before]) for c in changes.figures] == [
        ("killed", "removed", False, [12]),
        ("injured", "removed", True, [5]),
    ]
    assert changes.describe().splitlines()[2:5] == [
        "figures:",
        "  killed: abc removed: 12 (2025-03-08)",
        "  injured: removed figure, abc removed: 5 (2025-03-08)",
    ]


def edition(figures: str, number: int = 1) -> str:
    """A small edition whose figures are ``figures`` (YAML text)."""
    return small(figures).replace("number: 1", f"number: {number}")


def changes_between(before: str, after: str):
    return compare(report_from(edition(before)), report_from(edition(after, 2)))


def test_a_change_between_numbers_that_are_not_both_exact_is_not_computed_and_says_why():
    changes = changes_between(
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 3900, qualifier: more-than, source: sohr, as_of: 2025-03-07}]}
        """,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 4589, source: sohr, as_of: 2025-03-09}]}
        """,
    )
    [change] = changes.figures
    assert (change.kind, change.change, change.direction) == ("superseded", None, None)
    assert change.no_change_because == "the earlier number, 'more than 3,900', is not one exact number"
    assert change.describe() == (
        "killed: sohr: more than 3,900 (2025-03-07) -> 4,589 (2025-03-09), no change "
        "computed: the earlier number, 'more than 3,900', is not one exact number"
    )
    data = change.to_json()
    assert (data["change"], data["no_change_because"]) == (None, change.no_change_because)
    assert data["before"][0]["qualifier"] == "more-than"


def test_a_number_from_another_source_replaces_the_old_one_and_is_not_compared_with_it():
    changes = changes_between(
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 1068, source: sohr, as_of: 2025-03-07}]}
        """,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 111, qualifier: at-least, status: verified, source: abc,
                                                as_of: 2025-03-09}]}
        """,
    )
    [change] = changes.figures
    assert (change.kind, change.sources, change.change) == ("replaced", ("sohr", "abc"), None)
    assert change.no_change_because == "the numbers come from different sources, which are never compared"
    assert change.describe() == (
        "killed: replaced: sohr 1,068 (2025-03-07) -> abc at least 111 (2025-03-09, "
        "verified), no change computed: the numbers come from different sources, which are "
        "never compared"
    )


def test_only_a_number_the_analyst_marks_withdrawn_is_withdrawn():
    before = """\
        figures:
          killed: {metric: killed, estimates: [{value: 745, source: sohr, as_of: 2025-03-07}]}
        """
    withdrawn = changes_between(
        before,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 745, source: sohr, as_of: 2025-03-07,
                                                withdrawn: "withdrawn by SOHR on 9 March: counted twice"}]}
        """,
    )
    [change] = withdrawn.figures
    assert change.kind == "withdrawn"
    assert change.describe() == "killed: sohr withdrawn: 745 (2025-03-07): withdrawn by SOHR on 9 March: counted twice"
    [removed] = changes_between(
        before,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 12, source: abc, as_of: 2025-03-09}]}
        """,
    ).figures
    assert removed.kind == "replaced"


def test_a_withdrawn_number_followed_by_a_new_one_is_not_subtracted_from_it():
    changes = changes_between(
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 745, source: sohr, as_of: 2025-03-07}]}
        """,
        """\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 745, source: sohr, as_of: 2025-03-07, withdrawn: counted twice}
              - {value: 700, source: sohr, as_of: 2025-03-09}
        """,
    )
    [change] = changes.figures
    assert (change.kind, change.change, change.direction, change.no_change_because) == (
        "superseded",
        None,
        None,  # 745 was wrong, so 700 is neither lower nor higher than it
        "the earlier number was withdrawn",
    )


def test_the_key_figure_says_the_earlier_number_was_withdrawn_not_that_the_toll_fell():
    before = report_from(
        edition("""\
        figures:
          killed: {metric: killed, key: true, estimates: [{value: 745, source: sohr, as_of: 2025-03-07}]}
        """)
    )
    after = report_from(
        edition(
            """\
        figures:
          killed:
            metric: killed
            key: true
            estimates:
              - {value: 745, source: sohr, as_of: 2025-03-07, withdrawn: counted twice}
              - {value: 700, source: sohr, as_of: 2025-03-09}
        """,
            2,
        )
    )
    [killed] = make_view(after, before).key_figures
    [trend] = killed.trends
    assert "".join(p.text for p in trend) == (
        "Withdrawn since No. 1: SOHR's 745 (7 March 2025); its number is now 700 (9 March 2025)"
    )


def test_two_numbers_of_one_source_for_the_same_day_are_not_a_change_over_time():
    changes = changes_between(
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 100, source: sohr, via: abc, as_of: 2025-03-08}]}
        """,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 120, source: sohr, as_of: 2025-03-08}]}
        """,
    )
    [change] = changes.figures
    assert (change.kind, change.change, change.direction) == ("superseded", None, None)
    assert change.no_change_because == (
        "both numbers are for the same day (a correction, or another outlet's reading), not a change"
    )


def funded(amount: str) -> str:
    return f"""\
        funding:
          - name: Flash Appeal
            funded: [{{{amount}, source: sohr, as_of: 2025-03-08}}]
        """


@pytest.mark.parametrize(
    ("before", "after", "because"),
    [
        ("amount: US$200 million", "percent: 45", "one number is a share of the requirement and the other an amount"),
        ("percent: 45", "amount: US$20 million", "one number is a share of the requirement and the other an amount"),
        ("amount: EUR 50 million", "amount: US$45 million", "the amounts are in different currencies"),
        ("amount: EUR 50 million", "amount: US$50 million", "the amounts are in different currencies"),
    ],
)
def test_a_share_and_an_amount_or_two_currencies_are_neither_up_nor_down_nor_unchanged(before, after, because):
    [change] = changes_between(funded(before), funded(after)).figures
    assert (change.kind, change.change, change.direction, change.same_number) == ("superseded", None, None, False)
    assert change.no_change_because == because


def test_a_figure_that_counts_something_else_under_its_old_id_is_a_new_figure_never_compared():
    before = report_from(
        edition("""\
        figures:
          displaced: {metric: displaced, unit: households, key: true,
                      estimates: [{value: 10000, source: sohr, as_of: 2025-03-07}]}
        """)
    )
    after = report_from(
        edition(
            """\
        figures:
          displaced: {metric: displaced, key: true, estimates: [{value: 50000, source: sohr, as_of: 2025-03-09}]}
        """,
            2,
        )
    )
    changes = compare(before, after)
    assert [(c.kind, c.figure_added, c.figure_removed, c.change) for c in changes.figures] == [
        ("new", True, False, None),
        ("removed", False, True, None),
    ]
    view = make_view(after, before)
    assert [(line.title, "".join(p.text for p in line.sentence)) for line in view.figure_changes] == [
        ("People displaced", "new figure: SOHR reports 50,000 (9 March 2025)"),
        (
            "Households displaced",
            "no longer in this report: SOHR's 10,000 (7 March 2025) is not carried over into this edition",
        ),
    ]
    [displaced] = view.key_figures
    assert displaced.trends == ()  # no "▲ 40,000": households are not subtracted from people


def test_a_number_no_longer_carried_is_cited_even_when_its_source_is_gone_from_the_file():
    before = report_from(
        edition("""\
        figures:
          killed: {metric: killed, key: true, estimates: [{value: 100, source: sohr, as_of: 2025-03-07},
                                                          {value: 150, source: abc, as_of: 2025-03-07}]}
        """)
    )
    text = edition(
        """\
        figures:
          killed: {metric: killed, key: true, estimates: [{value: 120, source: sohr, as_of: 2025-03-09}]}
        """,
        2,
    )
    after = report_from(text.replace("  abc: {publisher: ABC News}\n", ""))
    assert "abc" not in after.sources
    view = make_view(after, before)
    [line] = view.figure_changes
    gone = next(phrase for phrase in line.sentence if phrase.text.startswith("ABC News' 150"))
    assert gone.notes == (2,)  # numbered after this edition's own source
    assert [(source.number, source.label) for source in view.sources] == [(1, "SOHR"), (2, "ABC News")]


def test_funding_changes_name_their_line_as_its_id_may_be_another_lines_in_the_other_edition():
    changes = changes_between(
        """\
        funding:
          - {name: Flash Appeal, requirement: [{amount: US$10 million, source: sohr, as_of: 2025-03-08}]}
          - {name: CERF allocation, kind: pooled-fund,
             allocated: [{amount: US$2 million, source: sohr, as_of: 2025-03-08}]}
        """,
        """\
        funding:
          - {name: Pooled fund reserve, kind: pooled-fund,
             allocated: [{amount: US$5 million, source: sohr, as_of: 2025-03-09}]}
          - {name: Flash Appeal, requirement: [{amount: US$10 million, source: sohr, as_of: 2025-03-08},
                                              {amount: US$12 million, source: sohr, as_of: 2025-03-09}]}
        """,
    )
    assert [change.describe() for change in changes.figures] == [
        "funding-1.allocated (Pooled fund reserve): new amounts, sohr new: US$5 million (2025-03-09)",
        "funding-2.requirement (Flash Appeal): sohr: US$10 million (2025-03-08) -> US$12 million (2025-03-09), "
        "+2,000,000",
        "funding-2.allocated (CERF allocation): removed amounts, sohr removed: US$2 million (2025-03-08)",
    ]
    assert [change.to_json()["line"] for change in changes.figures] == [
        "Pooled fund reserve",
        "Flash Appeal",
        "CERF allocation",
    ]


def test_a_number_for_a_month_and_one_for_a_day_of_it_are_not_compared_across_editions():
    changes = changes_between(
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 55, source: sohr, as_of: 2025-03-07}]}
        """,
        """\
        figures:
          killed: {metric: killed, estimates: [{value: 60, source: sohr, as_of: 2025-03}]}
        """,
    )
    [change] = changes.figures
    assert (change.kind, change.change, change.direction) == ("superseded", None, None)
    assert change.no_change_because == (
        "one number is for a month and the other for a day of it, which cannot be put in order"
    )


def test_an_unchanged_number_is_no_change():
    same = """\
        figures:
          killed: {metric: killed, estimates: [{value: 745, source: sohr, as_of: 2025-03-07}]}
        """
    assert changes_between(same, same).figures == []


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
    assert [(p.text, p.notes) for p in trend] == [
        ("▲ 315 since No. 1 (SOHR): ", ()),
        ("1,068 (9 March 2025)", (1, 11)),
        (" → ", ()),
        ("1,383 (12 March 2025)", (1, 15)),
    ]
    assert view.previous_edition == "Situation Report No. 1"
    assert [group.title for group in view.other_changes] == [
        "Events",
        "Services",
        "Displacement",
        "Humanitarian access",
        "Statements",
    ]


def test_what_changed_is_one_readable_line_per_figure():
    checked = check_file(SECOND)
    view = make_view(checked.report, checked.previous)
    lines = {line.title: "".join(p.text for p in line.sentence) for line in view.figure_changes}
    assert lines["Civilians killed"] == (
        "SOHR: up 315, from 1,068 (9 March 2025) to 1,383 (12 March 2025), with 1,225 (11 March 2025) in between; "
        "new source: OHCHR has verified at least 111 (11 March 2025)"
    )
    assert lines["Civilians killed, Latakia"] == (
        "new figure: SOHR reports 683 (12 March 2025), after 658 (11 March 2025)"
    )
    assert lines["Security personnel killed in the first ambush"] == (
        "new source: Defence Ministry reports at least 16 (6 March 2025); new source: BBC reports 13 (6 March 2025)"
    )
    assert len(view.figure_changes) == len({c.figure for c in view.changes.figures})


def test_sitrep_diff_prints_text_and_json():
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(FIRST), str(SECOND)])
    assert text.exit_code == 1, text.output  # as diff(1): the editions differ
    assert text.stdout.startswith("Changes from Situation Report No. 1 to No. 2\n\nfigures:\n")
    assert (
        "  killed-civilians: sohr: 1,068 (2025-03-09 via insiderpaper) -> 1,225 (2025-03-11 via shafaq-0311) -> "
        "1,383 (2025-03-12 via shafaq-0312), +315\n"
    ) in text.stdout
    assert "  killed-ambush: bbc new: 13 (2025-03-06)\n" in text.stdout
    assert "  killed-children: new figure, unicef new: at least 13 (2025-03-09)\n" in text.stdout
    as_json = runner.invoke(main, ["diff", "--json", str(FIRST), str(SECOND)])
    data = json.loads(as_json.stdout)
    assert (data["from"], data["to"]) == (1, 2)
    computed = [(c["figure"], c["sources"], c["change"]) for c in data["figures"] if "change" in c]
    assert computed == [("killed-civilians", ["sohr"], 315)]
    [children] = [c for c in data["figures"] if c["figure"] == "killed-children"]
    assert children["after"][0]["qualifier"] == "at-least"


def test_sitrep_diff_of_an_invalid_file_is_a_located_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("report: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(FIRST), str(broken)])
    assert result.exit_code == 2  # as diff(1): trouble
    assert result.stderr.startswith(f"{broken}:1:9: ")


def test_sitrep_diff_of_an_edition_with_itself_finds_nothing_and_exits_0():
    result = CliRunner().invoke(main, ["diff", str(SECOND), str(SECOND)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\nno changes\n")

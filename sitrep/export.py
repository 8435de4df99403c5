"""Data exports: every estimate as a row of HXL-tagged CSV, and the report as JSON with what sitrep derives.

Both list every estimate exactly as the file gives it, with its source; a CSV cell that a spreadsheet
would run as a formula is written with an apostrophe before it (see ``_inert``). Nothing is added up,
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

from .model import Estimate, Figure, Funding, Metric, MoneyEstimate, Report, Unit, percent_number

if TYPE_CHECKING:
    from .figure_view import ClaimView, FigureView, SeriesView
    from .view import ReportView

# ---------------------------------------------------------------------------
# HXL CSV
#
# Shape: one row per estimate (so no number is ever dropped), read by HXL tools in two ways.
#
# Long: every row's number is under #indicator+value+num ("Number"), beside the figure it counts
# (#indicator+code, +type, +name), the way HXL tags a dataset with one indicator value per row. A
# range a source gave has no "Number": its ends are under #indicator+min+num and #indicator+max+num,
# which neither a query for #indicator+value nor one for the figure's hashtag matches. libhxl
# matches a pattern against every column whose attributes include the pattern's
# (#affected+killed matches #affected+killed+min), and Row.get returns the first non-empty match:
# under #affected+killed+min, a range's low end would be read as the figure's value.
#
# Wide: one column per metric, under the hashtag that says what it counts (#affected+killed,
# #affected+displaced, #inneed...), which HXL tools and the HDX previews sum. Such a column holds at
# most one number, so that summing it (libhxl's sum(#affected+killed), a spreadsheet's or pandas'
# sum) gives a number the report gives: the number that leads the one figure of that metric and
# unit that is part of no other (`part_of`), when that is one single number. A source's earlier
# counts, rival sources' counts and a total's breakdown are never in it: HXL tools add up every row
# of a column, so a total and its parts must not share one. Where the file has several
# figures of one metric that are parts of none (the whole toll, a day's toll, an ambush's toll;
# displaced in the north-west and in the whole country) the column is left empty: sitrep cannot
# tell whether they overlap, and adding them would count people twice. Their numbers are in the
# long column. Funding lines follow the same rule, per kind of amount. A pattern of the hashtag
# alone (#affected) still matches every metric's column (+killed, +injured, +displaced...), as in any
# HXL data: a sum of it adds different metrics; the attributes are there to ask for one.
#
# The role column (#meta+role) says why a row's number is or is not in the wide column:
#   headline  the number that leads a figure that is part of no other: in the wide column when it
#             is a single number and its figure the only one of its kind there (see above);
#   part      the number that leads a figure that is part of another (#indicator+code+parent): the
#             rows of one parent with this role are its breakdown (which may split it more than one
#             way: by place and by group);
#   same      the leading number again: another source gives the same, or another outlet carries it;
#   rival     another source's current number, beside the one that leads or where none leads;
#   earlier   a source's earlier or withdrawn number (#meta+series says which): its history.
# What leads is what the report shows (the view): the analyst's `lead`, the only source's current
# number, or a number every source gives; nothing here chooses.
#
# Dates are days (2025-03-09), the form HXL prefers (ISO 8601, YYYY-MM-DD): libhxl reads a date with a
# time ("2025-03-09T18:00:00+03:00") day first, as 2025-09-03, and `hxlclean -d` rewrites it so. The
# report's time of day, with its offset from UTC, has its own column (#meta+edition+time), which
# date cleaning leaves alone. A source's number of a month (2025-04) stays a month.
#
# Attributes from the HXL 1.1 core dictionary where it has one (+killed, +injured, +displaced,
# +refugees); where it has none, an attribute in the same style (+missing, +detained,
# +returnees), which HXL allows. "displaced" is +displaced, not +idps: sitrep's displaced counts
# may include people who crossed a border.
#
# Things other than people (buildings, schools, trucks) have a column per metric and unit: outputs
# of the response (trucks delivered, kits reached) under #output+num, anything else under
# #indicator+num, with the metric and the unit as attributes (+damaged+buildings). Funding lines
# have their own wide columns, under the same rule: #value+required, #value+funding, #value+pledged,
# #value+allocated (HXL's hashtag for money), with #currency; and #value+pct for a share a source
# gave.

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
    ("Report as of, time", "#meta+edition+time"),
    ("Figure", "#indicator+code"),
    ("Metric", "#indicator+type"),
    ("Group", "#indicator+group"),
    ("Label", "#indicator+name"),
    ("Part of", "#indicator+code+parent"),
)

# Every row's number, in the long form: a single number, or the two ends of a range.
VALUE_COLUMNS = (
    ("Number", "#indicator+value+num"),
    ("Range, low end", "#indicator+min+num"),
    ("Range, high end", "#indicator+max+num"),
)

# Columns after the numbers: who said it, when, and how sure. #date+reported is the day the number
# was true according to the source; #date+edition above is when the report's facts were checked.
ESTIMATE_COLUMNS = (
    ("Unit", "#meta+unit"),
    ("Qualifier", "#meta+qualifier"),
    ("Status", "#status"),
    ("Standing", "#meta+series"),
    ("Role", "#meta+role"),
    ("Source", "#meta+source"),
    ("Via", "#meta+source+via"),
    ("URL", "#meta+url"),
    ("As of", "#date+reported"),
    ("Note", "#description"),
    ("Withdrawn, why", "#description+withdrawn"),
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
    Rows follow the file: figures in the order written, each figure's estimates in order, then the
    funding lines' amounts. The standing column says whether the number is its source's current
    one, an earlier one (its history) or withdrawn, and the role column whether it leads its figure
    (and so whether it is under the figure's hashtag), as the report shows it. The same report
    always gives the same text.
    """
    figures = {figure.id: figure for figure in view.figures}
    kinds = [
        (metric, unit)
        for unit in Unit
        for metric in Metric
        if any((f.metric, f.unit) == (metric, unit) for f in report.figures.values())
    ]
    located = [f.location for f in report.figures.values()] + [f.location for f in report.funding]
    levels = sorted({1, 2} | {report.locations[i].admin_level for i in located if i}, key=str)
    columns = [
        *REPORT_COLUMNS,
        *(column for level in levels for column in _place_columns(level)),
        *(number_column(metric, unit) for metric, unit in kinds),
        *(FUNDING_COLUMNS if report.funding else ()),
        *VALUE_COLUMNS,
        *ESTIMATE_COLUMNS,
    ]

    alone = _alone([(figure.metric, figure.unit) for figure in report.figures.values() if figure.part_of is None])
    amounts_alone = _alone([kind for funding in report.funding for kind in AMOUNT_COLUMNS if getattr(funding, kind)])

    lines = [[header for header, _ in columns], [hashtag for _, hashtag in columns]]
    for figure_id, figure in report.figures.items():
        shown = figures[figure_id]
        standing, roles = _standing(shown.series), _roles(shown.series, part=figure.part_of is not None)
        wide = number_column(figure.metric, figure.unit)[1] if (figure.metric, figure.unit) in alone else None
        for index, estimate in enumerate(figure.estimates):
            cells = _row(report, figure_id, figure, estimate, shown.label, wide if roles[index] == "headline" else None)
            lines.append(_line(columns, cells | {"#meta+series": standing[index], "#meta+role": roles[index]}))
    for line, funding in zip(view.funding, report.funding, strict=True):
        for amounts in line.amounts:
            standing, roles = _standing(amounts.series), _roles(amounts.series, part=False)
            wide = AMOUNT_COLUMNS[amounts.kind][1] if amounts.kind in amounts_alone else None
            for index, amount in enumerate(getattr(funding, amounts.kind)):
                cells = _amount_row(
                    report, line.id, funding, amounts.kind, amount, wide if roles[index] == "headline" else None
                )
                lines.append(_line(columns, cells | {"#meta+series": standing[index], "#meta+role": roles[index]}))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(lines)  # the model refuses carriage returns in text
    return text.getvalue()


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
        "#date+edition": info.as_of.date().isoformat(),
        "#meta+edition+time": info.as_of.timetz().isoformat("minutes"),
        "#meta+qualifier": estimate.qualifier.value,
        "#status": estimate.status.value,
        "#meta+source": source.publisher,
        "#meta+source+via": via.publisher if via else "",
        "#meta+url": (via.url if via and via.url else source.url) or "",
        "#date+reported": estimate.as_of.isoformat(),
        "#description": estimate.note or "",
        "#description+withdrawn": estimate.withdrawn or "",
        "#meta+review": estimate.review or "",
    }
    if place is not None:
        (_, name), (_, code) = _place_columns(place.admin_level)
        cells[name] = place.name
        cells[code] = place.pcode or ""
    return cells


def _line(columns: list[tuple[str, str]], cells: dict[str, str]) -> list[str]:
    return [_inert(str(cells.get(hashtag, ""))) for _, hashtag in columns]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell begins that a spreadsheet would run as a formula (OWASP's list for CSV injection)."""


def _inert(cell: str) -> str:
    """A text a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1-2', '@SUM(...)'), with an
    apostrophe before it: spreadsheets then show the text as written, and HXL tools read it as text,
    apostrophe included. Numbers never begin so (counts, amounts and shares are zero or more), so every
    number stays as written."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _alone(kinds: list[Any]) -> set[Any]:
    """The kinds (a metric and unit, or a kind of amount) that occur once in ``kinds``."""
    return {kind for kind in kinds if kinds.count(kind) == 1}


def _numbers(value: int | None, low: int | None, high: int | None, wide: str | None) -> dict[str, str]:
    """The long columns' cells of a number, and, if it is a single number, its cell in the wide column ``wide``."""
    if value is None:
        return {"#indicator+min+num": str(low), "#indicator+max+num": str(high)}
    return {"#indicator+value+num": str(value)} | ({wide: str(value)} if wide else {})


def _row(
    report: Report, figure_id: str, figure: Figure, estimate: Estimate, label: str, wide: str | None
) -> dict[str, str]:
    """The cells of one estimate's row, by hashtag; columns not named here stay empty. ``wide`` is the hashtag
    the number is also under, if it is the one a sum of the figure's metric should find."""
    return (
        _common(report, estimate, figure.location)
        | {
            "#indicator+code": figure_id,
            "#indicator+type": figure.metric.value,
            "#indicator+group": figure.group if figure.unit is Unit.people or figure.group != "people" else "",
            "#indicator+name": label,
            "#indicator+code+parent": figure.part_of or "",
            "#meta+unit": figure.unit.value,
        }
        | _numbers(estimate.value, estimate.low, estimate.high, wide)
    )


def _amount_row(
    report: Report, line_id: str, funding: Funding, kind: str, amount: MoneyEstimate, wide: str | None
) -> dict[str, str]:
    """The cells of one amount of a funding line: its number, with its currency, and its share."""
    cells = _common(report, amount, funding.location) | {
        "#indicator+code": line_id,
        "#indicator+type": kind,
        "#indicator+group": funding.kind.value,
        "#indicator+name": funding.name,
        "#meta+unit": "money" if amount.amount is not None else "percent",  # a share of the requirement alone
    }
    if amount.amount is not None:
        cells |= _numbers(amount.amount, None, None, wide)
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


def _roles(shown: tuple[SeriesView, ...], *, part: bool) -> dict[int, str]:
    """Each estimate's role, by its place in its list (see the module's notes): what leads is what the view says
    leads (``SeriesView.leads``); the first estimate written that gives the leading number is its ``headline``
    (or ``part``) row, when the leading sources give one number."""
    leading = [claim for series in shown if series.leads for claim in series.current]
    one = len({claim.labelled for claim in leading}) == 1
    roles = {}
    for series in shown:
        roles.update(dict.fromkeys((i for claim in series.history for i in claim.estimates), "earlier"))
        roles.update(
            dict.fromkeys(
                (i for claim in series.current for i in claim.estimates), "same" if one and series.leads else "rival"
            )
        )
    if one:
        roles[min(i for claim in leading for i in claim.estimates)] = "part" if part else "headline"
    return roles


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
            "figures": {
                figure_id: _derived_figure(figure, figures[figure_id]) for figure_id, figure in report.figures.items()
            },
            "funding": {
                line.id: {
                    "name": line.name,
                    "amounts": {
                        amounts.kind: {
                            "headline": amounts.headline.number if amounts.headline else None,
                            "sources": _sources(amounts.series),
                        }
                        for amounts in line.amounts
                    },
                    "coverage": ["".join(phrase.text for phrase in sentence) for sentence in line.coverage],
                }
                for line in view.funding
            },
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
        "headline": None
        if headline is None
        else {"kind": headline.kind, "number": headline.number, "caption": headline.caption, "ends": headline.ends},
        "sources": _sources(shown.series),
        "spreads": [
            {
                "status": spread.status,
                "number": spread.number,
                "caption": spread.caption,
                "low": [_claim(claim) for claim in spread.low],
                "high": [_claim(claim) for claim in spread.high],
            }
            for spread in shown.spreads
        ],
        "notes": ["".join(phrase.text for phrase in note) for note in shown.notes],
    }


def _sources(shown: tuple[SeriesView, ...]) -> list[dict[str, Any]]:
    return [
        {
            "source": series.source_id,
            "name": series.source,
            "current": [_claim(claim) for claim in series.current],
            "earlier": [_claim(claim) for claim in series.history],
        }
        for series in shown
    ]


def _claim(claim: ClaimView) -> dict[str, Any]:
    money = (
        {"currency": claim.currency, "percent": None if claim.percent is None else percent_number(claim.percent)}
        if claim.currency or claim.percent is not None
        else {}
    )
    return {
        "number": claim.number,
        "low": claim.low,
        "high": claim.high,
        **money,
        "qualifier": claim.qualifier,
        "status": claim.status,
        "as_of": claim.as_of_iso,
        "source": claim.source_id,
        "estimates": list(claim.estimates),
        "withdrawn": claim.withdrawn,
    }

"""How numbers, dates and figures are written in a report: one place for every product, chart and message.

``1018`` is written ``1,018``, a day ``8 March 2025``, a source's range ``745–1,068`` and a
qualified number as the source worded it, ``at least 16``. The qualifier is part of the number:
whatever shows a number shows it through ``worded``, so no product can drop it.
"""

from __future__ import annotations

from datetime import date, datetime

from .model import MONTH_NAMES, Estimate, Figure, Metric, Qualifier

QUALIFIERS = {
    Qualifier.exact: "{}",
    Qualifier.at_least: "at least {}",
    Qualifier.more_than: "more than {}",
    Qualifier.about: "about {}",
    Qualifier.up_to: "up to {}",
}

NOUN_METRICS = (Metric.refugees, Metric.incidents)
"""Metrics named by a noun ('refugees') rather than a participle ('killed'), which reads after the group."""


def number(value: int) -> str:
    """``1018`` -> ``1,018``."""
    return f"{value:,}"


def day(value: date) -> str:
    """``2025-03-08`` -> ``8 March 2025``."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def day_in(value: date, year: int) -> str:
    """``8 March`` in the report's ``year``, ``30 December 2024`` outside it."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]}" if value.year == year else day(value)


def moment(value: datetime) -> str:
    """``2025-03-09 18:00 +03:00`` -> ``9 March 2025, 18:00 UTC+03:00``."""
    offset = value.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{day(value.date())}, {value:%H:%M} {zone}"


def since(value: date) -> str:
    """``2025-03-06`` -> ``since 6 March 2025``."""
    return f"since {day(value)}"


def span(low: int, high: int) -> str:
    """A source's range with an en dash, or one number when both ends agree."""
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def worded(bounds: tuple[int, int], qualifier: Qualifier) -> str:
    """A number as its source worded it: ``at least 16``, ``745–1,068``, ``about 50,000``."""
    return QUALIFIERS[qualifier].format(span(*bounds))


def estimate_number(estimate: Estimate) -> str:
    """The estimate's number as its source worded it."""
    return worded(estimate.bounds, estimate.qualifier)


def figure_label(figure: Figure) -> str:
    """'Civilians killed', 'People in need'; for metrics that are nouns, 'Refugees (children)'."""
    if figure.label:
        return figure.label
    metric = figure.metric.value.replace("-", " ")
    if figure.metric in NOUN_METRICS:
        return metric.capitalize() + ("" if figure.group == "people" else f" ({figure.group})")
    return f"{figure.group[:1].upper()}{figure.group[1:]} {metric}"

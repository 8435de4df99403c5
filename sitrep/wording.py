"""How numbers, dates and figures are written in a report: one place for every product, chart and message.

``1018`` is written ``1,018``, a day ``8 March 2025``, a source's range ``745–1,068`` and a
qualified number as the source worded it, ``at least 16``. The qualifier is part of the number:
whatever shows a number shows it through ``worded``, so no product can drop it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .model import MONTH_NAMES, SCALES, Estimate, Figure, Metric, MoneyEstimate, Month, Qualifier, Unit

QUALIFIERS = {
    Qualifier.exact: "{}",
    Qualifier.at_least: "at least {}",
    Qualifier.more_than: "more than {}",
    Qualifier.about: "about {}",
    Qualifier.up_to: "up to {}",
}

NOUN_METRICS = (Metric.refugees, Metric.incidents, Metric.cases)
"""Metrics named by a noun ('refugees') rather than a participle ('killed'), which reads after the group."""

CURRENCY_PREFIXES = {"USD": "US$", "EUR": "€", "GBP": "£"}
"""How an amount in a currency is written in front of it; other currencies by their code: 'CHF 5 million'."""


def number(value: int) -> str:
    """``1018`` -> ``1,018``; a number of millions or billions exact to two decimals as OCHA writes it:
    ``17000000`` -> ``17 million``, ``1900000`` -> ``1.9 million``. Nothing is rounded: ``1234567`` stays
    ``1,234,567``."""
    for word, scale in sorted(SCALES.items(), key=lambda item: -item[1]):
        if value >= scale and (value * 100) % scale == 0:
            return f"{_decimal(Decimal(value) / scale)} {word}"
    return f"{value:,}"


def _decimal(value: Decimal) -> str:
    """``Decimal('9.20')`` -> ``9.2``, ``Decimal('950')`` -> ``950``: no exponent, no trailing zeros after the point."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: int, currency: str) -> str:
    """``397600000, USD`` -> ``US$397.6 million``; ``6000000, CHF`` -> ``CHF 6 million``."""
    prefix = CURRENCY_PREFIXES.get(currency)
    return f"{prefix}{number(amount)}" if prefix else f"{currency} {number(amount)}"


def percent(value: Decimal) -> str:
    """``38`` -> ``38%``, ``78.6`` -> ``78.6%``: as the source gave it."""
    return f"{_decimal(value)}%"


def day(value: date) -> str:
    """``2025-03-08`` -> ``8 March 2025``; a month the source gave without its day -> ``April 2025``."""
    if isinstance(value, Month):
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def day_in(value: date, year: int) -> str:
    """``8 March`` in the report's ``year``, ``30 December 2024`` outside it; a month keeps its year."""
    if isinstance(value, Month) or value.year != year:
        return day(value)
    return f"{value.day} {MONTH_NAMES[value.month - 1]}"


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


def estimate_number(estimate: Estimate | MoneyEstimate) -> str:
    """The estimate's number as its source worded it: 'at least 16'; an amount 'US$397.6 million', a share
    '38%', or both 'US$68.5 million (17%)'."""
    if not isinstance(estimate, MoneyEstimate):
        return worded(estimate.bounds, estimate.qualifier)
    amount = money(estimate.amount, estimate.currency) if estimate.amount is not None else None  # type: ignore[arg-type]
    share = percent(estimate.percent) if estimate.percent is not None else None
    said = f"{amount} ({share})" if amount and share else amount or share
    return QUALIFIERS[estimate.qualifier].format(said)


def country_name(code: str) -> str:
    """``TUR`` -> ``Türkiye``, ``SYR`` -> ``Syria``: the name in common use; the code itself when unknown."""
    import pycountry  # only reports on several countries name them

    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name if country else code


def unit_words(unit: Unit) -> str:
    """``health-facilities`` -> ``health facilities``."""
    return unit.value.replace("-", " ")


def figure_label(figure: Figure) -> str:
    """'Civilians killed', 'People in need'; for metrics that are nouns, 'Refugees (children)'; for things
    other than people, 'Buildings damaged', 'Health facilities damaged or destroyed', 'Aftershocks'."""
    if figure.label:
        return figure.label
    metric = figure.metric.value.replace("-", " ")
    group = "" if figure.group == "people" else f" ({figure.group})"
    if figure.unit is not Unit.people:
        noun = unit_words(figure.unit).capitalize()
        return noun + group if figure.metric is Metric.incidents else f"{noun} {metric}{group}"
    if figure.metric in NOUN_METRICS:
        return metric.capitalize() + group
    return f"{figure.group[:1].upper()}{figure.group[1:]} {metric}"

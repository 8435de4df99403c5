"""How numbers, dates and figures are written in a report: one place for every product, chart and message.

``1018`` is written ``1,018``, a day ``8 March 2025``, a source's range ``745–1,068`` and a
qualified number as the source worded it, ``at least 16``. The qualifier is part of the number:
whatever shows a number shows it through ``worded``, so no product can drop it. Each is written
in the language of the edition being made (``sitrep.language``): ``au moins 16``, ``٨ آذار ٢٠٢٥``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .language import N_, _, current
from .model import SCALES, Estimate, Figure, MeasureKind, Metric, MoneyEstimate, Month, Qualifier, Unit

QUALIFIERS = {
    Qualifier.exact: "{number}",
    Qualifier.at_least: N_("at least {number}"),
    Qualifier.more_than: N_("more than {number}"),
    Qualifier.about: N_("about {number}"),
    Qualifier.up_to: N_("up to {number}"),
}

CURRENCIES = {"USD": N_("US${amount}"), "EUR": N_("€{amount}"), "GBP": N_("£{amount}")}
"""How an amount in a currency is written; other currencies by their code: 'CHF 5 million'."""


MEASURES = {
    MeasureKind.state_of_emergency: N_("State of emergency"),
    MeasureKind.curfew: N_("Curfew"),
    MeasureKind.mourning: N_("National mourning"),
    MeasureKind.ceasefire: N_("Ceasefire"),
    MeasureKind.border_crossing_opened: N_("Border crossing opened"),
    MeasureKind.border_crossing_closed: N_("Border crossing closed"),
    MeasureKind.appeal_for_assistance: N_("Appeal for international assistance"),
    MeasureKind.evacuation_order: N_("Evacuation order"),
    MeasureKind.disaster_zone: N_("Disaster zone declared"),
    MeasureKind.other: N_("Other measure"),
}
"""The kinds of official measure, as the report names them."""


def number(value: int) -> str:
    """``1018`` -> ``1,018``; a number of millions or billions exact to two decimals as OCHA writes it:
    ``17000000`` -> ``17 million``, ``1900000`` -> ``1.9 million``. Nothing is rounded: ``1234567`` stays
    ``1,234,567``."""
    language = current()
    for scale in sorted(SCALES.values(), reverse=True):
        if value >= scale and (value * 100) % scale == 0:
            return language.scaled(value)
    return language.integer(value)


def money(amount: int, currency: str) -> str:
    """``397600000, USD`` -> ``US$397.6 million``; ``6000000, CHF`` -> ``CHF 6 million``."""
    if currency in CURRENCIES:
        return _(CURRENCIES[currency]).format(amount=number(amount))
    return _("{currency} {amount}").format(currency=currency, amount=number(amount))


def percent(value: Decimal) -> str:
    """``38`` -> ``38%``, ``78.6`` -> ``78.6%``: as the source gave it."""
    return current().percent(value)


def decimal(value: Decimal) -> str:
    """``Decimal('9.20')`` -> ``9.2``: as given, without trailing zeros, in the edition's digits."""
    return current().decimal(value)


def day(value: date) -> str:
    """``2025-03-08`` -> ``8 March 2025``; a month the source gave without its day -> ``April 2025``."""
    return current().date(value, "LLLL y" if isinstance(value, Month) else "d MMMM y")


def day_in(value: date, year: int) -> str:
    """``8 March`` in the report's ``year``, ``30 December 2024`` outside it; a month keeps its year."""
    if isinstance(value, Month) or value.year != year:
        return day(value)
    return current().date(value, "d MMMM")


def moment(value: datetime) -> str:
    """``2025-03-09 18:00 +03:00`` -> ``9 March 2025, 18:00 UTC+03:00``."""
    offset = value.strftime("%z")
    zone = "UTC" if offset in ("+0000", "") else f"UTC{offset[:3]}:{offset[3:]}"
    return _("{day}, {time} {zone}").format(
        day=day(value.date()), time=current().time(value), zone=current().isolated(current().shown(zone))
    )


def since(value: date) -> str:
    """``2025-03-06`` -> ``since 6 March 2025``; a month -> ``since February 2023`` (which some languages word
    differently: 'depuis le 6 mars', 'depuis février')."""
    said = _("since {month}") if isinstance(value, Month) else _("since {day}")
    return said.format(day=day(value), month=day(value))


def span(low: int, high: int) -> str:
    """A source's range with an en dash, or one number when both ends agree."""
    return number(low) if low == high else f"{number(low)}–{number(high)}"


def worded(bounds: tuple[int, int], qualifier: Qualifier) -> str:
    """A number as its source worded it: ``at least 16``, ``745–1,068``, ``about 50,000``."""
    return _(QUALIFIERS[qualifier]).format(number=span(*bounds))


def estimate_number(estimate: Estimate | MoneyEstimate) -> str:
    """The estimate's number as its source worded it: 'at least 16'; an amount 'US$397.6 million', a share
    '38%', or both 'US$68.5 million (17%)'."""
    if not isinstance(estimate, MoneyEstimate):
        return worded(estimate.bounds, estimate.qualifier)
    amount = money(estimate.amount, estimate.currency) if estimate.amount is not None else None  # type: ignore[arg-type]
    share = percent(estimate.percent) if estimate.percent is not None else None
    said = f"{amount} ({share})" if amount and share else amount or share
    return _(QUALIFIERS[estimate.qualifier]).format(number=said)


def country_name(code: str) -> str:
    """``TUR`` -> ``Türkiye``, ``SYR`` -> ``Syria``: the name in common use (ISO 3166, from pycountry), in
    another language as CLDR names it (``سوريا``, ``Syrie``); the code itself when unknown."""
    import pycountry  # only reports on several countries name them

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    language = current()
    if language.code != "en":
        named = language.locale.territories.get(country.alpha_2)
        if named:
            return named
    return getattr(country, "common_name", None) or country.name


PEOPLE_LABELS = {
    Metric.killed: (N_("People killed"), N_("{group} killed")),
    Metric.injured: (N_("People injured"), N_("{group} injured")),
    Metric.missing: (N_("People missing"), N_("{group} missing")),
    Metric.displaced: (N_("People displaced"), N_("{group} displaced")),
    Metric.homeless: (N_("People homeless"), N_("{group} homeless")),
    Metric.returned: (N_("People returned"), N_("{group} returned")),
    Metric.detained: (N_("People detained"), N_("{group} detained")),
    Metric.affected: (N_("People affected"), N_("{group} affected")),
    Metric.in_need: (N_("People in need"), N_("{group} in need")),
    Metric.targeted: (N_("People targeted"), N_("{group} targeted")),
    Metric.reached: (N_("People reached"), N_("{group} reached")),
    Metric.delivered: (N_("People delivered"), N_("{group} delivered")),
    Metric.damaged: (N_("People damaged"), N_("{group} damaged")),
    Metric.destroyed: (N_("People destroyed"), N_("{group} destroyed")),
    Metric.damaged_or_destroyed: (N_("People damaged or destroyed"), N_("{group} damaged or destroyed")),
    Metric.refugees: (N_("Refugees"), N_("Refugees ({group})")),
    Metric.incidents: (N_("Incidents"), N_("Incidents ({group})")),
    Metric.cases: (N_("Cases"), N_("Cases ({group})")),
}
"""A figure of people, by metric: its label for the default group (people), and for a group the file names
('Civilians killed'; the metrics that are nouns put the group after: 'Refugees (children)')."""

THINGS = {
    Unit.households: N_("Households"),
    Unit.families: N_("Families"),
    Unit.buildings: N_("Buildings"),
    Unit.homes: N_("Homes"),
    Unit.schools: N_("Schools"),
    Unit.health_facilities: N_("Health facilities"),
    Unit.bridges: N_("Bridges"),
    Unit.water_points: N_("Water points"),
    Unit.shelters: N_("Shelters"),
    Unit.tents: N_("Tents"),
    Unit.kits: N_("Kits"),
    Unit.trucks: N_("Trucks"),
    Unit.missions: N_("Missions"),
    Unit.sites: N_("Sites"),
    Unit.aftershocks: N_("Aftershocks"),
}
"""What figures of things other than people count, as the start of their labels."""

DAMAGE_LABELS = {
    Unit.households: (N_("Households damaged"), N_("Households destroyed"), N_("Households damaged or destroyed")),
    Unit.families: (N_("Families damaged"), N_("Families destroyed"), N_("Families damaged or destroyed")),
    Unit.buildings: (N_("Buildings damaged"), N_("Buildings destroyed"), N_("Buildings damaged or destroyed")),
    Unit.homes: (N_("Homes damaged"), N_("Homes destroyed"), N_("Homes damaged or destroyed")),
    Unit.schools: (N_("Schools damaged"), N_("Schools destroyed"), N_("Schools damaged or destroyed")),
    Unit.health_facilities: (
        N_("Health facilities damaged"),
        N_("Health facilities destroyed"),
        N_("Health facilities damaged or destroyed"),
    ),
    Unit.bridges: (N_("Bridges damaged"), N_("Bridges destroyed"), N_("Bridges damaged or destroyed")),
    Unit.water_points: (
        N_("Water points damaged"),
        N_("Water points destroyed"),
        N_("Water points damaged or destroyed"),
    ),
    Unit.shelters: (N_("Shelters damaged"), N_("Shelters destroyed"), N_("Shelters damaged or destroyed")),
    Unit.tents: (N_("Tents damaged"), N_("Tents destroyed"), N_("Tents damaged or destroyed")),
    Unit.kits: (N_("Kits damaged"), N_("Kits destroyed"), N_("Kits damaged or destroyed")),
    Unit.trucks: (N_("Trucks damaged"), N_("Trucks destroyed"), N_("Trucks damaged or destroyed")),
    Unit.missions: (N_("Missions damaged"), N_("Missions destroyed"), N_("Missions damaged or destroyed")),
    Unit.sites: (N_("Sites damaged"), N_("Sites destroyed"), N_("Sites damaged or destroyed")),
    Unit.aftershocks: (N_("Aftershocks damaged"), N_("Aftershocks destroyed"), N_("Aftershocks damaged or destroyed")),
}
"""Damage to things, whole: a language may need each thing's own form ('Écoles endommagées', 'Bâtiments
endommagés')."""

THING_METRICS = {
    Metric.killed: N_("{things} killed"),
    Metric.injured: N_("{things} injured"),
    Metric.missing: N_("{things} missing"),
    Metric.displaced: N_("{things} displaced"),
    Metric.homeless: N_("{things} homeless"),
    Metric.refugees: N_("{things} refugees"),
    Metric.returned: N_("{things} returned"),
    Metric.detained: N_("{things} detained"),
    Metric.affected: N_("{things} affected"),
    Metric.in_need: N_("{things} in need"),
    Metric.targeted: N_("{things} targeted"),
    Metric.reached: N_("{things} reached"),
    Metric.delivered: N_("{things} delivered"),
    Metric.cases: N_("{things} cases"),
}
"""Other metrics of things: 'Households displaced', 'Trucks delivered'."""

DAMAGE_METRICS = (Metric.damaged, Metric.destroyed, Metric.damaged_or_destroyed)


def figure_label(figure: Figure) -> str:
    """'Civilians killed', 'People in need'; for metrics that are nouns, 'Refugees (children)'; for things
    other than people, 'Buildings damaged', 'Health facilities damaged or destroyed', 'Aftershocks'."""
    if figure.label:
        return figure.label
    if figure.unit is Unit.people:
        default, named = PEOPLE_LABELS[figure.metric]
        label = _(default) if figure.group == "people" else _(named).format(group=figure.group)
        return label[:1].upper() + label[1:]
    if figure.metric in DAMAGE_METRICS:
        label = _(DAMAGE_LABELS[figure.unit][DAMAGE_METRICS.index(figure.metric)])
    elif figure.metric is Metric.incidents:
        label = _(THINGS[figure.unit])
    else:
        label = _(THING_METRICS[figure.metric]).format(things=_(THINGS[figure.unit]))
    return label if figure.group == "people" else _("{label} ({group})").format(label=label, group=figure.group)

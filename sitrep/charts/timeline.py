"""The timeline chart: the report's events on a day axis, with the period covered shaded."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..language import _, current, ngettext
from ..wording import day
from .svg import (
    MARGIN,
    PALETTE,
    SMALL_SIZE,
    WIDTH,
    Box,
    Chart,
    Line,
    Text,
    box_at,
    chart_id,
    chart_size,
    heading_texts,
    legend_swatches,
    line_at,
    render_chart,
    rounded,
    short_day,
    text_at,
)
from .text import Part, clean, wrap

if TYPE_CHECKING:
    from ..view import EntryView, ReportView


@dataclass(frozen=True)
class DayTick:
    """A day on the axis: the tick at its start, and its name centred over it when there is room."""

    tick: Line
    label: Text | None


@dataclass(frozen=True)
class EventMark:
    """An event's numbered marker (the number of its row in the timeline table) and its short label."""

    number: int
    x: float
    y: float
    radius: float
    outside: bool
    numeral: Text
    label: tuple[Text, ...]


@dataclass(frozen=True)
class TimelineChart(Chart):
    period: Box
    period_edges: tuple[Line, ...]
    axis: Line
    days: tuple[DayTick, ...]
    events: tuple[EventMark, ...]
    empty: Text | None


RADIUS = 6.0
EVENT_LINES = 2
MIN_LABEL = 96.0
"""Room kept for each event's label before the next marker in its row, in points."""
ROW_HEIGHT = 2 * SMALL_SIZE * 1.2 + 6


def timeline_chart(view: ReportView, *, title: str | None = None, html: bool = False) -> str:
    """A timeline of the report's events on a day axis, with the period covered shaded: an SVG file, or with
    ``html`` the chart for the report's pages (``sitrep.charts.svg.render_chart``).

    Each event is a marker numbered as its row in the timeline table (events in date order)
    with the first words of its text; events of one day are stacked, and events before the
    period are outlined instead of filled.
    """
    title = title or _("Timeline of events")
    events = view.events  # in date order, as numbered in the timeline table
    first = min([view.period_start, *(e.on for e in events)])
    last = max([view.period_end, *(e.on for e in events)])
    count = (last - first).days + 1
    right_edge = WIDTH - MARGIN
    slot = min(
        (right_edge - MARGIN) / count,
        (right_edge - RADIUS - 4 - MIN_LABEL - MARGIN) / (count - 0.5) if events else math.inf,
    )

    def centre(value: date) -> float:
        return MARGIN + ((value - first).days + 0.5) * slot

    subtitle = _(
        "Each marker is numbered as its row in the timeline table, with the first words of the event. "
        "Shaded: the period this report covers, {period}."
    ).format(period=view.period)
    heading, y = heading_texts(title, subtitle, 0)
    entries = [("period", _("Period covered"))] + ([("event", _("Event in the period"))] if events else [])
    if any(e.on > view.period_end for e in events):
        entries.append(("outside", _("Event outside the period")))
    elif any(e.on < view.period_start for e in events):
        entries.append(("outside", _("Event before the period")))
    legend, y = legend_swatches(entries, y)
    axis_y = y + 26
    rows = _event_rows([centre(e.on) for e in events])
    marks = []
    for index, (event, row) in enumerate(zip(events, rows, strict=True), start=1):
        x = centre(event.on)
        mark_y = axis_y + 12 + RADIUS + row * ROW_HEIGHT
        limit = min(
            [
                centre(other.on) - RADIUS - 5
                for other, other_row in zip(events, rows, strict=True)
                if other_row == row and other.on > event.on
            ]
            or [right_edge]
        )
        lines = wrap([Part(event.text)], limit - (x + RADIUS + 3), SMALL_SIZE, EVENT_LINES)
        top = mark_y + SMALL_SIZE * 0.35 - (len(lines) - 1) * SMALL_SIZE * 0.6
        label = tuple(
            text_at(x + RADIUS + 3, top + i * SMALL_SIZE * 1.2, line, SMALL_SIZE) for i, line in enumerate(lines)
        )
        outside = event.on < view.period_start or event.on > view.period_end
        marks.append(
            EventMark(
                index,
                rounded(x),
                rounded(mark_y),
                RADIUS,
                outside,
                text_at(
                    x,
                    mark_y + SMALL_SIZE * 0.36,
                    [Part(current().shown(str(index)), bold=True)],
                    SMALL_SIZE,
                    "middle",
                    PALETTE.ink if outside else PALETTE.paper,
                ),
                label,
            )
        )
    bottom = axis_y + 12 + (max(rows) + 1) * ROW_HEIGHT if events else axis_y + 24
    empty = (
        None
        if events
        else text_at(
            MARGIN + 4, axis_y + 16, [Part(_("No events are recorded in this report."))], SMALL_SIZE, fill=PALETTE.muted
        )
    )
    axis_left, axis_right = MARGIN, MARGIN + count * slot
    period_left, period_right = centre(view.period_start) - slot / 2, centre(view.period_end) + slot / 2
    chart = TimelineChart(
        id=chart_id("timeline", view.crisis, view.edition),
        **chart_size(bottom + 4),
        title=clean(_("{title}, {start} to {end}").format(title=title, start=day(first), end=day(last))),
        description=_timeline_description(view, title, marks, first, last),
        heading=tuple(heading),
        legend=tuple(legend),
        period=box_at(period_left, axis_y - 20, period_right - period_left, bottom - axis_y + 20),
        period_edges=(
            line_at(period_left, axis_y - 20, period_left, axis_y),
            line_at(period_right, axis_y - 20, period_right, axis_y),
        ),
        axis=line_at(axis_left, axis_y, axis_right, axis_y),
        days=_day_ticks(first, count, slot, axis_y, view.as_of_day.year),
        events=tuple(marks),
        empty=empty,
    )
    return render_chart("timeline.svg", chart, html=html)


def _event_rows(centres: list[float]) -> list[int]:
    """A row for each event, in order: the first row whose last label ends before this marker.

    Events of one day fall in different rows, so they stack; a label keeps at least
    MIN_LABEL points before the next marker in its row.
    """
    ends: list[float] = []
    rows = []
    for x in centres:
        row = next((i for i, end in enumerate(ends) if end <= x - RADIUS - 5), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = x + RADIUS + 3 + MIN_LABEL
        rows.append(row)
    return rows


def _day_ticks(first: date, count: int, slot: float, axis_y: float, year: int) -> tuple[DayTick, ...]:
    """A tick between days (when days are wide enough to tell apart) and day names, every day or every few weeks."""
    every = next(n for n in itertools.count(1) if n * slot >= 30 and (n < 3 or n % 7 == 0))
    ticks = []
    for index in range(count + 1):
        labelled = index < count and index % every == 0
        if slot < 3 and not labelled:
            continue
        x = MARGIN + index * slot
        label = None
        if labelled:
            label = text_at(
                x + slot / 2 if every == 1 else x,
                axis_y - 5,
                [Part(short_day(first + timedelta(days=index), year))],
                SMALL_SIZE,
                "middle" if every == 1 else "start",
                PALETTE.muted,
            )
            if label.left + label.width > WIDTH - MARGIN:
                label = None
        ticks.append(DayTick(line_at(x, axis_y - 3, x, axis_y + 3), label))
    return tuple(ticks)


def _timeline_description(view: ReportView, title: str, marks: list[EventMark], first: date, last: date) -> str:
    """The timeline in words, for screen readers: the period, then each day's events as the chart labels them."""
    events: tuple[EntryView, ...] = view.events
    period = _("The period covered by this report, {period}, is shaded.").format(period=view.period)
    if not events:
        return clean(_("{title}. No events are recorded. {period}").format(title=title, period=period))
    by_day: dict[str, list[str]] = {}  # by the day as the sources gave it: 'March 2025' for a month
    shown_number = current().shown
    for mark, event in zip(marks, events, strict=True):
        shown = " ".join(part.text for text in mark.label for part in text.parts)
        by_day.setdefault(event.when or day(event.on), []).append(
            f"{shown_number(str(mark.number))}. {shown}" if shown else shown_number(str(mark.number))
        )
    days = " ".join(_("{day}: {events}").format(day=d, events=" ".join(said)) for d, said in by_day.items())
    said = ngettext(
        "{title}: {count} event from {start} to {end}, numbered as in the timeline table.",
        "{title}: {count} events from {start} to {end}, numbered as in the timeline table.",
        len(events),
    )
    return clean(
        said.format(title=title, count=shown_number(str(len(events))), start=day(first), end=day(last))
        + f" {period} {days}"
    )

"""The key-figures chart: each source's current number as a bar, its earlier numbers marked on it.

It draws what the view says, never more: a figure is one row, with one bar per source (the
figure's lead first), each labelled with its number as the source worded it ("at least 111,
verified"), the source and the day. A source's earlier numbers are its history: open circles on
its bar, listed under it with their days, never the ends of a range. Only a range one source gave
is hatched. A note beside a figure in the report (a total older or smaller than a part of it) is
printed under its row, so no part is drawn longer than its total without a word of why.

Figures of very different size do not share a scale, where the small ones would vanish: when the
largest number of a group would be more than ``SCALE_RATIO`` times a figure's largest, the figure
goes into another panel, with its own axis. No bar of a number above zero is drawn thinner than
``MIN_BAR``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from ..language import _, listed
from ..wording import day, number
from .svg import (
    LABEL_SIZE,
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
from .text import Part, clean, text_width, wrap

if TYPE_CHECKING:
    from ..figure_view import ClaimView, FigureView, SeriesView

SCALE_RATIO = 100
"""Figures whose largest numbers differ by more than this factor are drawn in separate panels."""
LABEL_WIDTH = 124.0
PLOT_LEFT = MARGIN + LABEL_WIDTH + 10
BAR_HEIGHT = 9.0
MIN_BAR = 1.5
"""Narrowest bar for a number above zero, in points: however large the others, it stays visible."""
EARLIER_RADIUS = 2.2
LINE = SMALL_SIZE * 1.25
"""From one line of small text to the next."""
DESCENT = SMALL_SIZE * 0.3
"""Below a line's baseline, the room its letters take."""


@dataclass(frozen=True)
class Tick:
    """A value on the axis: its gridline and its label."""

    value: int
    grid: Line
    label: Text


@dataclass(frozen=True)
class Mark:
    """An earlier number of the same source: an open circle on its bar."""

    cx: float
    cy: float
    r: float


@dataclass(frozen=True)
class Bar:
    """One source's current number: the bar (and the rest of a range the source gave), its label, and
    its earlier numbers marked on it and listed under it."""

    solid: Box
    extension: Box | None
    earlier: tuple[Mark, ...]
    texts: tuple[Text, ...]
    bottom: float


@dataclass(frozen=True)
class Row:
    """One figure: its label, a bar per source, and the notes the report prints beside it."""

    figure_id: str
    label: tuple[Text, ...]
    bars: tuple[Bar, ...]
    notes: tuple[Text, ...]
    rule: Line | None
    bottom: float


@dataclass(frozen=True)
class Panel:
    """Figures of similar size, on one scale from zero."""

    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    axis: Line
    bottom: float


@dataclass(frozen=True)
class FiguresChart(Chart):
    panels: tuple[Panel, ...]


def nice_scale(largest: int) -> tuple[int, int]:
    """The axis end and step: the smallest round step (1, 2, 2.5 or 5 times a power of ten) giving at most 5 steps."""
    if largest <= 0:
        return 1, 1
    exponent = 0
    while True:
        for factor in (10, 20, 25, 50):
            step = factor * 10**exponent // 10
            if step >= 1 and factor * 10**exponent % 10 == 0 and math.ceil(largest / step) <= 5:
                return math.ceil(largest / step) * step, step
        exponent += 1


def largest(figure: FigureView) -> int:
    """The largest number drawn for a figure: any source's current or earlier number, but not one withdrawn
    (it is written under the bar, not drawn, so it must not set the scale)."""
    return max((claim.high for claim in figure.claims if not claim.withdrawn), default=0)


def panels_of(figures: Sequence[FigureView]) -> list[list[FigureView]]:
    """The figures in panels of one unit and similar size: people are never drawn on the scale of buildings,
    and no panel's largest number is more than SCALE_RATIO times any of its figures' largest. Where figures
    must be split, they are split at the widest gap in size (the largest ratio between one figure and the next
    smaller), so that figures of like size stay together. Panels come in the order of their first figure;
    figures keep their order."""
    order = {figure.id: index for index, figure in enumerate(figures)}
    units = dict.fromkeys(figure.unit for figure in figures)
    panels = [
        sorted(group, key=lambda f: order[f.id])
        for unit in units
        for group in _split(sorted((f for f in figures if f.unit == unit), key=largest, reverse=True))
    ]
    return sorted(panels, key=lambda panel: order[panel[0].id])


def _split(ranked: list[FigureView]) -> list[list[FigureView]]:
    """``ranked`` (largest first) cut at its widest gaps until each part fits one scale."""
    sizes = [max(largest(figure), 1) for figure in ranked]
    if sizes[0] <= SCALE_RATIO * sizes[-1]:
        return [ranked]
    cut = max(range(1, len(ranked)), key=lambda i: sizes[i - 1] / sizes[i])
    return [*_split(ranked[:cut]), *_split(ranked[cut:])]


def figures_chart(figures: Sequence[FigureView], as_of: date, *, title: str | None = None, html: bool = False) -> str:
    """A bar chart of ``figures`` (the view's), one row each: a bar per source's current number; an SVG file,
    or with ``html`` the chart for the report's pages (``sitrep.charts.svg.render_chart``)."""
    if not figures:
        raise ValueError("figures_chart needs at least one figure")
    title = title or _("Key figures")
    panels = panels_of(figures)
    subtitle = _(
        "Each source's current number as of {day}, as the source worded it, with its source and day; "
        "earlier numbers of the same source are marked on its bar. Nothing has been added up, averaged "
        "or chosen."
    ).format(day=day(as_of))
    if len(panels) > 1:
        subtitle += " " + _(
            "Figures of different units or of very different size are drawn in separate panels, each on its own scale."
        )
    heading, y = heading_texts(title, subtitle, 0)
    claims = [claim for figure in figures for claim in figure.claims]
    entries = [("solid", _("A source's current number"))]
    if any(claim.low < claim.high for claim in claims):
        entries.append(("hatch", _("Range given by one source")))
    if any(series.history for figure in figures for series in figure.series):
        entries.append(("earlier", _("Earlier number of the same source")))
    legend, y = legend_swatches(entries, y)
    drawn = []
    for panel in panels:
        drawn.append(_panel(panel, y + 10, as_of.year))
        y = drawn[-1].bottom + 4
    chart = FiguresChart(
        id=chart_id("figures", *(figure.id for figure in figures)),
        **chart_size(y + 2),
        title=clean(_("{title}: {figures}").format(title=title, figures=listed(f.plain_title for f in figures))),
        description=_description(title, day(as_of), figures),
        heading=tuple(heading),
        legend=tuple(legend),
        panels=tuple(drawn),
    )
    return render_chart("figures.svg", chart, html=html)


def _panel(figures: list[FigureView], top: float, year: int) -> Panel:
    end, step = nice_scale(max(largest(figure) for figure in figures))
    plot_right = WIDTH - MARGIN - text_width(number(end), SMALL_SIZE) / 2  # the last tick's label is centred on it
    scale = (plot_right - PLOT_LEFT) / end

    def at(value: int) -> float:
        return PLOT_LEFT + (max(value * scale, MIN_BAR) if value else 0)

    y, rows = top, []
    for index, figure in enumerate(figures):
        row = _row(figure, y, at, year)
        rows.append(replace(row, rule=None) if index == 0 else row)
        y = row.bottom
    axis_y = y + 2
    ticks = tuple(
        Tick(
            value,
            line_at(at(value), top - 4, at(value), axis_y),
            text_at(at(value), axis_y + 10, [Part(number(value))], SMALL_SIZE, "middle", PALETTE.muted),
        )
        for value in range(0, end + 1, step)
    )
    return Panel(tuple(rows), ticks, line_at(PLOT_LEFT, axis_y, plot_right, axis_y), rounded(axis_y + 14))


def _row(figure: FigureView, top: float, at: Callable[[int], float], year: int) -> Row:
    label_lines = wrap([Part(figure.plain_title)], LABEL_WIDTH, LABEL_SIZE, max_lines=4)
    first_middle = top + 2 + BAR_HEIGHT / 2
    label = tuple(
        text_at(MARGIN, first_middle + LABEL_SIZE * 0.35 + i * LABEL_SIZE * 1.2, line, LABEL_SIZE)
        for i, line in enumerate(label_lines)
    )
    y, bars = top + 2, []
    for series in figure.series:
        for claim in series.current:
            bars.append(_bar(series, claim, y, at, year))
            y = bars[-1].bottom + 3
        if not series.current:  # every number of this source is withdrawn: its history alone
            bars.append(_history_only(series, y, year))
            y = bars[-1].bottom + 3
    notes: list[Text] = []
    for note in figure.notes:
        said = _("Note: {note}").format(note="".join(phrase.text for phrase in note))
        for line in wrap([Part(said)], WIDTH - MARGIN - PLOT_LEFT, SMALL_SIZE):
            y += LINE
            notes.append(text_at(PLOT_LEFT, y, line, SMALL_SIZE, fill=PALETTE.muted))
    bottom = max([y, *(t.y + 3 for t in label)])
    return Row(
        figure.id,
        label,
        tuple(bars),
        tuple(notes),
        line_at(MARGIN, top - 5, WIDTH - MARGIN, top - 5),
        rounded(bottom + 10),
    )


def _bar(series: SeriesView, claim: ClaimView, top: float, at: Callable[[int], float], year: int) -> Bar:
    """The bar, its label beside it (or under it when there is no room) and its history under it.

    ``y`` runs down the lines of text under the bar: each line's baseline is one LINE below the last.
    """
    middle = top + BAR_HEIGHT / 2
    solid = box_at(PLOT_LEFT, top, at(claim.low) - PLOT_LEFT, BAR_HEIGHT)
    extension = (
        box_at(at(claim.low), top, at(claim.high) - at(claim.low), BAR_HEIGHT) if claim.high > claim.low else None
    )
    earlier = tuple(
        Mark(rounded(at(value)), rounded(middle), EARLIER_RADIUS)
        for h in series.history
        if not h.withdrawn
        for value in sorted({h.low, h.high})
    )
    reach = max([at(claim.high), *(mark.cx + EARLIER_RADIUS for mark in earlier)])
    parts = [
        Part(claim.labelled, bold=True),
        Part(_("{source}, {day}").format(source=series.source, day=short_day(claim.on, year))),
    ]
    beside = text_at(reach + 4, middle + SMALL_SIZE * 0.35, _spaced(parts), SMALL_SIZE)
    under = text_at(reach, top + BAR_HEIGHT + LINE, _spaced(parts), SMALL_SIZE, "end")
    texts, y = [], top + BAR_HEIGHT
    if beside.left + beside.width <= WIDTH - MARGIN:
        texts.append(beside)
    elif under.left >= PLOT_LEFT:  # no room beside the bar: under its end
        texts.append(under)
        y += LINE
    else:  # nor under its end: from the left, wrapped
        for line in wrap(_spaced(parts), WIDTH - MARGIN - PLOT_LEFT, SMALL_SIZE):
            y += LINE
            texts.append(text_at(PLOT_LEFT, y, line, SMALL_SIZE))
    if series.history:
        y = _history_lines(series, y, texts, year)
    return Bar(solid, extension, earlier, tuple(texts), rounded(y + DESCENT))


def _history_only(series: SeriesView, top: float, year: int) -> Bar:
    texts: list[Text] = []
    y = _history_lines(series, top - LINE + SMALL_SIZE, texts, year)
    return Bar(box_at(PLOT_LEFT, top, 0, 0), None, (), tuple(texts), rounded(y + DESCENT))


def _history_lines(series: SeriesView, y: float, texts: list[Text], year: int) -> float:
    """'SOHR, earlier: 745 (8 Mar), 1,068 (9 Mar)' under a bar, wrapped; returns the y below it."""
    said = listed(
        (_("{number} ({day}, withdrawn)") if h.withdrawn else _("{number} ({day})")).format(
            number=h.labelled, day=short_day(h.on, year)
        )
        for h in series.history
    )
    history = _("{source}, earlier: {numbers}").format(source=series.source, numbers=said)
    for line in wrap([Part(history)], WIDTH - MARGIN - PLOT_LEFT, SMALL_SIZE):
        y += LINE
        texts.append(text_at(PLOT_LEFT, y, line, SMALL_SIZE, fill=PALETTE.muted))
    return y


def _spaced(parts: list[Part]) -> tuple[Part, ...]:
    """Runs of text with a space between them."""
    return tuple(part if index == 0 else Part(" " + part.text, part.bold) for index, part in enumerate(parts))


def _description(title: str, as_of: str, figures: Sequence[FigureView]) -> str:
    """The chart in words, for screen readers: every figure, every source's numbers, every note."""
    sentences = [_("Bar chart. {title}, as of {day}.").format(title=title, day=as_of)]
    for figure in figures:
        said = []
        for series in figure.series:
            now = _(" or ").join(
                _("{number} ({day})").format(number=c.labelled, day=c.as_of) for c in series.current
            ) or _("no current number")
            earlier = listed(
                (_("{number} ({day}, withdrawn)") if h.withdrawn else _("{number} ({day})")).format(
                    number=h.labelled, day=h.as_of
                )
                for h in series.history
            )
            said.append(
                _("{source}: {numbers}, earlier {earlier}").format(source=series.source, numbers=now, earlier=earlier)
                if earlier
                else _("{source}: {numbers}").format(source=series.source, numbers=now)
            )
        notes = " ".join("".join(phrase.text for phrase in note) for note in figure.notes)
        sentences.append(
            _("{figure}: {numbers}.").format(figure=figure.title, numbers=listed(said, "; "))
            + (f" {notes}" if notes else "")
        )
    return clean(" ".join(sentences))

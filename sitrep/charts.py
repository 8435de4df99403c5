"""Charts for the report: the key figures as bars on one scale, and the timeline of events.

How, and why this way rather than with a plotting library (matplotlib, plotly, vega):

- Python computes every position here, from the report and from ``sitrep.view`` (labels,
  formatted numbers, citations); two small Jinja templates, ``templates/charts/*.svg``, only
  lay the computed shapes out as SVG, as the report templates lay out the view.
- Nothing heavy is imported: Jinja is already loaded to render the report, and text is
  measured with a table of the report font's glyph widths, not with a font engine.
- The same report gives the same bytes: no random ids, no clock, coordinates rounded
  to a hundredth of a point.
- Fonts and colours are ours: text is set in the report's "Report Sans" (Noto Sans, with a
  generic sans-serif fallback for SVG files opened on their own), in the report's accent
  colour and greys. Text stays text, so the PDF's charts can be searched, copied and read
  aloud, and print sharply at any size.
- Print first: the SVG is 170 mm wide (the text width of an A4 page) and its user unit is
  the point, so a font size in the file is its printed size; no text is smaller than 7 pt.
  Nothing is told by colour alone: ranges are hatched, events before the period are
  outlined rather than filled, and every bar and marker carries its own label.
- The templates are rendered by the report's HTML environment (autoescaped, strict), so
  any text from the input, however hostile, stays text in the SVG.

The charts follow the view's rules: no number is invented, dropped, added up or chosen.
A figure whose sources differ is drawn as a range, a solid bar up to the lowest estimate and
a hatched extension up to the highest, and below it every estimate is marked on the same
scale and labelled with its number, worded as its source worded it, and with its source.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .model import MONTH_NAMES, Estimate, Event, Report
from .view import Citation, FigureView, day, estimate_number, make_view, number

WIDTH_MM = 170
"""Printed width: the text width of an A4 page with the report's margins, less a little."""
WIDTH = round(WIDTH_MM * 72 / 25.4, 2)
"""Width in user units, which are points at the printed width."""
FONT_FAMILY = "'Report Sans', sans-serif"
MIN_TEXT = 7.0
"""Smallest text, in points at the printed width."""


@dataclass(frozen=True)
class Palette:
    """One accent colour (the report's) and greys: it reads the same printed in black and white."""

    accent: str = "#0a5a9c"
    accent_light: str = "#e3edf7"
    ink: str = "#1b1b1b"
    muted: str = "#555555"
    grid: str = "#d0d0d0"
    rule: str = "#e3e3e3"
    paper: str = "#ffffff"


PALETTE = Palette()

# ---------------------------------------------------------------------------
# Measuring text

# Advance widths (thousandths of an em) of the printable ASCII characters, ' ' to '~', in the
# bundled Noto Sans Regular and Bold, read from the fonts' hmtx tables.
_REGULAR = (260, 269, 408, 646, 572, 831, 732, 225, 300, 300, 551, 572, 268, 322, 268, 372, 572, 572, 572, 572, 572,
            572, 572, 572, 572, 572, 268, 268, 572, 572, 572, 434, 899, 639, 650, 632, 730, 556, 519, 728, 741, 339,
            273, 619, 524, 907, 760, 781, 605, 781, 622, 549, 556, 731, 600, 930, 586, 566, 572, 329, 372, 329, 572,
            444, 281, 561, 615, 480, 615, 564, 344, 615, 618, 258, 258, 534, 258, 935, 618, 605, 615, 615, 413, 479,
            361, 618, 508, 786, 529, 510, 470, 380, 551, 380, 572)
_BOLD = (260, 286, 472, 646, 572, 901, 750, 266, 339, 339, 545, 572, 285, 322, 285, 413, 572, 572, 572, 572, 572, 572,
         572, 572, 572, 572, 285, 285, 572, 572, 572, 477, 897, 690, 672, 637, 740, 560, 549, 724, 765, 389, 331, 664,
         565, 943, 813, 796, 628, 796, 660, 551, 579, 756, 650, 967, 667, 624, 579, 331, 413, 331, 572, 411, 362, 604,
         633, 514, 633, 591, 387, 633, 657, 305, 305, 620, 305, 982, 657, 619, 633, 633, 454, 497, 434, 657, 569, 856,
         578, 569, 488, 394, 551, 394, 572)
_OTHER = {"…": (791, 855), "–": (500, 500), "—": (1000, 1000), "‘": (175, 217), "’": (175, 217), "“": (359, 445),
          "”": (359, 445), "\u00a0": (260, 260), "·": (268, 285), "×": (572, 572)}
_UNKNOWN = 720
"""Width assumed for a character outside the table: wider than most, so that text never overflows."""
_SLACK = 1.04
"""Room for a fallback font slightly wider than Noto Sans, when an SVG file is opened on its own."""
ELLIPSIS = "…"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` set in Report Sans at ``size`` points, in points (slightly generous)."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += table[code - 32]
        elif char in _OTHER:
            total += _OTHER[char][bold]
        elif unicodedata.combining(char):
            continue
        elif 32 <= ord(base := unicodedata.normalize("NFD", char)[0]) < 127:
            total += table[ord(base) - 32]  # an accented Latin letter is as wide as its letter
        else:
            total += 1000 if unicodedata.east_asian_width(char) in "WF" else _UNKNOWN
    return total * size / 1000 * _SLACK


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """One line of text, without characters XML cannot carry (the loader refuses them already)."""
    return " ".join(_NOT_XML.sub("\ufffd", text).split())


# ---------------------------------------------------------------------------
# Shapes the templates draw; every number in them is final


def _r(value: float) -> float:
    """A coordinate rounded to a hundredth of a point, so that the bytes do not depend on float noise."""
    rounded = round(value, 2)
    return 0.0 if rounded == 0 else rounded


@dataclass(frozen=True)
class Part:
    """A run of text in one weight."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Text:
    """One line of text; ``anchor`` is SVG's text-anchor (start, middle, end)."""

    x: float
    y: float
    parts: tuple[Part, ...]
    size: float
    anchor: str = "start"
    fill: str = PALETTE.ink

    @property
    def width(self) -> float:
        return sum(text_width(part.text, self.size, part.bold) for part in self.parts)

    @property
    def left(self) -> float:
        return self.x - {"start": 0, "middle": self.width / 2, "end": self.width}[self.anchor]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a small drawing of ``kind`` in ``box`` (centred on cx, cy) and its text."""

    kind: str
    box: Box
    cx: float
    cy: float
    points: str
    text: Text


def diamond(x: float, y: float, size: float) -> str:
    """The points of a diamond marker centred on x, y, for a polygon."""
    return " ".join(f"{_r(px)},{_r(py)}" for px, py in ((x, y - size), (x + size, y), (x, y + size), (x - size, y)))


def _text(x: float, y: float, parts: Sequence[Part], size: float, anchor: str = "start",
          fill: str = PALETTE.ink) -> Text:
    return Text(_r(x), _r(y), tuple(parts), size, anchor, fill)


def _box(x: float, y: float, width: float, height: float) -> Box:
    return Box(_r(x), _r(y), _r(width), _r(height))


def _line(x1: float, y1: float, x2: float, y2: float) -> Line:
    return Line(_r(x1), _r(y1), _r(x2), _r(y2))


# ---------------------------------------------------------------------------
# Wrapping and cutting text


def _words(parts: Sequence[Part]) -> list[Part]:
    """The words of ``parts``; a number keeps the word after it on its line ('11 March', '745 civilians')."""
    words: list[Part] = []
    for part in parts:
        for word in _clean(part.text).split(" "):
            if not word:
                continue
            if words and words[-1].bold == part.bold and re.fullmatch(r"[\d,.–-]+", words[-1].text):
                words[-1] = Part(f"{words[-1].text} {word}", part.bold)
            else:
                words.append(Part(word, part.bold))
    return words


def _join(words: Sequence[Part]) -> tuple[Part, ...]:
    """Words back into runs of one weight, with the spaces between them."""
    runs: list[Part] = []
    for word in words:
        if runs and runs[-1].bold == word.bold:
            runs[-1] = Part(f"{runs[-1].text} {word.text}", word.bold)
        else:
            runs.append(Part(f" {word.text}" if runs else word.text, word.bold))
    return tuple(runs)


def _width(words: Sequence[Part], size: float) -> float:
    return sum(text_width(part.text, size, part.bold) for part in _join(words))


def _cut(word: Part, width: float, size: float, ellipsis: str = "") -> Part:
    """The longest start of ``word`` that fits ``width`` with ``ellipsis`` after it."""
    room = width - text_width(ellipsis, size, word.bold)
    used, end = 0.0, 0
    for char in word.text:
        used += text_width(char, size, word.bold)
        if used > room:
            break
        end += 1
    return Part(word.text[:end] + ellipsis if end else "", word.bold)


def wrap(parts: Sequence[Part], width: float, size: float, max_lines: int | None = None) -> list[tuple[Part, ...]]:
    """Lines of at most ``width`` points; past ``max_lines``, cut after a whole word with an ellipsis.

    Only a word too long for a line of its own (a pasted address, hostile input) is broken inside.
    """
    words: list[Part] = []
    for word in _words(parts):
        while text_width(word.text, size, word.bold) > width:
            head = _cut(word, width, size)
            if not head.text:  # not even one character fits
                return []
            words.append(head)
            word = Part(word.text[len(head.text):], word.bold)
        words.append(word)
    lines: list[list[Part]] = []
    for word in words:
        if lines and _width([*lines[-1], word], size) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    if max_lines is None or len(lines) <= max_lines:
        return [_join(line) for line in lines]
    return [_join(line) for line in _ellipsize(lines[:max_lines], width, size)]


def _ellipsize(lines: list[list[Part]], width: float, size: float) -> list[list[Part]]:
    """``lines`` shortened by whole words from the end until the last one fits with an ellipsis after its last word."""
    first = lines[0][0]
    while lines:
        line = lines[-1]
        while line:
            last = Part(line[-1].text.rstrip(",;:.") + ELLIPSIS, line[-1].bold)
            if _width([*line[:-1], last], size) <= width:
                return [*lines[:-1], [*line[:-1], last]]
            line.pop()
        lines.pop()
    cut = _cut(first, width, size, ELLIPSIS)  # one word filling the first line: no whole word can stay
    return [[cut]] if cut.text != ELLIPSIS else []


# ---------------------------------------------------------------------------
# Dates, shortened for the small space of a chart


def short_day(value: date, year: int | None = None) -> str:
    """``8 Mar``; the year is added when it is not ``year`` (the report's): ``30 Dec 2024``."""
    text = f"{value.day} {MONTH_NAMES[value.month - 1][:3]}"
    return text if value.year == year else f"{text} {value.year}"


def _short_citation(citation: Citation, when: date, year: int) -> str:
    """The view's citation with its date shortened: 'SOHR via Reuters, 8 Mar'."""
    full = f", {day(when)}"
    if citation.text.endswith(full):
        return f"{citation.text.removesuffix(full)}, {short_day(when, year)}"
    return citation.text


def _chart_id(kind: str, *keys: str) -> str:
    """An id for the chart's patterns, the same for the same chart, different for different charts in one page."""
    digest = hashlib.sha256("\x1f".join((kind, *keys)).encode("utf-8")).hexdigest()[:10]
    return f"sitrep-{kind}-{digest}"


# ---------------------------------------------------------------------------
# Heading and legend, shared by both charts

TITLE_SIZE = 9.5
SUBTITLE_SIZE = 7.5
LABEL_SIZE = 8.0
SMALL_SIZE = MIN_TEXT
MARGIN = 2.0


def _heading(title: str, subtitle: str, y: float) -> tuple[list[Text], float]:
    """Title and subtitle lines from ``y`` down; returns them and the y below them."""
    texts = []
    for line in wrap([Part(title, bold=True)], WIDTH - 2 * MARGIN, TITLE_SIZE):
        y += TITLE_SIZE * 1.25
        texts.append(_text(MARGIN, y, line, TITLE_SIZE))
    y += 1.5
    for line in wrap([Part(subtitle)], WIDTH - 2 * MARGIN, SUBTITLE_SIZE):
        y += SUBTITLE_SIZE * 1.3
        texts.append(_text(MARGIN, y, line, SUBTITLE_SIZE, fill=PALETTE.muted))
    return texts, y


def _legend(entries: Sequence[tuple[str, str]], y: float) -> tuple[list[Swatch], float]:
    """Swatches and their texts in a row from the left, wrapping; returns them and the y below them."""
    swatches = []
    x, size, key = MARGIN, SMALL_SIZE, 12.0
    y += 6
    for kind, label in entries:
        width = key + 3 + text_width(label, size)
        if x > MARGIN and x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + size * 1.6
        box = _box(x, y, key, size * 0.9)
        cx, cy = x + key / 2, y + size * 0.45
        swatches.append(Swatch(kind, box, _r(cx), _r(cy), diamond(cx, cy, DIAMOND),
                               _text(x + key + 3, y + size * 0.8, [Part(label)], size, fill=PALETTE.muted)))
        x += width + 10
    return swatches, y + size * 1.1


def _render(template: str, **values: object) -> str:
    from .render import builtin_templates, environment

    env = environment("html", [builtin_templates()])  # autoescaped: text from the input stays text
    return env.get_template(f"charts/{template}").render(palette=PALETTE, font_family=FONT_FAMILY, **values)


# ---------------------------------------------------------------------------
# Figures: bars on one scale


@dataclass(frozen=True)
class Tick:
    """A value on the axis: its gridline and its label."""

    value: int
    grid: Line
    label: Text


@dataclass(frozen=True)
class Lane:
    """One estimate (or several giving the same number in the same words) marked on the row's scale.

    ``marks`` are diamond markers (polygon points) at the estimate's number, or at both ends
    of an estimate that is itself a range, which ``span`` joins.
    """

    marks: tuple[str, ...]
    span: Line | None
    texts: tuple[Text, ...]
    bottom: float


@dataclass(frozen=True)
class Row:
    """One figure: its label, its bar (and the range's extension), and its estimates' labels."""

    figure_id: str
    label: tuple[Text, ...]
    solid: Box
    extension: Box | None
    end_label: Text | None
    lanes: tuple[Lane, ...]
    rule: Line | None
    bottom: float


@dataclass(frozen=True)
class Chart:
    """What every chart has: an id, its printed and user-unit size, a title and description, heading, legend."""

    id: str
    width_mm: float
    width: float
    height_mm: float
    height: float
    title: str
    description: str
    heading: tuple[Text, ...]
    legend: tuple[Swatch, ...]


def _size(height: float) -> dict[str, float]:
    """The size fields of a chart ``height`` points high, at the report's printed width."""
    return {"width_mm": WIDTH_MM, "width": WIDTH, "height_mm": _r(height * 25.4 / 72), "height": _r(height)}


@dataclass(frozen=True)
class FiguresChart(Chart):
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    axis: Line


LABEL_WIDTH = 124.0
PLOT_LEFT = MARGIN + LABEL_WIDTH + 10
BAR_HEIGHT = 11.0
LANE_HEIGHT = 9.6
DIAMOND = 2.8


@dataclass(frozen=True)
class _Group:
    """Estimates of one figure that give the same number in the same words, with their sources."""

    low: int
    high: int
    number: str
    citations: tuple[Citation, ...]
    short: tuple[str, ...]

    def parts(self) -> tuple[Part, ...]:
        """The number in bold, then its sources."""
        return _join(_words([Part(self.number, bold=True), Part("; ".join(self.short))]))


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


def _groups(estimates: Sequence[Estimate], view: FigureView, year: int) -> list[_Group]:
    """The figure's estimates by number as worded, lowest first; the view's estimates are in the same order."""
    found: dict[str, list[tuple[Estimate, Citation]]] = {}
    for estimate, shown in zip(estimates, view.estimates, strict=True):
        found.setdefault(estimate_number(estimate), []).append((estimate, shown.citation))
    groups = [_Group(items[0][0].bounds[0], items[0][0].bounds[1], text, tuple(c for _, c in items),
                     tuple(_short_citation(c, e.as_of, year) for e, c in items)) for text, items in found.items()]
    return sorted(groups, key=lambda g: (g.low, g.high, g.number))


def figures_chart(report: Report, figure_ids: list[str], *, title: str = "Key figures") -> str:
    """An SVG bar chart of ``figure_ids``, one row each, on one linear scale from zero.

    A figure with one number is a bar labelled with its number and source. A figure whose
    estimates differ is a range: solid to the lowest estimate, hatched to the highest, with
    every estimate marked below it on the same scale, labelled with its number and source.
    """
    if not figure_ids:
        raise ValueError("figures_chart needs at least one figure id")
    unknown = [figure_id for figure_id in figure_ids if figure_id not in report.figures]
    if unknown:
        raise ValueError(f"no figure with id {', '.join(map(repr, unknown))} in the report")
    shown = make_view(report)
    views = {f.id: f for f in shown.casualties + shown.displacement_figures + shown.other_figures}
    labels = {i: _figure_label(views[i], report, i) for i in figure_ids}
    year = report.report.as_of.year
    groups = {i: _groups(report.figures[i].estimates, views[i], year) for i in figure_ids}
    end, step = nice_scale(max(g.high for i in figure_ids for g in groups[i]))
    plot_right = WIDTH - MARGIN - text_width(number(end), SMALL_SIZE) / 2  # the last tick's label is centred on it
    scale = (plot_right - PLOT_LEFT) / end

    def at(value: int) -> float:
        return PLOT_LEFT + value * scale

    subtitle = (f"Numbers as reported, as of {day(report.report.as_of.date())}, each with its source. Where sources "
                f"differ, the bar runs from the lowest to the highest estimate and every estimate is marked below it; "
                f"none has been added up, averaged or chosen.")
    heading, y = _heading(title, subtitle, 0)
    contested = any(len(groups[i]) > 1 or groups[i][0].low < groups[i][0].high for i in figure_ids)
    entries = [("solid", "Lowest estimate, or the only one")]
    if contested:
        entries += [("hatch", "Range up to the highest estimate"), ("diamond", "One source's estimate")]
    legend, y = _legend(entries, y)
    y += 10
    rows_top = y
    rows = []
    for index, figure_id in enumerate(figure_ids):
        row = _figure_row(figure_id, labels[figure_id], groups[figure_id], y, at)
        rows.append(replace(row, rule=None) if index == 0 else row)
        y = row.bottom
    axis_y = y + 2
    ticks = tuple(Tick(value, _line(at(value), rows_top - 4, at(value), axis_y),
                       _text(at(value), axis_y + 10, [Part(number(value))], SMALL_SIZE, "middle", PALETTE.muted))
                  for value in range(0, end + 1, step))
    height = axis_y + 14
    chart = FiguresChart(
        id=_chart_id("figures", *figure_ids),
        **_size(height),
        title=_clean(f"{title}: {', '.join(labels[i] for i in figure_ids)}"),
        description=_figures_description(title, report, figure_ids, labels, groups),
        heading=tuple(heading),
        legend=tuple(legend),
        rows=tuple(rows),
        ticks=ticks,
        axis=_line(PLOT_LEFT, axis_y, plot_right, axis_y),
    )
    return _render("figures.svg", chart=chart)


def _figure_label(view: FigureView, report: Report, figure_id: str) -> str:
    """The view's label and the figure's place, unless the label names it already: 'Civilians killed, Latakia'.

    The place's local name is left out: SVG text is not shaped for right-to-left scripts by
    every renderer (WeasyPrint draws Arabic letters unjoined).
    """
    location = report.figures[figure_id].location
    place = report.locations[location].name if location else None
    return f"{view.label}, {place}" if place and place not in view.label else view.label


def _figure_row(figure_id: str, label: str, groups: list[_Group], top: float, at) -> Row:
    low, high = groups[0].low, max(g.high for g in groups)
    bar_top = top + 2
    bar_middle = bar_top + BAR_HEIGHT / 2
    label_lines = wrap([Part(label)], LABEL_WIDTH, LABEL_SIZE, max_lines=4)
    label_texts = tuple(_text(MARGIN, bar_middle + LABEL_SIZE * 0.35 + i * LABEL_SIZE * 1.2, line, LABEL_SIZE)
                        for i, line in enumerate(label_lines))
    solid = _box(PLOT_LEFT, bar_top, at(low) - PLOT_LEFT, BAR_HEIGHT)
    extension = _box(at(low), bar_top, at(high) - at(low), BAR_HEIGHT) if high > low else None
    end_label = None
    lanes: list[Lane] = []
    beside = _text(at(high) + 4, bar_middle + SMALL_SIZE * 0.35, groups[0].parts(), SMALL_SIZE)
    under = _text(at(high), bar_top + BAR_HEIGHT + 2 + LANE_HEIGHT / 2 + SMALL_SIZE * 0.35, groups[0].parts(),
                  SMALL_SIZE, "end")
    if len(groups) == 1 and beside.left + beside.width <= WIDTH - MARGIN:
        end_label = beside
    elif len(groups) == 1 and under.left >= PLOT_LEFT:
        end_label = under
    else:
        y = bar_top + BAR_HEIGHT + 2
        for group in groups:
            lanes.append(_lane(group, y, at))
            y = lanes[-1].bottom
    bottom = max([bar_top + BAR_HEIGHT + 2, *(lane.bottom for lane in lanes),
                  *(t.y + 3 for t in (*label_texts, *([end_label] if end_label else [])))])
    rule = _line(MARGIN, top - 5, WIDTH - MARGIN, top - 5)
    return Row(figure_id, label_texts, solid, extension, end_label, tuple(lanes), rule, _r(bottom + 10))


def _lane(group: _Group, top: float, at) -> Lane:
    """The group's marker on the scale and its label beside it, or wrapped under it when too long."""
    middle = top + LANE_HEIGHT / 2
    baseline = middle + SMALL_SIZE * 0.35
    left, right = at(group.low), at(group.high)
    marks = tuple(diamond(x, middle, DIAMOND) for x in sorted({left, right}))
    span = _line(left, middle, right, middle) if left != right else None
    after = _text(right + DIAMOND + 3, baseline, group.parts(), SMALL_SIZE)
    before = _text(left - DIAMOND - 3, baseline, group.parts(), SMALL_SIZE, "end")
    if after.left + after.width <= WIDTH - MARGIN:
        return Lane(marks, span, (after,), _r(top + LANE_HEIGHT))
    if before.left >= PLOT_LEFT:
        return Lane(marks, span, (before,), _r(top + LANE_HEIGHT))
    lines = wrap(group.parts(), WIDTH - MARGIN - PLOT_LEFT, SMALL_SIZE)
    texts = tuple(_text(PLOT_LEFT, baseline + (i + 1) * LANE_HEIGHT, line, SMALL_SIZE) for i, line in enumerate(lines))
    return Lane(marks, span, texts, _r(top + (len(lines) + 1) * LANE_HEIGHT))


def _figures_description(title: str, report: Report, figure_ids: list[str], labels: dict[str, str],
                         groups: dict[str, list[_Group]]) -> str:
    """The chart in words, for screen readers: every figure, every estimate, every source."""
    sentences = [f"Bar chart. {title}, as of {day(report.report.as_of.date())}."]
    for figure_id in figure_ids:
        said = [f"{g.number} ({'; '.join(c.text for c in g.citations)})" for g in groups[figure_id]]
        if len(said) == 1:
            sentences.append(f"{labels[figure_id]}: {said[0]}.")
        else:
            sentences.append(f"{labels[figure_id]}: the estimates differ, lowest first: {'; '.join(said)}.")
    return _clean(" ".join(sentences))


# ---------------------------------------------------------------------------
# Timeline: events on a day axis


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


def timeline_chart(report: Report, *, title: str = "Timeline of events") -> str:
    """An SVG timeline of the report's events on a day axis, with the period covered shaded.

    Each event is a marker numbered as its row in the timeline table (events in date order)
    with the first words of its text; events of one day are stacked, and events before the
    period are outlined instead of filled.
    """
    info = report.report
    events = sorted(report.events, key=lambda e: e.date)  # the order of the view's timeline
    first = min([info.period.start, *(e.date for e in events)])
    last = max([info.period.end, *(e.date for e in events)])
    count = (last - first).days + 1
    right_edge = WIDTH - MARGIN
    slot = min((right_edge - MARGIN) / count,
               (right_edge - RADIUS - 4 - MIN_LABEL - MARGIN) / (count - 0.5) if events else math.inf)

    def centre(value: date) -> float:
        return MARGIN + ((value - first).days + 0.5) * slot

    subtitle = (f"Each marker is numbered as its row in the timeline table, with the first words of the event. "
                f"Shaded: the period this report covers, {day(info.period.start)} to {day(info.period.end)}.")
    heading, y = _heading(title, subtitle, 0)
    entries = [("period", "Period covered")] + ([("event", "Event in the period")] if events else [])
    if any(e.date > info.period.end for e in events):
        entries.append(("outside", "Event outside the period"))
    elif any(e.date < info.period.start for e in events):
        entries.append(("outside", "Event before the period"))
    legend, y = _legend(entries, y)
    axis_y = y + 26
    rows = _event_rows([centre(e.date) for e in events])
    marks = []
    for index, (event, row) in enumerate(zip(events, rows, strict=True), start=1):
        x = centre(event.date)
        mark_y = axis_y + 12 + RADIUS + row * ROW_HEIGHT
        limit = min([centre(other.date) - RADIUS - 5 for other, other_row in zip(events, rows, strict=True)
                     if other_row == row and other.date > event.date] or [right_edge])
        lines = wrap([Part(event.text)], limit - (x + RADIUS + 3), SMALL_SIZE, EVENT_LINES)
        top = mark_y + SMALL_SIZE * 0.35 - (len(lines) - 1) * SMALL_SIZE * 0.6
        label = tuple(_text(x + RADIUS + 3, top + i * SMALL_SIZE * 1.2, line, SMALL_SIZE)
                      for i, line in enumerate(lines))
        outside = event.date < info.period.start or event.date > info.period.end
        marks.append(EventMark(index, _r(x), _r(mark_y), RADIUS, outside,
                               _text(x, mark_y + SMALL_SIZE * 0.36, [Part(str(index), bold=True)], SMALL_SIZE,
                                     "middle", PALETTE.ink if outside else PALETTE.paper), label))
    bottom = axis_y + 12 + (max(rows) + 1) * ROW_HEIGHT if events else axis_y + 24
    empty = None if events else _text(MARGIN + 4, axis_y + 16, [Part("No events are recorded in this report.")],
                                      SMALL_SIZE, fill=PALETTE.muted)
    axis_left, axis_right = MARGIN, MARGIN + count * slot
    period_left, period_right = centre(info.period.start) - slot / 2, centre(info.period.end) + slot / 2
    chart = TimelineChart(
        id=_chart_id("timeline", info.crisis, str(info.number)),
        **_size(bottom + 4),
        title=_clean(f"{title}, {day(first)} to {day(last)}"),
        description=_timeline_description(report, title, marks, events, first, last),
        heading=tuple(heading),
        legend=tuple(legend),
        period=_box(period_left, axis_y - 20, period_right - period_left, bottom - axis_y + 20),
        period_edges=(_line(period_left, axis_y - 20, period_left, axis_y),
                      _line(period_right, axis_y - 20, period_right, axis_y)),
        axis=_line(axis_left, axis_y, axis_right, axis_y),
        days=_day_ticks(first, count, slot, axis_y, info.as_of.year),
        events=tuple(marks),
        empty=empty,
    )
    return _render("timeline.svg", chart=chart)


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
            label = _text(x + slot / 2 if every == 1 else x, axis_y - 5,
                          [Part(short_day(first + timedelta(days=index), year))], SMALL_SIZE,
                          "middle" if every == 1 else "start", PALETTE.muted)
            if label.left + label.width > WIDTH - MARGIN:
                label = None
        ticks.append(DayTick(_line(x, axis_y - 3, x, axis_y + 3), label))
    return tuple(ticks)


def _timeline_description(report: Report, title: str, marks: list[EventMark], events: list[Event], first: date,
                          last: date) -> str:
    """The timeline in words, for screen readers: the period, then each day's events as the chart labels them."""
    info = report.report
    period = f"The period covered by this report, {day(info.period.start)} to {day(info.period.end)}, is shaded."
    if not events:
        return _clean(f"{title}. No events are recorded. {period}")
    by_day: dict[date, list[str]] = {}
    for mark, event in zip(marks, events, strict=True):
        shown = " ".join(part.text for text in mark.label for part in text.parts)
        by_day.setdefault(event.date, []).append(f"{mark.number}. {shown}" if shown else str(mark.number))
    days = " ".join(f"{day(d)}: {' '.join(said)}" for d, said in by_day.items())
    return _clean(f"{title}: {len(events)} event{'s' if len(events) > 1 else ''} from {day(first)} to {day(last)}, "
                  f"numbered as in the timeline table. {period} {days}")

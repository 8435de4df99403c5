"""The shapes charts are made of, their sizes and colours, and what every chart shares: heading, legend, id."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..language import current
from ..model import Month
from .text import Part, text_width, wrap

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
# Shapes the templates draw; every number in them is final


def rounded(value: float) -> float:
    """A coordinate rounded to a hundredth of a point, so that the bytes do not depend on float noise."""
    rounded = round(value, 2)
    return 0.0 if rounded == 0 else rounded


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
    text: Text


def text_at(x: float, y: float, parts: Sequence[Part], size: float, anchor: str = "start",
          fill: str = PALETTE.ink) -> Text:
    return Text(rounded(x), rounded(y), tuple(parts), size, anchor, fill)


def box_at(x: float, y: float, width: float, height: float) -> Box:
    return Box(rounded(x), rounded(y), rounded(width), rounded(height))


def line_at(x1: float, y1: float, x2: float, y2: float) -> Line:
    return Line(rounded(x1), rounded(y1), rounded(x2), rounded(y2))


def chart_id(kind: str, *keys: str) -> str:
    """An id for the chart's patterns, the same for the same chart, different for different charts in one page."""
    digest = hashlib.sha256("\x1f".join((kind, *keys)).encode("utf-8")).hexdigest()[:10]
    return f"sitrep-{kind}-{digest}"


def short_day(value: date, year: int | None = None) -> str:
    """``8 Mar``; the year is added when it is not ``year`` (the report's): ``30 Dec 2024``."""
    if isinstance(value, Month):  # a source's month, without a day
        return current().date(value, "LLL y")
    return current().date(value, "d MMM" if value.year == year else "d MMM y")


# ---------------------------------------------------------------------------
# Heading and legend, shared by both charts

TITLE_SIZE = 9.5
SUBTITLE_SIZE = 7.5
LABEL_SIZE = 8.0
SMALL_SIZE = MIN_TEXT
MARGIN = 2.0


def heading_texts(title: str, subtitle: str, y: float) -> tuple[list[Text], float]:
    """Title and subtitle lines from ``y`` down; returns them and the y below them."""
    texts = []
    for line in wrap([Part(title, bold=True)], WIDTH - 2 * MARGIN, TITLE_SIZE):
        y += TITLE_SIZE * 1.25
        texts.append(text_at(MARGIN, y, line, TITLE_SIZE))
    y += 1.5
    for line in wrap([Part(subtitle)], WIDTH - 2 * MARGIN, SUBTITLE_SIZE):
        y += SUBTITLE_SIZE * 1.3
        texts.append(text_at(MARGIN, y, line, SUBTITLE_SIZE, fill=PALETTE.muted))
    return texts, y


def legend_swatches(entries: Sequence[tuple[str, str]], y: float) -> tuple[list[Swatch], float]:
    """Swatches and their texts in a row from the left, wrapping; returns them and the y below them."""
    swatches = []
    x, size, key = MARGIN, SMALL_SIZE, 12.0
    y += 6
    for kind, label in entries:
        width = key + 3 + text_width(label, size)
        if x > MARGIN and x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + size * 1.6
        box = box_at(x, y, key, size * 0.9)
        cx, cy = x + key / 2, y + size * 0.45
        swatches.append(Swatch(kind, box, rounded(cx), rounded(cy),
                               text_at(x + key + 3, y + size * 0.8, [Part(label)], size, fill=PALETTE.muted)))
        x += width + 10
    return swatches, y + size * 1.1


def render_chart(template: str, **values: object) -> str:
    from ..render import builtin_templates, environment

    env = environment("html", [builtin_templates()])  # autoescaped: text from the input stays text
    return env.get_template(f"charts/{template}").render(palette=PALETTE, font_family=FONT_FAMILY, **values)


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


def chart_size(height: float) -> dict[str, float]:
    """The size fields of a chart ``height`` points high, at the report's printed width."""
    return {"width_mm": WIDTH_MM, "width": WIDTH, "height_mm": rounded(height * 25.4 / 72), "height": rounded(height)}



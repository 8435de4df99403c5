"""The shapes charts are made of, their sizes and colours, and what every chart shares: heading, legend, id."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..language import ARABIC_SCRIPT, current
from ..model import Month
from .text import Part, text_width, wrap


def points(mm: float) -> float:
    """``mm`` millimetres in points, the charts' user units."""
    return round(mm * 72 / 25.4, 2)


WIDTH_MM = 170
"""Printed width: the text width of an A4 page with the report's margins, less a little."""
WIDTH = points(WIDTH_MM)
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


def text_at(
    x: float, y: float, parts: Sequence[Part], size: float, anchor: str = "start", fill: str = PALETTE.ink
) -> Text:
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


def heading_texts(title: str, subtitle: str, y: float, width: float = WIDTH) -> tuple[list[Text], float]:
    """Title and subtitle lines from ``y`` down, across a chart ``width`` points wide; returns them and the y
    below them."""
    texts = []
    for line in wrap([Part(title, bold=True)], width - 2 * MARGIN, TITLE_SIZE):
        y += TITLE_SIZE * 1.25
        texts.append(text_at(MARGIN, y, line, TITLE_SIZE))
    y += 1.5
    for line in wrap([Part(subtitle)], width - 2 * MARGIN, SUBTITLE_SIZE):
        y += SUBTITLE_SIZE * 1.3
        texts.append(text_at(MARGIN, y, line, SUBTITLE_SIZE, fill=PALETTE.muted))
    return texts, y


def legend_swatches(entries: Sequence[tuple[str, str]], y: float, width: float = WIDTH) -> tuple[list[Swatch], float]:
    """Swatches and their texts in a row from the left, wrapping within a chart ``width`` points wide; returns
    them and the y below them."""
    swatches = []
    x, size, key = MARGIN, SMALL_SIZE, 12.0
    y += 6
    for kind, label in entries:
        entry = key + 3 + text_width(label, size)
        if x > MARGIN and x + entry > width - MARGIN:
            x, y = MARGIN, y + size * 1.6
        box = box_at(x, y, key, size * 0.9)
        cx, cy = x + key / 2, y + size * 0.45
        swatches.append(
            Swatch(
                kind,
                box,
                rounded(cx),
                rounded(cy),
                text_at(x + key + 3, y + size * 0.8, [Part(label)], size, fill=PALETTE.muted),
            )
        )
        x += entry + 10
    return swatches, y + size * 1.1


def render_chart(template: str, chart: Chart, *, html: bool = False) -> str:
    """The chart as an SVG file (its text as SVG text), or with ``html`` as HTML for the report's pages: the
    shapes in SVG, every text an HTML span laid over them, set by the HTML text engine. WeasyPrint sets SVG
    text one character at a time, which leaves Arabic letters unjoined and in the wrong order; HTML text is
    shaped, and stays text in the PDF (selectable, searchable). A right-to-left edition's chart is mirrored:
    labels on the right, bars growing to the left, time running right to left."""
    from markupsafe import Markup

    from ..render import builtin_templates, environment

    if current().direction == "rtl":
        chart = mirrored(chart, chart.width)
    env = environment("html", [builtin_templates()])  # autoescaped: text from the input stays text
    svg = env.get_template(f"charts/{template}").render(
        palette=PALETTE, font_family=FONT_FAMILY, chart=chart, svg_text=not html
    )
    if not html:
        return svg
    texts = [Placed.of(text, chart.width) for text in texts_of(chart)]
    return env.get_template("charts/overlay.html").render(chart=chart, shapes=Markup(svg), texts=texts)


def texts_of(value: object) -> list[Text]:
    """Every text of a chart, in the order drawn."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in texts_of(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [text for field in dataclasses.fields(value) for text in texts_of(getattr(value, field.name))]
    return []


ANCHORS = {"start": "end", "middle": "middle", "end": "start"}


def mirrored(value: object, width: float) -> object:
    """``value`` (a chart or any of its parts) drawn right to left across ``width``: every x measured from the
    other side, every text anchored at its other end. A part that says it is ``FIXED`` (a map's geography,
    where east stays on the right) is left as it is."""
    if isinstance(value, tuple):
        return tuple(mirrored(item, width) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type) or getattr(value, "FIXED", False):
        return value
    changes = {field.name: mirrored(getattr(value, field.name), width) for field in dataclasses.fields(value)}
    if isinstance(value, Box):
        changes["x"] = rounded(width - value.x - value.width)
    else:
        changes.update(
            {name: rounded(width - getattr(value, name)) for name in ("x", "x1", "x2", "cx") if hasattr(value, name)}
        )
    if isinstance(value, Text):
        changes["anchor"] = ANCHORS[value.anchor]
    return dataclasses.replace(value, **changes)


@dataclass(frozen=True)
class Placed:
    """A chart text as an HTML span laid over the chart's shapes: where its box goes (points from the chart's
    left or right edge, and top), and how it is aligned in it."""

    side: str
    """'left' or 'right': the edge the box is placed from."""
    offset: float
    top: float
    width: float | None
    """For a text centred on its x, the box around it; None for one that starts or ends there."""
    align: str
    size: float
    fill: str
    parts: tuple[Part, ...]

    @classmethod
    def of(cls, text: Text, chart_width: float) -> Placed:
        """Where the HTML text engine puts ``text`` so that its baseline and its anchor fall where the chart
        drew them: with a line height of 1, a line's baseline lies (1 + ascent - descent) / 2 em below its
        top, ascent and descent being those of the fonts the line uses (ASCENTS)."""
        arabic = any(ARABIC_SCRIPT.search(part.text) for part in text.parts)
        ascent, descent = ASCENTS["arabic" if arabic else "latin"]
        top = rounded(text.y - text.size * (1 + ascent - descent) / 2)
        if text.anchor == "middle":
            half = min(text.x, chart_width - text.x)
            return cls(
                "left", rounded(text.x - half), top, rounded(2 * half), "center", text.size, text.fill, text.parts
            )
        if text.anchor == "end":
            return cls("right", rounded(chart_width - text.x), top, None, "right", text.size, text.fill, text.parts)
        return cls("left", text.x, top, None, "left", text.size, text.fill, text.parts)


ASCENTS = {"latin": (1.069, 0.293), "arabic": (1.374, 0.738)}
"""The ascent and descent (in em) of the report's fonts, Noto Sans and Noto Sans Arabic (from their hhea
tables): a line with Arabic letters in it takes the larger."""


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


def chart_size(height: float, width_mm: float = WIDTH_MM) -> dict[str, float]:
    """The size fields of a chart ``height`` points high and ``width_mm`` millimetres wide (by default the
    report's printed width)."""
    return {
        "width_mm": width_mm,
        "width": points(width_mm),
        "height_mm": rounded(height * 25.4 / 72),
        "height": rounded(height),
    }

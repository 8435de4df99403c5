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

from .bars import figures_chart
from .timeline import timeline_chart

__all__ = ["figures_chart", "timeline_chart"]

"""Maps for the report: a locator map of the affected country in its region, and an areas map of the
analyst's own administrative boundaries shaded by a figure's numbers.

- ``world``: the bundled world outlines (Natural Earth, public domain), countries named through Babel;
- ``topojson``: reading the bundled TopoJSON;
- ``geometry``: the projection (Lambert azimuthal equal-area, centred on the area), cutting and thinning;
- ``boundaries``: reading the analyst's GeoJSON boundaries (OCHA COD-AB), with clear errors;
- ``draw``: the two maps, drawn as the charts are (``sitrep.charts.svg.render_chart``).
"""

from .boundaries import Area, Boundaries, BoundariesError, read_boundaries
from .draw import AreaValue, Map, Place, areas_map, classes_of, locator_map

__all__ = [
    "Area",
    "AreaValue",
    "Boundaries",
    "BoundariesError",
    "Map",
    "Place",
    "areas_map",
    "classes_of",
    "locator_map",
    "read_boundaries",
]

"""Positions on the map: the projection, fitting it to the map's box, cutting shapes to the box, and
thinning lines.

The projection is Lambert's azimuthal equal-area, centred on the area the map is about. Equal-area,
because the maps compare areas (a governorate shaded by its number is seen by its surface, so no area may
be drawn larger than it is); azimuthal and centred on the area, because the area and its neighbours then
keep their shapes and distances with little distortion (well under 1% within 500 km of the centre, about
2% at 1,000 km), whatever the latitude: a report's map is of one country and its region, never of the
world. Longitudes are taken relative to the centre, so an area across the 180th meridian draws as one.
All functions are pure: the same positions give the same coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

EARTH_RADIUS_KM = 6371.0088
"""The mean radius of the Earth (IUGG), for distances on the map's scale bar."""


def relative(lon: float, centre: float) -> float:
    """``lon`` as degrees east of ``centre``, from -180 to 180."""
    return (lon - centre + 180) % 360 - 180


def unwrapped(ring: Sequence[Point], centre: float) -> list[Point]:
    """A ring's positions with longitudes relative to ``centre``, each within 180° of the one before: a ring
    that touches the 180th meridian stays in one piece."""
    points: list[Point] = []
    for lon, lat in ring:
        x = relative(lon, centre)
        if points:
            x += 360 * round((points[-1][0] - x) / 360)
        points.append((x, lat))
    return points


@dataclass(frozen=True)
class Projection:
    """Lambert azimuthal equal-area centred on (``lon0``, ``lat0``), in kilometres, then scaled and moved to
    the map's box: ``x`` to the right (east), ``y`` down (south), in points."""

    lon0: float
    lat0: float
    scale: float = 1.0
    """Points per kilometre."""
    dx: float = 0.0
    dy: float = 0.0

    def km(self, lon: float, lat: float) -> Point:
        """(east, north) in km from the centre; ``lon`` is relative to the centre already."""
        phi, lam, phi0 = math.radians(lat), math.radians(lon), math.radians(self.lat0)
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2 / (1 + cos_c)) if cos_c > -1 + 1e-12 else 0.0  # the antipode: nothing to draw there
        x = k * math.cos(phi) * math.sin(lam)
        y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
        return x * EARTH_RADIUS_KM, y * EARTH_RADIUS_KM

    def inverse_km(self, x: float, y: float) -> Point:
        """(lon relative to the centre, lat) of a position (east, north) in km."""
        x, y = x / EARTH_RADIUS_KM, y / EARTH_RADIUS_KM
        rho = math.hypot(x, y)
        if rho < 1e-12:
            return 0.0, self.lat0
        c = 2 * math.asin(min(rho / 2, 1.0))
        phi0 = math.radians(self.lat0)
        lat = math.asin(math.cos(c) * math.sin(phi0) + y * math.sin(c) * math.cos(phi0) / rho)
        lon = math.atan2(x * math.sin(c), rho * math.cos(phi0) * math.cos(c) - y * math.sin(phi0) * math.sin(c))
        return math.degrees(lon), math.degrees(lat)

    def point(self, lon: float, lat: float) -> Point:
        """Where (``lon`` relative to the centre, ``lat``) falls on the map, in points."""
        x, y = self.km(lon, lat)
        return self.dx + x * self.scale, self.dy - y * self.scale

    def at(self, lon: float, lat: float) -> Point:
        """Where (absolute ``lon``, ``lat``) falls on the map, in points."""
        return self.point(relative(lon, self.lon0), lat)

    def fitted(
        self,
        extent: tuple[float, float, float, float],
        box: tuple[float, float, float, float],
    ) -> Projection:
        """This projection scaled and moved so that ``extent`` (west, south, east, north, in km) fills
        ``box`` (left, top, width, height, in points) as far as it can and sits in its middle."""
        west, south, east, north = extent
        left, top, width, height = box
        scale = min(width / max(east - west, 1e-9), height / max(north - south, 1e-9))
        return Projection(
            self.lon0,
            self.lat0,
            scale,
            left + width / 2 - (west + east) / 2 * scale,
            top + height / 2 + (south + north) / 2 * scale,
        )


def centred_on(rings: Iterable[Sequence[Point]]) -> Projection:
    """A projection centred on the middle of ``rings``' longitudes and latitudes (longitudes taken around the
    first position, so that an area across the 180th meridian is centred on it)."""
    points = [p for ring in rings for p in ring]
    if not points:
        raise ValueError("nothing to centre the map on")
    first = points[0][0]
    lons = [first + relative(lon, first) for lon, _ in points]
    lats = [lat for _, lat in points]
    lon0 = relative((min(lons) + max(lons)) / 2, 0)
    return Projection(lon0, (min(lats) + max(lats)) / 2)


def extent_km(projection: Projection, rings: Iterable[Sequence[Point]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) in km around ``rings`` (absolute longitudes) in ``projection``."""
    xs, ys = [], []
    for ring in rings:
        for lon, lat in unwrapped(ring, projection.lon0):
            x, y = projection.km(lon, lat)
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


# ---------------------------------------------------------------------------
# Cutting and thinning


def clipped(ring: Sequence[Point], left: float, top: float, right: float, bottom: float) -> list[Point]:
    """The part of the closed ring ``ring`` inside the box (Sutherland-Hodgman): what lies outside is cut
    away along the box's sides. Empty if nothing of it is inside."""
    points = list(ring)
    for inside, cross in (
        (lambda p: p[0] >= left, lambda a, b: _at_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _at_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _at_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _at_y(a, b, bottom)),
    ):
        if not points:
            break
        kept = []
        for index, current in enumerate(points):
            previous = points[index - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
        points = kept
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: Point, b: Point, y: float) -> Point:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def thinned(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the fewest of ``points`` that keep the line within ``tolerance`` of where it was;
    both ends are kept (so lines that share ends still meet)."""
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        far, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = (
                abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length else math.hypot(x - x1, y - y1)
            )
            if distance > far:
                far, index = distance, i
        if index is not None and far > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def area(ring: Sequence[Point]) -> float:
    """The ring's area by the shoelace formula, in the units of its positions squared (unsigned)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


def inner_points(ring: Sequence[Point]) -> list[tuple[Point, float]]:
    """Points inside ``ring``, each with the width of the stretch inside it there, on lines across it
    (parallel to the x axis) a twentieth of its height apart, from the middle outwards: the widest stretch
    first, and along each its middle first, then points further out, to a fifth of the way from either end.
    A label set at the first sits inside the shape even where its middle is not (a crescent)."""
    top, bottom = min(y for _, y in ring), max(y for _, y in ring)
    candidates = []
    for step in (10, 9, 11, 8, 12, 7, 13, 6, 14, 5, 15, 4, 16, 3, 17):
        y = top + (bottom - top) * step / 20
        crossings = sorted(
            x1 + (x2 - x1) * (y - y1) / (y2 - y1)
            for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
            if (y1 > y) != (y2 > y)
        )
        candidates += [
            ((left + (right - left) * along, y), right - left)
            for left, right in zip(crossings[::2], crossings[1::2], strict=False)
            for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
        ]
    return sorted(candidates, key=lambda candidate: -round(candidate[1]))  # nearer the middle first among equals


def inside(point: Point, ring: Sequence[Point]) -> bool:
    """Whether ``point`` lies inside the closed ring (even-odd rule)."""
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (x2 - x1) * (y - y1) / (y2 - y1):
            result = not result
    return result

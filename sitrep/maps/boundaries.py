"""The analyst's boundaries: a GeoJSON FeatureCollection of administrative areas keyed by p-code, as
OCHA's common operational datasets (COD-AB, on HDX) are published: each feature a Polygon or MultiPolygon
with its p-code in a property such as ``ADM1_PCODE`` and its names in ``ADM1_EN``, ``ADM1_FR``, ``ADM1_AR``.

Anything else is refused with a message saying what is wrong and how to fix it. A large file is not
refused: its lines are thinned (Douglas-Peucker) until the whole fits ``MAX_VERTICES`` positions, far more
than a printed map can show.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SitrepError
from .geometry import area, inner_points, thinned
from .topojson import Polygon

MAX_VERTICES = 20_000
"""Positions kept of a boundaries file: a file of more is thinned to about this many."""
_PCODE_PROPERTY = re.compile(r"^ADM(\d)_PCODE$", re.IGNORECASE)
_HINT_COD = (
    "export the boundaries as GeoJSON (a FeatureCollection of Polygon or MultiPolygon features, each with "
    "its p-code in a property such as ADM1_PCODE), as OCHA's COD-AB files on HDX are"
)


class BoundariesError(SitrepError):
    """A boundaries file that cannot be read as areas keyed by p-code: ``message`` says what is wrong,
    ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}: {hint}")


@dataclass(frozen=True)
class Area:
    """One administrative area of the file."""

    pcode: str
    names: dict[str, str] = field(hash=False, compare=False)
    """Its names by language code ('en', 'fr', 'ar'), from properties such as ADM1_EN."""
    polygons: tuple[Polygon, ...]

    @property
    def centre(self) -> tuple[float, float]:
        """A position (longitude, latitude) well inside the area's largest polygon, where a place known only
        by its p-code is marked."""
        outer = max(
            (polygon[0] for polygon in self.polygons), key=lambda ring: area(ring) * math.cos(math.radians(ring[0][1]))
        )
        (lon, lat), _width = inner_points(outer)[0]
        return round(lon, 5), round(lat, 5)

    def name(self, language: str) -> str:
        """Its name in ``language``, else in English, else its p-code."""
        return self.names.get(language) or self.names.get("en") or self.pcode


@dataclass(frozen=True)
class Boundaries:
    """The areas of a boundaries file, sorted by p-code."""

    path: str
    pcode_property: str
    level: int | None
    """The administrative level of the p-code property (ADM1_PCODE: 1), if it says one."""
    areas: tuple[Area, ...]
    simplified: bool
    """Whether the file had more than MAX_VERTICES positions and was thinned."""

    @property
    def pcodes(self) -> frozenset[str]:
        return frozenset(area.pcode for area in self.areas)

    def area(self, pcode: str) -> Area:
        return next(area for area in self.areas if area.pcode == pcode)


def read_boundaries(
    path: str | Path, *, pcode_property: str | None = None, level: int | None = None, max_vertices: int = MAX_VERTICES
) -> Boundaries:
    """The areas of the GeoJSON file at ``path``, keyed by the p-code in ``pcode_property`` (by default the
    property ``ADM{level}_PCODE``, or the one ``ADMn_PCODE`` property the features have). Several features
    with one p-code make one area. Raises BoundariesError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BoundariesError(
            f"no boundaries file {path}", "check the path, which is relative to the report's file"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BoundariesError(
            f"cannot read the boundaries file {path} ({error})", "it must be a GeoJSON file in UTF-8"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundariesError(
            f"the boundaries file {path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            _HINT_COD,
        ) from None
    features = _features(data, path)
    key = pcode_property or _pcode_property(features, level, path)
    found = _PCODE_PROPERTY.match(key)
    level = int(found.group(1)) if found else level
    by_pcode: dict[str, list[Polygon]] = {}
    names: dict[str, dict[str, str]] = {}
    for number, feature in enumerate(features, 1):
        properties = feature.get("properties") or {}
        pcode = properties.get(key)
        if not isinstance(pcode, str) or not pcode.strip():
            raise BoundariesError(
                f"feature {number} of {path} has no p-code in its property {key}",
                f"give every feature its p-code in {key}, or name the property that holds them",
            )
        by_pcode.setdefault(pcode.strip(), []).extend(_polygons(feature.get("geometry"), number, path))
        names.setdefault(pcode.strip(), _names(properties, key))
    areas = tuple(Area(pcode, names[pcode], tuple(polygons)) for pcode, polygons in sorted(by_pcode.items()))
    total = sum(len(ring) for area in areas for polygon in area.polygons for ring in polygon)
    if total > max_vertices:
        return Boundaries(str(path), key, level, _thinned_areas(areas, max_vertices), True)
    return Boundaries(str(path), key, level, areas, False)


def _features(data: Any, path: Path) -> list[dict]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise BoundariesError(
            f"the boundaries file {path} is not a GeoJSON FeatureCollection (its type is {got})", _HINT_COD
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundariesError(f"the boundaries file {path} has no features", _HINT_COD)
    for number, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundariesError(f"item {number} of the features of {path} is not a GeoJSON Feature", _HINT_COD)
    return features


def _pcode_property(features: list[dict], level: int | None, path: Path) -> str:
    """The p-code property: ADM{level}_PCODE, or the one ADMn_PCODE property of the first feature."""
    keys = [key for key in (features[0].get("properties") or {}) if _PCODE_PROPERTY.match(key)]
    if level is not None:
        wanted = [key for key in keys if int(_PCODE_PROPERTY.match(key).group(1)) == level]
        if wanted:
            return wanted[0]
        raise BoundariesError(
            f"the features of {path} have no property ADM{level}_PCODE",
            f"use boundaries of administrative level {level}, or name the property that holds their p-codes",
        )
    deepest = sorted(keys, key=lambda key: int(_PCODE_PROPERTY.match(key).group(1)))
    if not deepest:
        raise BoundariesError(
            f"the features of {path} have no p-code property (such as ADM1_PCODE)",
            "use COD-AB boundaries from HDX, or name the property that holds the p-codes",
        )
    return deepest[-1]  # an ADM2 file also carries its areas' ADM1 p-codes: its own are the deepest


def _names(properties: dict, key: str) -> dict[str, str]:
    """Names by language from the properties beside the p-code's: ADM1_EN, ADM1_FR, ADM1_AR."""
    prefix = key[: -len("PCODE")] if key.upper().endswith("PCODE") else None
    if not prefix:
        return {}
    names = {}
    for name, value in properties.items():
        if name.upper().startswith(prefix.upper()) and isinstance(value, str) and value.strip():
            language = name[len(prefix) :].lower()
            if re.fullmatch(r"[a-z]{2}", language):
                names[language] = value.strip()
    return names


def _polygons(geometry: Any, number: int, path: Path) -> list[Polygon]:
    if not isinstance(geometry, dict):
        raise BoundariesError(
            f"feature {number} of {path} has no geometry", "give every area its outline (a Polygon or MultiPolygon)"
        )
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise BoundariesError(
            f"feature {number} of {path} is a {kind}, not an area",
            "the boundaries must be areas (Polygon or MultiPolygon), not points or lines",
        )
    coordinates = geometry.get("coordinates")
    try:
        polygons = [coordinates] if kind == "Polygon" else list(coordinates)
        result = [tuple(_ring(ring) for ring in polygon) for polygon in polygons]
    except (TypeError, ValueError):
        raise BoundariesError(
            f"feature {number} of {path} has malformed coordinates",
            "each position must be [longitude, latitude] in decimal degrees",
        ) from None
    return [polygon for polygon in result if polygon and len(polygon[0]) >= 3]


def _ring(ring: Any) -> tuple[tuple[float, float], ...]:
    points = []
    for position in ring:
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(position)
        points.append((lon, lat))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # GeoJSON closes its rings; ours are closed by definition
    return tuple(points)


def _thinned_areas(areas: tuple[Area, ...], budget: int) -> tuple[Area, ...]:
    """``areas`` with their rings thinned by Douglas-Peucker, the tolerance doubled until all fit ``budget``
    positions. Each ring is thinned alone, so lines two areas share may differ by up to the tolerance: far
    below what the map shows at its size."""
    tolerance = 1e-4  # degrees: about 10 m
    while True:
        thinned_areas = tuple(
            Area(
                area.pcode,
                area.names,
                tuple(
                    polygon
                    for polygon in (_thinned_polygon(polygon, tolerance) for polygon in area.polygons)
                    if polygon
                ),
            )
            for area in areas
        )
        if sum(len(r) for a in thinned_areas for p in a.polygons for r in p) <= budget:
            return thinned_areas
        tolerance *= 2


def _thinned_polygon(polygon: Polygon, tolerance: float) -> Polygon:
    """The polygon's rings thinned; holes that shrink to nothing go, and so does the polygon if its outer ring does."""
    rings = [tuple(thinned([*ring, ring[0]], tolerance)[:-1]) for ring in polygon]
    if len(rings[0]) < 3:
        return ()
    return tuple(ring for ring in rings if len(ring) >= 3)

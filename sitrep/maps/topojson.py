"""Reading TopoJSON (https://github.com/topojson/topojson-specification): the bundled world outlines.

A TopoJSON file stores each boundary line once, as an arc shared by the shapes on both sides of it;
a shape lists its arcs by index (a negative index ``~i`` is arc ``i`` reversed). With a ``transform``,
arcs are quantized: integer positions, each a difference from the one before (delta-encoded), scaled and
translated back to longitude and latitude.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]
"""An outer ring, then its holes."""


def decoded_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Every arc of ``topology`` as positions (longitude, latitude), undoing the quantization if any."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy, *_ in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> Ring:
    """The closed ring made by following ``indexes`` in ``arcs``; each arc's first position is the last
    position of the one before, and is not repeated."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def polygons(geometry: Mapping[str, Any], arcs: Sequence[Sequence[Point]]) -> tuple[Polygon, ...]:
    """The polygons of a Polygon or MultiPolygon geometry object; other types have none."""
    if geometry.get("type") == "Polygon":
        return (tuple(ring(r, arcs) for r in geometry["arcs"]),)
    if geometry.get("type") == "MultiPolygon":
        return tuple(tuple(ring(r, arcs) for r in polygon) for polygon in geometry["arcs"])
    return ()


def features(topology: Mapping[str, Any], name: str) -> Iterator[tuple[str | None, tuple[Polygon, ...]]]:
    """The id and polygons of each geometry of the object ``name`` (a GeometryCollection)."""
    arcs = decoded_arcs(topology)
    for geometry in topology["objects"][name]["geometries"]:
        yield geometry.get("id"), polygons(geometry, arcs)

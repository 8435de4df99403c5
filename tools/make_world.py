"""Makes sitrep/maps/countries.json, the world outlines of the locator maps, from the npm package world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_world.py package/countries-50m.json

world-atlas (ISC licence) is Natural Earth's Admin 0 countries at 1:50 million (public domain), as TopoJSON.
This keeps its countries (not its land object), keyed by ISO 3166-1 alpha-2 (from its numeric ids through
Babel's CLDR aliases), with positions on a coarser grid (``GRID`` steps around the world: 0.012°, about 1.3 km),
arcs thinned by Douglas-Peucker within one grid step, and no names (the maps name countries in the
edition's language through Babel). Geometries with the same code are joined into one, the boundary lines
between them dropped: Somaliland into Somalia and Northern Cyprus into Cyprus (as the United Nations'
maps draw them), Ashmore and Cartier Islands into Australia, and Kosovo is keyed XK (CLDR's code).
Siachen Glacier and the Indian Ocean Territories stay unnamed outlines.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from babel.core import get_global

from sitrep.maps.geometry import thinned
from sitrep.maps.topojson import packed

GRID = 30_000
"""Positions per 360° of longitude (and per 180° of latitude)."""
UNNUMBERED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}
OUT = Path(__file__).resolve().parent.parent / "sitrep" / "maps" / "countries.json"
ARCS_OUT = OUT.with_suffix(".arcs")


def absolute(arc: list[list[int]]) -> list[tuple[int, int]]:
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def requantized(topology: dict) -> tuple[list[list[list[int]]], list[float], list[float]]:
    """The arcs on a grid of GRID steps, delta-encoded, with the new scale and translate."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    scale = [360 / GRID, 180 / GRID]
    arcs = []
    for arc in topology["arcs"]:
        points = [(round((x * kx) / scale[0]), round((y * ky) / scale[1])) for x, y in absolute(arc)]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]] or points[:1]
        points = [(round(x), round(y)) for x, y in thinned(points, 1.0)]
        if len(points) == 1:
            points = points * 2
        arcs.append([list(points[0]), *([b[0] - a[0], b[1] - a[1]] for a, b in zip(points, points[1:], strict=False))])
    return arcs, scale, [tx, ty]


def rings_of(geometry: dict) -> list[list[list[int]]]:
    """The polygons of a geometry, each a list of rings of arc indexes."""
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


def merged(geometries: list[dict]) -> dict:
    """One geometry for several of one country: arcs that two of them share (a boundary between them) are
    dropped and the rest are chained into rings again."""
    polygons = [polygon for geometry in geometries for polygon in rings_of(geometry)]
    used = Counter(index if index >= 0 else ~index for polygon in polygons for r in polygon for index in r)
    inner = {arc for arc, count in used.items() if count > 1}
    if not inner:
        return {"type": "MultiPolygon", "arcs": polygons}
    kept = [polygon for polygon in polygons if not any((i if i >= 0 else ~i) in inner for r in polygon for i in r)]
    touched = [polygon for polygon in polygons if polygon not in kept]
    if any(len(polygon) > 1 for polygon in touched):
        raise SystemExit("cannot join polygons with holes along a shared boundary")
    # chain the outer arcs, each followed by the one that starts where it ends
    pieces = [i for polygon in touched for i in polygon[0] if (i if i >= 0 else ~i) not in inner]
    rings, ring = [], []
    remaining = pieces[:]
    while remaining:
        if not ring:
            ring = [remaining.pop(0)]
        follower = next((j for j in remaining if _start(j) == _end(ring[-1])), None)
        if follower is None:
            rings.append(ring)
            ring = []
            continue
        remaining.remove(follower)
        ring.append(follower)
    if ring:
        rings.append(ring)
    return {"type": "MultiPolygon", "arcs": kept + [[r] for r in rings]}


ARC_ENDS: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {}


def _start(index: int) -> tuple[int, int]:
    return ARC_ENDS[index][0] if index >= 0 else ARC_ENDS[~index][1]


def _end(index: int) -> tuple[int, int]:
    return ARC_ENDS[index][1] if index >= 0 else ARC_ENDS[~index][0]


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    for number, arc in enumerate(topology["arcs"]):
        points = absolute(arc)
        ARC_ENDS[number] = (points[0], points[-1])
    aliases = get_global("territory_aliases")
    by_code: dict[str, list[dict]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = aliases[geometry["id"]][0] if "id" in geometry else UNNUMBERED.get(name, "")
        by_code.setdefault(code, []).append(geometry)
    geometries = []
    for code, group in sorted(by_code.items()):
        if not code:  # unnamed outlines, each apart
            geometries += [{"type": g["type"], "arcs": g["arcs"]} for g in group]
            continue
        geometry = merged(group) if len(group) > 1 else {"type": group[0]["type"], "arcs": group[0]["arcs"]}
        geometries.append({**geometry, "id": code})
    arcs, scale, translate = requantized(topology)
    write(
        {
            "type": "Topology",
            "transform": {"scale": scale, "translate": translate},
            "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        },
        arcs,
    )
    print(
        f"{OUT}: {OUT.stat().st_size} bytes, {ARCS_OUT}: {ARCS_OUT.stat().st_size} bytes, {len(geometries)} "
        f"geometries, {sum(len(a) for a in arcs)} positions (from {sum(len(a) for a in topology['arcs'])})"
    )


def write(topology: dict, arcs: list[list[list[int]]]) -> None:
    """The topology without its arcs as JSON (countries.json), and its arcs packed (countries.arcs), which
    sitrep reads many times faster than the same numbers in JSON."""
    if any(not -32768 <= value <= 32767 for arc in arcs for position in arc for value in position):
        raise SystemExit("a position does not fit in 16 bits: use a coarser GRID")
    OUT.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    ARCS_OUT.write_bytes(packed(arcs))


if __name__ == "__main__":
    main(*sys.argv[1:])

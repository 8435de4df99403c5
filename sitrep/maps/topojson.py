"""Reading TopoJSON (https://github.com/topojson/topojson-specification): the bundled world outlines, whose
arcs are packed apart from the topology (``packed``, ``unpacked``) so that a process reads them in a few
milliseconds.

A TopoJSON file stores each boundary line once, as an arc shared by the shapes on both sides of it;
a shape lists its arcs by index (a negative index ``~i`` is arc ``i`` reversed). With a ``transform``,
arcs are quantized: integer positions, each a difference from the one before (delta-encoded), scaled and
translated back to longitude and latitude.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]
"""An outer ring, then its holes."""


class Arcs(Sequence[list[Point]]):
    """Arcs as quantized positions (the running sums already taken), each decoded to positions (longitude,
    latitude) the first time it is asked for: a map of one region draws a few of the world's arcs.
    ``box(i)`` is arc ``i``'s (west, south, east, north), found without decoding it."""

    def __init__(self, positions: list[tuple[list[int], list[int]]], transform: Mapping[str, Any] | None) -> None:
        (self._kx, self._ky), (self._dx, self._dy) = (
            (transform["scale"], transform["translate"]) if transform else ((1.0, 1.0), (0.0, 0.0))
        )
        self._positions = positions
        self._decoded: dict[int, list[Point]] = {}

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index):  # an arc, as Sequence asks (a negative index counts from the end)
        index = range(len(self))[index]
        if index not in self._decoded:
            kx, ky, dx, dy = self._kx, self._ky, self._dx, self._dy
            xs, ys = self._positions[index]
            self._decoded[index] = [(x * kx + dx, y * ky + dy) for x, y in zip(xs, ys, strict=True)]
        return self._decoded[index]

    def box(self, index: int) -> tuple[float, float, float, float]:
        xs, ys = self._positions[index]
        kx, ky, dx, dy = self._kx, self._ky, self._dx, self._dy
        return min(xs) * kx + dx, min(ys) * ky + dy, max(xs) * kx + dx, max(ys) * ky + dy


def packed(arcs: Sequence[Sequence[Sequence[int]]]) -> bytes:
    """Quantized, delta-encoded arcs packed as the bundled outlines keep them: for each arc, its number of
    positions, then their x differences, then their y differences, each a 16-bit signed integer, little-endian
    (a position on a grid of at most 32,767 steps). Read back by ``unpacked`` many times faster than JSON."""
    numbers = array("h")
    for arc in arcs:
        numbers.append(len(arc))
        numbers.extend(position[0] for position in arc)
        numbers.extend(position[1] for position in arc)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def unpacked(data: bytes, transform: Mapping[str, Any]) -> Arcs:
    """The arcs ``packed`` wrote, with the topology's ``transform``."""
    numbers = array("h")
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    positions, at = [], 0
    while at < len(numbers):
        count = numbers[at]
        xs, ys = numbers[at + 1 : at + 1 + count], numbers[at + 1 + count : at + 1 + 2 * count]
        positions.append((list(accumulate(xs)), list(accumulate(ys))))
        at += 1 + 2 * count
    return Arcs(positions, transform)


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

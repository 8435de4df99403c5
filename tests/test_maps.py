"""The maps: TopoJSON, the projection, the analyst's boundaries, classes, and the two maps as drawn (read back
with lxml and drawn by resvg, as the Word output draws them)."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from sitrep.build import Options, build_file
from sitrep.language import Language, speaking
from sitrep.maps import (
    AreaValue,
    BoundariesError,
    Place,
    areas_map,
    classes_of,
    locator_map,
    read_boundaries,
    world,
)
from sitrep.maps.draw import distance_km
from sitrep.maps.geometry import EARTH_RADIUS_KM, Projection, area, clipped, thinned
from sitrep.maps.topojson import packed, polygons, unpacked

INPUTS = Path(__file__).parent.parent / "inputs"

SVG = "{http://www.w3.org/2000/svg}"

# A square country 2° wide at the equator, cut into four areas (north-west, north-east, south-west, south-east)
QUARTERS = {"XX01": (0, 1, 1, 2), "XX02": (1, 1, 2, 2), "XX03": (0, 0, 1, 1), "XX04": (1, 0, 2, 1)}
NAMES = {
    "XX01": ("North-west", "الشمال الغربي"),
    "XX02": ("North-east", "الشمال الشرقي"),
    "XX03": ("South-west", "الجنوب الغربي"),
    "XX04": ("South-east", "الجنوب الشرقي"),
}


def square(west: float, south: float, east: float, north: float) -> list:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def quarter_feature(pcode: str, **extra) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "ADM1_PCODE": pcode,
            "ADM1_EN": NAMES[pcode][0],
            "ADM1_AR": NAMES[pcode][1],
            "ADM0_PCODE": "XX",
            **extra,
        },
        "geometry": {"type": "Polygon", "coordinates": square(*QUARTERS[pcode])},
    }


@pytest.fixture
def quarters(tmp_path):
    path = tmp_path / "quarters.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [quarter_feature(p) for p in QUARTERS]}), encoding="utf-8"
    )
    return read_boundaries(path)


def write(tmp_path, data, name="b.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def paths(svg: str, cls: str) -> list[etree._Element]:
    root = etree.fromstring(svg.encode("utf-8"))
    return [p for p in root.iter(f"{SVG}path") if cls in p.get("class", "").split()]


def texts(svg: str) -> list[str]:
    root = etree.fromstring(svg.encode("utf-8"))
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def drawn_by_resvg(svg: str):
    """A function giving the colours resvg draws in the square of ``side`` points around (x, y) of the map."""
    import resvg_py
    from PIL import Image

    width = float(etree.fromstring(svg.encode("utf-8")).get("viewBox").split()[2])
    image = Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(svg_string=svg, dpi=144, background="white"))))
    image = image.convert("RGB")
    scale = image.width / width

    def colours(x: float, y: float, side: float = 0) -> set[tuple[int, int, int]]:
        half = round(side * scale / 2)
        return {
            image.getpixel((round(x * scale) + dx, round(y * scale) + dy))
            for dx in range(-half, half + 1)
            for dy in range(-half, half + 1)
        }

    return colours


# ---------------------------------------------------------------------------
# TopoJSON


def test_topojson_arcs_are_delta_decoded_scaled_and_shared_reversed():
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        # arc 0: (0,0) (2,0) (2,4); arc 1: (2,4) (0,4) (0,0); arc 2: (2,0) (4,0) (4,4) (2,4)
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]], [[2, 0], [2, 0], [0, 4], [-2, 0]]],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "A", "arcs": [[0, 1]]},
                    {"type": "Polygon", "id": "B", "arcs": [[2, ~0]]},  # shares arc 0, walked backwards
                    {"type": "Point", "id": "C", "coordinates": [0, 0]},
                ],
            }
        },
    }
    arcs = unpacked(packed(topology["arcs"]), topology["transform"])  # as the world outlines are shipped
    assert arcs[0] == [(10, 20), (11, 20), (11, 21)]
    assert arcs.box(2) == (11, 20, 12, 21)  # west, south, east, north
    shapes = {g["id"]: polygons(g, arcs) for g in topology["objects"]["shapes"]["geometries"]}
    assert shapes["A"] == ((((10, 20), (11, 20), (11, 21), (10, 21), (10, 20)),),)
    assert shapes["B"][0][0][:4] == ((11, 20), (12, 20), (12, 21), (11, 21))
    assert shapes["B"][0][0][-1] == (10, 20)  # arc 0 reversed ends where it started
    assert shapes["C"] == ()


def test_packed_arcs_are_read_back_in_any_byte_order_and_the_world_reads_whole():
    data = packed([[[30000, -32768], [-1, 32767]]])
    assert data == bytes.fromhex("02003075ffff0080ff7f")  # count, xs, ys: 16-bit little-endian
    assert unpacked(data, None)[0] == [(30000, -32768), (29999, -1)]
    shipped = json.loads((Path(world.__file__).parent / "countries.json").read_text(encoding="utf-8"))
    geometries = shipped["objects"]["countries"]["geometries"]
    countries = world.countries()
    assert [c.code for c in countries] == [g.get("id", "") for g in geometries]
    assert [len(c.polygons) for c in countries] == [1 if g["type"] == "Polygon" else len(g["arcs"]) for g in geometries]
    assert world.country("SYR").box == pytest.approx((35.7, 32.3, 42.4, 37.3), abs=0.1)  # Syria's extremes


# ---------------------------------------------------------------------------
# Projection, cutting, thinning


def test_the_projection_puts_its_centre_at_the_middle_and_keeps_distances_from_it():
    projection = Projection(0, 0)
    assert projection.km(0, 0) == (0, 0)
    east, north = projection.km(90, 0)  # a quarter of the way round: sqrt(2) radii away in this projection
    assert east == pytest.approx(math.sqrt(2) * EARTH_RADIUS_KM) and north == pytest.approx(0, abs=1e-6)
    x, y = projection.km(0, 10)  # due north: straight up, at about the great-circle distance
    assert x == pytest.approx(0, abs=1e-9) and y == pytest.approx(EARTH_RADIUS_KM * math.radians(10), rel=0.003)
    for lon, lat in ((3.5, -2.25), (-40, 30), (120, 60)):
        assert Projection(10, 45).inverse_km(*Projection(10, 45).km(lon, lat)) == pytest.approx((lon, lat))


def test_the_projection_is_equal_area():
    projection = Projection(38.5, 35)
    for lon, lat in ((36, 33), (41, 37), (38.5, 35)):
        corners = [projection.km(lon + dx - 38.5, lat + dy) for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1))]
        on_earth = (
            EARTH_RADIUS_KM**2 * math.radians(1) * (math.sin(math.radians(lat + 1)) - math.sin(math.radians(lat)))
        )
        assert area(corners) == pytest.approx(on_earth, rel=0.002)


def test_a_fitted_projection_puts_the_extent_in_the_middle_of_the_box_filling_one_side():
    projection = Projection(0, 0).fitted((-100, -50, 100, 50), (10, 20, 400, 300))
    assert projection.point(0, 0) == pytest.approx((210, 170))
    west_x, _ = projection.point(*projection.inverse_km(-100, 0))
    east_x, _ = projection.point(*projection.inverse_km(100, 0))
    _, north_y = projection.point(*projection.inverse_km(0, 50))
    assert (west_x, east_x) == pytest.approx((10, 410))  # the wider side fills the box
    assert north_y == pytest.approx(170 - 100)  # the other keeps the scale, centred
    assert projection.point(*projection.inverse_km(0, 10))[1] < 170  # north is up


def test_rings_are_cut_to_the_box():
    cut = clipped([(-5, -5), (5, -5), (5, 5), (-5, 5)], 0, 0, 10, 10)
    assert area(cut) == 25 and all(0 <= x <= 10 and 0 <= y <= 10 for x, y in cut)
    assert clipped([(20, 20), (30, 20), (30, 30)], 0, 0, 10, 10) == []


def test_thinning_keeps_the_ends_and_the_corners():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 0.02), (4, 0), (4, 4)]
    assert thinned(line, 0.1) == [(0, 0), (4, 0), (4, 4)]
    assert thinned(line, 0.001) == line


# ---------------------------------------------------------------------------
# Boundaries


def test_boundaries_are_read_by_pcode_with_their_level_and_names(quarters):
    assert quarters.pcodes == set(QUARTERS)
    assert quarters.level == 1 and quarters.pcode_property == "ADM1_PCODE" and not quarters.simplified
    area_ = quarters.area("XX02")
    assert area_.name("en") == "North-east" and area_.name("ar") == "الشمال الشرقي"
    assert area_.name("fr") == "North-east"  # no French name in the file: the English one
    assert area_.centre == pytest.approx((1.5, 1.5))
    assert area_.polygons == ((((1, 1), (2, 1), (2, 2), (1, 2)),),)  # GeoJSON's closing position dropped


def test_an_admin2_file_is_keyed_by_its_own_pcodes_unless_told(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"ADM1_PCODE": "XX01", "ADM2_PCODE": f"XX01{i}", "ADM2_EN": f"District {i}"},
            "geometry": {"type": "Polygon", "coordinates": square(i, 0, i + 1, 1)},
        }
        for i in range(2)
    ]
    path = write(tmp_path, {"type": "FeatureCollection", "features": features})
    districts = read_boundaries(path)
    assert districts.pcodes == {"XX010", "XX011"} and districts.level == 2
    assert districts.area("XX011").name("en") == "District 1"
    governorates = read_boundaries(path, level=1)
    assert governorates.pcodes == {"XX01"}  # both features of one p-code make one area
    assert len(governorates.area("XX01").polygons) == 2
    assert read_boundaries(path, pcode_property="ADM2_PCODE").pcodes == {"XX010", "XX011"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON (line 1, column 2"),
        ([], "is not a GeoJSON FeatureCollection (its type is list)"),
        ({"type": "Feature"}, "is not a GeoJSON FeatureCollection (its type is Feature)"),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
        ({"type": "FeatureCollection", "features": [{"type": "Polygon"}]}, "item 1 of the features"),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"ADM1_PCODE": "XX01"}, "geometry": None}],
            },
            "feature 1 of",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "XX01"},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ],
            },
            "is a Point, not an area",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "XX01"},
                        "geometry": {"type": "Polygon", "coordinates": [[[1, 2], "x"]]},
                    }
                ],
            },
            "has malformed coordinates",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "XX01"},
                        "geometry": {"type": "Polygon", "coordinates": [[[1, 200]]]},
                    }
                ],
            },
            "has malformed coordinates",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"NAME": "x"},
                        "geometry": {"type": "Polygon", "coordinates": square(0, 0, 1, 1)},
                    }
                ],
            },
            "have no p-code property (such as ADM1_PCODE)",
        ),
    ],
)
def test_a_boundaries_file_of_the_wrong_shape_is_refused_with_how_to_fix_it(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(BoundariesError) as raised:
        read_boundaries(path)
    assert message in raised.value.message and str(path) in raised.value.message
    assert raised.value.hint and str(raised.value) == f"{raised.value.message}: {raised.value.hint}"


def test_a_feature_without_its_pcode_and_a_missing_level_are_named(tmp_path):
    features = [quarter_feature("XX01"), quarter_feature("XX02")]
    del features[1]["properties"]["ADM1_PCODE"]
    with pytest.raises(BoundariesError, match="feature 2 of .* has no p-code in its property ADM1_PCODE"):
        read_boundaries(write(tmp_path, {"type": "FeatureCollection", "features": features}))
    with pytest.raises(BoundariesError, match="have no property ADM2_PCODE"):
        read_boundaries(write(tmp_path, {"type": "FeatureCollection", "features": [quarter_feature("XX01")]}), level=2)


def test_a_missing_boundaries_file_is_named(tmp_path):
    with pytest.raises(BoundariesError) as raised:
        read_boundaries(tmp_path / "cod-ab.geojson")
    assert raised.value.message == f"no boundaries file {tmp_path / 'cod-ab.geojson'}"
    assert "relative to the report" in raised.value.hint


def test_a_large_file_is_thinned_not_refused(tmp_path):
    def circle(cx: float, cy: float, n: int = 4000) -> list:
        ring = [
            [round(cx + math.cos(2 * math.pi * i / n), 6), round(cy + math.sin(2 * math.pi * i / n), 6)]
            for i in range(n)
        ]
        return [[*ring, ring[0]]]

    features = [
        {
            "type": "Feature",
            "properties": {"ADM1_PCODE": f"XX0{i}"},
            "geometry": {"type": "Polygon", "coordinates": circle(3 * i, 0)},
        }
        for i in range(4)
    ]
    boundaries = read_boundaries(
        write(tmp_path, {"type": "FeatureCollection", "features": features}), max_vertices=2000
    )
    assert boundaries.simplified and boundaries.pcodes == {"XX00", "XX01", "XX02", "XX03"}
    rings = [p[0] for a in boundaries.areas for p in a.polygons]
    assert sum(len(r) for r in rings) <= 2000 and all(len(r) >= 50 for r in rings)
    assert all(area(r) == pytest.approx(math.pi, rel=0.01) for r in rings)  # still circles


# ---------------------------------------------------------------------------
# Classes


def test_classes_start_at_round_numbers_and_hold_every_number_once():
    numbers = [3, 48, 500, 1400, 4389]
    classes = classes_of(numbers)
    assert [label for label, _low, _high in classes] == ["1–499", "500–999", "1,000–1,999", "2,000 or more"]
    for n in numbers:
        assert sum(low <= n and (high is None or n <= high) for _label, low, high in classes) == 1


def test_zero_is_a_class_of_its_own_and_few_numbers_make_few_classes():
    assert [c[0] for c in classes_of([0, 7, 7, 7])] == ["0", "1 or more"]
    assert [c[0] for c in classes_of([120, 3400])] == ["1–1,999", "2,000 or more"]
    assert classes_of([]) == []


def test_areas_sharing_a_number_never_put_very_different_numbers_in_one_class():
    """Seven areas of 1,000 and two of 250,000 and 300,000: not one class '1,000 or more' shading all alike."""
    labels = [label for label, _low, _high in classes_of([1000] * 7 + [250_000, 300_000])]
    assert labels == ["1–199,999", "200,000 or more"]


# ---------------------------------------------------------------------------
# The areas map


def test_areas_are_shaded_by_class_and_areas_without_a_number_are_no_data(quarters):
    values = {"XX01": AreaValue(12, 12, "12"), "XX02": AreaValue(0, 0, "0"), "XX03": AreaValue(800, 800, "800")}
    drawn = areas_map(
        quarters, values, source="Source: Health cluster, 13 February 2023", title="People killed, by area"
    )
    assert len(paths(drawn.svg, "area")) == 4 and len(paths(drawn.svg, "no-data")) == 1
    legend = {"0", "1–499", "500 or more", "No data", "Source: Health cluster, 13 February 2023."}
    assert legend <= set(texts(drawn.svg))
    assert drawn.description == (
        "Map. People killed, by area. 0: North-east (0). 1–499: North-west (12). 500 or more: South-west (800). "
        "No data: South-east. Source: Health cluster, 13 February 2023."
    )
    # drawn as seen: the no-data quarter is dotted on white, the zero quarter white, the others by class
    svg = drawn.svg
    frame = etree.fromstring(svg.encode("utf-8")).find(f".//{SVG}rect[@class='frame']")
    left, top = float(frame.get("x")), float(frame.get("y"))
    width, height = float(frame.get("width")), float(frame.get("height"))
    middle_x, middle_y, corner = left + width / 2, top + height / 2, height * 0.38  # away from the labels
    colours = drawn_by_resvg(svg)
    (north_east,) = colours(middle_x + corner, middle_y - corner)
    (south_west,) = colours(middle_x - corner, middle_y + corner)
    (north_west,) = colours(middle_x - corner, middle_y - corner)
    assert north_east == (255, 255, 255)
    assert sum(south_west) < sum(north_west) < sum(north_east)  # a larger number is darker
    no_data = colours(middle_x + corner, middle_y + corner, side=6)
    assert (255, 255, 255) in no_data and len(no_data) > 2  # dots on white


def test_areas_under_a_measure_are_hatched_and_named_in_the_legend(quarters):
    drawn = areas_map(
        quarters,
        {"XX01": AreaValue(5, 5, "5")},
        source="Source: OCHA.",
        hatched={"XX01", "XX04"},
        hatched_label="State of emergency",
    )
    assert len(paths(drawn.svg, "measure")) == 2
    assert "State of emergency" in texts(drawn.svg)
    assert "State of emergency: North-west, South-east." in drawn.description


def test_a_range_is_shaded_by_its_low_end_and_the_legend_says_so(quarters):
    drawn = areas_map(
        quarters, {"XX01": AreaValue(100, 900, "100–900"), "XX02": AreaValue(600, 600, "600")}, source="Source: OCHA."
    )
    assert "An area whose source gave a range is shaded by its lowest number." in " ".join(texts(drawn.svg))
    assert "1–499: North-west (100–900)" in drawn.description


def test_pcodes_not_in_the_boundaries_are_refused(quarters):
    with pytest.raises(ValueError, match="p-codes not in the boundaries file .*: XX09, YY01"):
        areas_map(quarters, {"XX09": AreaValue(1, 1, "1")}, source="s", hatched={"YY01"})


def test_the_same_map_gives_the_same_bytes(quarters):
    def draw():
        return areas_map(
            quarters, {"XX01": AreaValue(5, 5, "5")}, source="Source: OCHA.", places=[Place("Town", 0.5, 1.5)]
        )

    first, second = draw(), draw()
    assert first.svg == second.svg and first.html == second.html
    assert not re.search(r"\d\.\d{3,}", first.svg)  # coordinates rounded


def test_an_arabic_map_names_areas_in_arabic_in_html_text_and_keeps_east_on_the_right(quarters):
    values = {"XX02": AreaValue(7, 7, "٧")}
    english = areas_map(quarters, values, source="Source: OCHA.")
    with speaking(Language("ar")):
        arabic = areas_map(quarters, values, source="المصدر: أوتشا.")
        locator = locator_map(["SYR"], [Place("حلب", 37.16, 36.2)])
    assert [p.get("d") for p in paths(arabic.svg, "area")] == [p.get("d") for p in paths(english.svg, "area")]
    assert "<text" not in arabic.html and "الشمال الشرقي" in arabic.html
    spans = re.findall(r'<span class="chart-text" style="(\w+): ([\d.]+)pt[^>]*>(?:<strong>)?([^<]*)', arabic.html)
    title = next(span for span in spans if span[2] == "المناطق بحسب العدد")  # "Areas by number"
    assert title[0] == "right"  # the heading reads from the right
    north_east = next(span for span in spans if span[2] == "الشمال الشرقي")
    south_west = next(span for span in spans if span[2] == "الجنوب الغربي")
    assert float(north_east[1]) > float(south_west[1])  # both placed from the left: east further right
    scale = next(t for t in texts(locator.svg) if t.endswith("كم"))
    assert re.fullmatch("[٠-٩]+ كم", scale)  # digits in the edition's numerals, kilometres in its words
    assert "حلب" in locator.html and "تركيا" in locator.html


# ---------------------------------------------------------------------------
# The world and the locator map


def test_syria_s_neighbours_are_found_and_named_in_each_language():
    assert world.neighbours("SYR") == ["IL", "IQ", "JO", "LB", "TR"]
    assert world.alpha2("760") == world.alpha2("SYR") == world.alpha2("sy") == "SY"
    with speaking(Language("fr")):
        assert [world.name(c) for c in world.neighbours("SYR")] == ["Israël", "Irak", "Jordanie", "Liban", "Turquie"]
    with speaking(Language("ar")):
        assert world.name("SY") == "سوريا" and world.name("LB") == "لبنان"
    with pytest.raises(ValueError, match="no country 'XYZ'"):
        world.alpha2("XYZ")


def test_the_locator_map_shows_the_country_its_neighbours_and_places():
    places = [Place("Aleppo", 37.16, 36.2), Place("Latakia", 35.79, 35.52), Place("Paris", 2.35, 48.86)]
    drawn = locator_map(["SYR"], places)
    root = etree.fromstring(drawn.svg.encode("utf-8"))
    assert len(paths(drawn.svg, "affected")) == 1
    assert len([c for c in root.iter(f"{SVG}circle") if c.get("class") == "place"]) == 2  # Paris is not shown
    labels = texts(drawn.svg)
    assert {"Syria", "Aleppo", "Latakia", "Lebanon", "Iraq", "Jordan", "Israel"} <= set(labels)
    assert "Paris" not in labels
    assert re.fullmatch(r"(1|2|5)0* km", next(t for t in labels if t.endswith("km")))
    assert drawn.description == (
        "Map of Syria in its region. Neighbouring countries: Iraq, Israel, Jordan, Lebanon, "
        "Türkiye. Places marked: Aleppo, Latakia."
    )  # Paris is not on the map; neighbours in the order of their names
    assert drawn.width == pytest.approx(481.89) and 240 <= drawn.height <= 380
    elsewhere = locator_map(["SYR"], [Place("Paris", 2.35, 48.86)])
    assert "Place named in the report" not in texts(elsewhere.svg) and "Paris" not in elsewhere.description


def test_neighbours_are_listed_as_readers_of_the_language_look_them_up():
    with speaking(Language("ar")):  # by letter, the article ال aside and hamza on alef as alef
        assert "البلدان المجاورة: الأردن، إسرائيل، تركيا، العراق، لبنان." in locator_map(["SYR"]).description
    with speaking(Language("fr")):  # accents aside
        assert "Pays voisins : Égypte, Israël, Jordanie" in locator_map(["PSE"]).description


def test_the_scale_bar_measures_the_map():
    beirut, damascus = Place("Beirut", 35.5018, 33.8938), Place("Damascus", 36.2765, 33.5138)
    drawn = locator_map(["LBN"], [beirut, damascus])
    root = etree.fromstring(drawn.svg.encode("utf-8"))
    bar = root.find(f".//{SVG}g[@class='scale']/{SVG}line")
    km = int(next(t for t in texts(drawn.svg) if t.endswith("km")).split()[0].replace(",", ""))
    assert km in {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}
    points_per_km = (float(bar.get("x2")) - float(bar.get("x1"))) / km
    markers = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "place"]
    (x1, y1), (x2, y2) = ((float(c.get("cx")), float(c.get("cy"))) for c in markers)
    on_the_ground = distance_km(beirut.lon, beirut.lat, damascus.lon, damascus.lat)  # haversine: 83.2 km
    assert math.hypot(x2 - x1, y2 - y1) / points_per_km == pytest.approx(on_the_ground, rel=0.005)


def test_a_country_s_lands_far_away_do_not_stretch_its_map():
    france = locator_map(["FRA"])
    labels = set(texts(france.svg))
    assert {"France", "Germany", "Spain"} <= labels and not {"Brazil", "Suriname"} & labels  # not French Guiana
    assert "Brazil" not in france.description


def test_a_country_across_the_180th_meridian_is_drawn_in_one_piece():
    fiji = locator_map(["FJI"])
    frame = etree.fromstring(fiji.svg.encode("utf-8")).find(f".//{SVG}rect[@class='frame']")
    xs = [float(x) for p in paths(fiji.svg, "affected") for x in re.findall(r"[ML]([\d.]+) ", p.get("d"))]
    assert max(xs) - min(xs) < float(frame.get("width")) / 3  # its islands on both sides of 180° stay together
    assert {"Fiji", "Tonga", "Vanuatu"} <= set(texts(fiji.svg))


def contains(ring, lon, lat) -> bool:
    result = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (x2 - x1) * (lat - y1) / (y2 - y1):
            result = not result
    return result


def test_the_example_s_governorates_have_their_pcodes_names_and_towns():
    boundaries = read_boundaries("inputs/syria-adm1.geojson")
    towns = {
        "SY01": (36.29, 33.51, "Damascus", "دمشق"),
        "SY02": (37.16, 36.2, "Aleppo", "حلب"),
        "SY03": (36.4, 33.57, "Rural Damascus", "ريف دمشق"),
        "SY04": (36.72, 34.73, "Homs", "حمص"),
        "SY05": (36.75, 35.13, "Hama", "حماة"),
        "SY06": (35.79, 35.52, "Lattakia", "اللاذقية"),
        "SY07": (36.63, 35.93, "Idleb", "إدلب"),
        "SY08": (40.75, 36.5, "Al-Hasakeh", "الحسكة"),
        "SY09": (40.14, 35.34, "Deir-ez-Zor", "دير الزور"),
        "SY10": (35.89, 34.89, "Tartous", "طرطوس"),
        "SY11": (39.01, 35.95, "Ar-Raqqa", "الرقة"),
        "SY12": (36.1, 32.62, "Dar'a", "درعا"),
        "SY13": (36.57, 32.71, "As-Sweida", "السويداء"),
        "SY14": (35.82, 33.13, "Quneitra", "القنيطرة"),
    }
    assert boundaries.pcodes == set(towns) and boundaries.level == 1 and not boundaries.simplified
    for pcode, (lon, lat, english, arabic) in towns.items():  # each town (its governorate's seat) is in its area
        area_ = boundaries.area(pcode)
        assert (area_.name("en"), area_.name("ar")) == (english, arabic)
        inside = [
            other.pcode
            for other in boundaries.areas
            if any(
                contains(polygon[0], lon, lat) and not any(contains(hole, lon, lat) for hole in polygon[1:])
                for polygon in other.polygons
            )
        ]
        assert inside == [pcode]


def test_a_narrow_locator_map_keeps_to_its_width_and_its_frame_to_its_height():
    drawn = locator_map(["SYR"], [Place("Latakia", 35.79, 35.52)], width_mm=84, frame_mm=38)
    root = etree.fromstring(drawn.svg.encode("utf-8"))
    assert root.get("width") == "84mm" and drawn.width == pytest.approx(84 * 72 / 25.4, abs=0.01)
    frame = root.find(f".//{SVG}rect[@class='frame']")
    assert float(frame.get("height")) <= 38 * 72 / 25.4 + 0.01
    assert float(frame.get("x")) + float(frame.get("width")) <= drawn.width
    assert drawn.height == pytest.approx(float(frame.get("y")) + float(frame.get("height")) + 2, abs=0.01)
    for text in root.iter(f"{SVG}text"):  # heading, legend, labels: none set beyond the map's width
        assert 0 <= float(text.get("x")) <= drawn.width
    assert {"Syria", "Latakia"} <= set(texts(drawn.svg))


def test_places_close_together_are_each_named_without_one_label_covering_another():
    places = [  # four towns of north-west Syria, 25 to 60 km apart: a few points apart on a narrow map
        Place("Aleppo", 37.16, 36.2),
        Place("Idleb", 36.63, 35.93),
        Place("Atarib", 36.83, 36.14),
        Place("Saraqeb", 36.8, 35.86),
    ]
    drawn = locator_map(["SYR", "TUR"], places, width_mm=84, frame_mm=38)
    root = etree.fromstring(drawn.svg.encode("utf-8"))
    assert {p.label for p in places} <= set(texts(drawn.svg))
    plates = [
        (
            float(r.get("x")),
            float(r.get("y")),
            float(r.get("x")) + float(r.get("width")),
            float(r.get("y")) + float(r.get("height")),
        )
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "plate"
    ]
    assert len(plates) == len(places)  # each place's label on its own plate
    for i, (left, top, right, bottom) in enumerate(plates):
        for other in plates[i + 1 :]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top
    markers = {(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle") if c.get("class") == "place"}
    leaders = [line for line in root.iter(f"{SVG}line") if line.get("class") == "leader"]
    assert leaders and all((line.get("x1"), line.get("y1")) in markers for line in leaders)  # each from its place


# ---------------------------------------------------------------------------
# The Flash Update's map


def _flash(tmp_path, name: str) -> tuple[str, str]:
    """The text of the English Flash Update's one-page PDF of the example ``name``, and its HTML."""
    written, _checked = build_file(
        INPUTS / name, tmp_path, ("pdf", "html"), Options(template="flash", languages=("en",))
    )
    pdf, html = (next(p for p in written if p.suffix == suffix) for suffix in (".pdf", ".html"))
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split()), html.read_text(encoding="utf-8")


def test_the_flash_update_shows_its_locator_map_beside_the_key_figures(tmp_path):
    text, html = _flash(tmp_path, "syria-coast-2025-03.yaml")
    assert "Locator map" in text and "do not imply official endorsement" in text
    assert "sitrep-map-locator" in html and "width: 238.11pt" in html  # 84 mm, the highlights' column


def test_a_flash_update_whose_page_is_full_leaves_its_map_out_of_the_pdf_not_its_text(tmp_path):
    text, html = _flash(tmp_path, "syria-coast-2025-03-no2.yaml")  # four long highlights: no room left
    assert "Locator map" not in text and "do not imply official endorsement" not in text
    assert "Thousands of families have fled" in text  # every highlight is there
    assert "sitrep-map-locator" in html  # a web page has no page to fill

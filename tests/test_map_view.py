"""What the report's maps show, from the input file: the places marked, each area's number as one source gave
it, the areas hatched under a measure; and the mistakes an analyst can make with coordinates and boundaries.

The numbers expected here are read off the example files by hand (syria-earthquake-2023-02-21.yaml: OCHA's
4.2 million people affected in Aleppo governorate and 3 million in Idleb, the disaster zones of Aleppo, Hama
and Lattakia); the drawing itself is tested in test_maps.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import located

from sitrep.build import Options, build_file, check_file
from sitrep.editions import Edition, language_of
from sitrep.errors import InputError
from sitrep.language import speaking
from sitrep.maps import AreaValue
from sitrep.view import make_view

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
COAST = INPUTS / "syria-coast-2025-03.yaml"
QUAKE = INPUTS / "syria-earthquake-2023-02-21.yaml"


def view_of(path: Path, language: str = "en"):
    """The view of the edition in ``language`` of the file at ``path``, as a build makes it."""
    checked = check_file(path)
    with speaking(language_of(checked.written, language)):
        return make_view(
            checked.written,
            checked.previous,
            edition=Edition(language, checked.languages[0]),
            boundaries=checked.boundaries,
        )


def test_the_areas_map_shows_one_sources_number_for_each_area_and_nothing_for_the_others():
    areas = view_of(QUAKE).map.areas
    assert areas.values == {
        "SY02": AreaValue(4_200_000, 4_200_000, "4.2 million"),
        "SY07": AreaValue(3_000_000, 3_000_000, "3 million"),
    }
    assert len(areas.boundaries.pcodes - set(areas.values)) == 12  # the other governorates: no data, not zero
    assert areas.hatched == ("SY02", "SY05", "SY06") and areas.hatched_label == "Disaster zone declared"
    assert areas.legend == "People affected, Syria, as given by OCHA (February 2023)"


def test_the_maps_say_in_words_what_they_show(tmp_path):
    written, _ = build_file(QUAKE, tmp_path, ("md",), Options(languages=("en",)))
    markdown = written[0].read_text(encoding="utf-8")
    assert "Aleppo (4.2 million)" in markdown and "Idleb (3 million)" in markdown  # the areas map's alt text
    assert "Disaster zone declared: Aleppo, Hama, Lattakia." in markdown
    assert "do not imply official endorsement or acceptance by North-west Syria analysis cell" in markdown
    assert {path.name for path in written} >= {
        "syria-earthquake-2023-02-21-map.svg",
        "syria-earthquake-2023-02-21-areas.svg",
    }


def test_places_with_coordinates_are_marked_on_the_locator_map_in_the_editions_words():
    english, arabic = view_of(COAST).map.places, view_of(COAST, "ar").map.places
    assert [(place.label, place.lat, place.lon) for place in english] == [
        ("Latakia", 35.57, 35.98),
        ("Tartus", 34.94, 36.08),
    ]
    assert [place.label for place in arabic] == ["اللاذقية", "طرطوس"]


def test_places_without_coordinates_are_placed_inside_their_area_by_p_code():
    places = {place.label: place for place in view_of(QUAKE).map.places}
    assert set(places) == {"Aleppo governorate", "Hama governorate", "Idleb governorate", "Lattakia governorate"}
    aleppo = places["Aleppo governorate"]
    assert 36 < aleppo.lat < 37 and 36.5 < aleppo.lon < 38.5  # within Aleppo governorate


def copy_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in ("syria-adm1.geojson", "syria-earthquake-2023-02-13.yaml"):  # the map's areas, the previous edition
        shutil.copy(INPUTS / name, folder)
    text = QUAKE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = folder / "quake.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "said"),
    [
        (
            "  boundaries: syria-adm1.geojson\n",
            "  boundaries: cod-ab-adm1.geojson\n",
            "cod-ab-adm1.geojson",
            "map.boundaries",
            "no boundaries file",
        ),
        (
            "    pcode: SY07\n",
            "    pcode: SY77\n",
            "SY77",
            "locations.idleb-governorate.pcode",
            "no area of syria-adm1.geojson has the p-code 'SY77'",
        ),
        (
            "  figure: affected-syria\n",
            "  figure: displaced-syria\n",
            "figure: displaced-syria",
            "map.figure",
            "no figure is `part_of: displaced-syria`",
        ),
        (
            "    pcode: SY07\n",
            "    pcode: SY07\n    lat: 35.8\n",
            "name: Idleb governorate",
            "locations.idleb-governorate",
            "give both `lat` and `lon`",
        ),
    ],
)
def test_mistakes_with_the_map_are_located(tmp_path, old, new, needle, field, said):
    path, text = copy_with(tmp_path, old, new)
    with pytest.raises(InputError) as raised:
        check_file(path)
    [problem] = [p for p in raised.value.problems if p.is_error]
    line, column = located(text, needle).split(":")
    assert (problem.line, problem.field) == (int(line), field)
    assert said in problem.message


IDLEB = """\
  affected-idleb:
    metric: affected
    location: idleb-governorate
    part_of: affected-syria
"""


def test_two_figures_for_one_area_are_an_error_naming_both(tmp_path):
    second = IDLEB.replace("affected-idleb:", "affected-idleb-again:")
    path, text = copy_with(
        tmp_path, IDLEB, f"{second}    estimates: [{{value: 2 million, source: ocha, as_of: 2023-02}}]\n{IDLEB}"
    )
    with pytest.raises(InputError) as raised:
        check_file(path)
    [problem] = [p for p in raised.value.problems if p.is_error]
    assert problem.field == "figures.affected-idleb.part_of"
    assert problem.message == (
        "'affected-idleb-again' and 'affected-idleb' both count affected-syria in the area SY07, so the map would "
        "shade it by one of them and leave the other out: keep `part_of: affected-syria` on one of them"
    )


def test_a_part_counting_another_group_in_an_area_does_not_shade_it(tmp_path):
    children = IDLEB.replace("affected-idleb:", "affected-idleb-children:").replace(
        "    metric: affected\n", "    metric: affected\n    group: children\n"
    )
    idleb = (
        f"{IDLEB}    estimates:\n"
        "      - {value: 3 million, source: ocha, via: ocha-statement-feb, as_of: 2023-02}\n"
        "      - {value: 3 million, source: ocha, via: stockholmcf, as_of: 2023-02}\n"
    )
    path, _text = copy_with(  # the children last, as the last part for an area used to shade it
        tmp_path, idleb, f"{idleb}{children}    estimates: [{{value: 1.9 million, source: ocha, as_of: 2023-02}}]\n"
    )
    # Idleb is shaded by OCHA's 3 million people affected, not by the 1.9 million children among them
    assert view_of(path).map.areas.values["SY07"] == AreaValue(3_000_000, 3_000_000, "3 million")


def test_a_bound_shades_its_area_by_the_least_number_it_allows_and_the_legend_says_so(tmp_path):
    path, _text = copy_with(
        tmp_path,
        "      - {value: 3 million, source: ocha, via: ocha-statement-feb, as_of: 2023-02}\n"
        "      - {value: 3 million, source: ocha, via: stockholmcf, as_of: 2023-02}\n",
        "      - {value: 1999999, qualifier: more-than, source: ocha, via: ocha-statement-feb, as_of: 2023-02}\n",
    )
    areas = view_of(path).map.areas
    # 'more than 1,999,999' is at least 2 million: in the class of 2 million or more, with Aleppo's 4.2 million
    assert areas.values["SY07"] == AreaValue(2_000_000, 1_999_999, "more than 1,999,999", True)
    written, _ = build_file(path, tmp_path, ("md",), Options(languages=("en",)))
    markdown = written[0].read_text(encoding="utf-8")
    assert "2 million or more: Aleppo (4.2 million), Idleb (more than 1,999,999)." in markdown
    assert "shaded by the lowest number it allows" in markdown


def test_a_number_that_may_be_zero_cannot_shade_an_area(tmp_path):
    path, text = copy_with(
        tmp_path,
        "      - {value: 3 million, source: ocha, via: ocha-statement-feb, as_of: 2023-02}\n"
        "      - {value: 3 million, source: ocha, via: stockholmcf, as_of: 2023-02}\n",
        "      - {value: 3 million, qualifier: up-to, source: ocha, via: ocha-statement-feb, as_of: 2023-02}\n",
    )
    with pytest.raises(InputError) as raised:
        check_file(path)
    [problem] = [p for p in raised.value.problems if p.is_error]
    assert problem.field == "figures.affected-idleb.estimates[0].value"
    assert problem.message.startswith("up to 3,000,000 may be anything from 0, so its area cannot be shaded by it")


def test_a_boundaries_file_of_the_wrong_shape_is_a_located_error_not_a_traceback(tmp_path):
    path, text = copy_with(tmp_path, "  boundaries: syria-adm1.geojson\n", "  boundaries: areas.geojson\n")
    (path.parent / "areas.geojson").write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check_file(path)
    [problem] = raised.value.problems
    assert problem.field == "map.boundaries" and "is not a GeoJSON FeatureCollection" in problem.message
    assert problem.line == int(located(text, "areas.geojson").split(":")[0])


def test_an_ended_measure_is_not_hatched(tmp_path):
    path, _text = copy_with(
        tmp_path,
        "    from: 2023-02\n    sources: [ocha-hct-fu6]\n",
        "    from: 2023-02\n    until: 2023-02-20\n    sources: [ocha-hct-fu6]\n",
    )
    checked = check_file(path)
    with speaking(language_of(checked.written, "en")):
        areas = make_view(checked.written, checked.previous, boundaries=checked.boundaries).map.areas
    assert areas.hatched == () and areas.hatched_label is None
    assert set(areas.values) == {"SY02", "SY07"}  # the numbers are shown all the same

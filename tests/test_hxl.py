"""The HXL export as data users read it: libhxl's queries and sums, the `hxlclean` command, and pandas.

Every expected number here is written by hand from the example files (who said what, on which day),
not computed by sitrep: the tests say what a person querying the export gets.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import hxl
import hxl.input
import pandas
import pytest

from sitrep.build import build_file, read_report
from sitrep.export import hxl_csv
from sitrep.view import make_view

ROOT = Path(__file__).resolve().parents[1]
FIRST = ROOT / "inputs" / "syria-coast-2025-03.yaml"
SECOND = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"
QUAKE = ROOT / "inputs" / "syria-earthquake-2023-03-08.yaml"
RANGES = Path(__file__).resolve().parent / "data" / "export" / "ranges.yaml"
EXAMPLES = [FIRST, SECOND, QUAKE, RANGES]
HXLCLEAN = Path(sys.executable).with_name("hxlclean")  # installed with libhxl, beside this Python


def export(path: Path) -> str:
    report = read_report(path)
    return hxl_csv(report, make_view(report))


def dataset(text: str) -> hxl.model.Dataset:
    return hxl.data(hxl.input.make_input(io.BytesIO(text.encode("utf-8"))))


def frame(text: str) -> pandas.DataFrame:
    """The export as pandas reads it, with the hashtags (the second line) as column names."""
    return pandas.read_csv(io.StringIO(text), header=1, dtype=str, keep_default_na=False)


def hxl_sum(text: str, pattern: str) -> float | None:
    """libhxl's own sum of a column pattern over every row (as `hxlcount -a 'sum(...)'` does)."""
    [row] = dataset(text).count("#crisis+code", aggregators=f"sum({pattern}) as Sum#meta+sum")
    return row.get("#meta+sum")


def column_values(text: str, pattern: str) -> list[str]:
    """The non-empty cells of every column a pattern selects, as `with_columns` gives them."""
    return [value for row in dataset(text).with_columns(pattern) for value in row.values if value]


# ---------------------------------------------------------------------------
# Dates


def test_libhxl_reads_the_editions_day_as_written():
    rows = list(dataset(export(SECOND)))
    # Situation Report No. 2 is as of 12 March 2025, 18:00 (+03:00).
    assert {row.get("#date+edition", parsed=True)[0] for row in rows} == {"2025-03-12"}
    assert {hxl.datatypes.normalise_date(row.get("#date+edition")) for row in rows} == {"2025-03-12"}
    assert {row.get("#meta+edition+time") for row in rows} == {"18:00+03:00"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_hxlclean_keeps_every_date(path, tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(export(path), encoding="utf-8")
    cleaned = subprocess.run([HXLCLEAN, "-d", "#date", str(source)], capture_output=True, text=True, check=True)
    before = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    after = list(csv.reader(io.StringIO(cleaned.stdout)))
    assert after == before


def test_days_of_the_numbers_after_hxlclean(tmp_path):
    [built], _ = build_file(SECOND, tmp_path, ("hxl",))  # as `sitrep build -f hxl` writes it
    assert built.name == "syria-coast-2025-03-no2.csv"
    cleaned = subprocess.run([HXLCLEAN, "-d", "#date", str(built)], capture_output=True, text=True, check=True)
    rows = list(dataset(cleaned.stdout))
    assert {row.get("#date+edition") for row in rows} == {"2025-03-12"}
    # The days SOHR, OHCHR, UNICEF, ABC, BBC and the Defence Ministry gave their numbers for.
    assert {row.get("#date+reported") for row in rows} == {
        "2025-03-06",
        "2025-03-08",
        "2025-03-09",
        "2025-03-11",
        "2025-03-12",
    }


# ---------------------------------------------------------------------------
# What a query for a figure's hashtag returns


def test_a_query_for_the_hashtag_gets_no_end_of_a_range():
    text = export(RANGES)
    # Displaced: the agency's estimate of 745 to 1,068 and the monitor's 2,000 to 3,000, both ranges.
    assert [column.display_tag for column in dataset(text).with_columns("#affected+displaced").columns] == [
        "#affected+displaced"
    ]
    assert column_values(text, "#affected+displaced") == []
    displaced = [row for row in dataset(text) if row.get("#indicator+code") == "displaced"]
    assert [row.get("#affected+displaced") for row in displaced] == [None, None]
    assert [row.get("#indicator+value") for row in displaced] == [None, None]
    # The ends are there, under their own hashtags.
    assert [(row.get("#indicator+min"), row.get("#indicator+max")) for row in displaced] == [
        ("745", "1068"),
        ("2000", "3000"),
    ]
    # A single number with its qualifier is a value: at least 111 killed in the town, up to 300 in need.
    assert column_values(text, "#affected+killed") == ["111"]
    assert column_values(text, "#inneed") == ["300"]


def test_a_query_for_killed_gets_only_the_number_that_leads():
    text = export(QUAKE)
    # OCHA leads: more than 4,500 killed in north-west Syria (6 March 2023). Its earlier 4,400 and 4,500, the
    # White Helmets' 1,900 and North Press's 2,274 are in the file too, but not under #affected+killed.
    assert column_values(text, "#affected+killed") == ["4500"]
    [row] = [row for row in dataset(text) if row.get("#affected+killed")]
    assert (row.get("#meta+source"), row.get("#meta+qualifier"), row.get("#date+reported")) == (
        "UN Office for the Coordination of Humanitarian Affairs",
        "more-than",
        "2023-03-06",
    )
    killed = [row for row in dataset(text) if row.get("#indicator+code") == "killed-nws"]
    assert sorted(row.get("#indicator+value+num") for row in killed) == ["1900", "2274", "4400", "4500", "4500"]


# ---------------------------------------------------------------------------
# Sums


def test_libhxl_sums_give_numbers_the_report_gives():
    text = export(QUAKE)
    assert hxl_sum(text, "#affected+killed") == 4500
    assert hxl_sum(text, "#affected+injured") == 8700  # OCHA, 6 March; not its 8,600, 8,300, 8,500
    assert hxl_sum(text, "#affected+infected") == 50000
    # Displaced in the north-west (OCHA: at least 86,000) and in the whole country (WFP: 284,000) are two
    # figures that may overlap: neither is under #affected+displaced, so no sum adds them.
    assert hxl_sum(text, "#affected+displaced") is None


@pytest.mark.parametrize("path", [FIRST, SECOND], ids=lambda p: p.stem)
def test_libhxl_sum_of_killed_adds_no_rival_history_or_part(path):
    """The coast's tolls: a total, its parts, a day's toll and an ambush's, several sources and days.

    Summing every number used to give 3,120 for the first edition (1,018 + 745 + 1,068 + 125 + 148 + 16):
    a total with its own parts and the civilians' toll twice. The figures that are parts of none (the
    whole toll, the ambush's) may overlap, so none is under #affected+killed.
    """
    text = export(path)
    assert hxl_sum(text, "#affected+killed") is None
    assert hxl_sum(text, "#affected") is None


def test_pandas_sum_of_the_summable_columns():
    table = frame(export(QUAKE))
    wide = {
        tag: pandas.to_numeric(table[tag].replace("", None)).sum()
        for tag in (
            "#affected+killed",
            "#affected+injured",
            "#affected+homeless",
            "#affected+displaced",
            "#value+required",
            "#value+pledged",
            "#value+allocated",
        )
    }
    assert wide == {
        "#affected+killed": 4500,
        "#affected+injured": 8700,
        "#affected+homeless": 11000,
        "#affected+displaced": 0,
        # The flash appeal: US$397.6 million required, US$206 million pledged (OCHA).
        "#value+required": 397_600_000,
        "#value+pledged": 206_000_000,
        # Three pooled-fund allocations: none alone, none summed.
        "#value+allocated": 0,
    }


def test_pandas_one_number_per_figure_among_rows_that_lead():
    table = frame(export(SECOND))
    leading = table[table["#meta+role"].isin(["headline", "part"])]
    assert not leading["#indicator+code"].duplicated().any()
    # SOHR's breakdown of its 8 March total of 1,018, the rows a user gets filtering on the total.
    parts = leading[leading["#indicator+code+parent"] == "killed-total"]
    assert dict(zip(parts["#indicator+code"], parts["#indicator+value+num"], strict=True)) == {
        "killed-security": "125",
        "killed-loyalists": "148",
    }
    # Civilians: SOHR's 1,383 and OHCHR's verified 'at least 111' disagree and neither leads: both are
    # rivals, with SOHR's 745, 1,068 and 1,225 as its history.
    civilians = table[table["#indicator+code"] == "killed-civilians"]
    assert list(
        zip(civilians["#indicator+value+num"], civilians["#meta+role"], civilians["#meta+series"], strict=True)
    ) == [
        ("745", "earlier", "earlier"),
        ("1068", "earlier", "earlier"),
        ("1225", "earlier", "earlier"),
        ("1383", "rival", "current"),
        ("111", "rival", "current"),
    ]


def test_pandas_every_number_of_the_file_is_in_the_long_columns():
    table = frame(export(SECOND))
    numbers = sorted(int(n) for n in table["#indicator+value+num"] if n)
    # Each number once (the file's figures, in order: total, civilians, governorates, children, ...).
    assert numbers == sorted(
        [
            1018,
            745,
            1068,
            1225,
            1383,
            111,
            658,
            683,
            384,
            433,
            171,
            255,
            12,
            12,
            13,
            125,
            148,
            16,
            16,
            13,
            132,
            72,
            60,
            158,
            49,
            25,
            84,
            47,
            50,
        ]
    )


@pytest.mark.parametrize("path", [FIRST, SECOND, RANGES], ids=lambda p: p.stem)
def test_every_row_has_its_country_code(path):
    assert set(frame(export(path))["#country+code"]) == {"SYR"}


def test_every_row_of_a_report_on_two_countries_has_its_countries():
    table = frame(export(QUAKE))
    countries = dict(
        zip(table["#indicator+code"] + " " + table["#indicator+type"], table["#country+code"], strict=False)
    )
    # Every figure and line is in Syria, but CERF's regional allocation for Türkiye and Syria.
    assert {key: code for key, code in countries.items() if code != "SYR"} == {"funding-3 allocated": "SYR, TUR"}
    assert all(table["#country+code"])

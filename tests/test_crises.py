"""Any crisis: things other than people, numbers in millions, money, months, several countries, official
measures, the response by cluster and funding, as a reader of each product and format gets them.

The input is tests/data/crises/two-countries-earthquake.yaml (made-up numbers in the shape of a real
report), built through the real pipeline; expected texts are written out here by hand.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import hxl
import hxl.input
import pytest
from helpers import report_from

from sitrep.build import Options, build_file, check_file, render_outputs
from sitrep.model import Month
from sitrep.view import make_view
from sitrep.wording import day, money, number, percent

QUAKE = Path(__file__).resolve().parent / "data" / "crises" / "two-countries-earthquake.yaml"


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    files = render_outputs(check_file(QUAKE), ("md", "html", "hxl", "json"), source_name=QUAKE.name)
    return {ending: data.decode("utf-8") for ending, data in files.items()}


def lines(text: str) -> list[str]:
    return text.splitlines()


# ---------------------------------------------------------------------------
# Numbers, money and months as sources write them


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (17_000_000, "17 million"),
        (1_900_000, "1.9 million"),
        (3_040_000, "3.04 million"),
        (950_000_000, "950 million"),
        (1_500_000_000, "1.5 billion"),
        (4_500, "4,500"),
        (1_234_567, "1,234,567"),
        (1_000_000, "1 million"),
    ],
)
def test_numbers_are_written_as_ocha_writes_them_and_never_rounded(value, shown):
    assert number(value) == shown


def test_money_shares_and_months_are_written_as_readers_expect():
    assert money(397_600_000, "USD") == "US$397.6 million"
    assert money(30_000_000, "EUR") == "€30 million"
    assert money(6_000_000, "CHF") == "CHF 6 million"
    assert (percent(Decimal("38")), percent(Decimal("78.6")), percent(Decimal("78.60"))) == ("38%", "78.6%", "78.6%")
    assert day(Month(2025, 4)) == "April 2025"


def ministry_on_bridges(month: str):
    report = report_from(
        QUAKE.read_text(encoding="utf-8").replace(
            "      - {value: 12, source: ministry, as_of: 2025-04-05}",
            "      - {value: 12, source: ministry, as_of: 2025-04-05}\n"
            f"      - {{value: 14, source: ministry, as_of: {month}}}",
        )
    )
    bridges = next(f for f in make_view(report).figures if f.id == "bridges")
    [ministry] = bridges.series
    return [(c.number, c.as_of) for c in ministry.current], [(c.number, c.as_of) for c in ministry.history]


def test_a_month_and_a_day_of_it_cannot_be_put_in_order_so_both_are_current():
    # 'April 2025' may be of any day of April, before or after the 5th: neither is shown as the earlier
    assert ministry_on_bridges("April 2025") == ([("12", "5 April 2025"), ("14", "April 2025")], [])


def test_a_day_after_a_month_is_newer_than_it():
    assert ministry_on_bridges("March 2025") == ([("12", "5 April 2025")], [("14", "March 2025")])


# ---------------------------------------------------------------------------
# The report, in Markdown


def test_things_other_than_people_read_naturally_in_the_key_figures(outputs):
    assert "| People affected, Central Myanmar | **more than 17 million** | TRA, 8 April 2025 [1] |" in lines(
        outputs[".md"]
    )
    assert "| Buildings damaged, Central Myanmar | **5,223** | TRA, 8 April 2025 [1] |" in lines(outputs[".md"])
    assert (
        "| Health facilities damaged or destroyed, Central Myanmar | **at least 55** | TRA, April 2025 [1] |"
    ) in lines(outputs[".md"])


def test_damage_has_its_section_with_each_unit_and_a_month_as_the_source_gave_it(outputs):
    section = outputs[".md"].split("## Damage\n", 1)[1].split("\n## ", 1)[0]
    assert lines(section)[3:8] == [
        "| Buildings damaged | Central Myanmar | **5,223** | 5,223: TRA, 8 April 2025 [1] (reported) |",
        "| ↳ Buildings damaged | Mandalay, Myanmar | **2,100** | 2,100: TRA, 8 April 2025 [1] (reported) |",
        "| Schools damaged or destroyed | Central Myanmar | **1,200** | 1,200: Ministry, April 2025 [2] (reported) |",
        "| Health facilities damaged or destroyed | Central Myanmar | **at least 55** | at least 55: TRA, "
        "April 2025 [1] (reported) |",
        "| Bridges destroyed | Sagaing, Myanmar | **12** | 12: Ministry, 5 April 2025 [2] (reported) |",
    ]


def test_each_place_carries_its_country_in_a_report_on_two_countries(outputs):
    assert "| People killed | Bangkok, Thailand | **95** | 95: Test Wire, 9 April 2025 [3] (reported) |" in lines(
        outputs[".md"]
    )
    assert (
        "| 1 | 28 March 2025 | The earthquake strikes central Myanmar. [3] | Mandalay, Myanmar; Sagaing, Myanmar |"
        in lines(outputs[".md"])
    )


def test_official_measures_say_whether_they_are_in_force(outputs):
    section = outputs[".md"].split("## Official measures\n\n", 1)[1].split("\n\n", 1)[0]
    assert lines(section) == [
        "- **State of emergency** (Mandalay, Myanmar; Sagaing, Myanmar, since 28 March 2025): A state of emergency "
        "was declared in six regions. [2]",
        "- **National mourning** (ended) (from 31 March 2025, ended 6 April 2025): A week of national mourning was "
        "declared. [2]",
    ]


def test_the_response_has_one_block_per_cluster_with_its_figures(outputs):
    block = outputs[".md"].split("### Shelter and Non-Food Items\n\n", 1)[1].split("\n## ", 1)[0]
    assert lines(block)[:8] == [
        "**Needs:** Tarpaulins and tents for families sleeping outside.",
        "",
        "**Response:** Partners delivered relief items by truck.",
        "",
        "**Gaps and constraints:** Roads to Sagaing remain cut.",
        "",
        "Sources: TRA [1]",
        "",
    ]
    assert "| Trucks delivered | All areas | **140** | 140: TRA, 9 April 2025 [1] (reported) |" in lines(block)
    # A figure that measures the response is shown with its cluster, not again under "Other figures".
    assert "Trucks delivered" not in outputs[".md"].split("## Other figures", 1)[1].split("## Services", 1)[0]


def test_funding_shows_each_amount_and_computes_coverage_only_from_one_sources_amounts_of_one_day(outputs):
    section = outputs[".md"].split("## Funding\n", 1)[1].split("\n## ", 1)[0]
    assert lines(section)[5:7] == [
        "| Required | **US$275 million** | US$275 million: Tracker, 2 April 2025 [4] (reported) |",
        "| Funded | **US$55 million** (Tracker), **24%** (TRA) | • US$55 million: Tracker, 2 April 2025 [4] (reported)"
        " • 24%: TRA, 9 April 2025 [1] (reported) |",
    ]
    # 55 of 275 is 20%, from the tracker's two amounts of 2 April; the agency's 24% of 9 April is shown as given.
    coverage = [line for line in lines(section) if "funded:" in line]
    assert coverage == [
        "- 20% funded: US$55 million (Tracker, 2 April 2025) [4] of US$275 million (Tracker, 2 April 2025) [4]"
    ]


def test_a_key_funding_line_is_in_the_key_figures_of_the_flash_update(tmp_path):
    written, _ = build_file(QUAKE, tmp_path, ("md",), Options(template="flash"))
    markdown = written[0].read_text(encoding="utf-8")
    assert (
        "| Test Flash Appeal | • Required: **US$275 million** • Funded: **US$55 million** (Tracker), "
        "**24%** (TRA) |" in markdown
    )


def test_no_coverage_without_one_sources_requirement_and_amount_of_the_same_day():
    text = QUAKE.read_text(encoding="utf-8").replace(
        "      - {amount: US$55 million, source: tracker, as_of: 2025-04-02}",
        "      - {amount: US$55 million, source: tracker, as_of: 2025-04-03}",
    )
    [line] = make_view(report_from(text)).funding
    assert line.coverage == ()


REQUIRED = "      - {amount: US$275 million, source: tracker, as_of: 2025-04-02}"
FUNDED = "      - {amount: US$55 million, source: tracker, as_of: 2025-04-02}"


def coverage_of(text: str) -> list[str]:
    [line] = make_view(report_from(text)).funding
    return ["".join(phrase.text for phrase in sentence) for sentence in line.coverage]


def test_coverage_is_never_computed_from_a_withdrawn_requirement():
    text = QUAKE.read_text(encoding="utf-8").replace(
        REQUIRED,
        "      - {amount: US$40 million, source: tracker, as_of: 2025-04-02, withdrawn: corrected the same day}\n"
        "      - {amount: US$250 million, source: tracker, as_of: 2025-04-02}",
    )
    # 55 of 250 is 22%; the withdrawn 40 million would have made it 137.5%
    assert coverage_of(text) == [
        "22% funded: US$55 million (Tracker, 2 April 2025) of US$250 million (Tracker, 2 April 2025)"
    ]


@pytest.mark.parametrize(
    ("funded", "share"),
    [
        ("US$274.9 million", "99.9%"),  # 99.96%: short of the requirement, never "100% funded"
        ("US$275 million", "100%"),
        ("US$275.1 million", "100.1%"),  # 100.04%: over it, never "100%"
        ("US$200,000", "0.1%"),  # 0.073%
        ("US$100,000", "less than 0.1%"),  # 0.036%: some money came, never "0% funded"
        ("US$0", "0%"),
    ],
)
def test_a_computed_share_is_never_rounded_to_a_full_or_an_empty_appeal(funded, share):
    text = QUAKE.read_text(encoding="utf-8").replace(FUNDED, FUNDED.replace("US$55 million", f'"{funded}"'))
    [coverage] = coverage_of(text)
    assert coverage.startswith(f"{share} funded: {funded} (Tracker")


def test_the_same_amount_in_two_currencies_is_two_sources_amounts_not_an_agreement(tmp_path):
    path = tmp_path / "currencies.yaml"
    path.write_text(
        QUAKE.read_text(encoding="utf-8").replace(
            f"{FUNDED}\n      - {{percent: 24, source: agency, as_of: 2025-04-09}}",
            "      - {amount: EUR 50 million, source: tracker, as_of: 2025-04-09}\n"
            "      - {amount: US$50 million, source: agency, as_of: 2025-04-09}",
        ),
        encoding="utf-8",
    )
    assert "EUR 50 million" in path.read_text(encoding="utf-8")
    written, _ = build_file(path, tmp_path, ("md",))
    markdown = written[0].read_text(encoding="utf-8")
    assert "| Funded | **€50 million** (Tracker), **US$50 million** (TRA) |" in markdown
    assert "€50 million or US$50 million" not in markdown


# ---------------------------------------------------------------------------
# Charts and exports


def test_the_chart_never_draws_two_units_on_one_scale(outputs, tmp_path):
    written, _ = build_file(QUAKE, tmp_path, ("md",))
    svg = (tmp_path / "two-countries-earthquake-figures.svg").read_text(encoding="utf-8")
    ns = "{http://www.w3.org/2000/svg}"
    panels = [
        [row.get("data-figure") for row in panel.iter(f"{ns}g") if "row" in row.get("class", "").split()]
        for panel in ET.fromstring(svg).iter(f"{ns}g")
        if panel.get("class") == "panel"
    ]
    assert panels == [["affected"], ["buildings-damaged"], ["hospitals"]]
    assert "at least 55</tspan> TRA, Apr 2025" in svg


def test_hxl_has_a_column_per_metric_and_unit_the_funding_amounts_and_each_rows_country(outputs):
    rows = list(csv.reader(io.StringIO(outputs[".csv"], newline="")))
    tags = rows[1]
    data = [dict(zip(tags, row, strict=True)) for row in rows[2:]]
    by_code = {(row["#indicator+code"], row["#indicator+type"], row["#meta+source"]): row for row in data}
    buildings = by_code[("buildings-damaged", "damaged", "Test Relief Agency")]
    assert (
        buildings["#indicator+num+damaged+buildings"],
        buildings["#meta+unit"],
        buildings["#country+code"],
        buildings["#indicator+group"],
    ) == ("5223", "buildings", "MMR", "")
    assert by_code[("killed-bangkok", "killed", "Test Wire")]["#country+code"] == "THA"
    assert by_code[("trucks", "delivered", "Test Relief Agency")]["#output+num+delivered+trucks"] == "140"
    required = by_code[("funding-1", "requirement", "Test Funding Tracker")]
    assert (required["#value+required"], required["#currency"]) == ("275000000", "USD")
    share = by_code[("funding-1", "funded", "Test Relief Agency")]
    assert (share["#value+pct"], share["#value+funding"]) == ("24", "")
    hospitals = by_code[("hospitals", "damaged-or-destroyed", "Test Relief Agency")]
    assert (hospitals["#date+reported"], hospitals["#meta+qualifier"]) == ("2025-04", "at-least")
    dataset = hxl.data(hxl.input.make_input(io.BytesIO(outputs[".csv"].encode("utf-8"))))
    assert [column.display_tag for column in dataset.columns] == tags


def test_the_json_export_gives_funding_as_the_report_shows_it(outputs):
    derived = json.loads(outputs[".json"])["derived"]["funding"]["funding-1"]
    assert derived["coverage"] == [
        "20% funded: US$55 million (Tracker, 2 April 2025) of US$275 million (Tracker, 2 April 2025)"
    ]
    assert [(c["number"], c["source"]) for s in derived["amounts"]["funded"]["sources"] for c in s["current"]] == [
        ("US$55 million", "tracker"),
        ("24%", "agency"),
    ]
    # as data: an amount with its currency, a share as a share (never as the number 2,400)
    assert [
        (c["low"], c["high"], c["currency"], c["percent"])
        for s in derived["amounts"]["funded"]["sources"]
        for c in s["current"]
    ] == [(55_000_000, 55_000_000, "USD", None), (None, None, None, 24)]


def test_what_changed_names_new_and_changed_measures_and_updated_clusters():
    before = report_from(QUAKE.read_text(encoding="utf-8"))
    after = report_from(
        QUAKE.read_text(encoding="utf-8")
        .replace("  number: 1\n", "  number: 2\n")
        .replace(
            "    from: 2025-03-28\n    sources: [ministry]",
            "    from: 2025-03-28\n    until: 2025-04-09\n    sources: [ministry]",
        )
        .replace("    gaps: Roads to Sagaing remain cut.", "    gaps: Roads to Sagaing reopened on 9 April.")
        .replace(
            "measures:\n",
            "measures:\n  - {kind: ceasefire, text: A ceasefire was announced., from: 2025-04-02, sources: [wire]}\n",
        )
    )
    view = make_view(after, before)
    groups = {group.title: [line.text for line in group.lines] for group in view.other_changes}
    assert groups["Official measures"] == [
        "New: Ceasefire: A ceasefire was announced. (since 2 April 2025)",
        "Changed: State of emergency: A state of emergency was declared in six regions. (from 28 March 2025, ended "
        "9 April 2025)",
    ]
    assert groups["Humanitarian response"] == ["Shelter and Non-Food Items: needs, response or gaps updated"]

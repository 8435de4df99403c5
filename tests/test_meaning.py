"""What figures mean, end to end: series, spreads, qualifiers and changes as every output shows them.

``sitrep.estimates`` reads a figure's estimates for their meaning (each source's series, spreads
only between current numbers of one status, what leads) and every product shows that reading.
These tests hold the outputs to it:

- properties over generated report files (Hypothesis, derandomized): a spread never joins one
  source's series or two statuses; every qualifier reaches the Markdown, the HTML, the JSON and
  the HXL export; nothing is added up; each source's current number is its newest standing one;
- examples on real files with the exact text a reader gets: a series carried into the next edition
  by `sitrep new --from`, a verified minimum beside a running count, a "more than" number at every
  place a number is shown, and the citations of a Flash Update.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import report_from
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sitrep.build import Checked, Options, build_file, check_file, render_outputs
from sitrep.cli import main
from sitrep.view import make_view

ROOT = Path(__file__).resolve().parents[1]
FIRST = ROOT / "inputs" / "syria-coast-2025-03.yaml"
SECOND = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"
DATA = Path(__file__).resolve().parent / "data" / "meaning"

PROPERTIES = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
"""Repeatable runs (derandomized, no example database), a few seconds per property."""

HEADER = """\
report:
  title: "Test: figures read for their meaning"
  crisis: test-crisis
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
sources:
  sohr: {publisher: Syrian Observatory for Human Rights, short: SOHR, kind: monitor}
  abc: {publisher: ABC News, kind: news}
  npr: {publisher: NPR, kind: news}
narrative:
  overview: Something happened.
"""

SOURCES = ("sohr", "abc", "npr")
QUALIFIERS = ("exact", "at-least", "more-than", "about", "up-to")
STATUSES = ("reported", "verified", "estimated")
METRICS = ("killed", "injured", "displaced", "in-need")
WITHDRAWN = "withdrawn by the source: counted twice"

QUALIFIER_WORDS = {
    "exact": "",
    "at-least": "at least ",
    "more-than": "more than ",
    "about": "about ",
    "up-to": "up to ",
}
"""How a reader is told each qualifier, written here independently of sitrep.wording."""


# ---------------------------------------------------------------------------
# Generated report files


def written(value: int) -> str:
    """A number as OCHA writes it: 1,234; whole millions to two decimals as '1.25 million', '3 million'."""
    if value >= 1_000_000 and value % 10_000 == 0:
        whole, rest = divmod(value, 1_000_000)
        return f"{whole}.{rest // 10_000:02d}".rstrip("0").rstrip(".") + " million"
    return f"{value:,}"


@dataclass(frozen=True)
class Est:
    """One generated estimate, as written in the file."""

    source: str
    low: int
    high: int
    qualifier: str
    status: str
    day: int
    withdrawn: str | None

    @property
    def as_of(self) -> str:
        return f"2025-03-{self.day:02d}"

    @property
    def worded(self) -> str:
        """'at least 1,234', 'about 700–1,200', '1.25 million': the number as a reader must see it."""
        shown = written(self.low) if self.low == self.high else f"{written(self.low)}\u2013{written(self.high)}"
        return QUALIFIER_WORDS[self.qualifier] + shown

    def yaml(self) -> str:
        number = f"value: {self.low}" if self.low == self.high else f"low: {self.low}, high: {self.high}"
        fields = [
            number,
            f"qualifier: {self.qualifier}",
            f"status: {self.status}",
            f"source: {self.source}",
            f"as_of: {self.as_of}",
        ]
        if self.withdrawn:
            fields.append(f'withdrawn: "{self.withdrawn}"')
        return "      - {" + ", ".join(fields) + "}\n"


@dataclass(frozen=True)
class Fig:
    id: str
    metric: str
    key: bool
    lead: str | None
    estimates: tuple[Est, ...]

    def yaml(self) -> str:
        lines = f"  {self.id}:\n    metric: {self.metric}\n    key: {str(self.key).lower()}\n"
        if self.lead:
            lines += f"    lead: {self.lead}\n"
        return lines + "    estimates:\n" + "".join(e.yaml() for e in self.estimates)


@dataclass(frozen=True)
class Generated:
    figures: tuple[Fig, ...]

    @property
    def text(self) -> str:
        return HEADER + "figures:\n" + "".join(f.yaml() for f in self.figures)

    @property
    def numbers(self) -> set[int]:
        """Every number written in the figures (values and both ends of ranges)."""
        return {n for f in self.figures for e in f.estimates for n in (e.low, e.high)}


# Small numbers that come up again and again, so that sources often agree or tie at an end of a spread.
COMMON = st.sampled_from([0, 13, 16, 111, 1383, 3900])
ANY_NUMBER = st.one_of(COMMON, st.integers(0, 5_000_000))
LARGE_NUMBER = st.integers(10_000, 5_000_000)


@st.composite
def estimates(draw, numbers=ANY_NUMBER) -> Est:
    low = draw(numbers)
    high = low
    if draw(st.booleans()):  # a range the source gave: low < high
        other = draw(numbers)
        assume(other != low)
        low, high = min(low, other), max(low, other)
    return Est(
        source=draw(st.sampled_from(SOURCES)),
        low=low,
        high=high,
        qualifier=draw(st.sampled_from(QUALIFIERS)),
        status=draw(st.sampled_from(STATUSES)),
        day=draw(st.integers(1, 9)),  # on or before the report's as-of, 9 March
        withdrawn=draw(st.sampled_from([None, None, None, WITHDRAWN])),
    )


@st.composite
def figures(draw, index: int, numbers=ANY_NUMBER) -> Fig:
    found = tuple(draw(st.lists(estimates(numbers), min_size=1, max_size=5)))
    standing = sorted({e.source for e in found if not e.withdrawn})
    lead = draw(st.none() | st.sampled_from(standing)) if standing else None
    return Fig(f"figure-{index}", draw(st.sampled_from(METRICS)), draw(st.booleans()), lead, found)


@st.composite
def reports(draw, numbers=ANY_NUMBER) -> Generated:
    count = draw(st.integers(1, 4))
    return Generated(tuple(draw(figures(index, numbers)) for index in range(1, count + 1)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Where the generated files are written (function-scoped tmp_path does not mix with Hypothesis)."""
    return tmp_path_factory.mktemp("meaning")


def checked(generated: Generated, folder: Path) -> Checked:
    """The generated file through the real pipeline: written, loaded, validated and checked."""
    path = folder / "generated.yaml"
    path.write_text(generated.text, encoding="utf-8")
    return check_file(path)  # warnings are fine; an error would raise InputError


# ---------------------------------------------------------------------------
# Properties


@pytest.mark.slow
@PROPERTIES
@given(generated=reports())
def test_a_spread_never_joins_one_sources_series_or_numbers_of_two_statuses(generated):
    """A spread is between current numbers of different sources, all of one status: never a source's toll on
    two days drawn as a range, never a verified minimum joined to reported counts."""
    view = make_view(report_from(generated.text))
    for figure in view.figures:
        current = [claim for series in figure.series for claim in series.current]
        for spread in figure.spreads:
            ends = (*spread.low, *spread.high)
            assert len({claim.source_id for claim in ends}) >= 2, (figure.id, spread.number)
            for source in {c.source_id for c in spread.low} & {c.source_id for c in spread.high}:
                days = {claim.as_of_iso for claim in ends if claim.source_id == source}
                assert len(days) == 1, (figure.id, spread.number, source, days)
            assert {claim.status for claim in ends} == {spread.status}, (figure.id, spread.number)
            assert all(claim in current for claim in ends), (figure.id, spread.number)
        if figure.headline is not None and figure.headline.kind == "spread":
            assert len({claim.status for claim in current}) == 1, (figure.id, figure.headline.number)
            assert figure.headline.number in {spread.number for spread in figure.spreads}


@pytest.mark.slow
@PROPERTIES
@given(generated=reports())
def test_every_qualifier_reaches_every_output(generated, folder):
    """'at least', 'more than', 'about' and 'up to' are part of the number: each estimate's worded number is in
    the Markdown, the HTML and the key-figures chart, the JSON export's reading of the figure, and its row of the
    HXL CSV."""
    outputs = render_outputs(checked(generated, folder), ("md", "html", "json", "hxl"))
    markdown = outputs[".md"].decode("utf-8")
    page = outputs[".html"].decode("utf-8")
    chart = outputs.get("-figures.svg", b"").decode("utf-8")
    derived = json.loads(outputs[".json"])["derived"]["figures"]
    rows = list(csv.reader(io.StringIO(outputs[".csv"].decode("utf-8"))))
    tags, rows = rows[1], rows[2:]
    for figure in generated.figures:
        figure_rows = [row for row in rows if row[tags.index("#indicator+code")] == figure.id]
        assert len(figure_rows) == len(figure.estimates)
        shown = [
            claim for series in derived[figure.id]["sources"] for claim in (*series["current"], *series["earlier"])
        ]
        for index, estimate in enumerate(figure.estimates):
            if estimate.qualifier == "exact":
                continue
            assert estimate.worded in markdown, (figure.id, estimate)
            assert estimate.worded in page, (figure.id, estimate)
            if figure.key:  # the key-figures chart beside the Markdown says it too
                assert estimate.worded in chart, (figure.id, estimate)
            assert [(c["number"], c["qualifier"]) for c in shown if index in c["estimates"]] == [
                (estimate.worded, estimate.qualifier)
            ], (figure.id, estimate)
            assert figure_rows[index][tags.index("#meta+qualifier")] == estimate.qualifier, (figure.id, estimate)


def shows(text: str, value: int) -> bool:
    """Whether ``value`` is written in ``text`` as a whole number, with or without thousands separators."""
    return any(
        re.search(rf"(?<![\d,.]){re.escape(form)}(?![\d]|[,.]\d)", text)
        for form in (f"{value:,}", str(value), written(value))
    )


@pytest.mark.slow
@PROPERTIES
@given(generated=reports(LARGE_NUMBER))
def test_nothing_is_added_up(generated, folder):
    """No number in the Markdown that no source gave: with every number 10,000 or more and all different, the
    sum of no two of them is shown anywhere."""
    written = [n for f in generated.figures for e in f.estimates for n in {e.low, e.high}]
    assume(len(written) == len(set(written)))
    markdown = render_outputs(checked(generated, folder), ("md",))[".md"].decode("utf-8")
    for value in written:
        assert shows(markdown, value), value  # the test sees the numbers that are there
    for a, b in combinations(written, 2):
        if a + b not in generated.numbers:
            assert not shows(markdown, a + b), f"{a:,} + {b:,} = {a + b:,} is shown"


@pytest.mark.slow
@PROPERTIES
@given(generated=reports())
def test_each_sources_current_number_is_its_newest_standing_one(generated):
    """A source's current number is its newest estimate that is not withdrawn; all its others are its history."""
    view = {figure.id: figure for figure in make_view(report_from(generated.text)).figures}
    for figure in generated.figures:
        shown = view[figure.id]
        for series in shown.series:
            standing = [claim for claim in series.history if claim.withdrawn is None]
            for claim in series.current:
                assert claim.withdrawn is None
                assert all(claim.as_of_iso >= earlier.as_of_iso for earlier in standing), (figure.id, series.source)
            # and, from the file itself: the numbers of the source's newest day among its standing estimates
            own = [e for e in figure.estimates if e.source == series.source_id and not e.withdrawn]
            newest = max((e.day for e in own), default=None)
            assert {(c.number, c.as_of_iso) for c in series.current} == {
                (e.worded, e.as_of) for e in own if e.day == newest
            }, (figure.id, series.source)


@pytest.mark.slow
@PROPERTIES
@given(generated=reports())
def test_a_number_leads_by_itself_or_as_agreed_only_with_the_sources_that_give_it(generated):
    """'single': the only source with a current number; 'agreed': 'given by N sources', N of them at least two,
    every one of them with a current number. A source whose numbers are all withdrawn gives none."""
    view = make_view(report_from(generated.text))
    for figure in view.figures:
        giving = [series.source_id for series in figure.series if series.current]
        if figure.headline is None:
            continue
        if figure.headline.kind == "single":
            assert len(giving) == 1, (figure.id, giving)
        if figure.headline.kind == "agreed":
            assert len(giving) >= 2, (figure.id, figure.headline)
            assert figure.headline.caption == f"given by {len(giving)} sources", (figure.id, figure.headline)


def rendered(tmp_path: Path, figures_yaml: str, formats: tuple[str, ...] = ("md", "json")) -> dict[str, str]:
    """A small report with ``figures_yaml`` through the real pipeline, its outputs by the end of their names."""
    path = tmp_path / "small.yaml"
    path.write_text(HEADER + figures_yaml, encoding="utf-8")
    return {ending: data.decode("utf-8") for ending, data in render_outputs(check_file(path), formats).items()}


# Examples of what the properties above found, each as a reader would meet it.


def test_a_number_given_by_one_source_is_not_said_to_be_given_by_sources(tmp_path):
    """SOHR withdrew its 10; ABC News's 12 is the only standing number, so it leads as the only one: not as
    'given by 1 sources', as if sources agreed on it."""
    figures = """\
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {value: 10, source: sohr, as_of: 2025-03-07, withdrawn: "withdrawn by SOHR: counted twice"}
      - {value: 12, source: abc, as_of: 2025-03-08}
"""
    [killed] = make_view(report_from(HEADER + figures)).figures
    assert (killed.headline.kind, killed.headline.number, killed.headline.caption) == ("single", "12", None)
    markdown = rendered(tmp_path, figures)[".md"]
    assert "given by 1 sources" not in markdown
    assert row(markdown, "Key figures", "People killed").startswith("| People killed | **12** | ABC News, ")


def test_a_range_that_encloses_another_sources_number_is_not_a_spread_of_itself(tmp_path):
    """ABC News gives 700-1,200, SOHR 1,000 the same day: a spread between them is not '700–1,200 to 700–1,200'
    with both ends ABC News's, which leaves SOHR's number out of the key figure's headline."""
    figures = """\
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {low: 700, high: 1200, source: abc, as_of: 2025-03-08}
      - {value: 1000, source: sohr, as_of: 2025-03-08}
"""
    [killed] = make_view(report_from(HEADER + figures)).figures
    for spread in killed.spreads:
        assert len({claim.source_id for claim in (*spread.low, *spread.high)}) >= 2, spread.ends
    markdown = rendered(tmp_path, figures)[".md"]
    assert "700\u20131,200 to 700\u20131,200" not in markdown
    assert "lowest 700\u20131,200 (ABC News), highest 700\u20131,200 (ABC News)" not in markdown


def test_one_sources_two_numbers_for_one_day_are_not_a_spread_between_sources(tmp_path):
    """SOHR's 1,018 and 1,068 of one day (through two outlets) and ABC News's 1,050: SOHR's two numbers are each
    shown (and the checks warn), but never the two ends of a 'spread between the numbers of 2 sources'."""
    figures = """\
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {value: 1018, source: sohr, via: abc, as_of: 2025-03-08}
      - {value: 1068, source: sohr, via: npr, as_of: 2025-03-08}
      - {value: 1050, source: abc, as_of: 2025-03-08}
"""
    exported = json.loads(rendered(tmp_path, figures)[".json"])["derived"]["figures"]["killed"]
    for spread in exported["spreads"]:
        ends = {claim["source"] for claim in (*spread["low"], *spread["high"])}
        assert len(ends) >= 2, (spread["number"], spread["caption"], ends)


def test_a_number_dropped_from_the_file_is_not_a_fall_in_the_toll(tmp_path):
    """No. 1 has SOHR's 745 (8 March) and 1,068 (9 March); No. 2 keeps only the 745, without a word of why. SOHR
    never said its toll fell by 323: no change is computed between its older 745 and the 1,068 that is gone, and
    the 1,068 is still named in what changed, so it does not disappear silently."""
    one = (
        HEADER
        + """\
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {value: 745, source: sohr, as_of: 2025-03-08}
      - {value: 1068, source: sohr, as_of: 2025-03-09}
"""
    )
    two = (
        one.replace("number: 1", "number: 2\n  previous: one.yaml")
        .replace("as_of: 2025-03-09 18:00", "as_of: 2025-03-12 18:00")
        .replace("{from: 2025-03-06, to: 2025-03-09}", "{from: 2025-03-10, to: 2025-03-12}")
        .replace("      - {value: 1068, source: sohr, as_of: 2025-03-09}\n", "")
    )
    (tmp_path / "one.yaml").write_text(one, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(two, encoding="utf-8")
    written, checked = build_file(tmp_path / "two.yaml", tmp_path / "out", ("md", "json"))
    markdown = written[0].read_text(encoding="utf-8")
    changed = section(markdown, "What changed since Situation Report No. 1")
    assert "1,068 (9 March 2025)" in changed
    assert "323" not in markdown, row(markdown, "Key figures", "People killed")
    assert "down" not in changed and "\u25bc" not in markdown
    [change] = json.loads(written[1].read_text(encoding="utf-8"))["derived"]["changes"]["figures"]
    assert change.get("change") is None and "direction" not in change, change


# ---------------------------------------------------------------------------
# Examples


def section(markdown: str, title: str) -> str:
    """The text of one '## ' section of a Markdown report, without its heading."""
    [found] = re.findall(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    return found


def row(markdown: str, title: str, label: str) -> str:
    """The table row of ``label`` in section ``title``."""
    [found] = [line for line in section(markdown, title).splitlines() if line.startswith(f"| {label} |")]
    return found


OLD_EDITION = """\
report:
  title: "Testland: Floods"
  crisis: testland-floods-2025
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
  next_update: 2025-03-12
sources:
  moh: {publisher: Ministry of Health, short: Health Ministry, kind: government}
highlights:
  - {text: "The Ministry of Health counts 1,644 people killed.", sources: [moh]}
narrative:
  overview: The Ministry of Health counts 1,644 people killed.
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {value: 1644, source: moh, as_of: 2025-03-07}
"""


def test_a_series_carried_into_the_next_edition_is_a_history_never_a_range(tmp_path):
    """`sitrep new --from` carries the ministry's 1,644 into No. 2, where the analyst adds its 2,056 of a later day:
    2,056 is its number, 1,644 its history and the start of its change, never the low end of '1,644–2,056'."""
    old, new = tmp_path / "floods-1.yaml", tmp_path / "floods-2.yaml"
    old.write_text(OLD_EDITION, encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(new), "--from", str(old)])
    assert result.exit_code == 0, result.output
    text = new.read_text(encoding="utf-8")
    assert "as_of: 2025-03-12 18:00 +03:00" in text  # the previous edition's next_update
    carried = "    - value: 1644\n      source: moh\n      as_of: 2025-03-07\n"
    assert carried in text
    # The analyst checks the carried estimate (deleting its `review:` line) and adds the ministry's newer one.
    text = re.sub(r"      review: .*\n(?:        .*\n)*", "", text)
    text = text.replace(carried, carried + "    - value: 2056\n      source: moh\n      as_of: 2025-03-11\n")
    new.write_text(text, encoding="utf-8")

    written, _ = build_file(new, tmp_path / "out", ("md", "html", "hxl", "json"))
    markdown = written[0].read_text(encoding="utf-8")
    assert row(markdown, "Key figures", "People killed") == (
        "| People killed | **2,056** | • Health Ministry, 11 March 2025 [1] "
        "• Health Ministry, earlier: 1,644 (7 March) [1] "
        "• ▲ 412 since No. 1 (Health Ministry): 1,644 (7 March 2025) [1] → 2,056 (11 March 2025) [1] |"
    )
    assert row(markdown, "Casualties", "People killed") == (
        "| People killed | All areas | **2,056** | • 2,056: Health Ministry, 11 March 2025 [1] (reported) "
        "• earlier, 1,644: Health Ministry, 7 March 2025 [1] (reported) |"
    )
    assert (
        "- **People killed**: Health Ministry: up 412, from 1,644 (7 March 2025) [1] to 2,056 (11 March 2025) "
        "[1].\n" in section(markdown, "What changed since Situation Report No. 1")
    )
    for path in tmp_path.joinpath("out").iterdir():  # the Markdown, its chart, the HTML and the data exports
        shown = path.read_text(encoding="utf-8")
        for joined in ("1,644\u20132,056", "1,644-2,056", "1,644 to 2,056", "1644-2056", "1644\u20132056"):
            assert joined not in shown, (path.name, joined)


def visible_text(page: str) -> str:
    """The text of an HTML page as read, tags dropped, whitespace (narrow no-break spaces too) as single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def joins_111_and_1383(text: str) -> list[str]:
    """Places where OHCHR's verified 'at least 111' is an end of a span that reaches SOHR's 1,383."""
    text = " ".join(text.split())
    found = re.findall(r"\b111\s*(?:to\b|[\u2013\u2014-])", text)
    # "to 1,383" itself is written in No. 2, never after 111: the overview's "rose to 1,383", SOHR's own change
    # "from 1,068 (9 March 2025) [1, 11] to 1,383" and a source's title "Death toll rises to 1,383".
    found += [
        text[max(0, m.start() - 40) : m.end()]
        for m in re.finditer(r"(?:\bto|[\u2013\u2014-])\s*1,383", text)
        if "111" in text[max(0, m.start() - 40) : m.start()]
    ]
    return found


@pytest.mark.slow
def test_a_verified_minimum_stands_beside_a_running_count_in_every_format(tmp_path):
    """OHCHR's verified 'at least 111' and SOHR's reported 1,383 measure different things: each is shown with its
    source (and the verified one as verified), never as the two ends of one span, in Markdown, HTML and PDF."""
    from pypdf import PdfReader

    written, _ = build_file(SECOND, tmp_path, ("md", "html", "pdf"))
    markdown, page = (path.read_text(encoding="utf-8") for path in written[:2])
    assert row(markdown, "Key figures", "Civilians killed") == (
        "| Civilians killed | • **1,383** (SOHR) • **at least 111** (OHCHR, verified) | "
        "• 1,383: SOHR via Shafaq News, 12 March 2025 [1, 15] "
        "• at least 111, verified: OHCHR via UN Geneva newsroom, 11 March 2025 [2, 17] "
        "• ▲ 315 since No. 1 (SOHR): 1,068 (9 March 2025) [1, 11] → 1,383 (12 March 2025) [1, 15] |"
    )
    assert row(markdown, "Casualties", "↳ Civilians killed").startswith(
        "| ↳ Civilians killed | All areas | • **1,383** (SOHR) • **at least 111** (OHCHR, verified) | "
    )
    pdf = "\n".join(p.extract_text() for p in PdfReader(written[2]).pages)
    for name, text in (("md", markdown), ("html", visible_text(page)), ("pdf", pdf)):
        flat = " ".join(text.split())
        assert "at least 111" in flat and "1,383" in flat and "OHCHR" in flat and "SOHR" in flat, name
        assert "111 to" not in flat, name
        assert joins_111_and_1383(text) == [], name


def test_a_more_than_number_keeps_its_words_wherever_it_is_shown(tmp_path):
    """SOHR's 'more than 3,900' then its 4,589: 'more than 3,900' in the key figures, the casualties table, the
    chart, the changes, `sitrep diff` and both data exports, and no change of 689 anywhere (4,589 - 3,900 is
    not how many more were killed: 'more than 3,900' may already have been 4,000)."""
    old, new = DATA / "more-than-no1.yaml", DATA / "more-than-no2.yaml"
    first, _ = build_file(old, tmp_path / "no1", ("md",))
    assert row(first[0].read_text(encoding="utf-8"), "Key figures", "People killed") == (
        "| People killed | **more than 3,900** | SOHR, 8 March 2025 [1] |"
    )

    written, _ = build_file(new, tmp_path / "no2", ("md", "hxl", "json"))
    outputs = {path.name.removeprefix("more-than-no2"): path.read_text(encoding="utf-8") for path in written}
    assert set(outputs) == {".md", ".csv", ".json", "-figures.svg", "-map.svg"}
    markdown = outputs[".md"]
    assert row(markdown, "Key figures", "People killed") == (
        "| People killed | **4,589** | • SOHR, 11 March 2025 [1] • SOHR, earlier: more than 3,900 (8 March) [1] "
        "• Changed since No. 1 (SOHR): more than 3,900 (8 March 2025) [1] → 4,589 (11 March 2025) [1] |"
    )
    assert row(markdown, "Casualties", "People killed") == (
        "| People killed | All areas | **4,589** | • 4,589: SOHR, 11 March 2025 [1] (reported) "
        "• earlier, more than 3,900: SOHR, 8 March 2025 [1] (reported) |"
    )
    assert (
        "- **People killed**: SOHR: from more than 3,900 (8 March 2025) [1] to 4,589 (11 March 2025) [1].\n"
        in section(markdown, "What changed since Situation Report No. 1")
    )
    svg = visible_text(outputs["-figures.svg"])
    assert "SOHR, earlier: more than 3,900 (8 Mar)" in svg
    assert "SOHR: 4,589 (11 March 2025), earlier more than 3,900 (8 March 2025)" in outputs["-figures.svg"]

    rows = list(csv.reader(io.StringIO(outputs[".csv"])))
    tags = rows[1]
    assert [
        (
            r[tags.index("#indicator+value+num")],
            r[tags.index("#meta+qualifier")],
            r[tags.index("#meta+series")],
            r[tags.index("#affected+killed")],
        )
        for r in rows[2:]
    ] == [("3900", "more-than", "earlier", ""), ("4589", "exact", "current", "4589")]  # only the current under its tag

    exported = json.loads(outputs[".json"])["derived"]
    [sohr] = exported["figures"]["killed"]["sources"]
    assert [(c["number"], c["qualifier"]) for c in sohr["earlier"]] == [("more than 3,900", "more-than")]
    [change] = exported["changes"]["figures"]
    assert (change["change"], change["no_change_because"]) == (
        None,
        "the earlier number, 'more than 3,900', is not one exact number",
    )

    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(old), str(new)])
    assert text.exit_code == 1, text.output  # they differ
    assert (
        "  killed: sohr: more than 3,900 (2025-03-08) -> 4,589 (2025-03-11), no change computed: the earlier "
        "number, 'more than 3,900', is not one exact number\n"
    ) in text.stdout
    as_json = runner.invoke(main, ["diff", "--json", str(old), str(new)])
    assert as_json.exit_code == 1, as_json.output
    [diffed] = json.loads(as_json.stdout)["figures"]
    assert (diffed["change"], diffed["no_change_because"]) == (
        None,
        "the earlier number, 'more than 3,900', is not one exact number",
    )
    assert [(e["value"], e["qualifier"]) for e in diffed["before"]] == [(3900, "more-than")]
    assert "direction" not in diffed  # 'more than 3,900' may have been more than 4,589

    for name, shown in (*outputs.items(), ("diff", text.stdout), ("diff --json", as_json.stdout)):
        assert "689" not in shown, name


CITATION = re.compile(r"\[(\d+(?:, \d+)*)\]")


def listed_sources(markdown: str) -> dict[str, str]:
    """The Sources section's entries, by number: everything after '- [n] ' on each line."""
    return dict(re.findall(r"^- \[(\d+)\] (.*)$", section(markdown, "Sources"), re.MULTILINE))


@pytest.mark.parametrize("path", [FIRST, SECOND], ids=lambda p: p.stem)
def test_a_flash_update_lists_every_source_it_cites_under_its_number_in_the_full_report(tmp_path, path):
    """The Flash Update lists only the sources it cites, each under the number it has in the full report (the
    numbers have gaps): every '[n]' and '[n, m]' of its text is listed as '- [n] ' and that source's publisher."""
    full, _ = build_file(path, tmp_path / "full", ("md",))
    flash, _ = build_file(path, tmp_path / "flash", ("md",), Options(template="flash"))
    publishers = {
        number: re.match(r"\*\*(.+?)\*\*", entry).group(1)
        for number, entry in listed_sources(full[0].read_text(encoding="utf-8")).items()
    }
    markdown = flash[0].read_text(encoding="utf-8")
    text = markdown.split("\n## Sources\n")[0]
    cited = {number for group in CITATION.findall(text) for number in group.split(", ")}
    listed = listed_sources(markdown)
    assert cited, "the Flash Update cites nothing"
    assert sorted(cited - set(listed), key=int) == [], "cited but not listed"
    for number in cited:
        entry, publisher = listed[number], publishers[number]
        assert entry == publisher or entry.startswith((f"{publisher},", f"{publisher}:")), (number, entry, publisher)

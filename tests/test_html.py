"""The HTML files as readers open them: in Chromium, from a folder, with nothing beside them.

Each page must open styled on its own (the style sheet inside it, no font or file fetched), read on a phone
without the page scrolling sideways, print on A4 with its table headings, and pass axe-core (the
accessibility rules browsers' own audits use) with no violation.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from sitrep.build import Options, build_file

pytestmark = pytest.mark.slow  # Chromium opens every page

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
EXAMPLES = sorted(INPUTS.glob("*.yaml"))
PRODUCTS = ("sitrep", "flash", "brief")
ACCENT = "rgb(10, 90, 156)"  # the report's blue, from templates/sitrep.css
PHONE, DESK = {"width": 375, "height": 800}, {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    """Every example in every product and language, as HTML alone in a folder of its own."""
    out = tmp_path_factory.mktemp("html")
    for path in EXAMPLES:
        for product in PRODUCTS:
            build_file(path, out, ("html",), Options(template=product))
    built = sorted(out.glob("*.html"))
    assert {
        "syria-coast-2025-03.html",
        "syria-coast-2025-03-ar.html",
        "syria-coast-2025-03-flash.html",
        "syria-earthquake-2023-03-08-brief.html",
    } <= {page.name for page in built}
    assert not set(out.iterdir()) - set(built)  # nothing written beside them that they could lean on
    return built


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.requested, page.failed = [], []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    yield page
    context.close()


def open_page(tab, path: Path, viewport: dict = DESK):
    tab.set_viewport_size(viewport)
    tab.goto(path.as_uri())
    return tab


def style(tab, selector: str, prop: str) -> str:
    return tab.evaluate("([s, p]) => getComputedStyle(document.querySelector(s)).getPropertyValue(p)", [selector, prop])


def test_each_page_opens_styled_and_fetches_nothing(pages, tab):
    for path in pages:
        open_page(tab, path)
        assert tab.requested == [path.as_uri()] and tab.failed == [], path.name
        tab.requested.clear()
        assert style(tab, "h1", "color") == ACCENT, path.name
        assert style(tab, ".masthead", "border-top-color") == ACCENT, path.name
        assert style(tab, "body", "max-width") != "none", path.name
        if tab.query_selector("th"):
            assert style(tab, "th", "background-color") == ACCENT, path.name
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<link\b|<script\b|<img\b|@import|url\((?!#)", html), path.name  # url(#id): in the page


def test_every_page_passes_axe_on_a_desk_and_on_a_phone(pages, tab):
    axe = Axe()
    for path in pages:
        for viewport in (DESK, PHONE):
            results = axe.run(open_page(tab, path, viewport))
            found = [
                (v["id"], v["help"], [node["html"][:120] for node in v["nodes"]])
                for v in results.response["violations"]
            ]
            assert found == [], f"{path.name} at {viewport['width']} px"


def test_landmarks_the_report_is_main_and_its_sources_a_nav(pages, tab):
    for path in pages:
        open_page(tab, path)
        assert tab.locator("main").count() == 1, path.name
        assert tab.locator("main h1").count() == 1, path.name
        nav = tab.locator("nav.sources")
        assert nav.count() == 1, path.name
        assert nav.get_attribute("aria-labelledby") == tab.locator("nav.sources h2").get_attribute("id")
        # every citation in the page leads to a source listed in the nav
        targets = set(tab.eval_on_selector_all("a[href^='#source-']", "links => links.map(a => a.hash.slice(1))"))
        listed = set(tab.eval_on_selector_all("nav.sources [id^='source-']", "items => items.map(e => e.id)"))
        assert targets and targets <= listed, path.name


def test_on_a_phone_one_column_and_nothing_wider_than_the_screen(pages, tab):
    scrolled = 0
    for path in (page for page in pages if page.name.startswith("syria-coast-2025-03")):
        open_page(tab, path, PHONE)
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path.name
        if tab.query_selector(".key-figures"):
            highlights = tab.locator(".highlights").bounding_box()
            figures = tab.locator(".key-figures").bounding_box()
            assert figures["y"] >= highlights["y"] + highlights["height"], path.name  # below, not beside
        for chart in tab.query_selector_all("figure.chart"):
            # a chart wider than the screen scrolls within its own box, which the keyboard can reach
            if chart.evaluate("f => f.querySelector('.chart-canvas').offsetWidth") > PHONE["width"]:
                assert chart.evaluate("f => f.scrollWidth > f.clientWidth"), path.name
                scrolled += 1
            assert chart.get_attribute("tabindex") == "0" and chart.get_attribute("aria-label"), path.name
    assert scrolled  # the reports' full-width charts and maps are wider than a phone


def test_on_a_desk_highlights_and_key_figures_side_by_side(pages, tab):
    path = next(page for page in pages if page.name == "syria-coast-2025-03.html")
    open_page(tab, path)
    highlights, figures = tab.locator(".highlights").bounding_box(), tab.locator(".key-figures").bounding_box()
    assert figures["x"] >= highlights["x"] + highlights["width"]
    assert abs(figures["y"] - highlights["y"]) < 20


@pytest.mark.parametrize("name", ["syria-coast-2025-03.html", "syria-coast-2025-03-ar.html"])
def test_printed_from_the_browser_on_a4_with_its_table_headings(pages, tab, name):
    path = next(page for page in pages if page.name == name)
    open_page(tab, path)
    tab.emulate_media(media="print")
    assert style(tab, "html", "print-color-adjust") == "exact"
    assert style(tab, "th", "background-color") == ACCENT  # white on blue, kept
    printed = PdfReader(io.BytesIO(tab.pdf(prefer_css_page_size=True)))
    box = printed.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = " ".join(page.extract_text() for page in printed.pages)
    for number in ("1,018", "1,068", "745") if not name.endswith("-ar.html") else ():
        assert number in text


def test_a_user_style_sheet_is_carried_in_the_page_and_cannot_close_it(tmp_path, browser):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "sitrep.css").write_text(
        "body { color: rgb(200, 0, 0); }\n/* </style><script>alert(1)</script> */\n", encoding="utf-8"
    )
    build_file(INPUTS / "syria-coast-2025-03.yaml", tmp_path, ("html",), Options(templates=(mine,)))
    html = (tmp_path / "syria-coast-2025-03.html").read_text(encoding="utf-8")
    assert r"/* <\/style><script>alert(1)<\/script> */" in html  # still a comment, inside the style element
    page = browser.new_page()
    page.goto((tmp_path / "syria-coast-2025-03.html").as_uri())
    assert style(page, "body", "color") == "rgb(200, 0, 0)"
    assert page.evaluate("document.scripts.length") == 0
    page.close()

"""Rendering: the examples' Markdown as golden files, hostile text, and template typos.

Each edition of the example in each product has its golden Markdown in tests/golden/. Regenerate them
after an intended change with

    SITREP_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py

then read the diff line by line against the YAML before committing it.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import report_from
from markdown_it import MarkdownIt

from sitrep.build import check_file, render_outputs
from sitrep.errors import BuildError
from sitrep.render import render
from sitrep.view import make_view

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden"
EDITIONS = [
    EXAMPLE,
    ROOT / "inputs" / "syria-coast-2025-03-no2.yaml",
    ROOT / "inputs" / "syria-earthquake-2023-03-08.yaml",
]
HOSTILE = Path(__file__).resolve().parent / "data" / "render" / "hostile.yaml"
MINIMAL = Path(__file__).resolve().parent / "data" / "render" / "minimal.yaml"  # nothing optional in it

TITLE = "Hostile <script>alert(1)</script> {{ 7*7 }} | a | b |"

# Text pasted into the hostile report's fields; each must reach the reader as the same visible text.
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "<img src=file:///etc/passwd>",
    "{{ 7*7 }}",
    "| a | b |",
    "*bold*",
    "`tick`",
    "[link](javascript:alert(1))",
    "&amp;",
    "__under__",
    "<b>x</b>",
]


# ---------------------------------------------------------------------------
# Golden Markdown of the example


@pytest.mark.parametrize("product", ["sitrep", "flash", "brief"])
@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.stem)
def test_example_markdown_matches_the_golden_file(tmp_path, path, product):
    from sitrep.build import PRODUCTS, Options, build_file

    written, _ = build_file(path, tmp_path, ("md",), Options(template=product, languages=("en",)))
    name = f"{path.stem}{PRODUCTS[product].suffix}.md"
    assert written[0] == tmp_path / name
    assert_golden(written[0].read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("product", ["sitrep", "flash", "brief"])
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_examples_arabic_and_french_markdown_match_their_golden_files(tmp_path, language, product):
    from sitrep.build import PRODUCTS, Options, build_file

    written, _ = build_file(EXAMPLE, tmp_path, ("md",), Options(template=product, languages=(language,)))
    name = f"{EXAMPLE.stem}-{language}{PRODUCTS[product].suffix}.md"
    assert written[0] == tmp_path / name
    assert_golden(written[0].read_text(encoding="utf-8"), name)


def test_numbers_in_french_markdown_keep_their_no_break_spaces(tmp_path):
    """'1 068' written with a narrow no-break space, as in the HTML and Word files: never broken across lines, and
    read as one number by a script."""
    from sitrep.build import Options, build_file

    written, _ = build_file(EXAMPLE, tmp_path, ("md",), Options(languages=("fr",)))
    markdown = written[0].read_text(encoding="utf-8")
    assert "1\u202f068" in markdown and "1\u202f018" in markdown
    assert not re.search(r"\d \d{3}\b", markdown)  # no number grouped with a space a line may break at


def assert_golden(built: str, name: str) -> None:
    """``built`` is the golden file ``name``, byte for byte (SITREP_UPDATE_GOLDEN=1 rewrites it: read the diff)."""
    golden = GOLDEN / name
    if os.environ.get("SITREP_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(built, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert built.splitlines() == expected.splitlines()  # a readable diff first
    assert built == expected  # then the exact bytes, line endings and final newline included


# ---------------------------------------------------------------------------
# Citations as GitHub renders them

CITATION = re.compile(r"\[(\d+(?:, \d+)*)\]")


@pytest.mark.parametrize("product", ["sitrep", "flash", "brief"])
@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.stem)
def test_citations_point_at_the_right_source_in_githubs_renderer(tmp_path, path, product):
    """Rendered by cmark-gfm, each source keeps the number it has in the file, and every "[n]" in the text names
    a source listed under that number: no viewer may renumber a list with gaps (the Flash Update's)."""
    import cmarkgfm

    from sitrep.build import Options, build_file

    written, checked = build_file(path, tmp_path, ("md",), Options(template=product))
    rendered = cmarkgfm.github_flavored_markdown_to_html(written[0].read_text(encoding="utf-8"))
    text, sources = re.split(r"<h2>Sources(?: and their reliability)?</h2>", rendered)
    assert "<ol" not in sources
    listed = dict(
        re.findall(r"<li>\[(\d+)\] (.*?)</li>", sources, flags=re.S)
        or re.findall(r"<tr>\s*<td[^>]*>(\d+)</td>\s*<td>(.*?)</td>", sources, flags=re.S)
    )
    own = [html.escape(source.publisher, quote=False) for source in checked.report.sources.values()]
    # after the file's own sources, those of the previous edition that only a number shown as changed comes from
    gone = {
        html.escape(source.publisher, quote=False)
        for source_id, source in (checked.previous.sources.items() if checked.previous else ())
        if source_id not in checked.report.sources
    }
    assert listed
    for number, entry in listed.items():  # each entry begins with its source's publisher
        plain = re.sub(r"<[^>]+>", "", entry)
        if int(number) <= len(own):
            assert plain.startswith(own[int(number) - 1]), (number, entry)
        else:
            assert any(plain.startswith(publisher) for publisher in gone), (number, entry)
    cited = {n for group in CITATION.findall(text) for n in group.split(", ")}
    assert cited and cited <= set(listed), f"cited but not listed: {sorted(cited - set(listed), key=int)}"
    assert not re.search(r"<a [^>]*>\[\d", text)  # a citation never turns into a link


# ---------------------------------------------------------------------------
# Hostile text


@pytest.fixture(scope="module")
def hostile():
    outputs = render_outputs(check_file(HOSTILE), ("md", "html"), source_name=HOSTILE.name)
    return {ending.lstrip("."): data.decode("utf-8") for ending, data in outputs.items()}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the visible text (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def attribute_values(self) -> list[str]:
        return [value or "" for _, attrs in self.tags for value in attrs.values()]


def markdown_to_html(markdown: str) -> str:
    """Render Markdown as a permissive consumer would: GFM tables, raw HTML passed through, any link accepted."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.validateLink = lambda url: True
    return parser.render(markdown)


def unescaped_pipes(line: str) -> int:
    """The number of `|` in a Markdown line that are not escaped by a backslash."""
    count, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count


def markdown_tables(markdown: str) -> list[list[str]]:
    """Each pipe table of a Markdown text as its lines (header, delimiter, rows), with the line after it."""
    lines = markdown.split("\n")
    tables = []
    for index, line in enumerate(lines):
        if line.startswith("|") and index + 1 < len(lines) and re.fullmatch(r"\|( ?-+:? ?\|)+", lines[index + 1]):
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            tables.append(lines[index : end + 1])
    return tables


def test_hostile_html_has_no_live_markup(hostile):
    page = Elements(hostile["html"])
    assert "script" not in page.names
    assert "img" not in page.names
    assert "b" not in page.names
    assert "code" not in page.names
    assert not [v for v in page.attribute_values() if v.strip().lower().startswith("javascript:")]
    for tag, attrs in page.tags:
        if tag == "a":
            assert attrs["href"].startswith(("#source-", "https://", "mailto:")), attrs
    assert "<script" not in hostile["html"]
    assert "<img" not in hostile["html"]


def test_hostile_html_shows_the_text_as_written(hostile):
    text = Elements(hostile["html"]).text
    assert "&lt;" not in text and "&gt;" not in text and "&amp;amp;" not in text
    assert Elements(re.search(r"<h1>.*?</h1>", hostile["html"]).group(0)).text == TITLE
    for pasted in HOSTILE_TEXTS:
        assert pasted in text, pasted
    # chart and map coordinates hold digits: in their shapes, and where their labels are placed
    outside_charts = re.sub(r'<svg.*?</svg>| style="[^"]*"', "", hostile["html"], flags=re.S)
    assert "49" not in outside_charts  # {{ 7*7 }} in the data is never evaluated


def test_hostile_html_keeps_the_source_url_inside_its_attribute(hostile):
    page = Elements(hostile["html"])
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("class") == "url"]
    assert hrefs == ["https://example.org/path?q=\"><script>alert(1)</script>&x='y'"]


def test_hostile_markdown_tables_keep_their_columns(hostile):
    tables = markdown_tables(hostile["md"])
    # Key figures (2 figures), casualties (2 figures), timeline (1 event).
    assert [len(table) - 3 for table in tables] == [2, 2, 1]
    for table in tables:
        header, rows, after = table[0], table[1:-1], table[-1]
        assert after == "", f"table row broken across lines: {after!r}"
        for row in rows:
            assert unescaped_pipes(row) == unescaped_pipes(header), row


def test_hostile_markdown_renders_as_tables_with_one_row_per_item(hostile):
    html = markdown_to_html(hostile["md"])
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S)
    assert [body.count("<tr>") for body in bodies] == [2, 2, 1]
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        widths = {row.count("<td") + row.count("<th") for row in re.findall(r"<tr>.*?</tr>", table, flags=re.S)}
        assert len(widths) == 1, table


def test_hostile_markdown_cannot_inject_markup(hostile):
    markdown = hostile["md"]
    assert "<script" not in markdown
    assert "<img" not in markdown
    assert "<b>" not in markdown
    html = markdown_to_html(markdown)
    page = Elements(html)
    assert {"script", "b", "code"}.isdisjoint(page.names), page.names
    # The only images are the chart files sitrep wrote beside the Markdown.
    assert [attrs["src"] for tag, attrs in page.tags if tag == "img"] == [
        "hostile-map.svg",
        "hostile-figures.svg",
        "hostile-timeline.svg",
    ]
    # The template's own emphasis (the caveat, a gap's reason) may wrap data, but the data's
    # asterisks and underscores never make emphasis of their own.
    for tag in ("em", "strong"):
        assert f"<{tag}>bold</{tag}>" not in html and f"<{tag}>under</{tag}>" not in html
        for inner in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S):
            assert "<em>" not in inner and "<strong>" not in inner, inner
    assert "49" not in markdown


def test_hostile_markdown_has_no_javascript_link(hostile):
    page = Elements(markdown_to_html(hostile["md"]))
    hrefs = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    assert "https://example.org/ok" in hrefs  # the narrative's good link is a link


def test_hostile_markdown_shows_the_text_as_written(hostile):
    html = markdown_to_html(hostile["md"])
    text = Elements(html).text
    # No field of the hostile report contains an entity other than "&amp;", so none may be visible.
    assert "&lt;" not in text and "&gt;" not in text and "&amp;amp;" not in text
    assert Elements(re.search(r"<h1>.*?</h1>", html).group(0)).text == TITLE
    for pasted in HOSTILE_TEXTS:
        assert pasted in text, pasted


def test_narrative_markdown_is_rendered_and_its_raw_html_is_text(hostile):
    html = hostile["html"]
    overview = re.search(r'<div class="narrative">(.*?)</div>', html, flags=re.S).group(1)
    assert "<strong>strong words</strong>" in overview
    assert '<a href="https://example.org/ok">good link</a>' in overview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    assert "&lt;img src=file:///etc/passwd&gt;" in overview
    links = [
        value
        for tag, attrs in Elements(html).tags
        for name, value in attrs.items()
        if name in ("href", "src", "xlink:href", "action") and value
    ]
    assert not [link for link in links if "javascript:" in link]

    markdown = hostile["md"]
    assert "**strong words**" in markdown
    assert "[good link](https://example.org/ok)" in markdown
    rendered = Elements(markdown_to_html(markdown)).text
    assert "raw HTML <script>alert(1)</script> and" in " ".join(rendered.split())


# ---------------------------------------------------------------------------
# Template typos fail loudly


@pytest.fixture(scope="module")
def example_view():
    return make_view(check_file(EXAMPLE).report)


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize(
    "body",
    [
        "{{ view.headnig }}\n",
        "{% if view.headnig %}x{% endif %}\n",
        "{{ view.heading }} {{ veiw.edition }}\n",
        "{% for f in view.key_figures %}{{ f.numbr }}{% endfor %}\n",
    ],
)
def test_a_misspelt_field_fails_the_build(tmp_path, example_view, kind, body):
    (tmp_path / f"sitrep.{kind}").write_text(body, encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        render(example_view, kind, folders=[tmp_path])
    assert re.search(r"headnig|veiw|numbr", str(raised.value)), str(raised.value)


@pytest.mark.parametrize("kind", ["md", "html"])
def test_a_template_folder_is_used_when_given(tmp_path, example_view, kind):
    (tmp_path / f"sitrep.{kind}").write_text("{{ view.heading }} / {{ view.edition }}\n", encoding="utf-8")
    assert render(example_view, kind, folders=[tmp_path]) == (
        "Syria: Violence on the western coast / Situation Report No. 1\n"
    )


def test_a_missing_template_fails_the_build(tmp_path, example_view):
    with pytest.raises(BuildError) as raised:
        render(example_view, "md", template="nosuch", folders=[tmp_path])
    assert str(raised.value) == "template nosuch.md not found"


def _cmark_gfm_safe(markdown: str) -> str:
    import cmarkgfm

    return cmarkgfm.github_flavored_markdown_to_html(markdown)  # safe by default: raw HTML omitted


def _pandoc(markdown: str) -> str:
    import pypandoc

    return pypandoc.convert_text(markdown, "html", format="gfm")


@pytest.mark.parametrize("renderer", [_cmark_gfm_safe, _pandoc], ids=["cmark-gfm-safe", "pandoc"])
@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.stem)
def test_markdown_needs_no_raw_html_and_keeps_every_estimate_apart(tmp_path, path, renderer):
    """GitHub's renderer in its safe mode (raw HTML omitted), and pandoc (the road to a Word file many
    take), still show every estimate of a table cell apart."""
    from sitrep.build import Options, build_file

    written, checked = build_file(path, tmp_path, ("md",), Options(languages=("en",)))
    markdown = written[0].read_text(encoding="utf-8")
    assert not re.search(r"<(?!https?://)[a-z/!]", markdown)  # no tag at all: only autolinks
    rendered = renderer(markdown)
    assert "raw HTML omitted" not in rendered
    cells = [
        html.unescape(" ".join(re.sub(r"<[^>]+>", "", cell).split()))
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", rendered, re.S)
    ]
    view = make_view(checked.written, checked.previous, readings=checked.readings)
    several = [figure for figure in view.figures if len(figure.claims) > 1]
    assert several
    for figure in several:  # the figure's row in its table: each of its numbers after its own bullet
        said = [" ".join(f"{claim.number}: {claim.citations[0].text}".split()) for claim in figure.claims]
        assert any(
            all(re.search(rf"(^|• )(earlier, )?{re.escape(claim)}", cell) for claim in said) for cell in cells
        ), said


@pytest.mark.parametrize("product", ["sitrep", "flash", "brief"])
def test_a_report_with_nothing_optional_says_so_in_each_product_without_empty_lines_piling_up(product):
    view = make_view(report_from(MINIMAL.read_text(encoding="utf-8")), product=product)
    markdown = render(view, "md", product)
    assert "_No highlights given._" in markdown
    assert "\n\n\n" not in markdown
    page = render(view, "html", product)
    assert '<p class="none">No highlights given.</p>' in page
    assert not re.search(r"<ul[^>]*>\s*</ul>", page)  # no empty list

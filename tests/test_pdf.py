"""The PDF: facts in its text, metadata, reproducible bytes, embedded fonts, and confinement.

The example is rendered to PDF twice in this module (once for every fact, once more to
compare bytes); everything else uses tiny HTML documents.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from page import validate_pdf_bytes
from pypdf import PdfReader

from sitrep.build import Options, check_file, render_outputs
from sitrep.errors import BuildError
from sitrep.pdf import html_to_pdf
from sitrep.render import builtin_templates, render
from sitrep.view import make_view

pytestmark = pytest.mark.slow  # every PDF variant in every language, and the page validator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
AS_OF = datetime(2025, 3, 9, 18, 0, tzinfo=timezone(timedelta(hours=3)))
HEADING = "Syria: Violence on the western coast"
EDITION = "Situation Report No. 1 (as of 9 March 2025, 18:00 UTC+03:00)"
SNOW_QUOTE = (
    "Deeply worrying developments\u2014restraint & also a clear path to accountability & transitional justice "
    "are essential to the peaceful inclusive political transition all Syrians deserve."
)
PUBLISHERS = [
    "Syrian Observatory for Human Rights",
    "Reuters",
    "ABC News",
    "NPR",
    "Insider Paper",
    "TMC24 News",
    "Ann Snow",
]
ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def build_pdf(checked) -> bytes:
    return render_outputs(checked, ("pdf",))[".pdf"]


@pytest.fixture(scope="module")
def checked():
    return check_file(EXAMPLE)


@pytest.fixture(scope="module")
def report(checked):
    return checked.report


@pytest.fixture(scope="module")
def pdf(checked) -> bytes:
    return build_pdf(checked)


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def pages(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """Text with every run of whitespace (line breaks from wrapping included) as one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def text(pages) -> str:
    return flat(" ".join(pages))


def embedded_fonts(reader: PdfReader) -> dict[str, str]:
    """PostScript name (read from the embedded font program itself) -> PDF font name, for every page."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3") or descriptor.get("/FontFile")
            assert program is not None, f"font {font.get('/BaseFont')} is not embedded"
            data = program.get_object().get_data()
            name = TTFont(io.BytesIO(data))["name"].getDebugName(6)
            fonts[name] = str(font["/BaseFont"])
    return fonts


# ---------------------------------------------------------------------------
# Facts in the text


@pytest.mark.parametrize("figure", ["1,018", "745", "1,068", "125", "148", "16"])
def test_every_figure_is_in_the_text(text, figure):
    assert re.search(rf"(?<![\d,]){re.escape(figure)}(?![\d,])", text), figure


def test_one_sources_two_tolls_are_its_current_number_and_its_history_never_a_range(text):
    assert "745\u20131,068" not in text and "745-1,068" not in text
    assert "1,068 · SOHR via Insider Paper, 9 March 2025 [1, 5]" in text
    assert "EARLIER 745 · SOHR via Reuters, 8 March 2025 [1, 2]" in text
    assert "SOHR, earlier: 745 (8 March)" in text  # beside the key figure


@pytest.mark.parametrize("publisher", PUBLISHERS)
def test_every_source_publisher_is_in_the_text(text, publisher):
    assert publisher in text


def test_the_quote_is_there_verbatim(text):
    assert SNOW_QUOTE in text


def test_arabic_names_are_in_the_text(text):
    # The local name of the ambush's location (in the casualties table) and al-Sharaa's name.
    for name in ("اللاذقية", "أحمد الشرع"):
        assert name in text


def test_every_page_is_numbered_page_n_of_total(pages):
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in flat(page)


def test_the_running_header_is_on_later_pages_only(pages):
    assert flat(pages[0]).count(HEADING) == 1  # the masthead, without a running header above it
    for page in pages[1:]:
        assert HEADING in flat(page)
        assert EDITION in flat(page)


def test_page_count_is_sane(reader):
    assert 3 <= len(reader.pages) <= 6


# ---------------------------------------------------------------------------
# Metadata and bytes


def test_metadata_describes_the_report(reader, report):
    meta = reader.metadata
    title = make_view(report).title
    assert meta["/Title"] == title
    assert meta["/Title"].startswith(HEADING) and "Situation Report No. 1" in meta["/Title"]
    assert meta["/Author"] == "Coastal crisis analysis cell"
    assert "Situation Report No. 1" in meta["/Subject"]
    assert "9 March 2025, 18:00 UTC+03:00" in meta["/Subject"]
    assert HEADING in meta["/Subject"]
    keywords = [k.strip() for k in meta["/Keywords"].split(",")]
    assert "SYR" in keywords and "syria-coast-2025" in keywords


def test_pdf_dates_are_the_reports_as_of_not_today(reader):
    meta = reader.metadata
    for date in (meta.creation_date, meta.modification_date):
        assert date == AS_OF
        assert date.utcoffset() == timedelta(hours=3)
    assert meta["/CreationDate"].startswith("D:20250309180000+03")
    assert meta["/ModDate"].startswith("D:20250309180000+03")


def test_two_builds_give_the_same_bytes(tmp_path, pdf):
    # The second build runs in another process with another hash seed, through the command line, so that
    # nothing left over in this process (caches, a random subset tag, dict order) can make them agree.
    command = [
        sys.executable,
        "-c",
        "from sitrep.cli import main; main()",
        "build",
        str(EXAMPLE),
        "-f",
        "pdf",
        "-o",
        str(tmp_path),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "12345"}
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "syria-coast-2025-03.pdf").read_bytes() == pdf


# ---------------------------------------------------------------------------
# Fonts


def test_the_arabic_font_is_embedded(reader):
    names = embedded_fonts(reader)
    assert [n for n in names if "NotoSansArabic" in n], names


def test_only_the_bundled_fonts_are_embedded(reader):
    # A font picked up from the machine (a fallback for a missing glyph) would make the PDF depend on where
    # it was built; the bundled Noto fonts cover the whole report.
    names = embedded_fonts(reader)
    assert names
    assert all(name.startswith(("NotoSans-", "NotoSansArabic-")) for name in names), names


# ---------------------------------------------------------------------------
# Confinement: only files under the template folders are read


def small_html(head: str = "", body: str = "<p>Report</p>") -> str:
    # A language and alternative text for images: every PDF is tagged, and WeasyPrint reports their
    # absence as errors, which fail the build.
    return f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


@pytest.fixture
def folder(tmp_path) -> Path:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a6.css").write_text("@page { size: A6 }", encoding="utf-8")
    (templates / "dot.png").write_bytes(ONE_PIXEL_PNG)
    (tmp_path / "outside.css").write_text("@page { size: A6 }", encoding="utf-8")
    return templates


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


def test_files_inside_the_template_folder_are_used(folder):
    pdf = html_to_pdf(small_html('<link rel="stylesheet" href="a6.css">', '<img src="dot.png" alt="a dot">'), [folder])
    assert page_size_mm(pdf) == (105, 148)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page["/Resources"]["/XObject"], "the image was not drawn"


def test_a_later_folder_supplies_what_the_first_lacks_and_the_first_wins(tmp_path, folder):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "only-builtin.css").write_text("@page { size: A5 }", encoding="utf-8")
    (builtin / "a6.css").write_text("@page { size: A4 }", encoding="utf-8")
    assert page_size_mm(
        html_to_pdf(small_html('<link rel="stylesheet" href="only-builtin.css">'), [folder, builtin])
    ) == (148, 210)
    assert page_size_mm(html_to_pdf(small_html('<link rel="stylesheet" href="a6.css">'), [folder, builtin])) == (
        105,
        148,
    )


@pytest.mark.parametrize(
    "head, body",
    [
        ('<link rel="stylesheet" href="file:///etc/passwd">', ""),
        ('<link rel="stylesheet" href="http://example.org/sitrep.css">', ""),
        ('<link rel="stylesheet" href="https://example.org/sitrep.css">', ""),
        ('<link rel="stylesheet" href="../outside.css">', ""),
        ('<link rel="stylesheet" href="missing.css">', ""),
        ('<style>@import url("file:///etc/passwd");</style>', ""),
        ('<style>@font-face { font-family: X; src: url("file:///etc/passwd") } body { font-family: X }</style>', ""),
        ('<style>body { background: url("file:///etc/hostname") }</style>', "<p>x</p>"),
        ("", '<img src="file:///etc/passwd">'),
        ("", '<img src="http://127.0.0.1:9/image.png">'),
        ("", '<img src="data:image/png;base64,' + base64.b64encode(ONE_PIXEL_PNG).decode() + '">'),
    ],
    ids=[
        "css-file",
        "css-http",
        "css-https",
        "css-parent",
        "css-missing",
        "import",
        "font-face",
        "background",
        "img-file",
        "img-http",
        "img-data",
    ],
)
def test_anything_outside_the_template_folders_fails(folder, head, body):
    with pytest.raises(BuildError) as raised:
        html_to_pdf(small_html(head, body or "<p>Report</p>"), [folder])
    assert str(raised.value).startswith("PDF rendering failed: ")


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path, folder):
    (folder / "linked.css").symlink_to(tmp_path / "outside.css")
    with pytest.raises(BuildError) as raised:
        html_to_pdf(small_html('<link rel="stylesheet" href="linked.css">'), [folder])
    assert "outside the template folders" in str(raised.value)


def test_refusals_name_what_was_refused(folder):
    with pytest.raises(BuildError) as raised:
        html_to_pdf(small_html('<link rel="stylesheet" href="file:///etc/passwd">'), [folder])
    assert str(raised.value) == "PDF rendering failed: refused to read /etc/passwd: it is outside the template folders"
    with pytest.raises(BuildError) as raised:
        html_to_pdf(small_html('<link rel="stylesheet" href="http://example.org/x.css">'), [folder])
    assert "http://example.org/x.css" in str(raised.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.org/evil.css"])
def test_a_user_base_template_linking_outside_fails(tmp_path, report, url):
    user = tmp_path / "user-templates"
    user.mkdir()
    base = (builtin_templates() / "base.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in base
    (user / "base.html").write_text(
        base.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n<link rel="stylesheet" href="{url}">'),
        encoding="utf-8",
    )
    folders = [user, builtin_templates()]
    html = render(make_view(report), "html", folders=folders)
    assert url in html
    with pytest.raises(BuildError) as raised:
        html_to_pdf(html, folders)
    assert url.removeprefix("file://") in str(raised.value)


def test_a_page_without_a_language_fails_because_every_pdf_is_tagged(folder):
    # Screen readers need the language; a template that forgets it must not produce an untagged-looking PDF.
    with pytest.raises(BuildError, match="lang"):
        html_to_pdf("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>x</p></body></html>", [folder])


# ---------------------------------------------------------------------------
# PDF/A-3b and PDF/UA-1, checked by the `page` validator and read back with pypdf

CLAIMS = {None: ("3b", "ua1"), "pdf/a-3b": ("3b", "ua1"), "pdf/ua-1": ("ua1",)}
"""What each variant claims: by default, archival and accessible at once; pdf/a-3b the same with the source
attached; pdf/ua-1 accessible only."""


@pytest.fixture(scope="module")
def built(checked):
    """PDFs of the example by (variant, language), each rendered once for the module."""
    cache: dict[tuple[str | None, str], bytes] = {}

    def pdf_of(variant: str | None, language: str = "en") -> bytes:
        if (variant, language) not in cache:
            cache[variant, language] = render_outputs(
                checked, ("pdf",), Options(pdf_variant=variant), source_name=EXAMPLE.name, language=language
            )[".pdf"]
        return cache[variant, language]

    return pdf_of


def structure(reader: PdfReader) -> list:
    """Every element of the structure tree, parents before their children."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get"):
            if node.get("/Type") != "/OBJR":
                found.append(node)
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return [node for node in found if "/S" in node]


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def marked_text(page) -> list[tuple[str, dict, str]]:
    """Each piece of text on ``page`` with the marked-content sequence it is drawn in: tag, properties, text."""
    stack: list[tuple[str, dict]] = []
    found = []

    def operator(name, operands, *_):
        if name in (b"BDC", b"BMC"):
            properties = operands[1] if name == b"BDC" and hasattr(operands[1], "items") else {}
            stack.append((str(operands[0]), {str(k): str(v) for k, v in properties.items()}))
        elif name == b"EMC":
            stack.pop()

    def text(said, *_):
        if said.strip():
            found.append((*(stack[-1] if stack else ("", {})), said.strip()))

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("variant, profile", [(v, p) for v, profiles in CLAIMS.items() for p in profiles])
def test_the_page_validator_passes_every_claimed_profile(built, variant, profile, language):
    report = validate_pdf_bytes(built(variant, language), profile=profile)
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant and report.rules.total > 100


@pytest.mark.parametrize("variant", list(CLAIMS))
def test_each_variant_declares_what_it_claims_and_nothing_else(built, variant):
    declared = xmp(PdfReader(io.BytesIO(built(variant))))
    assert ('pdfaid:part="3"' in declared and 'pdfaid:conformance="B"' in declared) == ("3b" in CLAIMS[variant])
    assert 'pdfuaid:part="1"' in declared


def test_a_pdf_ua_only_file_would_fail_as_pdf_a(built):
    # So the claim is not made lightly: the validator does tell the variants apart.
    assert not validate_pdf_bytes(built("pdf/ua-1"), profile="3b").is_compliant


@pytest.mark.parametrize("variant", list(CLAIMS))
def test_the_xmp_metadata_is_not_compressed(built, variant):
    catalog = PdfReader(io.BytesIO(built(variant))).trailer["/Root"]
    stream = catalog["/Metadata"].get_object()
    assert "/Filter" not in stream
    assert stream._data.startswith(b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>')


def test_the_archival_pdf_lists_its_source_once_as_yaml(built):
    catalog = PdfReader(io.BytesIO(built("pdf/a-3b"))).trailer["/Root"]
    names = catalog["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0::2] == [EXAMPLE.name]
    assert [reference.idnum for reference in catalog["/AF"]] == [names[1].idnum]
    spec = catalog["/AF"][0].get_object()
    assert spec["/AFRelationship"] == "/Source"
    embedded = spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/yaml"
    assert embedded.get_data() == EXAMPLE.read_bytes()
    # Dates in UTC, as the Z says: the as-of, 18:00 at UTC+03:00.
    assert embedded["/Params"]["/ModDate"] == "D:20250309150000Z"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_table_header_has_a_scope(built, language):
    headers = [e for e in structure(PdfReader(io.BytesIO(built(None, language)))) if e["/S"] == "/TH"]
    assert len(headers) >= 8
    assert {str(h["/A"]["/Scope"]) for h in headers} == {"/Column"}


@pytest.mark.parametrize("language, source", [("en", "Source 2"), ("ar", "المصدر ٢")])
def test_every_link_is_described_in_words_and_tagged_once(built, language, source):
    reader = PdfReader(io.BytesIO(built(None, language)))
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[0::2], nums[1::2], strict=True))
    descriptions = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            element = parents[annotation["/StructParent"]].get_object()
            assert element["/S"] == "/Link" and element["/P"].get_object()["/S"] != "/Link"
            descriptions.append(str(annotation["/Contents"]))
    assert source in descriptions
    assert "https://tmc24news.com/?p=253383" in descriptions
    assert not [d for d in descriptions if re.fullmatch(r"source-\d+", d)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_link_has_an_area_to_click(built, language):
    """A citation's superscript keeps its line's spacing (line-height 0), but its link must still cover the
    number: a link whose area is a line (zero high) cannot be clicked in a PDF reader."""
    sizes = []
    for page in PdfReader(io.BytesIO(built(None, language))).pages:
        for annotation in page.get("/Annots", []):
            left, bottom, right, top = (float(v) for v in annotation.get_object()["/Rect"])
            sizes.append((abs(right - left), abs(top - bottom)))
    assert len(sizes) > 20 and all(width > 1 and height >= 4 for width, height in sizes), sorted(sizes)[:5]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_running_header_and_page_numbers_are_artifacts(built, language):
    reader = PdfReader(io.BytesIO(built(None, language)))
    for number, page in enumerate(reader.pages, start=1):
        marked = marked_text(page)
        footers = [text for tag, properties, text in marked if properties.get("/Subtype") == "/Footer"]
        assert footers and all(tag == "/Artifact" for tag, properties, _ in marked if properties.get("/Subtype"))
        assert str(number) in "".join(footers) or f"{number:d}".translate(
            str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
        ) in "".join(footers)
        headers = [text for _, properties, text in marked if properties.get("/Subtype") == "/Header"]
        assert bool(headers) == (number > 1)  # the first page has the masthead instead
        assert all(properties.get("/MCID") is None for tag, properties, _ in marked if tag == "/Artifact")


def test_the_masthead_is_content_and_the_running_header_is_not(built):
    first, second = (marked_text(page) for page in PdfReader(io.BytesIO(built(None))).pages[:2])
    assert any(tag == "/Span" and text == HEADING for tag, _, text in first)
    assert [tag for tag, _, text in second if text == HEADING] == ["/Artifact"]


@pytest.mark.parametrize("example", [EXAMPLE, ROOT / "inputs" / "syria-earthquake-2023-02-13.yaml"])
def test_the_key_figures_chart_states_every_number_its_bars_show(example):
    checked = check_file(example)
    view = make_view(checked.report)
    reader = PdfReader(io.BytesIO(render_outputs(checked, ("pdf",))[".pdf"]))
    figures = [str(e["/Alt"]) for e in structure(reader) if e["/S"] == "/Figure" and "Bar chart" in str(e["/Alt"])]
    assert len(figures) == 1
    for figure in view.key_figures:
        for series in figure.series:
            assert series.source in figures[0]
            for claim in series.current:
                # Worded as the view words it, qualifier included ("more than 4,400").
                assert f"{claim.labelled} ({claim.as_of})" in figures[0]


def test_the_labels_over_a_chart_are_artifacts_its_alternative_text_says(built):
    # Read once, in the figure's alternative text, rather than twice.
    reader = PdfReader(io.BytesIO(built(None)))
    chart_page = next(page for page in reader.pages if "Key figures" in page.extract_text())
    hidden = [text for tag, properties, text in marked_text(chart_page) if tag == "/Artifact" and not properties]
    assert "1,068" in hidden and "745" in " ".join(hidden)


def test_every_list_item_holds_only_a_label_and_a_body(built):
    items = [e for e in structure(PdfReader(io.BytesIO(built(None)))) if e["/S"] == "/LI"]
    assert len(items) > 10
    for item in items:
        kids = item["/K"] if isinstance(item["/K"], list) else [item["/K"]]
        assert {str(kid.get_object()["/S"]) for kid in kids} <= {"/Lbl", "/LBody"}


def test_the_structure_patch_applies_to_this_weasyprint(folder):
    """sitrep completes WeasyPrint's structure tree by wrapping one of its functions; if a WeasyPrint release
    renames it, this fails first, with the effects in one small document."""
    body = (
        '<table><thead><tr><th>Figure</th><th scope="row">x</th></tr></thead><tbody><tr><td>1</td><td>2</td>'
        '</tr></tbody></table><p><a href="#end" aria-label="Source 1">1</a> <a href="https://example.org/">'
        '<span lang="fr">ici</span></a></p><img src="dot.png" alt="a dot" aria-label="one dot">'
        '<p id="end" aria-hidden="true">hidden</p>'
    )
    style = "<title>Test</title><style>@page { @bottom-center { content: 'Page ' counter(page) } }</style>"
    reader = PdfReader(io.BytesIO(html_to_pdf(small_html(style, body), [folder])))
    elements = structure(reader)
    assert sorted(str(e["/A"]["/Scope"]) for e in elements if e["/S"] == "/TH") == ["/Column", "/Row"]
    assert [str(e["/Lang"]) for e in elements if "/Lang" in e] == ["fr"]
    assert [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"] == ["one dot"]
    annotations = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [str(a["/Contents"]) for a in annotations] == ["Source 1", "ici"]
    marked = {(tag, text) for tag, _, text in marked_text(reader.pages[0])}
    assert ("/Artifact", "Page 1") in marked and ("/Artifact", "hidden") in marked
    assert validate_pdf_bytes(html_to_pdf(small_html(style, body), [folder]), profile="ua1").failures == []


def test_a_stream_is_never_written_so_that_its_data_ends_in_a_carriage_return():
    """pydyf writes a line feed before `endstream`; data ending in CR would read as CR LF to validators, one byte
    short of /Length. Such a stream is written uncompressed; any other is compressed as pydyf would."""
    import zlib

    import pydyf

    from sitrep.pdf import compressed

    payloads = (b"BT /F1 9 Tf (" + b"x" * n + b") Tj ET" for n in range(1, 100_000))
    unlucky = next(p for p in payloads if zlib.compress(p, level=9).endswith(b"\r"))
    lucky = b"BT /F1 9 Tf (plain) Tj ET"
    assert not zlib.compress(lucky, level=9).endswith(b"\r")
    for payload in (unlucky, lucky):
        stream = pydyf.Stream([payload], compress=True)
        compressed(stream)
        written = stream.data
        data = written[written.index(b"stream\n") + len(b"stream\n") : written.rindex(b"\nendstream")]
        assert not data.endswith(b"\r") and f"/Length {len(data)}".encode() in written
        assert (zlib.decompress(data) if b"/FlateDecode" in written else data) == payload
    unlucky_stream = pydyf.Stream([unlucky], compress=True)
    compressed(unlucky_stream)
    assert b"/FlateDecode" not in unlucky_stream.data

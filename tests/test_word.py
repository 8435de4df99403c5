"""The Word output: every example built with `-f docx`, read back with python-docx (what a template or a script
sees) and opened in LibreOffice (what an editor sees): every number and quote, Word's own styles, sized tables,
the charts as described pictures, the document's properties, right-to-left editions, reproducible bytes."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZipFile

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from helpers import replace_once

from sitrep.build import Options, build_file
from sitrep.editions import Edition, language_of
from sitrep.errors import BuildError
from sitrep.language import speaking
from sitrep.view import make_view

pytestmark = pytest.mark.slow  # every example's Word files, and LibreOffice prints them

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "inputs").glob("*.yaml"))
CORONAL = ROOT / "inputs" / "syria-coast-2025-03-no2.yaml"
"""An English edition with a previous one, disagreeing sources, histories, both charts and a quote."""
TRILINGUAL = ROOT / "inputs" / "syria-coast-2025-03.yaml"
"""Editions in English, Arabic and French."""


def _editions(path: Path, folder: Path) -> dict[str, tuple[Path, object]]:
    """Each edition of ``path`` built as Word into ``folder``, with the view it was laid out from, by language."""
    written, checked = build_file(path, folder, ("docx",))
    own = checked.languages[0]
    editions = {}
    for language in checked.languages:
        with speaking(language_of(checked.written, language)):
            view = make_view(checked.written, checked.previous, "sitrep", None, Edition(language, own))
        suffix = "" if language == own else f"-{language}"
        editions[language] = (folder / f"{path.stem}{suffix}.docx", view)
    assert sorted(written) == sorted(path for path, _ in editions.values())
    return editions


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, object]]:
    folder = tmp_path_factory.mktemp("word")
    return {
        (path.stem, language): edition for path in EXAMPLES for language, edition in _editions(path, folder).items()
    }


EDITIONS = [
    (path.stem, language)
    for path in EXAMPLES
    for language in (yaml.safe_load(path.read_text(encoding="utf-8"))["report"].get("language") or ["en"])
]


def _rows(document) -> list[list]:
    return [row.cells for table in document.tables for row in table.rows[1:]]


def _quotes(path: Path) -> list[str]:
    """The quotes of a file as written there (verbatim, whatever the edition)."""
    statements = yaml.safe_load(path.read_text(encoding="utf-8")).get("statements", [])
    return [statement["quote"] for statement in statements if statement.get("quote")]


@pytest.mark.parametrize("edition", EDITIONS, ids="-".join)
def test_each_number_of_every_figure_is_a_line_of_its_own_in_the_figures_row(built, edition):
    path, view = built[edition]
    rows = _rows(docx.Document(str(path)))
    for figure in view.figures:
        candidates = [
            cells
            for cells in rows
            if len(cells) == 4
            and cells[0].paragraphs[0].text == figure.label
            and cells[1].text == (figure.location or cells[1].text)
        ]
        assert candidates, f"no row for {figure.label} in {path.name}"
        lines = [[p.text for p in cells[3].paragraphs] for cells in candidates]
        expected = figure.claims
        assert any(
            len(found) == len(expected)
            and all(
                claim.number in line and claim.status_words in line and claim.citations[0].text in line
                for claim, line in zip(expected, found, strict=True)
            )
            for found in lines
        ), f"{figure.label}: {lines} against {[c.number for c in expected]}"
        numbers = [[p.text for p in cells[2].paragraphs] for cells in candidates]
        assert any(
            all(line.number in said for line, said in zip(figure.numbers, found, strict=True))
            and len(found) == len(figure.numbers)
            for found in numbers
        )


def test_the_disputed_toll_shows_each_source_and_its_history_on_lines_of_their_own(built):
    path, _view = built[(CORONAL.stem, "en")]
    row = next(
        cells
        for cells in _rows(docx.Document(str(path)))
        if cells[0].paragraphs[0].text == "Civilians killed" and cells[1].text == "All areas"
    )
    assert [p.text.split(" · ")[0] for p in row[3].paragraphs] == [
        "1,383",
        "earlier 745",
        "earlier 1,068",
        "earlier 1,225",
        "at least 111",
    ]
    assert "verified" in row[3].paragraphs[-1].text
    assert [p.text for p in row[2].paragraphs] == ["1,383\nSOHR", "at least 111\nOHCHR, verified"]


@pytest.mark.parametrize("edition", EDITIONS, ids="-".join)
def test_every_quote_is_there_verbatim_as_a_quote(built, edition):
    path, _view = built[edition]
    quotes = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Quote"]
    source = next(p for p in EXAMPLES if p.stem == edition[0])
    for quote in _quotes(source):
        assert any(" ".join(quote.split()) in " ".join(text.split()) for text in quotes), quote


def test_headings_lists_and_captions_are_words_own_styles(built):
    path, view = built[(CORONAL.stem, "en")]
    document = docx.Document(str(path))
    styled = {}
    for paragraph in document.paragraphs:
        styled.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert styled["Title"] == ["Syria: Violence on the western coast"]
    assert styled["Subtitle"] == ["Situation Report No. 2 (as of 12 March 2025, 18:00 UTC+03:00)"]
    assert styled["Heading 1"][:4] == [
        "Highlights",
        "Key figures",
        "Situation overview",
        "What changed since Situation Report No. 1",
    ]
    assert {"Casualties", "Timeline", "Sources", "Reactions and statements"} <= set(styled["Heading 1"])
    assert "Figures" in styled["Heading 2"]
    assert len([text for text in styled["List Bullet"] if text]) >= len(view.highlights) + len(view.services)
    assert {"Key figures", "Timeline of events"} <= set(styled["Caption"])
    overview = document.paragraphs[[p.text for p in document.paragraphs].index("Situation overview") + 1]
    assert [run.text for run in overview.runs if run.bold][:2] == ["6 March", "12 March"]


def test_tables_have_fixed_sized_columns_and_a_heading_row_repeated_on_each_page(built):
    document = docx.Document(str(built[(CORONAL.stem, "en")][0]))
    assert len(document.tables) == 4  # key figures, casualties, other figures, timeline
    for table in document.tables:
        widths = [column.width for column in table.columns]
        assert all(widths) and abs(sum(widths) - Cm(17)) < Cm(0.05)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert all(
            cell.width == column.width
            for row in table.rows
            for cell, column in zip(row.cells, table.columns, strict=True)
        )
        [width] = table._tbl.tblPr.findall(qn("w:tblW"))
        assert width.get(qn("w:type")) == "dxa" and abs(int(width.get(qn("w:w"))) - Cm(17).twips) <= 2
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"
    titles = [table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) for table in document.tables]
    assert titles == ["Key figures", "Casualties", "Other figures", "Timeline"]  # their alternative text
    figures = next(t for t in document.tables if t.rows[0].cells[-1].text == "Each source's numbers")
    assert figures.columns[3].width > figures.columns[0].width > figures.columns[1].width


def test_each_chart_is_a_picture_described_with_its_numbers(built):
    document = docx.Document(str(built[(CORONAL.stem, "en")][0]))
    pictures = document.inline_shapes
    assert len(pictures) == 3
    described = [shape._inline.docPr for shape in pictures]
    assert [d.get("title") for d in described] == ["Locator map", "Key figures", "Timeline of events"]
    assert described[0].get("descr").startswith("Map of Syria in its region.")
    assert "Civilians killed: SOHR: 1,383 (12 March 2025)" in described[1].get("descr")
    assert "at least 111, verified" in described[1].get("descr")
    assert described[2].get("descr").startswith("Timeline")
    for shape in pictures:
        assert shape.width == Cm(17)
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG")


def test_source_numbers_are_the_pdfs_and_lead_to_the_source_list(built):
    path, view = built[(CORONAL.stem, "en")]
    document = docx.Document(str(path))
    body = document.element.body
    marks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert marks == {f"source_{source.number}" for source in view.sources}
    anchors = {link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))}
    assert anchors <= marks and len(anchors) > 10
    listed = [p.text for p in document.paragraphs if p.text.startswith("[")]
    assert [text.split("]")[0] for text in listed] == [f"[{source.number}" for source in view.sources]
    assert listed[0].startswith("[1] Syrian Observatory for Human Rights (SOHR).")
    highlight = next(p for p in document.paragraphs if p.style.name == "List Bullet")
    assert highlight.text.endswith("[1, 15, 11, 2, 17]")


def test_the_documents_properties_describe_the_report(built):
    properties = docx.Document(str(built[(CORONAL.stem, "en")][0])).core_properties
    assert properties.title == "Syria: Violence on the western coast — Situation Report No. 2 (as of 12 March 2025)"
    assert properties.author == "Coastal crisis analysis cell"
    assert properties.created == properties.modified == datetime(2025, 3, 12, 15, 0, tzinfo=UTC)  # 18:00 +03:00
    assert properties.language == "en"
    assert "syria-coast-2025" in properties.keywords and "SYR" in properties.keywords
    french = docx.Document(str(built[(TRILINGUAL.stem, "fr")][0])).core_properties
    assert french.language == "fr" and french.title.startswith("Syrie")


def test_the_arabic_edition_reads_right_to_left(built):
    path, _view = built[(TRILINGUAL.stem, "ar")]
    document = docx.Document(str(path))
    body = document.element.body
    paragraphs = [p for p in document.paragraphs if p.text]
    right_to_left = [p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in paragraphs]
    quote, translation = [p for p in paragraphs if p.style.name == "Quote"]  # the English quote reads left to right
    assert quote.text.startswith("«Deeply worrying developments") and not right_to_left[paragraphs.index(quote)]
    assert translation.text.startswith("الترجمة: «") and right_to_left[paragraphs.index(translation)]
    assert [p.text for p, rtl in zip(paragraphs, right_to_left, strict=True) if not rtl] == [quote.text]
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in document.tables)
    assert body.find(qn("w:sectPr")).find(qn("w:bidi")) is not None
    runs = [run for paragraph in paragraphs for run in paragraph.runs]
    arabic = [run for run in runs if any("\u0621" <= c <= "\u064a" for c in run.text)]
    latin = [run for run in runs if any(c.isascii() and c.isalpha() for c in run.text)]
    assert arabic and latin
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in arabic)
    assert all(run._r.rPr is None or run._r.rPr.find(qn("w:rtl")) is None for run in latin)
    assert document.core_properties.language == "ar"
    language = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert (language.get(qn("w:val")), language.get(qn("w:bidi"))) == ("en", "ar")  # Latin text is the file's English
    assert document.settings.element.find(qn("w:themeFontLang")).get(qn("w:bidi")) == "ar"


def test_arabic_names_in_an_english_edition_are_right_to_left_runs(built):
    document = docx.Document(str(built[(TRILINGUAL.stem, "en")][0]))
    runs = [
        run
        for cells in _rows(document)
        for cell in cells
        for p in cell.paragraphs
        for run in p.runs
        if "اللاذقية" in run.text
    ]
    assert runs and all(run._r.rPr.find(qn("w:rtl")) is not None and run.text == "اللاذقية" for run in runs)
    assert document.paragraphs[0]._p.pPr is None or document.paragraphs[0]._p.pPr.find(qn("w:bidi")) is None


def test_pages_are_numbered_and_headed_with_the_report_after_the_first(built):
    section = docx.Document(str(built[(CORONAL.stem, "en")][0])).sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Syria: Violence on the western coast — Situation Report No. 2"
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    for footer in (section.footer, section.first_page_footer):
        fields = [field.get(qn("w:instr")) for field in footer._element.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
        shown = "".join(text.text for text in footer._element.iter(qn("w:t")))
        assert shown == "Page 1 of 1"  # the fields show 1 until Word lays the pages out
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21, 29.7)  # A4


NARRATIVE = """\
    ## Watch list

    - first *point*, with [a link](https://example.org/x)
    - second, [an anchor](#top)
      1. nested

    3. numbered from three
    4. next

    > a quoted line

    <b>raw</b> html

"""


def test_the_analysts_markdown_becomes_words_headings_lists_quotes_and_links(tmp_path):
    for edition in (CORONAL, ROOT / "inputs" / "syria-coast-2025-03.yaml"):  # the report and its previous edition
        (tmp_path / edition.name).write_bytes(edition.read_bytes())
    replace_once(tmp_path / CORONAL.name, "  outlook: |\n", "  outlook: |\n" + NARRATIVE)
    written, _checked = build_file(tmp_path / CORONAL.name, tmp_path / "out", ("docx",))
    document = docx.Document(str(written[0]))
    paragraphs = document.paragraphs
    start = [p.text for p in paragraphs].index("Watch list")
    said = [(p.style.name, p.text) for p in paragraphs[start : start + 8]]
    assert said == [
        ("Heading 3", "Watch list"),
        ("List Bullet", "first point, with a link"),
        ("List Bullet", "second, an anchor"),
        ("List 2", "1. nested"),
        ("List", "3. numbered from three"),
        ("List", "4. next"),
        ("Quote", "a quoted line"),
        ("Normal", "<b>raw</b> html"),
    ]
    first = paragraphs[start + 1]
    assert [run.text for run in first.runs if run.italic] == ["point"]
    [link] = first._p.findall(qn("w:hyperlink"))
    assert document.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org/x"
    assert not paragraphs[start + 2]._p.findall(qn("w:hyperlink"))
    assert paragraphs[start + 8].text.startswith("Verification of the death toll will take time")


def test_two_builds_give_the_same_bytes_dated_the_as_of(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build_file(CORONAL, first, ("docx",))
    build_file(CORONAL, second, ("docx",))
    name = f"{CORONAL.stem}.docx"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    with ZipFile(first / name) as package:
        assert {info.date_time for info in package.infolist()} == {(2025, 3, 12, 0, 0, 0)}
        assert not [part for part in package.namelist() if "thumbnail" in part]  # no stale picture of a page


@pytest.mark.parametrize("product", ["flash", "brief"])
def test_the_other_products_lay_out_what_they_show(tmp_path, product):
    written, _checked = build_file(CORONAL, tmp_path, ("docx",), Options(template=product))
    document = docx.Document(str(written[0]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    text = "\n".join(p.text for p in document.paragraphs)
    if product == "flash":
        assert headings == ["Highlights", "Key figures", "Situation overview", "Sources"]
        assert len(document.inline_shapes) == 1 and "earlier" not in text  # the locator map, no chart
        assert document.inline_shapes[0].width == docx.shared.Mm(84)  # as narrow as on the Flash Update's page
    else:
        assert headings[:2] == ["Key findings", "Crisis overview"]
        assert "Sources and their reliability" in headings and len(document.inline_shapes) == 2  # map, figures
        sources = document.tables[-1]
        assert [c.text for c in sources.rows[0].cells] == ["No.", "Source", "Kind", "Reliability"]


def _reference(path: Path) -> Path:
    """An organisation's template as Word saves one: its own Heading 1, a line of its own text, and only the
    styles it has used (here no list, quote, caption or table styles, and no numbering)."""
    document = docx.Document()
    document.styles["Heading 1"].font.size = Pt(20)
    document.add_paragraph("THE TEMPLATE'S OWN TEXT")
    for name in ("List Bullet", "Quote", "Caption", "Table Grid"):
        document.styles.element.remove(document.styles[name].element)
    numbering = next(rId for rId, rel in document.part.rels.items() if rel.reltype.endswith("/numbering"))
    document.part.drop_rel(numbering)
    path.mkdir()
    document.save(str(path / "reference.docx"))
    return path


def test_an_organisations_reference_document_gives_its_styles_not_its_text(tmp_path):
    folder = _reference(tmp_path / "templates")
    written, _checked = build_file(CORONAL, tmp_path / "out", ("docx",), Options(templates=(folder,)))
    document = docx.Document(str(written[0]))
    assert document.styles["Heading 1"].font.size == Pt(20)
    assert "THE TEMPLATE'S OWN TEXT" not in "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].style.name == "Title"


def test_the_styles_a_reference_document_lacks_are_words_own_with_their_bullets(tmp_path):
    folder = _reference(tmp_path / "templates")
    written, _checked = build_file(CORONAL, tmp_path / "out", ("docx",), Options(templates=(folder,)))
    document = docx.Document(str(written[0]))
    assert {"List Bullet", "Quote", "Caption", "Table Grid"} <= {style.name for style in document.styles}
    bullet = document.styles["List Bullet"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    numbering = document.part.numbering_part.element
    [listed] = [n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == bullet.get(qn("w:val"))]
    abstract = listed.find(qn("w:abstractNumId")).get(qn("w:val"))
    [definition] = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract]
    assert definition.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "bullet"
    assert len(document.tables) == 4 and all(table.style.name == "Table Grid" for table in document.tables)


def test_a_reference_document_that_is_not_one_is_refused(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "reference.docx").write_text("not a document")
    with pytest.raises(BuildError, match="reference.docx: not a Word document that can be read"):
        build_file(CORONAL, tmp_path / "out", ("docx",), Options(templates=(folder,)))


# -- as an editor sees it: LibreOffice opens the document and prints it


def _plain(text: str) -> str:
    """Text with its spaces as single plain spaces, and without the invisible marks of direction that pdftotext
    puts around right-to-left runs."""
    return " ".join(text.translate({mark: None for mark in range(0x202A, 0x202F)}).replace("\u202f", " ").split())


def _printed(path: Path, folder: Path) -> str:
    """The text of ``path`` as LibreOffice lays it out and prints it to PDF, read by poppler's pdftotext."""
    profile = folder / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(folder)},
    )
    pdf = folder / f"{path.stem}.pdf"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory) -> dict[tuple[str, str], str]:
    folder = tmp_path_factory.mktemp("printed")
    wanted = [(CORONAL.stem, "en"), (TRILINGUAL.stem, "fr"), (TRILINGUAL.stem, "ar")]
    return {edition: _printed(built[edition][0], folder) for edition in wanted}


@pytest.mark.parametrize("edition", [(CORONAL.stem, "en"), (TRILINGUAL.stem, "fr")], ids="-".join)
def test_libreoffice_prints_every_number_of_every_figure(printed, built, edition):
    text = _plain(printed[edition])
    _path, view = built[edition]
    for figure in view.figures:
        for claim in figure.claims:
            assert _plain(claim.number) in text, f"{figure.label}: {claim.number}"
    for source in view.sources:
        assert _plain(f"[{source.number}] {source.publisher}") in text
    pages = printed[edition].count("\f")
    numbered = {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"}[edition[1]]
    assert pages > 1
    for page in (1, pages):
        assert numbered.format(page=page, pages=pages) in text


def test_libreoffice_prints_the_quote_and_the_arabic_edition(printed):
    english = _plain(printed[(CORONAL.stem, "en")])
    for quote in _quotes(CORONAL):
        assert _plain(quote) in english
    arabic = _plain(printed[(TRILINGUAL.stem, "ar")])
    assert "الرقم الحالي" in arabic  # "the current number"
    assert "١٬٠٦٨" in arabic and "المرصد السوري" in arabic  # SOHR's civilians killed, in the edition's digits

"""The products (full report, Flash Update, briefing note), template overrides and PDF variants."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from sitrep.build import Options, build_file, read_report
from sitrep.cli import main
from sitrep.errors import BuildError

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
FIRST = INPUTS / "syria-coast-2025-03.yaml"
SECOND = INPUTS / "syria-coast-2025-03-no2.yaml"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def flashes(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flash")
    for path in (FIRST, SECOND):
        build_file(path, out, ("pdf", "md"), Options(template="flash"))
    return out


@pytest.mark.slow
def test_each_flash_update_is_one_page_named_after_its_input(flashes):
    for stem in ("syria-coast-2025-03", "syria-coast-2025-03-no2"):
        pdf = (flashes / f"{stem}-flash.pdf").read_bytes()
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
        text = text_of(pdf)
        assert "Flash Update No." in text and "Page 1 of 1" in text
        assert "subject to revision" in text  # the caveat made it onto the page


@pytest.mark.slow
def test_flash_update_keeps_every_key_figure_with_its_sources(flashes):
    text = text_of((flashes / "syria-coast-2025-03-no2-flash.pdf").read_bytes())
    for shown in (
        "1,383 SOHR via Shafaq News, 12 March 2025 [1, 15]",
        "at least 111, verified OHCHR via UN Geneva newsroom, 11 March 2025 [2, 17]",
        "at least 13",
        "13 to at least 16",
        "▲ 315 since No. 1 (SOHR): 1,068 (9 March 2025)[1, 11] → 1,383 (12 March ",
    ):
        assert shown in text
    assert "at least 111 to 1,383" not in text and "13–16" not in text
    markdown = (flashes / "syria-coast-2025-03-no2-flash.md").read_text(encoding="utf-8")
    assert "1,383: SOHR via Shafaq News, 12 March 2025 [1, 15]" in markdown
    assert "at least 111, verified: OHCHR via UN Geneva newsroom, 11 March 2025 [2, 17]" in markdown
    assert "▲ 315 since No. 1 (SOHR): 1,068 (9 March 2025) [1, 11] → 1,383 (12 March 2025) [1, 15]" in markdown


@pytest.mark.slow
def test_flash_update_lists_the_sources_it_cites_with_their_report_numbers(flashes):
    markdown = (flashes / "syria-coast-2025-03-no2-flash.md").read_text(encoding="utf-8")
    sources = markdown.split("## Sources", 1)[1]
    assert "- [18] BBC News" in sources  # the 18th source of the file keeps its number
    assert "Tehran Times" not in sources  # cited only in the full report's statements
    assert not re.search(r"^\d+\. ", sources, flags=re.M)  # no ordered list, which a viewer would renumber


def test_a_flash_update_that_does_not_fit_fails_and_says_what_takes_room(tmp_path):
    text = FIRST.read_text(encoding="utf-8")
    long = "    Residents describe revenge killings, looting and the burning of homes.\n" * 40
    bloated = tmp_path / "long.yaml"
    start = "\n  overview:\n    en: |\n"  # the English edition's overview, 40 lines longer
    assert start in text
    bloated.write_text(text.replace(start, start + long.replace("    ", "      ")), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_file(bloated, tmp_path / "out", ("pdf", "md"), Options(template="flash"))
    message = str(caught.value)
    assert message.startswith("the Flash Update must fit on one page, but this one runs to ")
    assert "3 highlights, an overview of" in message and "4 key figures" in message
    assert "shorten the overview" in message
    assert not (tmp_path / "out").exists()  # neither the .md nor the .pdf was written


def test_briefing_note_reads_like_an_analytical_note(tmp_path):
    written, _ = build_file(SECOND, tmp_path, ("md",), Options(template="brief"))
    assert [p.name for p in written] == [
        "syria-coast-2025-03-no2-brief.md",
        "syria-coast-2025-03-no2-brief-figures.svg",
        "syria-coast-2025-03-no2-brief-map.svg",
    ]
    markdown = written[0].read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", markdown, flags=re.M)
    assert headings == [
        "Key findings",
        "Crisis overview",
        "Crisis impact",
        "Humanitarian constraints",
        "Outlook",
        "Information gaps and limitations",
        "Sources and their reliability",
    ]
    assert "### Casualties" in markdown and "### Health" in markdown
    assert "| 2 | **Office of the UN High Commissioner for Human Rights** | un | Reliable |" in markdown
    assert "| 20 | **Ann Snow**" in markdown and markdown.count("Not assessed") == 10
    assert "Verified by their source: 1 of 29 estimates" in markdown
    assert "### Other figures" in markdown and "Massacres documented since 6 March" in markdown


@pytest.mark.slow
def test_a_user_stylesheet_overrides_the_built_in_one_by_name(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "templates" / "sitrep.css", mine / "sitrep.css")
    with (mine / "sitrep.css").open("a", encoding="utf-8") as stream:
        stream.write("\n@page { size: A5; }\n")
    written, _ = build_file(FIRST, tmp_path / "out", ("pdf",), Options(templates=(mine,)))
    page = PdfReader(io.BytesIO(written[0].read_bytes())).pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    assert round(width_mm) == 148  # A5, from the user's stylesheet, not the built-in A4


def test_a_user_template_overrides_the_built_in_one_by_name(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "flash.md").write_text("Our own flash for {{ view.heading }}\n", encoding="utf-8")
    written, _ = build_file(FIRST, tmp_path / "out", ("md",), Options(template="flash", templates=(mine,)))
    assert written[0].read_text(encoding="utf-8") == "Our own flash for Syria: Violence on the western coast\n"


@pytest.fixture(scope="module")
def archival(tmp_path_factory) -> tuple[bytes, bytes]:
    first = tmp_path_factory.mktemp("a")
    second = tmp_path_factory.mktemp("b")
    for out in (first, second):
        build_file(FIRST, out, ("pdf",), Options(pdf_variant="pdf/a-3b"))
    return (first / "syria-coast-2025-03.pdf").read_bytes(), (second / "syria-coast-2025-03.pdf").read_bytes()


@pytest.mark.slow
def test_archival_pdf_carries_its_source_yaml_byte_for_byte(archival):
    reader = PdfReader(io.BytesIO(archival[0]))
    assert reader.attachments == {"syria-coast-2025-03.yaml": [FIRST.read_bytes()]}


@pytest.mark.slow
def test_archival_pdf_declares_pdf_a_3b_and_is_reproducible(archival):
    reader = PdfReader(io.BytesIO(archival[0]))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert archival[0] == archival[1]


@pytest.mark.slow
@pytest.mark.parametrize("variant", [None, "pdf/ua-1"])
def test_every_pdf_is_tagged_for_screen_readers(tmp_path, variant):
    written, _ = build_file(FIRST, tmp_path, ("pdf",), Options(pdf_variant=variant))
    root = PdfReader(io.BytesIO(written[0].read_bytes())).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"


def editions(path: Path) -> list[str]:
    """How the names of a file's editions end: '' for its own language, '-ar' for Arabic..."""
    languages = read_report(path).report.languages
    return ["", *(f"-{language}" for language in languages[1:])]


def shades(path: Path) -> bool:
    """Whether the report at ``path`` asks for an areas map shaded by a figure."""
    report = read_report(path)
    return report.map is not None and report.map.figure is not None


def test_cli_names_each_product_and_refuses_an_unknown_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(INPUTS, tmp_path / "inputs")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "-t", "brief", "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(
        f"wrote out/{path.stem}{edition}{ending}\n"
        for path in sorted(INPUTS.glob("*.yaml"))
        for edition in editions(path)
        for ending in (
            "-brief.md",
            "-brief-figures.svg",
            "-brief-map.svg",
            *(("-brief-areas.svg",) if shades(path) else ()),
        )
    )
    result = runner.invoke(main, ["build", "-t", "leaflet"])
    assert result.exit_code == 2
    assert "'leaflet' is not one of 'sitrep', 'flash', 'brief'" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("product", ["sitrep", "brief"])
@pytest.mark.parametrize("path", sorted(INPUTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_number_of_every_figure_is_in_the_text_not_only_in_a_chart(tmp_path, path, product):
    from sitrep.view import make_view

    written, checked = build_file(path, tmp_path, ("md",), Options(template=product))
    markdown = written[0].read_text(encoding="utf-8")
    for figure in make_view(checked.report, checked.previous).figures:
        for claim in figure.claims:
            assert f"{claim.number}: {claim.citations[0].text}" in markdown, (figure.id, claim.number)


def test_the_view_is_made_once_per_build_and_every_output_reads_it(tmp_path, monkeypatch):
    import sitrep.view

    made = []
    real = sitrep.view.make_view
    monkeypatch.setattr(sitrep.view, "make_view", lambda *args, **kwargs: made.append(args) or real(*args, **kwargs))
    build_file(SECOND, tmp_path, ("md", "html", "hxl", "json"))
    assert len(made) == 1

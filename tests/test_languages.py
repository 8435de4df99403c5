"""Editions in the languages of the crisis: the catalogs, each language's numbers and dates, and the
English, French and Arabic editions of the example, read back with the clients people use (pypdf and
poppler for the PDF, cmark-gfm for the Markdown)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner
from helpers import report_from
from pypdf import PdfReader

from sitrep.build import Options, build_file, check_file
from sitrep.cli import main
from sitrep.language import CATALOGS, Language, ngettext, speaking
from sitrep.model import Month, Qualifier
from sitrep.wording import day, money, number, percent, since, span, worded

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "syria-coast-2025-03.yaml"
TRANSLATED = ("ar", "fr")
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


# ---------------------------------------------------------------------------
# The catalogs


def used_messages() -> dict[str, tuple[str, ...]]:
    """Every message the code and templates use, extracted afresh as `pybabel extract` does (babel.cfg): the
    singular form, and for a plural message both forms."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as mapping:
        methods, options = parse_mapping_cfg(mapping)
    found = {}
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), methods, options, keywords=DEFAULT_KEYWORDS, comment_tags=("NOTE:",)
    ):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0]] = forms
    return found


def catalog(language: str):
    with (CATALOGS / language / "LC_MESSAGES" / "sitrep.po").open("rb") as po:
        return read_po(po, locale=language)


USED = used_messages()


def test_the_template_catalog_is_the_messages_in_use():
    """sitrep.pot is what translators start from: re-extract it (README, "Adding a language") when it fails."""
    with (CATALOGS / "sitrep.pot").open("rb") as pot:
        template = {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(pot) if message.id
        }
    assert template == set(USED)
    assert len(USED) > 300


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_every_catalog_has_every_message_in_use_and_no_other(language):
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in catalog(language) if message.id}
    assert sorted(set(USED) - ids) == [], "run `pybabel update` (README, Adding a language)"
    assert sorted(ids - set(USED)) == [], "messages no longer used: run `pybabel update --ignore-obsolete`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language):
    untranslated, placeholders = [], []
    for message in catalog(language):
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            untranslated.append(message.id)
        wanted = set(PLACEHOLDER.findall(message.id[-1] if isinstance(message.id, tuple) else message.id))
        for form in forms:  # a plural form for one may say "one source" without the number
            found = set(PLACEHOLDER.findall(form))
            if found - wanted or (len(forms) == 1 and found != wanted):
                placeholders.append((message.id, form))
    assert untranslated == []
    assert placeholders == []


def test_every_catalog_ships_in_the_wheel():
    """A new language's folder must be listed in pyproject.toml's packages, or the wheel leaves it out."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {path.parent.parent.name for path in CATALOGS.glob("*/LC_MESSAGES/sitrep.po")}
    assert folders == {"ar", "en", "fr"}
    for language in folders:
        package = f"sitrep.locale.{language}.LC_MESSAGES"
        assert package in config["packages"] and config["package-data"][package] == ["sitrep.po"]


def test_arabic_has_its_six_plural_forms_and_uses_them():
    ar = Language("ar")
    forms = {
        count: ar.ngettext("given by {count} source", "given by {count} sources", count)
        for count in (0, 1, 2, 3, 11, 100)
    }
    assert len(set(forms.values())) >= 4  # zero, one, two, few, many, other: most read differently
    assert forms[3] != forms[11]


# ---------------------------------------------------------------------------
# Numbers and dates in each language, exactly


def said(language: Language, wording, *args):
    with speaking(language):
        return wording(*args)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            Language("en"),
            ["1,018", "17 million", "1.9 million", "1,234,567", "745–1,068", "78.6%", "8 March 2025", "April 2025"],
        ),
        (
            Language("fr"),
            [
                "1\u202f018",
                "17 millions",
                "1,9 million",
                "1\u202f234\u202f567",
                "745–1\u202f068",
                "78,6\u00a0%",
                "8 mars 2025",
                "avril 2025",
            ],
        ),
        (
            Language("ar"),
            ["١٬٠١٨", "١٧ مليون", "١٫٩ مليون", "١٬٢٣٤٬٥٦٧", "٧٤٥–١٬٠٦٨", "٧٨٫٦٪", "٨ آذار ٢٠٢٥", "نيسان ٢٠٢٥"],
        ),
        (
            Language("ar", digits="latin"),
            ["1,018", "17 مليون", "1.9 مليون", "1,234,567", "745–1,068", "78.6%", "8 آذار 2025", "نيسان 2025"],
        ),
        (
            Language("ar", month_names="standard"),
            ["١٬٠١٨", "١٧ مليون", "١٫٩ مليون", "١٬٢٣٤٬٥٦٧", "٧٤٥–١٬٠٦٨", "٧٨٫٦٪", "٨ مارس ٢٠٢٥", "أبريل ٢٠٢٥"],
        ),
    ],
    ids=["en", "fr", "ar", "ar-latin-digits", "ar-standard-months"],
)
def test_numbers_and_dates_as_readers_of_each_language_write_them(language, expected):
    with speaking(language):
        shown = [
            number(1018),
            number(17_000_000),
            number(1_900_000),
            number(1_234_567),
            span(745, 1068),
            percent(Decimal("78.6")),
            day(date(2025, 3, 8)),
            day(Month(2025, 4)),
        ]
    assert shown == expected


def test_three_millions_take_the_arabic_plural_and_the_first_of_a_month_is_1er_in_french():
    assert said(Language("ar"), number, 3_000_000) == "٣ ملايين"
    assert said(Language("fr"), number, 3_000_000) == "3 millions"
    assert said(Language("fr"), day, date(2025, 4, 1)) == "1er avril 2025"


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_qualifiers_money_and_since_are_the_catalogs_words_around_the_formatted_number(language):
    speaker = Language(language)
    translated = speaker.gettext
    with speaking(speaker):
        assert worded((16, 16), Qualifier.at_least) == translated("at least {number}").format(number=number(16))
        assert worded((50000, 50000), Qualifier.about) == translated("about {number}").format(number=number(50000))
        assert money(397_600_000, "USD") == translated("US${amount}").format(amount=number(397_600_000))
        assert since(Month(2023, 2)) == translated("since {month}").format(month=day(Month(2023, 2)))
        assert ngettext("given by {count} source", "given by {count} sources", 2) != ""
    if language != "en":  # the words are the language's, not English
        assert translated("at least {number}") != "at least {number}"


def test_the_qualifiers_read_as_each_language_says_them():
    assert said(Language("fr"), worded, (16, 16), Qualifier.at_least) == "au moins 16"
    assert said(Language("fr"), worded, (3900, 3900), Qualifier.more_than) == "plus de 3\u202f900"
    assert "١٦" in said(Language("ar"), worded, (16, 16), Qualifier.at_least)
    assert said(Language("ar"), worded, (16, 16), Qualifier.at_least) != "١٦"


# ---------------------------------------------------------------------------
# The example's three editions


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("editions")
    written, _ = build_file(EXAMPLE, folder, ("pdf", "html", "md"))
    assert {path.name for path in written} >= {
        f"{EXAMPLE.stem}{edition}.{ending}" for edition in ("", "-ar", "-fr") for ending in ("pdf", "html", "md")
    }
    return folder


def html_of(editions: Path, edition: str) -> str:
    return (editions / f"{EXAMPLE.stem}{edition}.html").read_text(encoding="utf-8")


def visible(html: str) -> str:
    body = html.split("<body", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


INTERFACE = (
    "Highlights",
    "Key figures",
    "Situation overview",
    "Casualties",
    "Services and outages",
    "Displacement",
    "Humanitarian access",
    "Reactions and statements",
    "Timeline",
    "Outlook",
    "Information gaps",
    "Sources",
    "For further information, please contact",
    "Situation Report",
    "(as of %(moment)s)",
    "Page {page} of {pages}",
    "at least {number}",
    "earlier",
    "reported",
    "Each source's numbers",
    "Figures are as reported by the sources named beside them",
)
"""English interface messages (or their first words) that a translated edition must not show."""


def english_left(text: str, language: str) -> list[str]:
    """The English interface words in ``text`` (web addresses aside) that ``language`` says otherwise."""
    text = re.sub(r"https?://\S+", " ", text)
    left = []
    for message in INTERFACE:
        english = re.split(r"\{|%\(", message)[0].strip(" (")
        if (
            english
            and english not in Language(language).gettext(message)
            and re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text)
        ):
            left.append(english)
    return left


@pytest.mark.slow
@pytest.mark.parametrize(
    "edition, language, direction", [("", "en", "ltr"), ("-ar", "ar", "rtl"), ("-fr", "fr", "ltr")]
)
def test_each_edition_declares_its_language_and_direction(editions, edition, language, direction):
    html = html_of(editions, edition)
    assert f'<html lang="{language}" dir="{direction}">' in html
    pdf = PdfReader(editions / f"{EXAMPLE.stem}{edition}.pdf")
    assert pdf.trailer["/Root"]["/Lang"] == language


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["-ar", "-fr"])
def test_no_english_interface_word_in_the_translated_editions(editions, edition):
    text = visible(html_of(editions, edition))
    assert english_left(text, edition[1:]) == []
    headings = re.findall(r"<h2>(.*?)</h2>", html_of(editions, edition))
    assert len(headings) >= 8
    if edition == "-ar":
        assert all(re.search("[\u0600-\u06ff]", heading) for heading in headings)


def struct_languages(pdf: PdfReader) -> list[str]:
    """The /Lang of every span of the PDF's structure tree."""
    found, stack = [], [pdf.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get"):
            if node.get("/S") == "/Span" and "/Lang" in node:
                found.append(str(node["/Lang"]))
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return found


@pytest.mark.slow
def test_other_scripts_carry_their_own_language_in_html_and_in_the_pdf_structure(editions):
    english, arabic = html_of(editions, ""), html_of(editions, "-ar")
    assert '<span lang="ar" dir="rtl">اللاذقية</span>' in english  # Latakia (اللاذقية)
    assert re.search(r'<span lang="en" dir="ltr">TMC24 News</span>', arabic)
    assert "ar" in struct_languages(PdfReader(editions / f"{EXAMPLE.stem}.pdf"))
    assert "en" in struct_languages(PdfReader(editions / f"{EXAMPLE.stem}-ar.pdf"))


@pytest.mark.slow
def test_the_arabic_pdf_reads_in_logical_order(editions):
    """pypdf reads the Arabic words in the order they are written; poppler (pdftotext) the numbers and dates,
    which pypdf reverses (it takes Arabic-Indic digits for right-to-left letters)."""
    path = editions / f"{EXAMPLE.stem}-ar.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    ar = Language("ar")
    for phrase in (
        "سوريا: أعمال العنف في الساحل الغربي",
        ar.gettext("Highlights"),
        ar.gettext("Key figures"),
        ar.gettext("Situation overview"),
        "خلية تحليل أزمة الساحل",
    ):
        assert phrase in text, phrase
    assert english_left(text, "ar") == []
    poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    logical = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", poppler)  # its bidi marks and spaces aside
    for phrase in ("١٬٠٦٨", "٧٤٥", "٩آذار", "٨آذار٢٠٢٥"):  # (poppler splits the lam-alef ligature: no لا here)
        assert phrase in logical, phrase


@pytest.mark.slow
def test_the_pdfs_use_only_the_bundled_fonts_and_the_arabic_chart_its_arabic_font(editions):
    path = editions / f"{EXAMPLE.stem}-ar.pdf"
    pdf = PdfReader(path)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in pdf.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts <= {"Report-Sans", "Report-Sans-Bold", "Report-Arabic", "Report-Arabic-Bold"}
    legend = Language("ar").gettext("A source's current number")
    drawn_in = []

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip() and text.strip() in legend:
            drawn_in.append(str(font["/BaseFont"]).split("+")[-1])

    for page in pdf.pages:
        page.extract_text(visitor_text=visit)
    assert drawn_in and set(drawn_in) <= {"Report-Arabic", "Report-Arabic-Bold"}


@pytest.mark.slow
def test_the_charts_in_the_pages_are_html_text_and_mirrored_right_to_left(editions):
    english, arabic = html_of(editions, ""), html_of(editions, "-ar")
    for html in (english, arabic):
        chart = html.split('class="chart-canvas"', 1)[1].split("</figure>", 1)[0]
        assert "<text" not in chart  # no SVG text: WeasyPrint would draw Arabic unjoined
        assert chart.count('class="chart-text"') > 10
    svg = (editions / f"{EXAMPLE.stem}-ar-figures.svg").read_text(encoding="utf-8")
    assert "<text" in svg  # the chart file keeps its text as SVG text
    first_label = re.search(r'<text class="label" x="([\d.]+)"[^>]*text-anchor="(\w+)"', svg)
    assert first_label.group(2) == "end" and float(first_label.group(1)) > 400  # labels on the right


@pytest.mark.slow
def test_the_arabic_markdown_renders_right_to_left_on_github(editions):
    import cmarkgfm

    markdown = (editions / f"{EXAMPLE.stem}-ar.md").read_text(encoding="utf-8")
    assert markdown.startswith('<div dir="rtl" lang="ar">\n\n')
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert rendered.startswith('<div dir="rtl" lang="ar">')
    assert "<h1>سوريا: أعمال العنف في الساحل الغربي</h1>" in rendered
    assert rendered.rstrip().endswith("</div>")


@pytest.mark.slow
def test_quotes_stay_verbatim_and_their_translation_is_marked(editions):
    english, french = html_of(editions, ""), html_of(editions, "-fr")
    quote = re.search(r"<blockquote[^>]*>(.*?)</blockquote>", english, flags=re.S).group(1)
    words = re.sub(r"<[^>]+>", "", quote).strip("“” ")[:40]
    assert words in french  # the quote as said, in the French edition too
    assert 'class="translation-mark">' + Language("fr").gettext("Translation:") in french


# ---------------------------------------------------------------------------
# A text missing in an edition's language, and numbers in prose in every language


BILINGUAL = """\
report:
  title: {en: "Syria: test", fr: "Syrie : test"}
  crisis: test-2025
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Test cell
  language: [en, fr]
sources:
  sohr: {publisher: SOHR, kind: monitor}
figures:
  killed:
    metric: killed
    key: true
    estimates:
      - {value: 1068, source: sohr, as_of: 2025-03-09}
highlights:
  - text: At least 1,068 people were killed.
    sources: [sohr]
narrative:
  overview:
    en: The toll reached 1,068 by 9 March 2025.
    fr: Le bilan a atteint 1 068 au 9 mars 2025.
"""


def test_a_text_missing_in_a_language_is_a_located_warning_and_shown_marked(tmp_path):
    path = tmp_path / "bilingual.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    checked = check_file(path)
    [missing] = [w for w in checked.warnings if w.field == "highlights[0].text"]
    assert (missing.line, missing.column, missing.severity) == (19, 11, "warning")
    assert "French (fr)" in missing.message and "`fr: ...`" in missing.message
    written, _ = build_file(path, tmp_path / "out", ("md",), Options(languages=("fr",)))
    french = (tmp_path / "out" / "bilingual-fr.md").read_text(encoding="utf-8")
    mark = Language("fr").gettext("[{language}, not translated]").format(language="anglais")
    assert mark.replace("[", "\\[").replace("]", "\\]") + " At least 1,068 people were killed." in french
    assert "Le bilan a atteint 1 068 au 9 mars 2025." in french


def test_numbers_in_prose_are_read_in_every_language():
    from sitrep.checks import run

    french = "    fr: Le bilan a atteint 1 068 au 9 mars 2025, puis 1 099."  # 1,068 is a figure's, 1,099 is not
    arabic = "    ar: بلغت الحصيلة ١٬٠٦٨ حتى ٩ آذار ٢٠٢٥ ثم ٧٧٧."  # 1,068 and a date; 777 is no figure's
    written = report_from(
        BILINGUAL.replace("    fr: Le bilan a atteint 1 068 au 9 mars 2025.", f"{french}\n{arabic}").replace(
            "language: [en, fr]", "language: [en, fr, ar]"
        )
    )

    found = {(f.loc, f.message.split(" is not")[0]) for f in run(written) if "no source backs it" in f.message}
    assert found == {
        (("narrative", "overview", "fr"), "the number 1 099"),
        (("narrative", "overview", "ar"), "the number 777"),
    }


def test_a_language_without_a_catalog_builds_with_a_warning(tmp_path):
    path = tmp_path / "spanish.yaml"
    path.write_text(
        BILINGUAL.replace("language: [en, fr]", "language: [en, es]").replace(
            'fr: "Syrie : test"', 'es: "Siria: prueba"'
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "no catalog for Spanish (es)" in result.stderr
    assert (tmp_path / "out" / "spanish-es.md").is_file()


def test_lang_builds_the_editions_asked_for_only(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "-f", "md", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{EXAMPLE.stem}-fr{ending}" for ending in ("-figures.svg", "-map.svg", "-timeline.svg", ".md")
    ]
    assert io.StringIO(result.stdout).readline() == f"wrote {tmp_path}/{EXAMPLE.stem}-fr.md\n"


def test_the_reason_a_number_was_withdrawn_is_given_in_each_language(tmp_path):
    path = tmp_path / "floods.yaml"
    path.write_text(
        """\
report:
  title: {en: "Testland: Floods", fr: "Testland : inondations"}
  crisis: testland-floods-2025
  country: SYR
  language: [en, fr]
  number: 1
  as_of: 2025-03-11 18:00 +03:00
  period: {from: 2025-03-09, to: 2025-03-11}
  produced_by: Cell
sources:
  a: {publisher: Source A, short: A, kind: un}
figures:
  killed:
    metric: killed
    estimates:
      - {value: 800, source: a, as_of: 2025-03-07}
      - {value: 900, source: a, as_of: 2025-03-08, withdrawn: {en: counted twice, fr: compté deux fois}}
narrative:
  overview: {en: Floods., fr: Inondations.}
""",
        encoding="utf-8",
    )
    assert check_file(path).warnings == []
    written, _ = build_file(path, tmp_path, ("md",))
    english, french = (p.read_text(encoding="utf-8") for p in written if p.suffix == ".md")
    assert "withdrawn: counted twice" in english and "compté deux fois" not in english
    assert "retiré\u00a0: compté deux fois" in french and "counted twice" not in french


def test_an_unchanged_number_reads_in_french_with_a_month_as_well_as_with_a_day(tmp_path):
    """'du 17 février 2023 au février 2023' is not French: the two dates follow one another, a month as a day."""
    quake = Path(__file__).resolve().parents[1] / "inputs" / "syria-earthquake-2023-03-08.yaml"
    written, _ = build_file(quake, tmp_path, ("md",), Options(languages=("fr",)))
    markdown = written[0].read_text(encoding="utf-8")
    assert "inchangé (au moins 55), 17 février 2023 [1, 28] puis février 2023 [1, 16]" in markdown
    assert " au février" not in markdown


@pytest.mark.parametrize(
    ("text", "language", "numbers"),
    [
        ("Some 3,800, the ministry said, fled; another 650, mostly children.", "en", {3800, 650}),
        ("Au moins 1 500, selon le ministère, ont fui.", "fr", {1500}),
        ("_3,700_ homes and **4,100** shelters", "en", {3700, 4100}),
        ("About 12 thousand people", "en", {12_000}),
        ("و٤٥٠ جريحاً و١٢ ألف شخص", "ar", {450, 12_000}),
        ("An estimated 40 may have died; 25 Marines were sent.", "en", {40, 25}),
        # not counts: dates as written, times, names with numbers, resolutions, telephone numbers
        ("On 8 May 2025, about 11-12 February and 2025-03-08 at 18:00", "en", set()),
        ("COVID-19, resolution 2672, (القرار ٢٦٧٢), call +41 22 917 1234", "en", set()),
    ],
)
def test_numbers_in_prose_are_read_as_written(text, language, numbers):
    from sitrep.checks import numbers_in

    assert {int(value) for _kind, _written, value in numbers_in(text, language)} == numbers


def test_every_text_an_analyst_writes_is_read_for_numbers_but_quotes_and_withdrawn_numbers_back_nothing():
    from sitrep.checks import run

    report = report_from(
        """\
report:
  title: "Testland: Floods"
  crisis: testland-floods
  country: SYR
  number: 1
  as_of: 2025-03-09 18:00 +03:00
  period: {from: 2025-03-06, to: 2025-03-09}
  produced_by: Cell
sources:
  a: {publisher: Source A, short: A, kind: un}
figures:
  killed:
    metric: killed
    estimates:
      - {value: 12, source: a, as_of: 2025-03-08}
      - {value: 900, source: a, as_of: 2025-03-07, withdrawn: counted twice}
services:
  - {sector: water, status: cut, text: Water is cut for 350 families., sources: [a]}
displacement:
  - {text: About 75 families fled to the hills., sources: [a]}
gaps:
  - {text: Reports of 23 missing cannot be checked., why: Nobody has counted them.}
statements:
  - {speaker: A minister, summary: Said 80 homes were destroyed., source: a}
  - {speaker: A mayor, quote: "We counted 44 boats.", source: a}
narrative:
  overview: At least 900 people were killed, and 12 more.
"""
    )
    found = {f.loc for f in run(report) if "no source backs it" in f.message}
    assert found == {
        ("narrative", "overview"),  # 900 was withdrawn
        ("services", 0, "text"),
        ("displacement", 0, "text"),
        ("gaps", 0, "text"),
        ("statements", 0, "summary"),
    }

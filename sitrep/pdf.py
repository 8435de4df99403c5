"""HTML to PDF with WeasyPrint, confined to the template folders and strict about errors.

WeasyPrint is imported here only, and only when a PDF is asked for, so that validation
and Markdown output never pay for loading it. The URL fetcher reads only files that
really lie (after resolving symlinks) inside the template folders: no network, no
``file://`` elsewhere, no ``data:``. Any ERROR WeasyPrint logs (a missing stylesheet,
an unreadable image, a refused URL) fails the build instead of producing a PDF with
something silently missing. PDF metadata (title, author, subject, keywords, dates)
comes from the HTML ``<head>``, whose dates are the report's as-of, so the same input
gives the same bytes. Every PDF is tagged for screen readers and, unless asked for PDF/UA-1
alone, is both PDF/A-3b and PDF/UA-1: the structure and metadata WeasyPrint leaves short of
those standards are completed here (``_tag_structure``, ``_finisher``).
"""

from __future__ import annotations

import atexit
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError, shortened


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


MAX_FETCHES = 50
"""How many times one PDF may read the same file of the template folders (a style sheet imported by several)."""


def confined_fetcher(folders: list[Path]):
    """A WeasyPrint URL fetcher that serves files from ``folders`` only, searched in order.

    A relative link in the HTML resolves against the first folder; the same relative
    path is then looked up in each folder in turn, so a user's folder can override a
    built-in stylesheet or font by name. Any refusal stops the rendering.
    """
    from weasyprint.urls import URLFetcher

    roots = [folder.resolve() for folder in folders]
    fetched: dict[Path, int] = {}

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refused to fetch {url!r}: only files in the template folders may be read")
            wanted = Path(unquote(parts.path)).resolve()
            relative = next((wanted.relative_to(root) for root in roots if wanted.is_relative_to(root)), None)
            if relative is None:
                raise ValueError(f"refused to read {wanted}: it is outside the template folders")
            for root in roots:
                candidate = (root / relative).resolve()
                if candidate.is_relative_to(root) and candidate.is_file():
                    fetched[candidate] = fetched.get(candidate, 0) + 1
                    if fetched[candidate] > MAX_FETCHES:  # WeasyPrint follows an @import loop until Python's stack ends
                        raise ValueError(
                            f"{candidate} is read over and over: a style sheet that imports itself, directly or "
                            "through another; remove the @import that leads back to it"
                        )
                    return super().fetch(candidate.as_uri(), headers)
            raise ValueError(f"{relative} is not in the template folders")

    return ConfinedFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def _tag_structure() -> None:
    """Complete the PDF's structure tree where WeasyPrint leaves what PDF/UA asks for to the HTML:

    - page margins (the running header, the page numbers) and what the HTML hides from assistive technology
      (``aria-hidden``: the labels laid over a chart, which its alternative text states) become artifacts,
      still printed and searchable but not read aloud (WeasyPrint leaves margins tagged outside the tree,
      https://github.com/Kozea/WeasyPrint/issues/1836);
    - a span names its language (``<span lang="ar">``), so that a screen reader switches voice;
    - a table header says whether it heads a column or a row (``/Scope``), read as WeasyPrint reads it
      when it links cells to headers: a row header only with ``scope="row"``;
    - a link is described by its accessible name (``aria-label``, else its text) rather than by its target,
      and a box inside a link adds no second annotation (https://github.com/Kozea/WeasyPrint/issues/185);
    - a figure's alternative text is its ``aria-label`` when it has one (a chart's description, which
      states its figures), as in HTML, rather than its title.

    WeasyPrint builds the tree in ``weasyprint.pdf.tags._build_box_tree``, one element per box,
    recursively through the module's name; wrapped once per process, the wrapper sees every box and
    element. If a WeasyPrint release moves it, the PDF loses these (and sitrep's tests say so).
    """
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "sitrep_structure", False):
        return

    def completed(box, parent, pdf, page_number, nums, annotations, marked, *args, **kwargs):
        import pydyf

        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        html = real.element if real.element is not None and real.element_tag else None
        if isinstance(real, MarginBox) or (html is not None and html.get("aria-hidden") == "true"):
            _make_artifact(real, pdf, page_number, nums, marked)
            return
        if real.link_annotation is not None and parent.get("S") == "/Link":
            _page(pdf, page_number)["Annots"].remove(real.link_annotation.reference)
            real.link_annotation = None
        elif real.link_annotation is not None and html is not None:
            name = html.get("aria-label") or " ".join("".join(html.itertext()).split())
            if name:
                real.link_annotation["Contents"] = pydyf.String(name)
        for element in build(box, parent, pdf, page_number, nums, annotations, marked, *args, **kwargs):
            kind = element.get("S")
            if html is not None and kind == "/Span" and html.get("lang") and real.element_tag == "span":
                element["Lang"] = pydyf.String(html.get("lang"))
            elif html is not None and kind == "/TH":
                element["A"]["Scope"] = "/Row" if html.get("scope") in ("row", "rowgroup") else "/Column"
            elif html is not None and kind == "/Figure" and html.get("aria-label"):
                element["Alt"] = pydyf.String(html.get("aria-label"))
            yield element

    completed.sitrep_structure = True  # type: ignore[attr-defined]
    tags._build_box_tree = completed


def _pages_listed_once() -> None:
    """Make WeasyPrint's tagging linear in the document's size.

    pydyf's ``PDF.page_references`` is a property that builds a new tuple of every page's reference at
    each access, and WeasyPrint's tagging (``weasyprint.pdf.add_tags``) reads it for every element it
    tags: O(elements × pages), 59 s of 248 s for an 806-page report. While WeasyPrint tags, no page is
    added, so the tuple is made once for the duration of ``add_tags`` and read from there (the same
    references, so the same bytes). No upstream report of this was found (pydyf and WeasyPrint issues,
    November 2026). tests/test_perf_invariants.py fails when pydyf stops rebuilding the tuple or renames
    it, or WeasyPrint stops tagging through ``add_tags``: this workaround should then be removed.
    """
    import functools
    import inspect

    import pydyf
    from weasyprint import pdf as writer

    add_tags = getattr(writer, "add_tags", None)
    rebuilt = inspect.getattr_static(pydyf.PDF, "page_references", None)
    if add_tags is None or not isinstance(rebuilt, property) or hasattr(add_tags, "__wrapped__"):
        return

    @functools.wraps(rebuilt.fget)
    def page_references(self):
        return self.__dict__.get("listed_pages") or rebuilt.fget(self)

    @functools.wraps(add_tags)
    def tagged(pdf, *args, **kwargs):
        pdf.listed_pages = rebuilt.fget(pdf)
        try:
            return add_tags(pdf, *args, **kwargs)
        finally:
            del pdf.listed_pages

    pydyf.PDF.page_references = property(page_references)
    writer.add_tags = tagged


def _page(pdf, page_number: int):
    return pdf.objects[int(pdf.page_references[page_number].split()[0])]


def _make_artifact(box, pdf, page_number: int, nums: dict, marked: dict) -> None:
    """Turn the marked content of ``box`` and its descendants into artifacts: in the page's content stream,
    ``/Span <</MCID n>> BDC`` becomes ``/Artifact <<...>> BDC``, and the structure's map from marked content
    to elements holds null for ``n`` (the map is an array indexed by MCID)."""
    import pydyf

    def descendants(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from descendants(child._box if hasattr(child, "_box") else child)

    mcids = {marked.pop(each)["mcid"] for each in descendants(box) if each in marked}
    if not mcids:
        return
    properties = {}
    if getattr(box, "at_keyword", "").startswith(("@top", "@bottom")):
        properties = {"Type": "/Pagination", "Subtype": "/Header" if box.at_keyword.startswith("@top") else "/Footer"}
    contents = int(_page(pdf, page_number)["Contents"].split()[0])
    stream = pdf.objects[contents].stream
    # Where each marked content opens in the page's stream, found once per page (the streams are complete
    # while WeasyPrint tags): a page's header, footer and chart labels each need some of them.
    opened = pdf.__dict__.setdefault("marked_content", {})
    if contents not in opened:
        opened[contents] = {}
        for index, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and "MCID" in item:
                opened[contents].setdefault(item["MCID"], []).append(index)
    for mcid in mcids:
        for index in opened[contents].get(mcid, ()):
            if "MCID" not in stream[index]:  # made an artifact already
                continue
            stream[index - 1] = "/Artifact"
            stream[index].clear()
            stream[index].update(properties)
        nums[mcid] = "null"


FONTS = "fonts.css"
"""The style sheet of the fonts a PDF embeds, looked up in the template folders like any other file."""


PDF_UA_IN_PDF_A = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>"""
"""The PDF/UA-1 identification in the XMP of a PDF/A file, with the extension schema PDF/A asks for any
property outside its predefined schemas."""


class TooManyPages(BuildError):
    """The document needs more pages than the product allows."""

    def __init__(self, pages: int, limit: int) -> None:
        self.pages, self.limit = pages, limit
        super().__init__(f"it runs to {pages} pages, more than the {limit} allowed")


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF: the source YAML, for provenance."""

    name: str
    data: bytes
    description: str
    mime_type: str = "application/yaml"


def _finisher(attachments: tuple[Attachment, ...], archival: bool):
    """What WeasyPrint's PDF lacks, set on its objects before they are written: each attachment once in the
    catalog's /AF (https://github.com/Kozea/WeasyPrint/issues/2917) and with its MIME type (WeasyPrint guesses
    one from the name, and knows none for .yaml); the XMP metadata uncompressed, as PDF/A-2 and later
    require and so that any tool can read it; and in an ``archival`` (PDF/A) file, the PDF/UA-1 claim."""
    mime_types = {a.name: a.mime_type for a in attachments}

    def finish(document, pdf) -> None:
        if "AF" in pdf.catalog:
            pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))
        for thing in pdf.objects:
            if isinstance(thing, dict) and thing.get("Type") == "/Filespec" and thing["UF"].string in mime_types:
                embedded = pdf.objects[int(thing["EF"]["F"].split()[0])]
                embedded.extra["Subtype"] = "/" + mime_types[thing["UF"].string].replace("/", "#2F")
        metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
        metadata.compress = False
        if archival:
            metadata.stream[:] = [b"".join(metadata.stream).replace(b"</rdf:RDF>", PDF_UA_IN_PDF_A + b"</rdf:RDF>")]
        for thing in pdf.objects:
            if isinstance(thing, pydyf.Stream) and thing.compress:
                compressed(thing)

    import pydyf

    return finish


def compressed(stream) -> None:
    """Compress a pydyf ``stream`` now, as pydyf would when writing it, but never so that its data ends in a
    carriage return: pydyf writes a line feed before ``endstream``, and a validator (veraPDF's rule 6.1.7.1,
    the ``page`` validator) then reads CR LF as the end-of-line marker and counts the stream one byte short of
    its /Length. Compressed data ends in the checksum of what it holds, so such an ending (one stream in 256,
    by chance) cannot be compressed away: that stream is written uncompressed instead, unless it too ends so."""
    import zlib

    from pydyf import _to_bytes

    data = b"\n".join(_to_bytes(item) for item in stream.stream)
    packed = zlib.compress(data, level=9)
    if packed.endswith(b"\r") and not data.endswith(b"\r"):
        stream.stream[:] = [data]
    else:
        stream.stream[:] = [packed]
        stream.extra["Filter"] = "/FlateDecode"
    stream.compress = False


_FONTS: dict[tuple, tuple] = {}
"""The font configuration and the fonts' faces of the last PDF, by the state of its template folders."""


def _fonts(folders: list[Path], base: str, fetcher, collect: _Collect) -> tuple:
    """WeasyPrint's font configuration and the faces of the fonts a PDF embeds, made once for every PDF a
    process writes (a batch's worker, `watch`, `serve`) while no file of the template folders changes.

    Loading the system's fonts and registering the shipped ones costs about a sixth of a PDF; the PDF's bytes
    are the same. The fonts are those of ``fonts.css`` (shipped with sitrep, or a user's of the same name), for
    the PDF only: the HTML file fetches nothing. Faces whose loading logged an error are not kept, so that
    every build reports it.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    key = (
        (base, *folders),
        tuple(
            (path, status.st_mtime_ns, status.st_size)
            for folder in folders
            for path in sorted(folder.rglob("*"))
            if (status := path.stat()) and path.is_file()
        ),
    )
    if key not in _FONTS:
        fonts = FontConfiguration()
        has_faces = any((folder / FONTS).is_file() for folder in folders)
        faces = [CSS(url=base + FONTS, url_fetcher=fetcher, font_config=fonts)] if has_faces else []
        if collect.messages:
            return fonts, faces
        if not _FONTS:  # let go of it before Python's exit tears modules down, so that it removes its folder
            atexit.register(_FONTS.clear)
        _FONTS.clear()
        _FONTS[key] = fonts, faces
    return _FONTS[key]


BREAK_ANYWHERE = "* { overflow-wrap: anywhere !important; }"
"""The rule a PDF is laid out again with when some of its text would run off a page (a word longer than its table
cell or column: a pasted address, a name with no spaces), so that the long word breaks where it must. Only
then: words breakable anywhere change how tables share out their width, so a short name could break where
the layout had room for it. (A rule given to WeasyPrint apart from the page's stylesheets is a user's rule,
which an author's rule overrides unless it is important.)"""


def off_the_page(document) -> list[tuple[int, str]]:
    """The text WeasyPrint laid out wholly or partly beyond the edges of its page, as (page number, text):
    a reader of the PDF would not see it. Half a point of slack for rounding."""
    from weasyprint.formatting_structure.boxes import TextBox

    lost = []
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            if isinstance(box, TextBox) and (
                min(box.position_x, box.position_y) < -0.5
                or box.position_x + box.width > page.width + 0.5
                or box.position_y + box.height > page.height + 0.5
            ):
                lost.append((number, box.text))
    return lost


def _all_on_the_page(document) -> None:
    lost = off_the_page(document)
    if lost:
        pieces = "; ".join(f"'{shortened(text.strip())}' (page {page})" for page, text in lost[:3])
        more = f" and {len(lost) - 3} more pieces of text" if len(lost) > 3 else ""
        raise BuildError(
            f"text would run off the pages of the PDF, where readers would not see it: {pieces}{more}; shorten "
            "the text it comes from, or give it spaces where it may break"
        )


def html_to_pdf(
    html: str,
    folders: list[Path],
    moment: datetime | None = None,
    *,
    variant: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    max_pages: int | None = None,
) -> bytes:
    """Render ``html`` (whose relative links point into ``folders``) to PDF bytes.

    ``moment`` (the report's as-of) stamps the embedded font subsets and attachments,
    which otherwise carry the time of the build and make every PDF different.
    """
    from weasyprint import CSS, HTML
    from weasyprint import Attachment as PDFAttachment
    from weasyprint.urls import FatalURLFetchingError

    _tag_structure()
    _pages_listed_once()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if moment is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))  # read by fontTools when it subsets
    try:
        archival = variant != "pdf/ua-1"  # PDF/A-3b, which WeasyPrint declares, and PDF/UA-1, which _finisher does
        options = {"pdf_variant": "pdf/a-3b" if archival else variant, "pdf_tags": True}
        base, fetcher = folders[0].resolve().as_uri() + "/", confined_fetcher(folders)
        fonts, faces = _fonts(folders, base, fetcher, collect)
        render = HTML(string=html, base_url=base, url_fetcher=fetcher).render
        document = render(stylesheets=faces, font_config=fonts, **options)
        if off_the_page(document):  # a word too long for its table cell or column: break words where they must
            document = render(stylesheets=[*faces, CSS(string=BREAK_ANYWHERE)], font_config=fonts, **options)
            _all_on_the_page(document)
        if max_pages is not None and len(document.pages) > max_pages:
            raise TooManyPages(len(document.pages), max_pages)
        stamp = moment.astimezone(UTC) if moment is not None else None  # WeasyPrint writes it as UTC
        embedded = [
            PDFAttachment(
                string=a.data,
                name=a.name,
                description=a.description,
                relationship="Source",
                created=stamp,
                modified=stamp,
            )
            for a in attachments
        ]
        pdf = document.write_pdf(attachments=embedded or None, finisher=_finisher(attachments, archival), **options)
    except FatalURLFetchingError as error:
        raise BuildError(f"PDF rendering failed: {error.__cause__ or error}") from None
    finally:
        logger.removeHandler(collect)
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
    if collect.messages:
        raise BuildError("PDF rendering failed: " + "; ".join(collect.messages))
    return pdf

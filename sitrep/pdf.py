"""HTML to PDF with WeasyPrint, confined to the template folders and strict about errors.

WeasyPrint is imported here only, and only when a PDF is asked for, so that validation
and Markdown output never pay for loading it. The URL fetcher reads only files that
really lie (after resolving symlinks) inside the template folders: no network, no
``file://`` elsewhere, no ``data:``. Any ERROR WeasyPrint logs (a missing stylesheet,
an unreadable image, a refused URL) fails the build instead of producing a PDF with
something silently missing. PDF metadata (title, author, subject, keywords, dates)
comes from the HTML ``<head>``, whose dates are the report's as-of, so the same input
gives the same bytes.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def confined_fetcher(folders: list[Path]):
    """A WeasyPrint URL fetcher that serves files from ``folders`` only, searched in order.

    A relative link in the HTML resolves against the first folder; the same relative
    path is then looked up in each folder in turn, so a user's folder can override a
    built-in stylesheet or font by name. Any refusal stops the rendering.
    """
    from weasyprint.urls import URLFetcher

    roots = [folder.resolve() for folder in folders]

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
                    return super().fetch(candidate.as_uri(), headers)
            raise ValueError(f"{relative} is not in the template folders")

    return ConfinedFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def _tag_languages() -> None:
    """Give each tagged span of the PDF's structure the language its HTML names (``<span lang="ar">``), so that
    screen readers switch voice for an Arabic name in an English report; WeasyPrint writes only the document's.

    WeasyPrint builds the structure tree in ``weasyprint.pdf.tags._build_box_tree``, one element per box,
    recursively through the module's name; wrapped once per process, the wrapper sees every element. If a
    WeasyPrint release moves it, the PDF keeps the document's language only (and sitrep's tests say so).
    """
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "sitrep_languages", False):
        return

    def with_languages(box, parent, pdf, *args, **kwargs):
        for element in build(box, parent, pdf, *args, **kwargs):
            language = box.element.get("lang") if box.element is not None and box.element_tag == "span" else None
            if language and element.get("S") == "/Span":
                import pydyf

                element["Lang"] = pydyf.String(language)
            yield element

    with_languages.sitrep_languages = True  # type: ignore[attr-defined]
    tags._build_box_tree = with_languages


FONTS = "fonts.css"
"""The style sheet of the fonts a PDF embeds, looked up in the template folders like any other file."""


VARIANTS = ("pdf/a-3b", "pdf/ua-1")
"""PDF variants a build can ask for: archival PDF/A-3b (with the source YAML attached) and
accessible PDF/UA-1. Every PDF is tagged (structure for screen readers) in any case."""


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


def html_to_pdf(html: str, folders: list[Path], moment: datetime | None = None, *, variant: str | None = None,
                attachments: tuple[Attachment, ...] = (), max_pages: int | None = None) -> bytes:
    """Render ``html`` (whose relative links point into ``folders``) to PDF bytes.

    ``moment`` (the report's as-of) stamps the embedded font subsets and attachments,
    which otherwise carry the time of the build and make every PDF different.
    """
    from weasyprint import CSS, HTML
    from weasyprint import Attachment as PDFAttachment
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    _tag_languages()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if moment is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))  # read by fontTools when it subsets
    try:
        options = {"pdf_variant": variant, "pdf_tags": True}
        base, fetcher, fonts = folders[0].resolve().as_uri() + "/", confined_fetcher(folders), FontConfiguration()
        # The fonts shipped with sitrep (or a user's fonts.css of the same name), for the PDF only: the HTML
        # file fetches nothing. The built-in folder, always among a build's folders, has them.
        faces = ([CSS(url=base + FONTS, url_fetcher=fetcher, font_config=fonts)]
                 if any((folder / FONTS).is_file() for folder in folders) else [])
        document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(stylesheets=faces, font_config=fonts,
                                                                                **options)
        if max_pages is not None and len(document.pages) > max_pages:
            raise TooManyPages(len(document.pages), max_pages)
        embedded = [PDFAttachment(string=a.data, name=a.name, description=a.description, relationship="Source",
                                  created=moment, modified=moment) for a in attachments]
        pdf = document.write_pdf(attachments=embedded or None, **options)
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

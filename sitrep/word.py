"""The report as a Word document, laid out from the view like the HTML and built to be restyled.

Many organisations finish a report in their own Word template, so the document carries its look in Word's
built-in styles only (Title, Subtitle, Heading 1 and 2, List Bullet, Quote, Caption, Table Grid): attaching
a template restyles all of it, and a ``reference.docx`` in a template folder gives the document that file's
styles, page and headers from the start. The rest is what the other outputs show, from the same view:
real tables whose columns are sized for what they hold, each number of a source on its own line, the source
numbers ``[1, 2]`` of the PDF (linked to the source list), the charts as pictures with the chart's own
description as their alternative text, and the document's properties (title, author, as-of date, language,
keywords). A right-to-left edition has right-to-left paragraphs, tables and section, and every run of
Arabic text is marked as such in any edition. The same view gives the same bytes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, BadZipFile, ZipFile, ZipInfo

from .citations import Citation, Sentence
from .errors import BuildError
from .figure_view import ClaimView, FigureView, FundingView, SeriesView
from .language import ARABIC_LETTERS, _, current
from .scripts import ARABIC_RUN, LATIN_RUN
from .view import ChartView, EntryView, ListedSource, ReportView

REFERENCE = "reference.docx"
"""The file in a template folder whose styles, page set-up, headers and footers the document takes."""

TEXT_WIDTH_CM = 17.0
"""The width between the margins of the built-in page: A4 with 2 cm margins."""

FIGURE_COLUMNS = (0.25, 0.16, 0.16, 0.43)
"""Shares of the text width: figure, location, number, each source's numbers (the longest)."""
KEY_COLUMNS = (0.3, 0.2, 0.5)
"""Figure, number, sources."""
AMOUNT_COLUMNS = (0.2, 0.25, 0.55)
"""Amount, number, each source's amounts."""
TIMELINE_COLUMNS = (0.09, 0.16, 0.55, 0.2)
"""No. (wide enough for the Arabic word for it), date, event, where."""
SOURCE_COLUMNS = (0.09, 0.53, 0.15, 0.23)
"""No., source, kind, reliability."""

CHART_DPI = 200
"""Charts are drawn at this resolution: sharp when printed at their width."""

LATIN_FONT, ARABIC_FONT = "Noto Sans", "Noto Sans Arabic"
"""The shipped fonts the charts are drawn with."""


def report_docx(view: ReportView, product: str, folders: list[Path], latin_language: str = "en") -> bytes:
    """The Word document of ``product`` ('sitrep', 'flash' or 'brief') laid out from ``view``, with the styles
    of the first ``reference.docx`` in ``folders``, if any; ``latin_language``: the language of Latin-script
    text in a right-to-left edition."""
    import docx  # only Word output needs it
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    reference = next((folder / REFERENCE for folder in folders if (folder / REFERENCE).is_file()), None)
    try:
        document = docx.Document(str(reference) if reference else None)
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError) as error:
        raise BuildError(
            f"{reference}: not a Word document that can be read ({error}): save the organisation's "
            "template in Word as a Word Document (.docx) under that name"
        ) from None
    body = document.element.body
    for child in list(body):  # the template's own text, if any, is not the report's
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    relations = document.part.package.rels
    for key, relation in list(relations.items()):  # nor is the picture of its first page
        if relation.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            relations.pop(key)
    writer = _Writer(document, view, latin_language, reference)
    {"sitrep": writer.sitrep, "flash": writer.flash, "brief": writer.brief}[product]()
    buffer = BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue(), view.as_of_day.timetuple()[:6])


def _reproducible(package: bytes, when: tuple[int, ...]) -> bytes:
    """The same package with every part dated ``when`` (python-docx dates them with the clock)."""
    out = BytesIO()
    with ZipFile(BytesIO(package)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = ZipInfo(info.filename, date_time=when)  # type: ignore[arg-type]
            fixed.compress_type = ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _digits(number: int) -> str:
    return current().shown(str(number))


class _Writer:
    """Lays the view out in one document; one per build."""

    def __init__(self, document, view: ReportView, latin_language: str, reference: Path | None) -> None:
        from docx.shared import Cm

        self.document = document
        self.view = view
        self.rtl = view.direction == "rtl"
        self.reference = reference
        self.bookmarks = 0
        self._properties(latin_language)
        if reference is None:
            from docx.shared import Pt

            document.styles["Table Grid"].font.size = Pt(9)
            section = document.sections[0]
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
            self._page_furniture(section)
        if self.rtl:
            for section in document.sections:
                _append_once(section._sectPr, "w:bidi", before=("w:rtlGutter", "w:docGrid", "w:printerSettings"))

    def _page_furniture(self, section) -> None:
        """As the PDF's pages: the report's title and edition at the head of every page but the first, and each
        page numbered 'Page 2 of 9' at its foot."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section.different_first_page_header_footer = True
        header = self._bidi_if_rtl(section.header.paragraphs[0])
        self._text(header, f"{self.view.heading} — {self.view.edition}")
        for footer in (section.footer, section.first_page_footer):
            line = self._bidi_if_rtl(footer.paragraphs[0])
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for index, part in enumerate(re.split(r"\{(page|pages)\}", _("Page {page} of {pages}"))):
                if index % 2:
                    self._field(line, "PAGE" if part == "page" else "NUMPAGES")
                elif part:
                    self._text(line, part)

    def _field(self, paragraph, instruction: str) -> None:
        """A field Word fills in as it lays the pages out: the page's number, or the number of pages."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        start = len(paragraph._p.r_lst)
        self._text(paragraph, "1")
        for run in paragraph.runs[start:]:
            field.append(run._r)
        paragraph._p.append(field)

    def _bidi_if_rtl(self, paragraph):
        if self.rtl:
            _bidi(paragraph)
        return paragraph

    # -- the products

    def sitrep(self) -> None:
        view = self.view
        self._masthead()
        self._production()
        self._highlights(_("Highlights"))
        self._key_figures(history=True)
        self._heading(_("Situation overview"))
        self._narrative(view.overview)
        self._chart(view.locator_map, view.map_disclaimer)
        if view.previous_edition:
            self._changes()
        self._chart(view.figures_chart)
        self._chart(view.areas_map, view.map_disclaimer)
        self._measures()
        tables = (
            (
                _("Casualties"),
                view.casualties,
                _(
                    "People killed, injured, missing and detained, by group and "
                    "location: each source's current number, then its earlier ones."
                ),
            ),
            (
                _("Damage"),
                view.damage,
                _(
                    "Buildings, homes, schools, health facilities and other "
                    "infrastructure damaged or destroyed: each source's current number, then its earlier ones."
                ),
            ),
            (
                _("Other figures"),
                view.other_figures,
                _("Other counted figures: each source's current number, then its earlier ones."),
            ),
        )
        for title, figures, caption in tables:
            if figures:
                self._heading(title)
                self._figure_table(title, figures, caption)
        self._heading(_("Services and outages"))
        self._entries(view.services, _("No information on basic services in this period."))
        self._heading(_("Displacement"))
        if view.displacement_figures:
            self._figure_table(
                _("Displacement"),
                view.displacement_figures,
                _("People displaced: each source's current number, then its earlier ones."),
            )
        self._entries(
            view.displacement,
            None if view.displacement_figures else _("No information on displacement in this period."),
        )
        self._heading(_("Humanitarian access"))
        self._entries(view.access, _("No access constraints reported in this period."))
        self._response()
        self._funding()
        self._statements()
        self._timeline()
        if view.outlook:
            self._heading(_("Outlook"))
            self._narrative(view.outlook)
        if view.gaps:
            self._heading(_("Information gaps"))
            self._gaps()
        self._heading(_("Sources"))
        self._source_list(view.sources, full=True)
        self._caveat()
        self._contacts()

    def flash(self) -> None:
        view = self.view
        self._masthead()
        self._production()
        self._highlights(_("Highlights"))
        self._chart(view.locator_map, view.map_disclaimer)
        self._key_figures(history=False)
        self._heading(_("Situation overview"))
        self._narrative(view.overview)
        self._heading(_("Sources"))
        self._source_list(view.summary_sources, full=False)
        self._caveat()

    def brief(self) -> None:
        view = self.view
        self._masthead()
        self._production()
        self._highlights(_("Key findings"))
        self._chart(view.locator_map, view.map_disclaimer)
        self._chart(view.figures_chart)
        self._chart(view.areas_map, view.map_disclaimer)
        self._heading(_("Crisis overview"))
        self._narrative(view.overview)
        self._measures()
        if view.impact:
            self._heading(_("Crisis impact"))
            for sector in view.impact:
                self._heading(sector.title, 2)
                if sector.figures:
                    self._figure_table(sector.title, sector.figures)
                self._entries(sector.entries)
        self._response()
        self._funding()
        self._heading(_("Humanitarian constraints"))
        self._entries(view.access, _("No constraints on humanitarian access reported in this period."))
        if view.outlook:
            self._heading(_("Outlook"))
            self._narrative(view.outlook)
        self._heading(_("Information gaps and limitations"))
        self._gaps()
        self._heading(_("Limitations of the data"), 2)
        for line in view.limitations:
            self._text(self._paragraph("List Bullet"), line)
        self._heading(_("Sources and their reliability"))
        self._source_table()
        self._caveat()

    # -- parts shared by the products

    def _masthead(self) -> None:
        self._text(self._paragraph("Title"), self.view.heading)
        subtitle = self._paragraph("Subtitle")
        self._text(subtitle, self.view.edition + " ", bold=True)
        self._text(subtitle, _("(as of %(moment)s)") % dict(moment=self.view.as_of))

    def _production(self) -> None:
        self._text(self._paragraph(), self.view.production)

    def _highlights(self, title: str) -> None:
        self._heading(title)
        if not self.view.highlights:
            self._text(self._paragraph(), _("No highlights given."), italic=True)
        for highlight in self.view.highlights:
            item = self._paragraph("List Bullet")
            self._text(item, highlight.text)
            self._notes(item, highlight.citation.notes)

    def _key_figures(self, history: bool) -> None:
        view = self.view
        if not (view.key_figures or view.key_funding):
            return
        self._heading(_("Key figures"))
        table = self._table(_("Key figures"), (_("Figure"), _("Number"), _("Sources")), KEY_COLUMNS)
        for figure in view.key_figures:
            title, number, sources = self._row(table)
            self._text(self._line(title), figure.title, bold=True)
            self._numbers(number, figure, key=True)
            if figure.headline and figure.headline.described:
                self._text(self._line(sources), figure.headline.described, italic=True)
            for series in figure.series:
                self._readings(sources, series)
                if history and figure.one_source and series.history:
                    self._history(sources, series)
            for sentence in (*figure.notes, *figure.trends):
                self._say(self._line(sources), sentence)
        for funding in view.key_funding:
            self._key_funding(table, funding, history)

    def _key_funding(self, table, funding: FundingView, history: bool) -> None:
        title, number, sources = self._row(table)
        self._text(self._line(title), funding.title, bold=True)
        for amount in funding.amounts:
            line = self._line(number)
            self._text(line, amount.title + _(": "))
            self._amount_numbers(line, amount)
            self._text(
                self._line(sources),
                amount.title + (_(": ") + amount.headline.number if amount.headline else ""),
                italic=True,
            )
            for series in amount.series:
                self._readings(sources, series)
                if history and series.history:
                    self._history(sources, series)
        for sentence in (*funding.coverage, *funding.trends):
            self._say(self._line(sources), sentence)

    def _readings(self, cell, series: SeriesView) -> None:
        """A source's current numbers in the key figures, each on its line; the number is left out where it
        is the figure's headline."""
        for claim in series.current:
            line = self._line(cell)
            if not series.leads:
                self._text(line, claim.labelled, bold=True)
                self._text(line, _(": "))
            self._citations(line, claim.citations)

    def _amount_numbers(self, paragraph, amount) -> None:
        if amount.headline:
            self._text(paragraph, amount.headline.number, bold=True)
            return
        claims = [(series, claim) for series in amount.series for claim in series.current]
        for index, (series, claim) in enumerate(claims):
            self._text(paragraph, claim.number, bold=True)
            self._text(paragraph, f" ({series.source})" + (_(", ") if index < len(claims) - 1 else ""))

    def _history(self, cell, series: SeriesView) -> None:
        """One source's earlier numbers, oldest first, on a line of their own: its history, never a range."""
        self._say(self._line(cell), series.earlier, italic=True)

    def _numbers(self, cell, figure: FigureView, key: bool = False) -> None:
        """A table's number column: the headline, or else each source's current number, each on its line."""
        for line in figure.numbers:
            paragraph = self._line(cell)
            self._text(paragraph, line.number, bold=True)
            if line.caption and not (key and figure.headline):
                paragraph.add_run().add_break()
                self._text(paragraph, line.caption, italic=True)

    def _figure_table(self, title: str, figures: tuple[FigureView, ...], caption: str | None = None) -> None:
        from docx.shared import Cm

        if caption:
            self._text(self._paragraph("Caption"), caption)
        table = self._table(
            title, (_("Figure"), _("Location"), _("Number"), _("Each source's numbers")), FIGURE_COLUMNS
        )
        for figure in figures:
            what, where, number, estimates = self._row(table)
            label = self._line(what)
            label.paragraph_format.left_indent = Cm(0.4 * figure.depth) if figure.depth else None
            self._text(label, figure.label, bold=not figure.depth)
            if figure.parent:
                self._text(self._line(what), _("part of: %(figure)s") % dict(figure=figure.parent), italic=True)
            for sentence in figure.notes:
                self._say(self._line(what), sentence)
            self._text(self._line(where), figure.location or _("All areas"))
            self._numbers(number, figure)
            self._estimates(estimates, figure.series)

    def _estimates(self, cell, series: tuple[SeriesView, ...]) -> None:
        """A table's "each source's numbers" cell: each source's current numbers, then its earlier ones, each
        number on a line of its own."""
        for each in series:
            for claim, earlier in [(c, False) for c in each.current] + [(c, True) for c in each.history]:
                self._claim_line(self._line(cell), claim, earlier)

    def _claim_line(self, paragraph, claim: ClaimView, earlier: bool) -> None:
        if earlier:
            self._text(paragraph, _("earlier") + " ", italic=True)
        self._text(paragraph, claim.number, bold=True)
        self._text(paragraph, " · ")
        self._citations(paragraph, claim.citations)
        self._text(paragraph, " · " + claim.status_words)
        if claim.withdrawn:
            self._text(paragraph, " · " + _("withdrawn: %(reason)s") % dict(reason=claim.withdrawn), italic=True)
        for note in claim.notes:
            paragraph.add_run().add_break()
            self._text(paragraph, note, italic=True)

    def _entries(self, entries: tuple[EntryView, ...], none: str | None = None) -> None:
        if not entries and none:
            self._text(self._paragraph(), none, italic=True)
        for entry in entries:
            item = self._paragraph("List Bullet")
            if entry.heading:
                self._text(item, entry.heading, bold=True)
                if entry.context:
                    self._text(item, f" ({entry.context})")
                item.add_run().add_break()
            self._text(item, entry.text)
            if not entry.heading and entry.context:
                self._text(item, f" ({entry.context})")
            self._text(item, " ")
            self._cite(item, entry.citation)

    def _changes(self) -> None:
        view = self.view
        self._heading(_("What changed since %(edition)s") % dict(edition=view.previous_edition or ""))
        if view.figure_changes:
            self._heading(_("Figures"), 2)
            for line in view.figure_changes:
                item = self._paragraph("List Bullet")
                self._text(item, line.title, bold=True)
                self._text(item, _(": "))
                self._say(item, line.sentence)
                self._text(item, _("."))
        for group in view.other_changes:
            self._heading(group.title, 2)
            for change in group.lines:
                item = self._paragraph("List Bullet")
                self._text(item, change.text)
                if change.citation:
                    self._text(item, " ")
                    self._cite(item, change.citation)

    def _measures(self) -> None:
        if not self.view.measures:
            return
        self._heading(_("Official measures"))
        for measure in self.view.measures:
            item = self._paragraph("List Bullet")
            self._text(item, measure.kind, bold=True)
            if measure.ended:
                self._text(item, " " + _("(ended)"))
            self._text(item, " " + measure.context)
            item.add_run().add_break()
            self._text(item, measure.text + " ")
            self._cite(item, measure.citation)

    def _response(self) -> None:
        if not self.view.response:
            return
        self._heading(_("Humanitarian response"))
        for cluster in self.view.response:
            self._heading(cluster.cluster, 2)
            for label, text in (
                (_("Needs:"), cluster.needs),
                (_("Response:"), cluster.response),
                (_("Gaps and constraints:"), cluster.gaps),
            ):
                if text:
                    paragraph = self._paragraph()
                    self._text(paragraph, label + " ", bold=True)
                    self._text(paragraph, text)
            paragraph = self._paragraph()
            self._text(paragraph, _("Sources:") + " ")
            self._cite(paragraph, cluster.citation)
            if cluster.figures:
                self._figure_table(cluster.cluster, cluster.figures)

    def _funding(self) -> None:
        if not self.view.funding:
            return
        self._heading(_("Funding"))
        for funding in self.view.funding:
            self._heading(funding.name + (f" ({funding.location})" if funding.location else ""), 2)
            table = self._table(funding.name, (_("Amount"), _("Number"), _("Each source's amounts")), AMOUNT_COLUMNS)
            for amount in funding.amounts:
                what, number, estimates = self._row(table)
                self._text(self._line(what), amount.title, bold=True)
                if amount.headline:
                    self._text(self._line(number), amount.headline.number, bold=True)
                    if amount.headline.caption:
                        self._text(self._line(number), amount.headline.caption, italic=True)
                else:
                    for series in amount.series:
                        for claim in series.current:
                            line = self._line(number)
                            self._text(line, claim.number, bold=True)
                            self._text(line, f" ({series.source})")
                self._estimates(estimates, amount.series)
            for sentence in funding.coverage:
                self._say(self._paragraph("List Bullet"), sentence)

    def _statements(self) -> None:
        if not self.view.statements:
            return
        self._heading(_("Reactions and statements"))
        for statement in self.view.statements:
            if statement.quote:
                quote = self._paragraph("Quote", rtl=statement.quote_direction == "rtl")
                self._text(quote, _("“%(quote)s”") % dict(quote=statement.quote))
                if statement.translation:
                    translated = self._paragraph("Quote")
                    self._text(translated, _("Translation:") + " ", bold=True)
                    self._text(translated, _("“%(quote)s”") % dict(quote=statement.translation))
            else:
                self._text(self._paragraph(), statement.summary or "")
            said = self._paragraph()
            self._text(said, "— ")
            self._text(said, statement.speaker, bold=True)
            self._say(said, statement.attribution)
            if not statement.quote:
                self._text(said, _(", ") + _("paraphrased"), italic=True)
            self._text(said, _(".") + " " + _("Source:") + " ")
            self._cite(said, statement.citation)

    def _timeline(self) -> None:
        view = self.view
        if not view.events:
            return
        self._heading(_("Timeline"))
        self._chart(view.timeline_chart)
        table = self._table(_("Timeline"), (_("No."), _("Date"), _("Event"), _("Where")), TIMELINE_COLUMNS)
        for index, event in enumerate(view.events, start=1):
            number, when, what, where = self._row(table)
            self._text(self._line(number), _digits(index))
            self._text(self._line(when), event.when or "")
            said = self._line(what)
            self._text(said, event.text)
            self._notes(said, event.citation.notes)
            self._text(self._line(where), event.places or "")

    def _gaps(self) -> None:
        for text, why in self.view.gaps:
            item = self._paragraph("List Bullet")
            self._text(item, text)
            if why:
                self._text(item, " " + why, italic=True)

    def _source_list(self, sources: tuple[ListedSource, ...], full: bool) -> None:
        for source in sources:
            item = self._paragraph()
            self._bookmark(item, source.number)
            self._text(item, f"[{_digits(source.number)}] ", bold=True)
            self._text(item, source.publisher, bold=full)
            self._say(item, source.about)
            if source.url:
                self._link(item, source.url, url=source.url)

    def _source_table(self) -> None:
        table = self._table(
            _("Sources and their reliability"), (_("No."), _("Source"), _("Kind"), _("Reliability")), SOURCE_COLUMNS
        )
        for source in self.view.sources:
            number, name, kind, reliability = self._row(table)
            self._text(self._line(number), _digits(source.number))
            self._bookmark(self._line(number), source.number)
            said = self._line(name)
            self._text(said, source.publisher, bold=True)
            self._say(said, source.about)
            if source.url:
                self._link(self._line(name), source.url, url=source.url)
            self._text(self._line(kind), source.kind)
            self._text(self._line(reliability), source.reliability)

    def _caveat(self) -> None:
        self._text(self._paragraph(), self.view.caveat, italic=True)

    def _contacts(self) -> None:
        if not self.view.contacts:
            return
        self._heading(_("For further information, please contact"))
        for contact in self.view.contacts:
            paragraph = self._paragraph()
            self._text(paragraph, contact.name, bold=True)
            self._say(paragraph, contact.about)
            if contact.email:
                self._text(paragraph, _(", "))
                self._link(paragraph, contact.email, url=f"mailto:{contact.email}")
            if contact.phone:
                self._text(paragraph, _(", ") + contact.phone)

    # -- charts

    def _chart(self, chart: ChartView | None, disclaimer: str | None = None) -> None:
        """A chart as a picture at its printed width, its description (every number it shows) as alternative
        text, and its title as a caption below it; a map with the disclaimer under the caption."""
        from docx.shared import Mm

        if chart is None:
            return
        from lxml import etree

        svg = etree.fromstring(chart.svg.encode("utf-8"))
        width = Mm(float(svg.get("width", f"{TEXT_WIDTH_CM * 10}mm").removesuffix("mm")))
        paragraph = self._paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        run.add_picture(BytesIO(_png(chart.svg)), width=width)
        properties = run._r.xpath(".//wp:docPr")[0]
        properties.set("descr", chart.description or svg.get("aria-label") or chart.title)
        properties.set("title", chart.title)
        self._text(self._paragraph("Caption"), chart.title)
        if disclaimer:
            self._text(self._paragraph("Caption"), disclaimer)

    # -- narrative

    def _narrative(self, text: str) -> None:
        """The analyst's Markdown: paragraphs, headings, lists, quotes, emphasis and links, in Word's styles;
        raw HTML stays text and unsafe links are not links, as in the HTML."""
        paragraph = None
        lists: list[str] = []  # the kinds of the lists the text is in, innermost last
        quoted = 0
        number = ""
        for token in _markdown().parse(text.strip()):
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                lists.append(kind)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                number = f"{token.info}{token.markup} " if lists[-1] == "ordered_list_open" else ""
                paragraph = None
            elif kind in ("blockquote_open", "blockquote_close"):
                quoted += 1 if kind == "blockquote_open" else -1
            elif kind == "heading_open":
                paragraph = self._paragraph(f"Heading {min(int(token.tag[1]) + 1, 9)}")
            elif kind == "paragraph_open":
                style = "Quote" if quoted else None
                if lists:  # a list item's first paragraph is its bullet or number, the next ones continue it
                    level = f" {min(len(lists), 3)}" if len(lists) > 1 else ""
                    style = (
                        "List Continue"
                        if paragraph is not None
                        else "List Bullet"
                        if lists[-1] == "bullet_list_open"
                        else "List"
                    ) + level
                paragraph = self._paragraph(style)
                if lists and number:
                    self._text(paragraph, number)
                    number = ""
            elif kind in ("fence", "code_block"):
                paragraph = self._paragraph("Quote" if quoted else None)
                for index, line in enumerate(token.content.rstrip("\n").split("\n")):
                    if index:
                        paragraph.add_run().add_break()
                    self._text(paragraph, line)
            elif kind == "inline" and paragraph is not None:
                self._inline(paragraph, token.children or [])

    def _inline(self, paragraph, tokens) -> None:
        bold = italic = 0
        link: str | None = None
        for token in tokens:
            kind = token.type
            if kind in ("strong_open", "strong_close"):
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind == "em_open" else -1
            elif kind == "link_open":
                link = str(token.attrs.get("href", ""))
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                self._text(paragraph, " ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind in ("text", "code_inline", "image"):
                text = token.content
                if link:
                    self._link(paragraph, text, url=link if _LINKABLE.match(link) else None, anchor=None)
                else:
                    self._text(paragraph, text, bold=bool(bold), italic=bool(italic))

    # -- paragraphs, runs, tables

    def _paragraph(self, style: str | None = None, rtl: bool | None = None):
        paragraph = self.document.add_paragraph(style=self._style(style) if style else None)
        if self.rtl if rtl is None else rtl:
            _bidi(paragraph)
        return paragraph

    def _style(self, name: str) -> str:
        """``name``, a built-in style; one the reference document lacks (Word saves only the styles a document
        has used) is taken from python-docx's template, with its list numbering."""
        if name not in self.document.styles:
            _borrow_style(self.document, name)
        return name

    def _heading(self, text: str, level: int = 1) -> None:
        self._text(self._paragraph(f"Heading {level}"), text)

    def _text(
        self, paragraph, text: str, *, bold: bool = False, italic: bool = False, superscript: bool = False
    ) -> None:
        """``text`` in runs by script: each run of Arabic letters marked right to left, so that Word shapes
        and orders it with its complex-script font, in any edition."""
        for piece, arabic in self._pieces(text):
            run = paragraph.add_run(piece)
            properties = run._r.get_or_add_rPr()
            if bold:
                run.bold = True
                properties.get_or_add_bCs()
            if italic:
                run.italic = True
                properties.get_or_add_iCs()
            if superscript:
                run.font.superscript = True
            if arabic:
                properties.get_or_add_rtl()

    def _pieces(self, text: str) -> Iterator[tuple[str, bool]]:
        """``text`` cut into runs of one script: (run, written in Arabic)."""
        other = LATIN_RUN if self.rtl else ARABIC_RUN
        start = 0
        for match in other.finditer(text):
            if match.start() > start:
                yield text[start : match.start()], self.rtl
            yield match.group(0), not self.rtl
            start = match.end()
        if start < len(text):
            yield text[start:], self.rtl

    def _notes(self, paragraph, numbers: Iterable[int]) -> None:
        """Footnote numbers as the PDF shows them, ``[1, 2]`` raised, each a link to its source in the list."""
        numbers = list(numbers)
        if not numbers:
            return
        self._text(paragraph, "[", superscript=True)
        for index, number in enumerate(numbers):
            if index:
                self._text(paragraph, _(", "), superscript=True)
            self._link(paragraph, _digits(number), anchor=_bookmark(number), superscript=True)
        self._text(paragraph, "]", superscript=True)

    def _cite(self, paragraph, citation: Citation) -> None:
        """'SOHR via Reuters, 8 March 2025 [1, 2]'."""
        self._text(paragraph, citation.text + "\u202f")
        self._notes(paragraph, citation.notes)

    def _citations(self, paragraph, citations: tuple[Citation, ...]) -> None:
        for index, citation in enumerate(citations):
            if index:
                self._text(paragraph, _("; "))
            self._cite(paragraph, citation)

    def _say(self, paragraph, sentence: Sentence, italic: bool = False) -> None:
        """A sentence the view built: each phrase followed by the footnotes of its sources."""
        for phrase in sentence:
            self._text(paragraph, phrase.text, italic=italic)
            self._notes(paragraph, phrase.notes)

    def _link(
        self, paragraph, text: str, *, url: str | None = None, anchor: str | None = None, superscript: bool = False
    ) -> None:
        """``text`` as a link to a web or mail address, or to a bookmark of the document."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if url is None and anchor is None:
            self._text(paragraph, text)
            return
        link = OxmlElement("w:hyperlink")
        if url is not None:
            link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        else:
            link.set(qn("w:anchor"), anchor)
        start = len(paragraph._p.r_lst)
        self._text(paragraph, text, superscript=superscript)
        for run in paragraph.runs[start:]:
            if url is not None:  # a source number is a link too, but reads as in the PDF
                run.style = self._link_style()
            link.append(run._r)
        paragraph._p.append(link)

    def _link_style(self):
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import RGBColor

        styles = self.document.styles
        if "Hyperlink" in styles:
            return styles["Hyperlink"]
        style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True
        style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        return style

    def _bookmark(self, paragraph, number: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.bookmarks += 1
        for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
            mark = OxmlElement(tag)
            mark.set(qn("w:id"), str(self.bookmarks))
            if tag == "w:bookmarkStart":
                mark.set(qn("w:name"), _bookmark(number))
            paragraph._p.append(mark)

    def _table(self, title: str, headings: tuple[str, ...], shares: tuple[float, ...]):
        """A table in the template's 'Table Grid' style, its columns sized by ``shares`` of the text width, its
        heading row repeated on every page it runs to, and ``title`` as its alternative text's title."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm

        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = self._style("Table Grid")
        table.autofit = False
        widths = [Cm(TEXT_WIDTH_CM * share) for share in shares]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        if self.rtl:
            table._tbl.tblPr.get_or_add_bidiVisual()
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, heading, width in zip(header.cells, headings, widths, strict=True):
            cell.width = width
            self._bidi_if_rtl(cell.paragraphs[0])
            self._text(cell.paragraphs[0], heading, bold=True)
        width = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes one, of 'auto' width
        width.set(qn("w:w"), str(sum(w.twips for w in widths)))
        width.set(qn("w:type"), "dxa")
        caption = OxmlElement("w:tblCaption")  # the last of a table's properties
        caption.set(qn("w:val"), title)
        table._tbl.tblPr.append(caption)
        return table

    def _row(self, table) -> list:
        row = table.add_row()
        for cell, column in zip(row.cells, table.columns, strict=True):
            cell.width = column.width
            self._bidi_if_rtl(cell.paragraphs[0])
        return list(row.cells)

    def _line(self, cell):
        """A new line (paragraph) in ``cell``: its first, while that is empty."""
        from docx.oxml.ns import qn

        last = cell.paragraphs[-1]
        if len(cell.paragraphs) == 1 and all(child.tag == qn("w:pPr") for child in last._p):
            return last
        return self._bidi_if_rtl(cell.add_paragraph())

    # -- the document's properties

    def _properties(self, latin_language: str) -> None:
        """Title, author, subject, keywords, language and dates; and the language of the text, by script."""
        from docx.oxml.ns import qn

        view = self.view
        properties = self.document.core_properties
        as_of = datetime.fromisoformat(view.as_of_iso).astimezone(UTC).replace(tzinfo=None)
        properties.title = _property(view.title)
        properties.subject = _property(view.heading)
        properties.author = properties.last_modified_by = _property(view.produced_by)
        properties.keywords = _property(view.keywords)
        properties.language = view.language
        properties.category = _property(view.edition)
        properties.comments = _property(
            _("%(edition)s, as of %(moment)s: %(title)s")
            % dict(edition=view.edition, moment=view.as_of, title=view.heading)
        )
        properties.identifier = _property(view.crisis)
        properties.created = properties.modified = as_of
        properties.last_printed = as_of
        properties.revision = 1
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            language = run_defaults.find(qn("w:rPr")).find(qn("w:lang"))
            if language is not None:
                language.set(qn("w:val"), latin_language if self.rtl else view.language)
                language.set(qn("w:bidi"), view.language if self.rtl else "ar")
        theme = self.document.settings.element.find(qn("w:themeFontLang"))
        if theme is not None:  # which of the theme's script fonts right-to-left text takes
            theme.set(qn("w:bidi"), view.language if self.rtl else "ar")


_LINKABLE = re.compile(r"(?:https?:|mailto:)", re.IGNORECASE)
"""The links of the analyst's text that stay links in the document: to web pages and mail addresses."""


def _borrow_style(document, name: str) -> None:
    """Add the built-in style ``name`` to ``document`` as python-docx's own template defines it, and the numbering
    (bullets) it refers to."""
    from copy import deepcopy

    import docx
    from docx.oxml.ns import qn

    style = deepcopy(docx.Document().styles[name].element)
    for tag in ("w:link", "w:rsid"):  # its character style and revision mark are the template's
        for element in style.findall(qn(tag)):
            style.remove(element)
    number = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if number is not None:
        number.set(qn("w:val"), _borrow_numbering(document, int(number.get(qn("w:val")))))
    document.styles.element.append(style)


def _borrow_numbering(document, number: int) -> str:
    """Copy list ``number`` of python-docx's template, and its definition, into ``document``; its new number."""
    from copy import deepcopy

    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.parts.numbering import NumberingPart

    template = docx.Document().part.numbering_part.element
    listed = next(n for n in template.findall(qn("w:num")) if n.get(qn("w:numId")) == str(number))
    abstract_id = listed.find(qn("w:abstractNumId")).get(qn("w:val"))
    definition = next(a for a in template.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    part = document.part
    try:
        numbering = part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:  # a document without lists has no numbering part
        numbering = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part.relate_to(
            NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, numbering, part.package),
            RELATIONSHIP_TYPE.NUMBERING,
        )
    new_abstract = str(
        max((int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))), default=-1) + 1
    )
    new_number = str(max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1)
    definition, listed = deepcopy(definition), deepcopy(listed)
    definition.set(qn("w:abstractNumId"), new_abstract)
    listed.set(qn("w:numId"), new_number)
    listed.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    first_list = numbering.find(qn("w:num"))
    if first_list is not None:  # the definitions come before the lists that use them
        first_list.addprevious(definition)
    else:
        numbering.append(definition)
    numbering.append(listed)
    return new_number


PROPERTY_LIMIT = 255
"""The longest text a document property may hold (python-docx refuses more, as Word does)."""


def _property(text: str) -> str:
    """``text`` as a document property: cut to the longest one can hold, the cut marked with '…'."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def _bookmark(number: int) -> str:
    return f"source_{number}"


_PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""What follows ``w:bidi`` in a paragraph's properties, in the order the schema sets."""


def _bidi(paragraph) -> None:
    """Make ``paragraph`` right to left."""
    _append_once(paragraph._p.get_or_add_pPr(), "w:bidi", before=_PPR_AFTER_BIDI)


def _append_once(parent, tag: str, before: tuple[str, ...]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if parent.find(qn(tag)) is None:
        parent.insert_element_before(OxmlElement(tag), *before)


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _png(svg: str) -> bytes:
    """A chart drawn as a PNG by resvg with the fonts the report ships, each run of text naming the font of
    its script (resvg's fallback between fonts misses glyphs in text that mixes scripts)."""
    import resvg_py

    from .render import builtin_templates

    fonts = sorted(str(path) for path in (builtin_templates() / "fonts").glob("*.ttf"))
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=_fonts_by_script(svg).decode("utf-8"),
            skip_system_fonts=True,
            font_files=fonts,
            sans_serif_family=LATIN_FONT,
            dpi=CHART_DPI,
            background="white",
        )
    )


SVG = "{http://www.w3.org/2000/svg}"
_ARABIC_LETTERS = re.compile(f"[{ARABIC_LETTERS}]+")
"""What the Arabic font draws: its letters and digits; spaces and punctuation between them come from the other
font, which has them (the Arabic one has no brackets)."""


def _fonts_by_script(svg: str) -> bytes:
    """``svg`` with the text of each ``text`` and ``tspan`` cut into ``tspan``s of one script, each naming its
    font."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    for element in [*root.iter(f"{SVG}text"), *root.iter(f"{SVG}tspan")]:
        if element.text:
            for index, span in enumerate(_spans(element.text)):
                element.insert(index, span)
            element.text = None
        for child in list(element):
            if child.tail:
                at = element.index(child) + 1
                for index, span in enumerate(_spans(child.tail)):
                    element.insert(at + index, span)
                child.tail = None
    return etree.tostring(root)


def _spans(text: str) -> list:
    """``text`` as ``tspan``s, one per run of one script, each naming its font."""
    from lxml import etree

    spans = []
    start = 0
    for match in [*_ARABIC_LETTERS.finditer(text), None]:
        end = match.start() if match else len(text)
        for piece, font in ((text[start:end], LATIN_FONT), (match.group(0) if match else "", ARABIC_FONT)):
            if piece:
                span = etree.Element(f"{SVG}tspan", {"font-family": font})
                span.text = piece
                spans.append(span)
        start = match.end() if match else end
    return spans

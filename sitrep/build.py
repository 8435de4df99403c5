"""The pipeline for one file: load, validate, check, then render and write each format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import checks, settings
from .editions import Edition, language_of, own_edition
from .errors import BuildError, InputError, Problem, SitrepError
from .estimates import Reading, read_all
from .language import _, arabic_written, speaking
from .load import Loaded, load_bytes, load_file
from .model import Report, parse_report
from .output import refuse_targets, write_all
from .products import EXTENSIONS, PRODUCTS, Product

if TYPE_CHECKING:
    from collections.abc import Callable

    from .maps import Boundaries
    from .view import ReportView


@dataclass(frozen=True)
class Checked:
    """A valid report as written (its texts per language), the report as its own language's edition reads
    it, its previous edition as written if it names one, the warnings found about it, and its figures as
    read for their meaning (``sitrep.estimates``), read once for the checks and the view."""

    written: Report
    report: Report
    warnings: list[Problem]
    previous: Report | None = None
    source: bytes = b""
    readings: dict[str, Reading] | None = None
    boundaries: Boundaries | None = None
    """The areas of the report's `map:`, read from its boundaries file."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the report's editions, its own first."""
        return self.written.report.languages


@dataclass(frozen=True)
class Piped:
    """A report read from standard input (`sitrep validate -`, `sitrep build - --name NAME`): its bytes, and
    the name its outputs take. It stands where a file's path does; a `previous` edition it names is looked for
    from the current folder."""

    data: bytes
    stem: str = "report"

    @property
    def name(self) -> str:
        return f"{self.stem}.yaml"

    @property
    def parent(self) -> Path:
        return Path.cwd()

    def __str__(self) -> str:
        return STDIN


STDIN = "<stdin>"
"""How messages name standard input."""


def read_report(path: Path) -> Report:
    """Load and validate one file, without the checks across fields."""
    return parse_report(load_file(path))


def check_file(path: Path | Piped, *, strict: bool = False, languages: tuple[str, ...] = ()) -> Checked:
    """Load, validate and check one file (or what came through standard input); raise InputError with every
    problem if it has errors.

    With ``strict``, warnings count as errors. ``languages``: editions asked for beyond the file's own, whose
    texts are checked too.
    """
    loaded = load_bytes(path.data, STDIN) if isinstance(path, Piped) else load_file(path)
    written = parse_report(loaded)
    report = own_edition(written)
    previous = None
    if report.report.previous:
        previous_path = path.parent / report.report.previous
        if not previous_path.is_file():
            raise InputError(
                [
                    loaded.problem(
                        ("report", "previous"),
                        f"the previous edition {previous_path} cannot be found: write its path relative to this file",
                    )
                ]
            )
        try:
            previous = read_report(previous_path)
        except SitrepError:
            raise InputError(
                [
                    loaded.problem(
                        ("report", "previous"),
                        f"the previous edition {previous_path} is not valid: run `sitrep validate {previous_path}`",
                    )
                ]
            ) from None
    boundaries = map_boundaries(path, report, loaded)
    readings = read_all(report)
    findings = checks.run(report, previous and own_edition(previous), readings, written, boundaries)
    findings += checks.translations(written, languages)
    problems = [loaded.problem(f.loc, f.message, key=f.key, severity=f.severity) for f in findings]
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    if any(problem.is_error for problem in problems):
        raise InputError(problems)
    return Checked(written, report, sorted(problems), previous, loaded.raw, readings, boundaries)


def map_boundaries(path: Path | Piped, report: Report, loaded: Loaded) -> Boundaries | None:
    """The areas of the boundaries file the report's `map:` names (relative to the report's file), or None."""
    if report.map is None:
        return None
    from .maps import BoundariesError, read_boundaries

    try:
        return read_boundaries(path.parent / report.map.boundaries)
    except BoundariesError as error:
        raise InputError([loaded.problem(("map", "boundaries"), str(error))]) from None


CHART_FILES = {
    "figures_chart": "-figures.svg",
    "timeline_chart": "-timeline.svg",
    "locator_map": "-map.svg",
    "areas_map": "-areas.svg",
}
"""The ends of the names of the chart files written beside the Markdown, by the view's field."""

TIMELINE_LIMIT = 60
"""Beyond this many events a timeline chart is unreadable; the timeline table still lists them all."""


@dataclass(frozen=True)
class Options:
    """How to build: which product, from which templates, which PDF variant, in which languages (by default
    the file's: an edition in each)."""

    template: str = settings.TEMPLATE
    templates: tuple[Path, ...] = ()
    pdf_variant: str | None = None
    strict: bool = False
    languages: tuple[str, ...] = ()

    @property
    def folders(self) -> list[Path]:
        """Template folders in search order: the user's first, the built-in ones last."""
        from .render import builtin_templates

        return [*self.templates, builtin_templates()]


DEFAULT_OPTIONS = Options()


def render_outputs(
    checked: Checked,
    formats: tuple[str, ...],
    options: Options = DEFAULT_OPTIONS,
    source_name: str = "report.yaml",
    language: str | None = None,
) -> dict[str, bytes]:
    """Every file a build writes for the edition in ``language`` (by default the file's own), by the end of
    its name: '.pdf', '.md', '-figures.svg'...

    The view is made once; the templates, the charts and the data exports all read it. The main
    outputs come in the order of ``formats``; Markdown brings the chart files it links to (the
    HTML and PDF carry their charts inline). The data exports are the same in every language: only
    the file's own language's edition writes them.
    """
    own = checked.languages[0]
    language = language or own
    with speaking(language_of(checked.written, language)):
        return _render_outputs(
            checked,
            formats if language == own else tuple(f for f in formats if f not in DATA),
            options,
            source_name,
            Edition(language, own),
        )


DATA = ("hxl", "json")
"""The formats that are data rather than a report: written once, not per language."""


def _render_outputs(
    checked: Checked, formats: tuple[str, ...], options: Options, source_name: str, edition: Edition
) -> dict[str, bytes]:
    from .render import render
    from .scripts import mark_html, markdown_direction
    from .view import make_view

    product = PRODUCTS[options.template]
    own = edition.language == edition.default  # the checks resolved the file's own edition already
    view = make_view(
        checked.written,
        checked.previous,
        product.name,
        checked.readings,
        edition,
        checked.report if own else None,
        checked.boundaries,
    )
    if {"md", "docx", "html", "pdf"} & set(formats):
        view = replace(view, **_charts(view, _stem(Path(source_name).stem, edition, product), product, formats))
    outputs = {}
    if "hxl" in formats or "json" in formats:
        from .export import hxl_csv, report_json

        outputs["hxl"] = hxl_csv(checked.report, view).encode("utf-8")
        outputs["json"] = report_json(checked.written, view).encode("utf-8")
    if "md" in formats:
        markdown = render(view, "md", product.name, options.folders)
        outputs["md"] = markdown_direction(markdown, view.language, view.direction).encode("utf-8")
    if "html" in formats or "pdf" in formats:

        def page(view: ReportView) -> str:
            html = render(view, "html", product.name, options.folders)
            return mark_html(html, view.language, _latin_language(checked.languages))

        html = page(view)
        outputs["html"] = html.encode("utf-8")
        if "pdf" in formats:
            outputs["pdf"] = _pdf(html, checked, view, product, options, source_name, page)
    if "docx" in formats:
        from .word import report_docx

        outputs["docx"] = report_docx(view, product.name, options.folders, _latin_language(checked.languages))
    files = {f".{EXTENSIONS[fmt]}": outputs[fmt] for fmt in formats if fmt in outputs}
    if "md" in formats:
        files.update(
            {
                CHART_FILES[name]: getattr(view, name).svg.encode("utf-8")
                for name in CHART_FILES
                if getattr(view, name) is not None
            }
        )
    return files


def _latin_language(languages: tuple[str, ...]) -> str:
    """The language of Latin-script text in an Arabic edition: the report's first in that script, or English."""
    return next((language for language in languages if not arabic_written(language)), "en")


def _charts(view, stem: str, product: Product, formats: tuple[str, ...]) -> dict:
    """The product's charts (key figures, timeline), drawn from the view: as SVG files for the Markdown to link
    to and the Word document to carry as pictures, and as HTML for the report's pages; each only if a format
    asked for needs it."""
    from .charts import figures_chart, timeline_chart
    from .view import ChartView

    files, pages = bool({"md", "docx"} & set(formats)), bool({"html", "pdf"} & set(formats))
    wanted = product.charts
    charts = _maps(view, stem, product) if view.map is not None and {"map", "areas"} & set(wanted) else {}
    if view.key_figures and "figures" in wanted:
        draw = partial(figures_chart, view.key_figures, view.as_of_day)
        charts["figures_chart"] = ChartView(
            _("Key figures"),
            draw() if files else "",
            draw(html=True) if pages else "",
            stem + CHART_FILES["figures_chart"],
        )
    if view.events and len(view.events) <= TIMELINE_LIMIT and "timeline" in wanted:
        draw = partial(timeline_chart, view)
        charts["timeline_chart"] = ChartView(
            _("Timeline of events"),
            draw() if files else "",
            draw(html=True) if pages else "",
            stem + CHART_FILES["timeline_chart"],
        )
    return charts


def _maps(view, stem: str, product: Product) -> dict:
    """The product's maps (locator, areas), drawn from the view as the charts are; sitrep.maps is imported only
    for a product that shows a map."""
    from .maps import areas_map, locator_map
    from .view import ChartView

    def carried(drawn, name: str):
        return ChartView(drawn.title, drawn.svg, drawn.html, stem + CHART_FILES[name], drawn.description)

    maps = {}
    if "map" in product.charts:
        width_mm, frame_mm = product.map_mm or (None, None)
        drawn = locator_map(
            view.map.countries, view.map.places, title=_("Locator map"), width_mm=width_mm, frame_mm=frame_mm
        )
        maps["locator_map"] = carried(drawn, "locator_map")
    if view.map.areas is not None and "areas" in product.charts:
        areas = view.map.areas
        maps["areas_map"] = carried(
            areas_map(
                areas.boundaries,
                areas.values,
                source=areas.legend,
                hatched=areas.hatched,
                hatched_label=areas.hatched_label,
                title=areas.title,
            ),
            "areas_map",
        )
    return maps


def _pdf(
    html: str,
    checked: Checked,
    view: ReportView,
    product: Product,
    options: Options,
    source_name: str,
    page: Callable[[ReportView], str],
) -> bytes:
    """The PDF of ``html``, the page of ``view``. A product of limited pages that runs over them with its locator
    map is made again without it (``page`` lays out the view anew): the text comes first, the map only where
    the page has room for it."""
    from .pdf import Attachment, TooManyPages, html_to_pdf

    attachments = ()
    if options.pdf_variant == "pdf/a-3b":
        attachments = (Attachment(source_name, checked.source, "The YAML file this report was built from"),)
    try:
        return html_to_pdf(
            html,
            options.folders,
            checked.report.report.as_of,
            variant=options.pdf_variant,
            attachments=attachments,
            max_pages=product.max_pages,
        )
    except TooManyPages as error:
        if view.locator_map is not None:
            mapless = replace(view, locator_map=None)
            return _pdf(page(mapless), checked, mapless, product, options, source_name, page)
        pages = "one page" if error.limit == 1 else f"{error.limit} pages"
        raise BuildError(
            f"the {product.description} must fit on {pages}, but this one runs to {error.pages}: "
            f"{_what_to_cut(view, product)}"
        ) from None


def _what_to_cut(view, product: Product) -> str:
    """Advice for a product that is too long, from what takes room in it (what that product shows)."""
    words = len(view.overview.split())
    keys = len(view.key_figures) + len(view.key_funding)
    sources = len(view.summary_sources if product.name == "flash" else view.sources)
    lines = sum(len(series.current) for figure in view.key_figures for series in figure.series)
    return (
        f"it holds {len(view.highlights)} highlights, an overview of {words} words, {keys} key figures (with "
        f"{lines} sources' numbers) and {sources} sources; cut the least important highlight, shorten the "
        "overview, or remove `key: true` from a figure or funding line"
    )


def _stem(stem: str, edition: Edition, product: Product) -> str:
    """The start of an edition's file names: 'syria-coast-2025-03', 'syria-coast-2025-03-ar-flash'."""
    return stem + ("" if edition.language == edition.default else f"-{edition.language}") + product.suffix


def build_file(
    path: Path | Piped,
    folder: Path,
    formats: tuple[str, ...] = settings.FORMATS,
    options: Options = DEFAULT_OPTIONS,
    *,
    announce: Callable[[list[tuple[Path, int]]], None] | None = None,
) -> tuple[list[Path], Checked]:
    """Build ``path`` into ``folder`` in every format, an edition in each language (the file's, or those
    ``options`` asks for): INPUT.pdf in the file's own language, INPUT-ar.pdf, INPUT-fr.pdf...; nothing is
    written unless all succeed. ``announce`` is ``sitrep.output.write_all``'s."""
    checked = check_file(path, strict=options.strict, languages=options.languages)
    product = PRODUCTS[options.template]
    written = {}
    for language in options.languages or checked.languages:
        stem = _stem(path.stem, Edition(language, checked.languages[0]), product)
        outputs = render_outputs(checked, formats, options, path.name, language)
        written.update({folder / f"{stem}{ending}": data for ending, data in outputs.items()})
    refuse_targets(list(written), path if isinstance(path, Path) else None)
    write_all(written, announce)
    return list(written), checked

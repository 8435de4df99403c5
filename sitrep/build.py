"""The pipeline for one file: load, validate, check, then render and write each format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import checks
from .errors import InputError, Problem, SitrepError
from .load import load_file
from .model import Report, parse_report
from .output import output_path, write_atomic

FORMATS = ("pdf", "html", "md")
DEFAULT_FORMATS = ("pdf", "md")


@dataclass(frozen=True)
class Checked:
    """A valid report, its previous edition if it names one, and the warnings found about it."""

    report: Report
    warnings: list[Problem]
    previous: Report | None = None


def read_report(path: Path) -> Report:
    """Load and validate one file, without the checks across fields."""
    return parse_report(load_file(path))


def check_file(path: Path, *, strict: bool = False) -> Checked:
    """Load, validate and check one file; raise InputError with every problem if it has errors.

    With ``strict``, warnings count as errors.
    """
    loaded = load_file(path)
    report = parse_report(loaded)
    previous = None
    if report.report.previous:
        previous_path = path.parent / report.report.previous
        if not previous_path.is_file():
            raise InputError([loaded.problem(("report", "previous"), f"the previous edition {previous_path} cannot "
                                             "be found: write its path relative to this file")])
        try:
            previous = read_report(previous_path)
        except SitrepError:
            raise InputError([loaded.problem(("report", "previous"), f"the previous edition {previous_path} "
                                             f"is not valid: run `sitrep validate {previous_path}`")]) from None
    problems = [loaded.problem(f.loc, f.message, key=f.key, severity=f.severity)
                for f in checks.run(report, previous)]
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    if any(problem.is_error for problem in problems):
        raise InputError(problems)
    return Checked(report, sorted(problems), previous)


def render_outputs(report: Report, formats: tuple[str, ...], previous: Report | None = None) -> dict[str, bytes]:
    """The bytes of ``report`` in each of ``formats`` (pdf, html, md), in that order."""
    from .render import builtin_templates, render
    from .view import make_view

    view = make_view(report, previous)
    outputs = {}
    if "md" in formats:
        outputs["md"] = render(view, "md").encode("utf-8")
    if "html" in formats or "pdf" in formats:
        html = render(view, "html")
        outputs["html"] = html.encode("utf-8")
        if "pdf" in formats:
            from .pdf import html_to_pdf

            epoch = int(report.report.as_of.timestamp())
            outputs["pdf"] = html_to_pdf(html, [builtin_templates()], epoch)
    return {fmt: outputs[fmt] for fmt in formats}


def build_file(path: Path, folder: Path, formats: tuple[str, ...] = DEFAULT_FORMATS, *,
               strict: bool = False) -> tuple[list[Path], Checked]:
    """Build ``path`` into ``folder`` in every format; nothing is written unless all succeed."""
    checked = check_file(path, strict=strict)
    outputs = render_outputs(checked.report, formats, checked.previous)
    written = []
    for fmt, data in outputs.items():
        target = output_path(folder, path, fmt)
        write_atomic(target, data)
        written.append(target)
    return written, checked

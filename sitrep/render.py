"""The Jinja environments that turn a ReportView into HTML or Markdown text.

HTML templates are autoescaped. Markdown has no autoescaping of its own, so every value
printed by a Markdown template goes through ``escape_markdown`` (the environment's
``finalize``): no character in the data can open a table cell, emphasis, a code span,
a link or raw HTML. Text that is already Markdown (the analyst's narrative) is marked
safe explicitly with the ``narrative`` filter, which still neutralises raw HTML in it.
Both environments use StrictUndefined, so a misspelt field fails the build.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from . import cache
from .errors import BuildError
from .language import current, listed

TEMPLATE_SUFFIX = {"html": ".html", "md": ".md"}


def builtin_templates() -> Path:
    """The folder of built-in templates: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


class MarkdownText(str):
    """Markdown that is already safe to print as it is.

    Like markupsafe's Markup, values put into it with ``%`` are escaped first: an interface message with
    placeholders (``_("(as of %(moment)s)", moment=...)``) stays safe whatever the values hold.
    """

    def __mod__(self, values: object) -> MarkdownText:
        if isinstance(values, dict):
            return MarkdownText(str.__mod__(self, {key: escape_markdown(value) for key, value in values.items()}))
        return MarkdownText(str.__mod__(self, escape_markdown(values)))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""White space a line may break at: every kind but the no-break spaces inside numbers ('1 068' in French)."""


def escape_markdown(value: object) -> str:
    """Print ``value`` as literal text in GitHub-flavoured Markdown, on one line (its no-break spaces kept)."""
    if isinstance(value, MarkdownText):
        return value
    text = _BREAKING_SPACE.sub(" ", str(value)).strip()
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)  # text that looks like an entity stays as written
    return text.replace("<", "&lt;").replace(">", "&gt;")


_UNSAFE_LINK = re.compile(r"\]\(\s*(?!https?:|mailto:|#)(?=[A-Za-z][A-Za-z0-9+.-]*:)")
_UNSAFE_DEFINITION = re.compile(
    r"^(\s*)(\[[^\]\n]+\]:\s*)(?!https?:|mailto:|#)(?=[A-Za-z][A-Za-z0-9+.-]*:)", re.MULTILINE
)


def narrative_markdown(text: str) -> MarkdownText:
    """The analyst's Markdown as written, except what could run or load something in a reader.

    Raw HTML becomes visible text, and a link to anything but a web page, a mail address
    or an anchor (``javascript:``, ``file:``, ``data:``...) is broken into plain text, as
    the HTML output does.
    """
    text = text.strip().replace("<", "&lt;")
    text = _UNSAFE_LINK.sub(r"]\\(", text)
    return MarkdownText(_UNSAFE_DEFINITION.sub(r"\1\\\2", text))


@functools.cache
def _markdown_to_html():
    from markdown_it import MarkdownIt  # only HTML and PDF output need it

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def narrative_html(text: str) -> Markup:
    """The analyst's Markdown as HTML; raw HTML in it is shown as text, unsafe links are dropped."""
    return Markup(_markdown_to_html().render(text))


def markdown_notes(numbers: object) -> MarkdownText:
    """Footnote numbers as ``[1, 2]``, pointing into the source list; nothing when there are none."""
    numbers = list(numbers)  # type: ignore[call-overload]
    return MarkdownText(f"[{listed(current().shown(str(n)) for n in numbers)}]" if numbers else "")


def markdown_sentence(sentence: object) -> MarkdownText:
    """A sentence the view built, each phrase escaped and followed by its footnotes: ``up 315, from 1,068 [1, 11]``."""
    return MarkdownText(
        "".join(_escape_inline(p.text) + (" " + markdown_notes(p.notes) if p.notes else "") for p in sentence)
    )  # type: ignore[attr-defined]


def _escape_inline(text: str) -> str:
    """``escape_markdown`` for a piece of a sentence: the spaces at its ends are kept."""
    return (
        (" " if text[:1].isspace() else "")
        + escape_markdown(text)
        + (" " if text[-1:].isspace() and text.strip() else "")
    )


def markdown_cell(text: object, headed: bool = False) -> MarkdownText:
    """The lines of a macro's output (its values already escaped) as one table cell, each after a bullet:
    ``• 1,068: SOHR … • earlier, 745: …``; with ``headed``, the first line is the cell's heading and goes
    without one (``Civilians killed • note``). A table cell holds no line break in Markdown but raw HTML
    (``<br>``), which safe renderers drop or print and pandoc runs together; a bullet reads the same in all."""
    lines = [line.strip() for line in str(text).split("\n") if line.strip()]
    if len(lines) == 1:
        return MarkdownText(lines[0])
    bulleted = [f"{CELL_BULLET} {line}" for line in lines]
    return MarkdownText(" ".join([lines[0], *bulleted[1:]] if headed else bulleted))


CELL_BULLET = "•"
"""What starts each of several lines in a Markdown table cell."""


def markdown_citations(citations: object) -> MarkdownText:
    """``SOHR via Reuters, 8 March 2025 [1, 2]; ...`` with the names escaped."""
    return MarkdownText(listed((f"{escape_markdown(c.text)} {markdown_notes(c.notes)}" for c in citations), "; "))


def markdown_indent(depth: int) -> MarkdownText:
    """The mark of a breakdown row: one arrow per level below its total."""
    return MarkdownText("↳ " * depth)


def markdown_link(url: str) -> MarkdownText:
    """A web address as an autolink that no character of it can break out of."""
    return MarkdownText("<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">")


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads templates from its folders only: a template reached through a symbolic link that leads
    out of the folder it was found in is refused (Jinja's own loader already refuses '..')."""

    def get_source(self, environment: jinja2.Environment, template: str):
        for folder in self.searchpath:  # Jinja would pass over a broken link and take the next folder's template
            path = os.path.join(folder, *template.split("/"))
            if os.path.islink(path) and not os.path.exists(path):
                raise BuildError(
                    f"template {template} in {folder} is a symbolic link that leads nowhere, or round in a loop: "
                    "replace it with the file itself"
                )
        source, filename, uptodate = super().get_source(environment, template)
        found = os.path.abspath(filename)
        folder = next(f for f in self.searchpath if found.startswith(os.path.abspath(f) + os.sep))
        real = Path(found).resolve()
        if not real.is_relative_to(Path(folder).resolve()):
            raise BuildError(
                f"template {template} in {folder} is a link to {real}, outside the template folder: "
                "copy the file into the folder instead"
            )
        return source, filename, uptodate


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with powers and repetitions bounded: ``10 ** 5000`` has more digits than
    Python will print, ``9 ** 9 ** 9`` and ``[0] * 30000000`` would take the time and memory of a build.
    Intercepting the operators also stops Jinja from computing them while it compiles a template, where no
    line of the template could be named."""

    intercepted_binops = frozenset(["**", "*"])
    MAX_POWER_BITS = 4096
    MAX_REPEATED = 100_000
    """The longest list or text a template may make by repeating one (``"-" * 80`` is fine)."""

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            for repeated, times in ((left, right), (right, left)):
                sequence = isinstance(repeated, str | list | tuple) and isinstance(times, int)
                if sequence and len(repeated) * times > self.MAX_REPEATED:
                    raise SecurityError(
                        f"a {type(repeated).__name__} of {len(repeated)} repeated {times} times is too large for a "
                        "template"
                    )
            return super().call_binop(context, operator, left, right)
        too_large = SecurityError(f"{left} ** {right} is too large a number for a template")
        if isinstance(left, int) and isinstance(right, int) and right * abs(left).bit_length() > self.MAX_POWER_BITS:
            raise too_large
        try:
            return super().call_binop(context, operator, left, right)
        except OverflowError:  # a float past 1.8e308
            raise too_large from None


def fingerprint(environment: jinja2.Environment) -> str:
    """What the code Jinja compiles depends on besides a template's text: Jinja's and Python's versions and
    the environment's settings (delimiters, whitespace, autoescaping, finalize, extensions, filters, sandbox),
    as a short hash."""
    settings = sorted((k, v) for k, v in vars(environment).items() if isinstance(v, str | bool | int | None))
    parts = (
        jinja2.__version__,
        sys.implementation.cache_tag,
        type(environment).__qualname__,
        environment.undefined.__qualname__,
        getattr(environment.finalize, "__qualname__", None),
        sorted(environment.extensions),
        sorted(environment.filters),
        sorted(environment.tests),
        settings,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in the user's cache folder (``sitrep.cache``), in a folder of its own
    for one environment's ``fingerprint``, made (for this user only) when first written to. An entry is used
    only if it was compiled from the same template text (Jinja keeps a checksum of it)."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(str(cache.folder() / "templates" / fingerprint(environment)), "%s.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (a full disk, a crash while copying the folder): compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a folder that cannot be written: the build goes on, uncached
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)


def environment(kind: str, folders: list[Path]) -> jinja2.Environment:
    """The sandboxed Jinja environment for ``kind`` ('html' or 'md') searching ``folders`` in order.

    One per kind and folders, kept for the life of the process, so that each template is compiled
    once (Jinja still notices a template changed on disk, as `sitrep watch` needs); the compiled code
    is kept in the user's cache folder for the processes after it (``sitrep.cache``).
    """
    return _environment(kind, tuple(Path(folder) for folder in folders))


@functools.cache
def _environment(kind: str, folders: tuple[Path, ...]) -> jinja2.Environment:
    """A sandboxed Jinja environment for ``kind`` ('html' or 'md') searching ``folders`` in order.

    Templates may come from other organisations, so every one runs in Jinja's immutable
    sandbox: no access to private attributes or to Python internals, and no changing the data.
    """
    common = {
        "loader": ConfinedLoader([str(folder) for folder in folders]),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":
        env = _Sandbox(autoescape=True, extensions=["jinja2.ext.i18n"], **common)
        env.filters["narrative"] = narrative_html
        env.globals["stylesheet"] = functools.partial(_stylesheet, env)
    else:
        env = _Sandbox(autoescape=False, finalize=escape_markdown, extensions=["jinja2.ext.i18n"], **common)
        env.filters.update(
            narrative=narrative_markdown,
            notes=markdown_notes,
            say=markdown_sentence,
            cell=markdown_cell,
            citations=markdown_citations,
            indent_marker=markdown_indent,
            link=markdown_link,
        )
        # What a template or macro writes is Markdown already (every value was escaped as it was printed), so
        # a macro's output is printed as it is, not escaped again.
        env.concat = _markdown_concat
    # The edition's words: `{{ _("Key figures") }}`, `{% trans %}` blocks; and its digits: `{{ n | digits }}`.
    # In Markdown a message is escaped as it is looked up, keeping the spaces at its ends (": ").
    said = (lambda text: text) if kind == "html" else (lambda text: MarkdownText(_escape_inline(text)))
    env.install_gettext_callables(
        gettext=lambda message: said(current().gettext(message)),  # type: ignore[attr-defined]
        ngettext=lambda one, many, n: said(current().ngettext(one, many, n)),
        newstyle=True,
    )
    env.filters["digits"] = lambda value: current().shown(str(value))
    env.bytecode_cache = TemplateCache(env)  # set up last: its folder is named after the settings above
    return env


def _markdown_concat(pieces: Iterable[str]) -> MarkdownText:
    return MarkdownText("".join(pieces))


def _stylesheet(env: jinja2.Environment, name: str) -> Markup:
    """The text of the style sheet ``name`` from the template folders (a user's own first), to be carried
    inside the page's ``<style>``: the HTML then opens styled on its own, fetching nothing. The text is
    not a template; a ``</`` in it is written ``<\\/`` (the same to CSS) so that it cannot close the element."""
    try:
        text = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        raise BuildError(f"style sheet {name} not found in the template folders") from None
    return Markup(text.replace("</", "<\\/"))


def render(view: object, kind: str, template: str = "sitrep", folders: list[Path] | None = None) -> str:
    """Render ``view`` with ``template`` (a name such as 'sitrep') to HTML or Markdown text."""
    env = environment(kind, folders or [builtin_templates()])
    name = template + TEMPLATE_SUFFIX[kind]
    try:
        return env.get_template(name).render(view=view)
    except jinja2.TemplateNotFound as error:
        raise BuildError(f"template {error.name} not found") from None
    except SecurityError as error:
        raise BuildError(f"{_where(error, name)}the template tried something templates may not do: {error}") from None
    except RecursionError as error:
        raise BuildError(
            f"{_where(error, name)}the template calls itself without end (a macro that calls itself, or a template "
            "that includes itself): give the recursion a condition that stops it"
        ) from None
    except jinja2.TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if getattr(error, "lineno", None) else f"{name}: "
        raise BuildError(f"{where}template error: {error.message}") from None


def _where(error: BaseException, name: str) -> str:
    """Where in a template ``error`` was raised: 'FILE:LINE: ' of the innermost template line, or 'NAME: '.

    Jinja rewrites the traceback of an error raised while rendering so that each template line is a frame of
    its own, named by the template's file (``jinja2.debug.fake_traceback``, which marks its frames' globals).
    """
    where = f"{name}: "
    for frame, line in traceback.walk_tb(error.__traceback__):
        if "__jinja_exception__" in frame.f_globals:
            where = f"{frame.f_code.co_filename}:{line}: "
    return where

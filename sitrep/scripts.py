"""Text in another script than its edition's, marked with its language and direction.

An Arabic place name in the English edition ("Latakia (اللاذقية)") or a Latin name in the Arabic
edition ("المرصد السوري (SOHR)") is a run of another language inside the text: screen readers
switch voice only if it carries its own ``lang``, and mixed lines read in the right order only if
the run is isolated with its own ``dir``. The HTML (and so the PDF made from it, whose structure
keeps each span's language) gets a ``<span lang dir>`` around every such run; the Markdown of a
right-to-left edition is wrapped in one ``<div dir="rtl">``, which GitHub honours.

Runs are found by script, not guessed by language: Arabic letters in a Latin-script edition are
Arabic (``ar``), Latin letters in an Arabic edition are in the file's Latin-script language.
"""

from __future__ import annotations

import re

from .language import ARABIC_LETTERS, LATIN_LETTERS, arabic_written

ARABIC_RUN = re.compile(
    rf"[{ARABIC_LETTERS}](?:[{ARABIC_LETTERS}\s\u200c\u200d.,:;'’\-–()0-9٠-٩٬٫&#]*"
    rf"[{ARABIC_LETTERS}])?"
)
"""Arabic letters, and what lies between them within one run (spaces, punctuation, digits)."""
LATIN_RUN = re.compile(rf"[{LATIN_LETTERS}](?:[{LATIN_LETTERS}0-9\s.,:;'’\-–_&#/?=%@+]*[{LATIN_LETTERS}0-9/])?")
"""Latin letters, and what lies between them within one run: names, abbreviations, web addresses. A run
stops at brackets, so that the pair around it ("(SOHR)") stays in the text's own direction and mirrors as one."""

_TOKENS = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"</?\s*([A-Za-z][\w:-]*)")
_LANG = re.compile(r"""\slang\s*=\s*["']?([\w-]+)""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RAW = {"head", "title", "style", "script", "svg", "textarea"}
"""Elements whose text is left as it is: the head's, styles, and SVG (whose text cannot hold spans)."""


def mark_html(html: str, language: str, latin_language: str) -> str:
    """``html`` (of an edition in ``language``) with each run of the other script in a ``<span lang dir>``;
    text inside an element that already names its language is marked against that language."""
    out: list[str] = []
    stack: list[tuple[str, str]] = [("", language)]
    raw = 0
    for token in _TOKENS.split(html):
        if token.startswith("<"):
            out.append(token)
            match = _NAME.match(token)
            if not match or token.startswith("<!"):
                continue
            name = match.group(1).lower()
            if token.startswith("</"):
                while len(stack) > 1:
                    opened, _ = stack.pop()
                    raw -= opened in _RAW
                    if opened == name:
                        break
            elif name not in _VOID and not token.endswith("/>"):
                lang = _LANG.search(token)
                stack.append((name, lang.group(1) if lang else stack[-1][1]))
                raw += name in _RAW
        elif token and not raw:
            out.append(_mark_text(token, stack[-1][1], latin_language))
        else:
            out.append(token)
    return "".join(out)


def _mark_text(text: str, language: str, latin_language: str) -> str:
    if arabic_written(language):
        return LATIN_RUN.sub(lambda m: f'<span lang="{latin_language}" dir="ltr">{m.group(0)}</span>', text)
    return ARABIC_RUN.sub(lambda m: f'<span lang="ar" dir="rtl">{m.group(0)}</span>', text)


def markdown_direction(markdown: str, language: str, direction: str) -> str:
    """A right-to-left edition's Markdown inside ``<div dir="rtl" lang="...">``, so that GitHub (and any
    renderer that keeps the attribute) sets it right to left; other editions as they are."""
    if direction != "rtl":
        return markdown
    return f'<div dir="rtl" lang="{language}">\n\n{markdown.rstrip()}\n\n</div>\n'

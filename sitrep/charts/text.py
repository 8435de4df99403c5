"""Measuring and wrapping chart text, set in the report's font, without a font engine."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Measuring text

# Advance widths (thousandths of an em) of the printable ASCII characters, ' ' to '~', in the
# bundled Noto Sans Regular and Bold, read from the fonts' hmtx tables.
_REGULAR = (
    260,
    269,
    408,
    646,
    572,
    831,
    732,
    225,
    300,
    300,
    551,
    572,
    268,
    322,
    268,
    372,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    268,
    268,
    572,
    572,
    572,
    434,
    899,
    639,
    650,
    632,
    730,
    556,
    519,
    728,
    741,
    339,
    273,
    619,
    524,
    907,
    760,
    781,
    605,
    781,
    622,
    549,
    556,
    731,
    600,
    930,
    586,
    566,
    572,
    329,
    372,
    329,
    572,
    444,
    281,
    561,
    615,
    480,
    615,
    564,
    344,
    615,
    618,
    258,
    258,
    534,
    258,
    935,
    618,
    605,
    615,
    615,
    413,
    479,
    361,
    618,
    508,
    786,
    529,
    510,
    470,
    380,
    551,
    380,
    572,
)
_BOLD = (
    260,
    286,
    472,
    646,
    572,
    901,
    750,
    266,
    339,
    339,
    545,
    572,
    285,
    322,
    285,
    413,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    572,
    285,
    285,
    572,
    572,
    572,
    477,
    897,
    690,
    672,
    637,
    740,
    560,
    549,
    724,
    765,
    389,
    331,
    664,
    565,
    943,
    813,
    796,
    628,
    796,
    660,
    551,
    579,
    756,
    650,
    967,
    667,
    624,
    579,
    331,
    413,
    331,
    572,
    411,
    362,
    604,
    633,
    514,
    633,
    591,
    387,
    633,
    657,
    305,
    305,
    620,
    305,
    982,
    657,
    619,
    633,
    633,
    454,
    497,
    434,
    657,
    569,
    856,
    578,
    569,
    488,
    394,
    551,
    394,
    572,
)
_OTHER = {
    "…": (791, 855),
    "–": (500, 500),
    "—": (1000, 1000),
    "‘": (175, 217),
    "’": (175, 217),
    "“": (359, 445),
    "”": (359, 445),
    "\u00a0": (260, 260),
    "·": (268, 285),
    "×": (572, 572),
    "\u202f": (166, 166),
    "«": (509, 615),
    "»": (509, 615),
    "،": (328, 323),
    "؛": (344, 340),
    "٫": (245, 261),
    "٬": (245, 261),
    "٪": (473, 541),
}
# Arabic, from the bundled Noto Sans Arabic: Arabic-Indic digits as they are (480 and 528 on average); letters
# change shape with their neighbours, so a word is measured at a little less than its letters' isolated forms
# (675 and 732 on average), generously: about what a joined letter takes, plus room.
_ARABIC_DIGIT = (480, 528)
_ARABIC_LETTER = (600, 650)
_UNKNOWN = 720
"""Width assumed for a character outside the table: wider than most, so that text never overflows."""
_SLACK = 1.04
"""Room for a fallback font slightly wider than Noto Sans, when an SVG file is opened on its own."""
ELLIPSIS = "…"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` set in Report Sans at ``size`` points, in points (slightly generous)."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += table[code - 32]
        elif char in _OTHER:
            total += _OTHER[char][bold]
        elif "\u0660" <= char <= "\u0669":
            total += _ARABIC_DIGIT[bold]
        elif "\u0600" <= char <= "\u06ff" and unicodedata.category(char) == "Lo":
            total += _ARABIC_LETTER[bold]
        elif unicodedata.combining(char):
            continue
        elif 32 <= ord(base := unicodedata.normalize("NFD", char)[0]) < 127:
            total += table[ord(base) - 32]  # an accented Latin letter is as wide as its letter
        else:
            total += 1000 if unicodedata.east_asian_width(char) in "WF" else _UNKNOWN
    return total * size / 1000 * _SLACK


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


_SPACES = re.compile(r"[ \t\n\r]+")


def clean(text: str) -> str:
    """One line of text, without characters XML cannot carry (the loader refuses them already); no-break
    spaces stay, so that what they hold together ('1 068', '« x »') is never cut at a line's end."""
    return _SPACES.sub(" ", _NOT_XML.sub("\ufffd", text)).strip(" ")


@dataclass(frozen=True)
class Part:
    """A run of text in one weight."""

    text: str
    bold: bool = False


# ---------------------------------------------------------------------------
# Wrapping and cutting text


def _words(parts: Sequence[Part]) -> list[Part]:
    """The words of ``parts``; a number keeps the word after it on its line ('11 March', '745 civilians')."""
    words: list[Part] = []
    for part in parts:
        for word in clean(part.text).split(" "):
            if not word:
                continue
            if words and words[-1].bold == part.bold and re.fullmatch(r"[\d,.–-]+", words[-1].text):
                words[-1] = Part(f"{words[-1].text} {word}", part.bold)
            else:
                words.append(Part(word, part.bold))
    return words


def _join(words: Sequence[Part]) -> tuple[Part, ...]:
    """Words back into runs of one weight, with the spaces between them."""
    runs: list[Part] = []
    for word in words:
        if runs and runs[-1].bold == word.bold:
            runs[-1] = Part(f"{runs[-1].text} {word.text}", word.bold)
        else:
            runs.append(Part(f" {word.text}" if runs else word.text, word.bold))
    return tuple(runs)


def _width(words: Sequence[Part], size: float) -> float:
    return sum(text_width(part.text, size, part.bold) for part in _join(words))


def _cut(word: Part, width: float, size: float, ellipsis: str = "") -> Part:
    """The longest start of ``word`` that fits ``width`` with ``ellipsis`` after it."""
    room = width - text_width(ellipsis, size, word.bold)
    used, end = 0.0, 0
    for char in word.text:
        used += text_width(char, size, word.bold)
        if used > room:
            break
        end += 1
    return Part(word.text[:end] + ellipsis if end else "", word.bold)


def wrap(parts: Sequence[Part], width: float, size: float, max_lines: int | None = None) -> list[tuple[Part, ...]]:
    """Lines of at most ``width`` points; past ``max_lines``, cut after a whole word with an ellipsis.

    Only a word too long for a line of its own (a pasted address, hostile input) is broken inside.
    """
    words: list[Part] = []
    for word in _words(parts):
        while text_width(word.text, size, word.bold) > width:
            head = _cut(word, width, size)
            if not head.text:  # not even one character fits
                return []
            words.append(head)
            word = Part(word.text[len(head.text) :], word.bold)
        words.append(word)
    lines: list[list[Part]] = []
    for word in words:
        if lines and _width([*lines[-1], word], size) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    if max_lines is None or len(lines) <= max_lines:
        return [_join(line) for line in lines]
    return [_join(line) for line in _ellipsize(lines[:max_lines], width, size)]


def _ellipsize(lines: list[list[Part]], width: float, size: float) -> list[list[Part]]:
    """``lines`` shortened by whole words from the end until the last one fits with an ellipsis after its last word."""
    first = lines[0][0]
    while lines:
        line = lines[-1]
        while line:
            last = Part(line[-1].text.rstrip(",;:.") + ELLIPSIS, line[-1].bold)
            if _width([*line[:-1], last], size) <= width:
                return [*lines[:-1], [*line[:-1], last]]
            line.pop()
        lines.pop()
    cut = _cut(first, width, size, ELLIPSIS)  # one word filling the first line: no whole word can stay
    return [[cut]] if cut.text != ELLIPSIS else []

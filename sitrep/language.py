"""The language of an edition: its interface words, and how it writes numbers and dates.

Every fixed word a product prints ("Key figures", "at least", "Page 2 of 5") is an English
message looked up in the edition's gettext catalog, ``sitrep/locale/<language>/LC_MESSAGES/
sitrep.po``; numbers and dates are written by Babel in the edition's locale (``1 018`` and
``8 mars 2025`` in French; ``١٬٠١٨`` and ``٨ آذار ٢٠٢٥`` in Arabic, or Latin digits if the
file asks for them). The language in use is a context variable, set for one edition by
``speaking``, so that the wording functions, the view and the templates all read the same one
without passing it through every call.

The ``.po`` files are the catalogs' only copy: each is compiled the first time an edition in its
language is built, and the compiled form is kept in the user's cache under the hash of the ``.po``
text, so a compiled catalog can never lag behind its source.
Messages are marked for extraction with ``_`` (translated now), ``N_`` (kept English in a
table, translated where used with ``_``) and ``ngettext`` (a count's plural form).
"""

from __future__ import annotations

import functools
import gettext
import io
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

CATALOGS = Path(__file__).resolve().parent / "locale"
DOMAIN = "sitrep"

ARABIC_INDIC = str.maketrans("0123456789%", "٠١٢٣٤٥٦٧٨٩٪")
"""Latin digits (and the per cent sign) to the Arabic-Indic ones written in Syria and the Mashreq."""

ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
"""The Arabic script's blocks, as a regular expression's character range (presentation forms included)."""
LATIN_LETTERS = "A-Za-z\u00c0-\u024f"
ARABIC_SCRIPT = re.compile(f"[{ARABIC_LETTERS}]")
LATIN_SCRIPT = re.compile(f"[{LATIN_LETTERS}]")

RIGHT_TO_LEFT = ("ar", "fa", "he", "ps", "ur", "yi", "dv", "ckb", "sd", "ug")
"""Languages written right to left (by their primary subtag)."""
ARABIC_WRITTEN = ("ar", "fa", "ps", "ur", "ckb", "sd", "ug")
"""Languages written in the Arabic script."""


@functools.cache
def primary(tag: str) -> str:
    """``ar-SY`` -> ``ar``."""
    return tag.split("-")[0].lower()


@functools.cache
def catalog_languages() -> tuple[str, ...]:
    """The languages sitrep speaks: English, in which its messages are written, and each it has a catalog for."""
    return tuple(sorted({"en", *(path.parent.parent.name for path in CATALOGS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}))


@functools.cache
def _translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (its primary subtag), compiled from its ``.po`` file (once: the compiled
    catalog is kept in the user's cache, ``sitrep.cache``); none for a language without a catalog, whose
    messages stay as written (in English). English has a catalog too, empty: its messages are the English
    words, which an organisation may reword there."""
    path = CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    import babel

    from .cache import kept

    compile = functools.partial(_compiled, language=language)
    return kept("catalogs", path.read_bytes(), compile, _read_mo, version=f"{babel.__version__} {language}")


def _read_mo(compiled: bytes) -> gettext.GNUTranslations:
    """A compiled catalog read; ValueError if it is damaged."""
    try:
        return gettext.GNUTranslations(io.BytesIO(compiled))
    except (OSError, struct.error, IndexError) as error:  # OSError: not a catalog ("bad magic number")
        raise ValueError(f"not a compiled catalog: {error}") from None


def _compiled(po: bytes, language: str) -> bytes:
    """The catalog of ``language`` compiled from its ``.po`` text to gettext's ``.mo`` form (fuzzy
    translations left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


@dataclass(frozen=True)
class Language:
    """An edition's language: ``tag`` as the file writes it (en, fr, ar), and for Arabic its digits
    ('arabic-indic' or 'latin') and month names ('levantine', as in Syria, or 'standard')."""

    tag: str = "en"
    digits: str | None = None
    month_names: str = "levantine"

    @property
    def code(self) -> str:
        """The primary subtag: 'ar' for ar-SY."""
        return primary(self.tag)

    @property
    def direction(self) -> str:
        """'rtl' or 'ltr'."""
        return "rtl" if self.code in RIGHT_TO_LEFT else "ltr"

    @property
    def indic_digits(self) -> bool:
        return self.code == "ar" and self.digits != "latin"

    @functools.cached_property
    def translations(self) -> gettext.NullTranslations:
        return _translations(self.code)

    @functools.cached_property
    def locale(self):
        """The Babel locale for numbers and dates: Arabic as written in Syria (ar_SY: آذار) unless the
        file asks for the standard month names (ar: مارس)."""
        from babel import Locale, UnknownLocaleError

        name = self.tag.replace("-", "_")
        if self.code == "ar" and "_" not in name:
            name = "ar_SY" if self.month_names == "levantine" else "ar"
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            try:
                return Locale.parse(self.code)
            except (UnknownLocaleError, ValueError):
                return Locale.parse("en")

    @property
    def numbering(self) -> str:
        """Babel's numbering system: Arabic-Indic separators (٬ ٫) with Arabic-Indic digits."""
        return "arab" if self.indic_digits else "latn"

    # -- words

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def name_of(self, tag: str) -> str:
        """The name of the language ``tag`` in this language: 'English', 'anglais', 'الإنجليزية'."""
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(primary(tag)).get_language_name(self.locale) or tag
        except (UnknownLocaleError, ValueError):
            return tag

    # -- numbers and dates

    def shown(self, text: str) -> str:
        """``text`` (made of Latin digits by Babel or Python) in the edition's digits."""
        return text.translate(ARABIC_INDIC) if self.indic_digits else text

    def isolated(self, text: str) -> str:
        """``text`` that reads left to right as a whole ('UTC+03:00'), isolated as such in a right-to-left
        edition (Unicode's left-to-right isolate), where its '+' would otherwise move to the other end."""
        return f"\u2066{text}\u2069" if self.direction == "rtl" else text

    def integer(self, value: int) -> str:
        """``1018`` -> ``1,018``, ``1 018``, ``١٬٠١٨``."""
        if self.tag == "en":  # what CLDR says for English, without Babel's cost on every number of a long file
            return f"{value:,}"
        from babel.numbers import format_decimal

        return self.shown(format_decimal(value, locale=self.locale, numbering_system=self.numbering))

    def decimal(self, value: Decimal) -> str:
        """``Decimal('9.20')`` -> ``9.2``, ``9,2``, ``٩٫٢``: as given, no trailing zeros, no rounding."""
        from babel.numbers import format_decimal

        return self.shown(
            format_decimal(value, locale=self.locale, numbering_system=self.numbering, decimal_quantization=False)
        )

    def scaled(self, value: int) -> str:
        """A number of millions or billions, exact to two decimals (the caller has made sure):
        ``17 million``, ``17 millions``, ``١٧ مليون``."""
        from babel.numbers import format_compact_decimal

        return self.shown(
            format_compact_decimal(
                value, format_type="long", locale=self.locale, fraction_digits=2, numbering_system=self.numbering
            )
        )

    def percent(self, value: Decimal) -> str:
        """``78.6`` -> ``78.6%``, ``78,6 %``, ``٧٨٫٦٪``: as the source gave it."""
        from babel.numbers import format_percent

        return self.shown(
            format_percent(value / 100, locale=self.locale, numbering_system=self.numbering, decimal_quantization=False)
        )

    def date(self, value: date, pattern: str) -> str:
        """``value`` by a CLDR ``pattern`` ('d MMMM y' -> 8 March 2025, 8 mars 2025, ٨ آذار ٢٠٢٥); in French
        the first of the month is '1er'."""
        return _formatted_date(self, type(value), value, pattern)

    def time(self, value: datetime) -> str:
        """``18:00``; ``١٨:٠٠``."""
        return self.shown(f"{value:%H:%M}")


@functools.lru_cache(maxsize=4096)
def _formatted_date(language: Language, kind: type, value: date, pattern: str) -> str:
    """``Language.date``, once per language, day and pattern: a report names the same days many times.
    (``kind`` keeps a month, which equals its last day, apart from that day.)"""
    from babel.dates import format_date

    if language.code == "fr" and pattern.startswith("d ") and value.day == 1:
        pattern = "d'er' " + pattern[2:]
    return language.shown(format_date(value, pattern, locale=language.locale))


ENGLISH = Language()
_current: ContextVar[Language] = ContextVar("sitrep_language", default=ENGLISH)


def current() -> Language:
    """The language of the edition being made (English outside any edition)."""
    return _current.get()


@contextmanager
def speaking(language: Language) -> Iterator[Language]:
    """Make everything within speak ``language``."""
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current edition's language."""
    return _current.get().gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is used (in a table read at import time)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for ``count``: '1 source', '3 sources'."""
    return _current.get().ngettext(singular, plural, count)


def css_string(text: str) -> str:
    """``text`` as a CSS string, every character but letters, digits and spaces escaped: safe in a style sheet
    and inside an HTML ``<style>`` element."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def page_numbers() -> str:
    """The CSS ``content`` of the page numbers in the edition's words and digits: '"Page " counter(page) " of "
    counter(pages)', with ``arabic-indic`` counters in an Arabic edition."""
    style = ", arabic-indic" if current().indic_digits else ""
    counters = {"{page}": f"counter(page{style})", "{pages}": f"counter(pages{style})"}
    parts = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    return " ".join(counters.get(part) or css_string(part) for part in parts if part)


def script_of(text: str) -> str | None:
    """'arabic' or 'latin' when ``text`` has letters of one of these scripts only, else None."""
    arabic, latin = bool(ARABIC_SCRIPT.search(text)), bool(LATIN_SCRIPT.search(text))
    if arabic == latin:
        return None
    return "arabic" if arabic else "latin"


def arabic_written(language: str) -> bool:
    """Whether ``language`` is written in the Arabic script: ar, fa, ur..."""
    return primary(language) in ARABIC_WRITTEN


def writes(language: str, text: str) -> bool:
    """Whether ``text`` is written in the script of ``language``: Arabic for ar, Latin for en or fr."""
    wanted = "arabic" if arabic_written(language) else "latin"
    return script_of(text) == wanted


SEPARATORS = {", ": N_(", "), "; ": N_("; ")}
"""The marks between the items of a list: the Arabic comma and semicolon (، ؛) in Arabic."""


def listed(items: Iterable[str], separator: str = ", ") -> str:
    """``items`` separated as the edition writes a list: 'Latakia, Tartus', 'اللاذقية، طرطوس'."""
    return _(SEPARATORS[separator]).join(items)


def alphabetical(text: str) -> str:
    """The key that puts names in the order a reader of their script looks them up: letters without their
    accents or hamza (É as E, أ and إ as ا), in any case, and an Arabic name without its article (الأردن under
    أ, between إسرائيل and تركيا), the letters of the Arabic block being in its alphabetical order."""
    letters = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()
    return letters.removeprefix("ال") if ARABIC_SCRIPT.match(letters) else letters

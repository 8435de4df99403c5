"""The input model: the one definition of what a valid situation report file is.

Every field carries a docstring; they are the reference documentation of the file
format and feed the JSON Schema. Values arrive from the loader as text, exactly as
the analyst wrote them; the types below convert them, accepting the forms people
write where they are unambiguous and explaining what to write where they are not.
"""

import calendar
import difflib
import functools
import html
import math
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from functools import partial
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin
from urllib.parse import unquote

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from . import settings
from .errors import InputError, Problem, shortened
from .load import Loaded

# ---------------------------------------------------------------------------
# Values as people write them


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """A refusal; the value it quotes (``got``) cut to its start and end when long, so that a message stays a
    line however much was pasted."""
    if isinstance(context.get("got"), str):
        context["got"] = shortened(context["got"], 200)
    return PydanticCustomError(kind, message, context)


_COUNT = re.compile(r"\d{1,3}(,\d{3})+|\d+")
_QUALIFIER_WORDS = {
    "at least": "at-least",
    "more than": "more-than",
    "over": "more-than",
    "above": "more-than",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "some": "about",
    "nearly": "about",
    "almost": "about",
    "up to": "up-to",
}
MAX_COUNT = 10**15 - 1
"""The largest count or amount accepted, a million billion less one: far above any number of people (about
8 billion) or any appeal, and within what every output writes exactly (a PDF's and a spreadsheet's
numbers keep 15 digits)."""
SCALES = {"million": 10**6, "billion": 10**9}
"""Words sources scale numbers by: '17 million', '1.5 billion'."""
_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s+(million|billion)")
_SCALE_SLANG = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(m|mn|mln|mio|millions|bn|b|billions|k|thousand|thousands)\.?", re.IGNORECASE
)
_WORDED = re.compile(rf"({'|'.join(_QUALIFIER_WORDS)})\s+([\d,.]+(?:\s+(?:million|billion))?)", re.IGNORECASE)


def _scaled(text: str) -> int | None:
    """``17 million`` -> 17000000, ``9.2 million`` -> 9200000; None when ``text`` is not written so.

    Only exact multiples: '1.2345678 million' is not a whole number and is refused.
    """
    match = _SCALED.fullmatch(text)
    if match is None:
        return None
    number = Decimal(match.group(1)) * SCALES[match.group(2)]
    if number != number.to_integral_value():
        raise _fail(
            "count", "'{got}' is not a whole number: write the number in digits as the source gave it", got=text
        )
    return int(number)


def _refuse_scale_slang(text: str) -> None:
    """'17m', '17 mln', '1,5 million', '4.5 thousand': say how to write them."""
    if match := re.fullmatch(r"(\d+),(\d{1,2})\s+(million|billion)", text):
        raise _fail(
            "count",
            "'{got}': a comma cannot mark the decimals here; write {number}.{fraction} {scale}",
            got=text,
            number=match.group(1),
            fraction=match.group(2),
            scale=match.group(3),
        )
    if match := _SCALE_SLANG.fullmatch(text):
        word = match.group(2).lower()
        if word.startswith(("k", "thousand")):
            digits = Decimal(match.group(1).replace(",", ".")) * 1000
            example = f"{int(digits):,}" if digits == digits.to_integral_value() else "4,500"
            raise _fail(
                "count",
                "'{got}': write the number in digits, {example}, rather than in thousands",
                got=text,
                example=example,
            )
        scale = "billion" if word.startswith("b") else "million"
        raise _fail(
            "count",
            "'{got}': write {number} {scale}, with the word in full",
            got=text,
            number=match.group(1),
            scale=scale,
        )
    if match := re.fullmatch(r"([\d.,]+)\s*(?:-|–|—|to)\s*([\d.,]+)\s+(million|billion)", text):
        raise _fail(
            "count",
            "'{got}': give each end its own '{scale}': write `low: {low} {scale}` and `high: {high} {scale}`",
            got=text,
            low=match.group(1),
            high=match.group(2),
            scale=match.group(3),
        )


def parse_count(value: Any) -> int:
    """A whole, non-negative number of people or things: ``1018`` or ``1,018``."""
    if isinstance(value, bool) or value is None:
        raise _fail(
            "count", "expected a whole number, got {got} (write a number such as 1018 or 1,018)", got=repr(value)
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or not value.is_integer():
            raise _fail("count", "expected a whole number, got {got}", got=value)
        number = int(value)
    else:
        text = str(value).strip()
        if text.lower().lstrip("+-") in {"inf", "infinity", ".inf", "nan", ".nan"}:
            raise _fail("count", "expected a whole number, got '{got}' (not a number a source can report)", got=text)
        if re.fullmatch(r"\d+[.,]\d{3}", text) and "." in text:
            raise _fail(
                "count",
                "expected a whole number, got '{got}': the point is ambiguous "
                "(decimal or thousands?); write {plain} or {comma}",
                got=text,
                plain=text.replace(".", ""),
                comma=text.replace(".", ","),
            )
        if text.startswith("-") and _COUNT.fullmatch(text[1:]):
            raise _fail(
                "count",
                "expected a number of zero or more, got '{got}': write {fixed}, without the minus",
                got=text,
                fixed=text[1:],
            )
        if words := _WORDED.fullmatch(text):
            qualifier = _QUALIFIER_WORDS[words.group(1).lower()]
            raise _fail(
                "count",
                "expected a whole number, got '{got}': write `value: {number}` and `qualifier: {qualifier}`",
                got=text,
                number=words.group(2),
                qualifier=qualifier,
            )
        scaled = _scaled(text)
        if scaled is not None:
            return _bounded(scaled, text)
        _refuse_scale_slang(text)
        if ends := re.fullmatch(r"([\d,.]+)\s*(?:-|–|—|to)\s*([\d,.]+)", text):
            for end in ends.groups():
                try:
                    parse_count(end)
                except PydanticCustomError as error:
                    raise _fail("count", "in the range '{got}': {problem}", got=text, problem=str(error)) from None
        if _ARABIC_THOUSANDS in text:
            raise _arabic_thousands(text)
        if not _COUNT.fullmatch(text):
            raise _fail(
                "count",
                "expected a whole number, got '{got}': write digits only, such as 1018 or 1,018; "
                "words about the number go in `note`",
                got=text,
            )
        if len(text) > 1 and text[0] == "0":
            raise _fail(
                "count",
                "expected a whole number, got '{got}': a leading zero is ambiguous; write {fixed}",
                got=text,
                fixed=text.lstrip("0") or "0",
            )
        digits = text.replace(",", "")
        if len(digits) > len(str(MAX_COUNT)):  # before int(), which refuses 4,301 digits and more
            raise _too_large(text)
        number = int(digits)
    if number < 0:
        raise _fail("count", "expected a number of zero or more, got {got}", got=number)
    return _bounded(number, value)


_ARABIC_THOUSANDS = "\u066c"
"""The Arabic thousands separator, ٬ (١٬٠١٨): not read in a count, whose thousands are marked with ',' only."""


def _arabic_thousands(text: str) -> PydanticCustomError:
    """The refusal of a count grouped with the Arabic thousands separator: the number without it, and with a comma."""
    if re.fullmatch(rf"\d{{1,3}}({_ARABIC_THOUSANDS}\d{{3}})+", text):
        digits = text.replace(_ARABIC_THOUSANDS, "")
        fix = f"write {digits}, without it, or {int(digits):,}"
    else:
        fix = "write the number without it, such as ١٠١٨, or with commas, such as 1,018"
    return _fail(
        "count",
        "expected a whole number, got '{got}': the Arabic thousands separator (٬) is not read here; {fix}",
        got=text,
        fix=fix,
    )


def _too_large(written: Any) -> PydanticCustomError:
    return _fail(
        "count",
        "'{got}' is larger than any number sitrep accepts (up to {limit}, a million billion less one): "
        "check the number the source gave",
        got=shortened(str(written)),
        limit=f"{MAX_COUNT:,}",
    )


def _bounded(number: int, written: Any) -> int:
    if number > MAX_COUNT:
        raise _too_large(written)
    return number


# The JSON Schema of each kind of value describes it as editors read YAML (1.2: a plain 1018 is a number,
# 1,018 and 2025-03-08 are text, true and True are booleans, yes and on are text), while sitrep reads
# every value as the text written: so a count may be a number or text, a text may be a number.
# Patterns follow parse_count: \d is a digit of any script, as Python reads it (sitrep.schema writes
# it out for editors, whose patterns know only 0-9); no leading 0; spaces around are ignored.
# At most MAX_COUNT: 15 digits, or 9 before the point of millions and 6 of billions.
_COUNT_TEXT = r"(?!0(\d|,))(\d{1,3}(,\d{3}){1,4}|\d{1,15})|\d{1,9}(\.\d+)?\s+million|\d{1,6}(\.\d+)?\s+billion"
_COUNT_SCHEMA = {
    "type": ["integer", "string"],
    "minimum": 0,
    "maximum": MAX_COUNT,
    "pattern": rf"^\s*({_COUNT_TEXT})\s*$",
    "errorMessage": "Expected a whole number of zero or more, written 1018 or 1,018 (or 17 million), up to "
    f"{MAX_COUNT:,}: words about it go in `note`.",
}

Count = Annotated[int, BeforeValidator(parse_count), WithJsonSchema(_COUNT_SCHEMA)]
"""A whole number of zero or more, written 1018 or 1,018."""

CountOrRange = Annotated[
    int,
    BeforeValidator(parse_count),
    WithJsonSchema(
        {
            **_COUNT_SCHEMA,
            "pattern": rf"^\s*({_COUNT_TEXT})\s*$|^\s*({_COUNT_TEXT})\s*(-|–|—|to)\s*({_COUNT_TEXT})\s*$",
            "errorMessage": "Expected a whole number of zero or more, written 1018 or 1,018 (or 17 million), "
            f"up to {MAX_COUNT:,}, or a range such as 745-1,068: words about it go in `note`.",
        }
    ),
]
"""A count, or a range written '745-1,068' that the estimate turns into low and high."""


def parse_flag(value: Any) -> bool:
    """``true`` or ``false``; not yes/no/on/off, which YAML 1.1 and 1.2 read differently."""
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("true", "false"):
        return str(value).strip().lower() == "true"
    raise _fail("flag", "expected true or false, got '{got}'", got=value)


Flag = Annotated[
    bool,
    BeforeValidator(parse_flag),
    WithJsonSchema(
        {
            "type": ["boolean", "string"],
            "pattern": r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*$",
            "errorMessage": "Expected true or false (not yes, no, on or off).",
        }
    ),
]

_RANGE = re.compile(
    r"\s*(\d[\d,]*|\d+(?:\.\d+)?\s+(?:million|billion))\s*(?:-|–|—|to)\s*"
    r"(\d[\d,]*|\d+(?:\.\d+)?\s+(?:million|billion))\s*"
)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {
    name: number for number, month in enumerate(MONTH_NAMES, start=1) for name in (month.lower(), month[:3].lower())
} | {"sept": 9}


class Month(date):
    """A month, for a number or event a source dates by its month only ('April 2025').

    It is written and shown as the month, and compares with days as its last day, so that an
    estimate of 'April 2025' is newer than one of 31 March and older than one of 2 May; one of a day
    of April is neither (``sitrep.estimates`` shows both as current). A check that needs its first
    day (was it known by the report's as-of?) uses ``start``. Arithmetic on it gives plain days.
    """

    def __new__(cls, year: int, month: int, day: int | None = None) -> date:  # type: ignore[misc]
        if day is not None:  # date's own arithmetic and replace() build with three numbers: a plain day
            return date(year, month, day)
        return super().__new__(cls, year, month, calendar.monthrange(year, month)[1])

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Month) and (self.year, self.month) == (other.year, other.month)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("month", self.year, self.month))

    def __reduce__(self) -> tuple:
        return Month, (self.year, self.month)


def start_of(value: date) -> date:
    """The first day a date may mean: a month's first day, or the day itself."""
    return value.start if isinstance(value, Month) else value


def parse_day_or_month(value: Any) -> date:
    """A day, as ``parse_day``, or a month: ``2025-04``, ``April 2025``, ``Apr 2025``."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip()
    if match := re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
        raise _fail(
            "date",
            "'{got}': write the month as {year}-{month} or as {name} {year}",
            got=text,
            year=match.group(2),
            month=f"{int(match.group(1)):02d}",
            name=MONTH_NAMES[int(match.group(1)) - 1] if 1 <= int(match.group(1)) <= 12 else "April",
        )
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            raise _fail("date", "'{got}' is not a real month: there is no month {month}", got=text, month=month)
        return Month(year, month)
    if (match := re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", text)) and match.group(1).lower() in _MONTHS:
        return Month(int(match.group(2)), _MONTHS[match.group(1).lower()])
    try:
        return parse_day(value)
    except PydanticCustomError as error:
        if not str(error).startswith("expected a date"):
            raise  # a precise refusal: an ambiguous or impossible day
        raise _fail(
            "date",
            "expected a date, got '{got}' (write YYYY-MM-DD, for example 2025-03-08, or 8 March "
            "2025; or, when the source gives only the month, 2025-04 or April 2025)",
            got=text,
        ) from None


def parse_day(value: Any) -> date:
    """A calendar day: ``2025-03-09`` or ``9 March 2025``; ``08/03/2025`` is refused as ambiguous."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if _ISO_DAY_DIGITS.fullmatch(text):
            return date.fromisoformat(text)
        if match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text):
            day, month, year = match.groups()
            if month.lower() in _MONTHS:
                return date(int(year), _MONTHS[month.lower()], int(day))
        if match := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            month, day, year = match.groups()
            if month.lower() in _MONTHS:
                return date(int(year), _MONTHS[month.lower()], int(day))
    except ValueError:
        raise _fail(
            "date",
            "'{got}' is not a real calendar day{why}; check the date in the source",
            got=text,
            why=_why_not_a_day(text),
        ) from None
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        raise _fail(
            "date",
            "'{got}' is ambiguous: day/month or month/day? Write it as YYYY-MM-DD "
            "(for example 2025-03-08) or as 8 March 2025",
            got=text,
        )
    if (latin := _in_latin_digits(text)) != text:
        raise _in_other_digits(text, latin, parse_day, "date", "2025-03-08")
    raise _fail(
        "date", "expected a date, got '{got}' (write YYYY-MM-DD, for example 2025-03-08, or 8 March 2025)", got=text
    )


_ISO_DAY_DIGITS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
"""A day written YYYY-MM-DD, in the digits 0-9 only: date.fromisoformat reads no others (\\d would match
٢٠٢٥-٠٣-٠٨, which it then calls no real day)."""


def _in_latin_digits(text: str) -> str:
    """``text`` with the decimal digits of every other script (٢٠٢٥, ۲۰۲۵) written as Latin ones (2025)."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char for char in text)


def _in_other_digits(text: str, latin: str, parse: Any, kind: str, example: str) -> PydanticCustomError:
    """The refusal of a date (or time) written in digits other than 0-9, in a form that needs 0-9: it says
    what to write, ``latin`` when that is a valid one."""
    try:
        parse(latin)
        fix = f": {latin}"
    except PydanticCustomError:
        fix = f", such as {example}"
    what = "date and time" if kind == "datetime" else "date"
    return _fail(kind, "'{got}': write the {what} in Latin digits (0-9){fix}", got=text, what=what, fix=fix)


def _why_not_a_day(text: str) -> str:
    """': February 2025 has 28 days' for 2025-02-30."""
    match = _ISO_DAY_DIGITS.fullmatch(text)
    if not match:
        return ""
    year, month, _ = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f": there is no month {month}"
    return f": {MONTH_NAMES[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"


_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?")
"""A date and time with its zone. The day is in the digits 0-9, the only ones datetime.fromisoformat reads; the
hour and the zone are read by int(), which has always read the digits of every script."""


def parse_moment(value: Any) -> datetime:
    """A date and time with its time zone: ``2025-03-09 18:00 +02:00``."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        match = _MOMENT.fullmatch(text)
        latin = _in_latin_digits(text)
        if not match and latin != text:
            raise _in_other_digits(text, latin, parse_moment, "datetime", "2025-03-09 18:00 +02:00")
        if not match:
            raise _fail(
                "datetime",
                "expected a date and time with its time zone, got '{got}' (write for example 2025-03-09 18:00 +02:00)",
                got=text,
            )
        day, hour, minute, second, zone = match.groups()
        if zone is None:
            raise _fail(
                "datetime",
                "'{got}' has no time zone, so readers elsewhere cannot tell when it was: "
                "add one, for example {got} +02:00 (or UTC)",
                got=text,
            )
        try:
            moment = datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")
        except ValueError:
            if latin != text:  # minutes or seconds in other digits
                raise _in_other_digits(text, latin, parse_moment, "datetime", "2025-03-09 18:00 +02:00") from None
            raise _fail("datetime", "'{got}' is not a real date and time", got=text) from None
        if zone in ("Z", "UTC"):
            offset = UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = moment.replace(tzinfo=offset)
    if moment.tzinfo is None:
        raise _fail("datetime", "the time has no time zone: add one, for example +02:00")
    return moment


def _any_case(word: str) -> str:
    """A pattern for ``word`` in any case: [Rr][Ee][Gg][Ii][Oo][Nn]."""
    return "".join(f"[{c.upper()}{c}]" for c in word)


def _month_names() -> str:
    """A pattern for the month names parse_day reads, in any case: [Ss][Ee][Pp]([Tt]([Ee][Mm][Bb][Ee][Rr])?)?..."""
    names = []
    for number in range(1, 13):
        words = sorted((word for word, month in _MONTHS.items() if month == number), key=len)
        pattern = ""
        for shorter, longer in reversed(list(zip(["", *words], words, strict=False))):
            pattern = f"({_any_case(longer[len(shorter) :])}{pattern})" + ("?" if shorter else "")
        names.append(pattern)
    return "|".join(names)


# Dates in digits 0-9 (sitrep also reads '8 March ٢٠٢٥', which the schema leaves out).
_ISO_DAY = (
    r"([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)"
)
"""A real day written YYYY-MM-DD: no 2025-02-30, and 29 February in leap years only."""
_MONTH_WORD = f"({_month_names()})"
_DAY_TEXT = rf"{_ISO_DAY}|[0-9]{{1,2}}\s+{_MONTH_WORD}\.?,?\s+[0-9]{{4}}|{_MONTH_WORD}\.?\s+[0-9]{{1,2}},?\s+[0-9]{{4}}"
_MONTH_TEXT = rf"[0-9]{{4}}-(0[1-9]|1[0-2])|{_MONTH_WORD}\.?,?\s+[0-9]{{4}}"
_MOMENT_TEXT = (
    rf"{_ISO_DAY}[T ]\s*([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
    r"\s*(Z|UTC|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
)


def write_moment(moment: datetime) -> str:
    """``2025-03-09 18:00 +03:00``: a date and time as an analyst writes it, the inverse of parse_moment."""
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


Day = Annotated[
    date,
    BeforeValidator(parse_day),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*({_DAY_TEXT})\s*$",
            "errorMessage": "Expected a day: YYYY-MM-DD (2025-03-08) or 8 March 2025.",
        }
    ),
]
"""A calendar day: 2025-03-09 or 9 March 2025."""

DayOrMonth = Annotated[
    date,
    PlainValidator(parse_day_or_month),
    PlainSerializer(lambda value: value.isoformat(), when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*({_DAY_TEXT}|{_MONTH_TEXT})\s*$",
            "errorMessage": "Expected a day, YYYY-MM-DD (2025-03-08) or 8 March 2025; or, "
            "when the source gives only the month, 2025-04 or April 2025.",
        }
    ),
]
"""A day (2025-03-09, 9 March 2025), or a month when the source gives no day (2025-04, April 2025)."""

Moment = Annotated[
    datetime,
    BeforeValidator(parse_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rf"^\s*({_MOMENT_TEXT})\s*$",
            "errorMessage": "Expected a date and time with its time zone: 2025-03-09 18:00 +02:00 (or UTC).",
        }
    ),
]
"""A date and time with its time zone: 2025-03-09 18:00 +02:00."""


def _web_address(url: str) -> str:
    if not re.fullmatch(r"https?://[^\s\x00-\x1f\x7f-\x9f/?#]+[^\s\x00-\x1f\x7f-\x9f]*", url, flags=re.IGNORECASE):
        raise _fail("url", "expected a web address starting with https:// or http://, got '{got}'", got=url)
    return url


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, max_length=80),
    WithJsonSchema(
        {
            "type": ["string", "number", "boolean"],
            "pattern": ID_PATTERN,
            "maxLength": 80,
            "minimum": 0,
            "examples": ["sohr", "reuters-0308", "latakia"],
            "errorMessage": "Expected an id: letters, digits, '-', '_' or '.', such as reuters-0308.",
        }
    ),
]
"""A short name used to point at an entry: letters, digits, '-', '_' and '.'."""


MAX_HINTS = 50
"""Unknown ids after this many in one file get no "did you mean" (each costs a comparison with every id)."""


def _reference(kind: str) -> AfterValidator:
    """Check that an id names an entry under ``kind`` (sources, locations, figures) of the same file.

    The known ids come from the validation context that ``parse_report`` provides, so that
    an unknown id is reported with the other errors of the file, at the place it is written.
    """

    def check(value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        if kind in context and value not in context[kind]:
            known = context[f"{kind} in order"]
            hints = context.setdefault("hints given", [0])  # suggestions cost time: only for the first few
            hints[0] += 1
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.7) if hints[0] <= MAX_HINTS else []
            if close:
                hint = f"did you mean '{close[0]}'?"
            elif known:
                hint = f"add it under `{kind}:`, or use one of: {', '.join(known[:12])}"
            else:
                hint = f"add it under `{kind}:`"
            raise _fail("reference", "no {what} with id '{got}': {hint}", what=kind[:-1], got=value, hint=hint)
        return value

    return AfterValidator(check)


SourceRef = Annotated[Id, _reference("sources")]
LocationRef = Annotated[Id, _reference("locations")]
FigureRef = Annotated[Id, _reference("figures")]


def _no_control_characters(text: str) -> str:
    """Control characters can arrive through escapes in quoted YAML ("\\r", "\\u0085"): refuse them. (The loader
    refuses bidirectional controls and noncharacters in every value, escaped or not.)"""
    for char in text:
        if char not in "\n\t" and (unicodedata.category(char) == "Cc" or char in "\u2028\u2029"):
            raise _fail(
                "control",
                "control character U+{code} in the text: remove it (a line break is written "
                "as a new line in a `|` block)",
                code=f"{ord(char):04X}",
            )
    return text


def text_schema(max_length: int) -> dict[str, Any]:
    """The JSON Schema of a text: what is written, a number or true included (YAML 1.2 types them, sitrep
    reads them as the text written), without control characters, bidirectional controls or noncharacters."""
    return {
        "type": ["string", "number", "boolean"],
        "minLength": 1,
        "maxLength": max_length,
        "pattern": r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]*$",
        "patternErrorMessage": "A control character, a bidirectional control or a noncharacter is in the text: "
        "remove it.",
        "errorMessage": f"Expected a text of 1 to {max_length:,} characters.",
    }


Text = Annotated[
    str, Field(min_length=1, max_length=5000), AfterValidator(_no_control_characters), WithJsonSchema(text_schema(5000))
]

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
LanguageTag = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
"""A BCP 47 language tag: en, fr, ar."""

UNION_TAGS = ("plain-text", "text-by-language")
"""The names of the two ways a translatable text is written, which errors leave out of field paths."""


def _text_kind(value: Any) -> str:
    return UNION_TAGS[1] if isinstance(value, dict) else UNION_TAGS[0]


class Translatable(StrEnum):
    """How a text given in some of an edition's languages only is shown in the others."""

    prose = "prose"
    """The analyst's words: shown in the file's language, marked as not translated, and warned about."""
    name = "name"
    """A name (a publisher, a place, an appeal): shown as written, as names are."""


def local_text(text: Any, kind: Translatable = Translatable.prose, max_length: int = 5000) -> Any:
    """A translatable text as written: one text, or a text per language.

    Its JSON Schema is one schema, not a choice of two, so that editors show its description once
    and name what is wrong; each keyword applies to its own type (minLength to text, minProperties to
    a mapping)."""
    schema = text_schema(max_length)
    return Annotated[
        Union[  # noqa: UP007  (the tagged union needs the Union form)
            Annotated[text, Tag(UNION_TAGS[0])],
            Annotated[dict[LanguageTag, text], Field(min_length=1), Tag(UNION_TAGS[1])],
        ],
        Discriminator(_text_kind),
        kind,
        WithJsonSchema(
            {
                **schema,
                "type": [*schema["type"], "object"],
                "minProperties": 1,
                "patternProperties": {
                    LANGUAGE_PATTERN: {**schema, "description": "The text in the language this key names."}
                },
                "additionalProperties": False,
                "errorMessage": f"{schema['errorMessage'][:-1]}, or a text per language: {{en: ..., ar: ...}}.",
            }
        ),
    ]


LocalText = local_text(Text)
"""Text in the report's language, or per language: `title: {en: ..., ar: ...}`."""
LocalName = local_text(Text, Translatable.name)
"""A name, the same in every language or per language: `name: {en: Aleppo, fr: Alep}`."""

LINK_SCHEMES = ("http", "https", "mailto")
"""What a link in the analyst's Markdown may lead to: a web page or a mail address (or, with no scheme, a
place in the report)."""


def link_scheme(url: str) -> str | None:
    """The scheme a reader's browser or Markdown viewer would find in ``url`` whatever its encoding: entities
    and percent escapes decoded (again and again), the spaces and control characters browsers skip removed,
    any case; None when it has none."""
    decoded = None
    while decoded != url:
        decoded, url = url, html.unescape(unquote(url))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f-\x9f]", "", url))
    return match.group(1).lower() if match else None


def _safe_markdown(text: str) -> str:
    """The analyst's Markdown links only to web pages and mail addresses, and holds no image: the report
    loads nothing from a file or the web (the PDF never could), and a `javascript:` or `data:` link would
    run or load something in a reader's browser, however it is encoded."""
    if "](" not in text and "]:" not in text and "<" not in text:  # what every link and image is written with
        return text
    for kind, url in _links_and_images(text):
        if kind == "image":
            raise _fail(
                "markdown",
                "an image ![...]({url}) cannot be in the report, which shows no image from a file or the web: "
                "remove it, or link to it: [what it shows](https://...)",
                url=shortened(url, 60),
            )
        scheme = link_scheme(url)
        if scheme is not None and scheme not in LINK_SCHEMES:
            raise _fail(
                "markdown",
                "a link to '{scheme}:' cannot be in the report (it could run or load something in a reader's "
                "browser): link to a web page (https://...) or a mail address (mailto:...), or remove the link",
                scheme=shortened(scheme),
            )
    return text


def _links_and_images(text: str) -> list[tuple[str, str]]:
    """Every link and image in ``text`` read as Markdown, as ('link' | 'image', its address)."""
    from markdown_it import MarkdownIt  # only for a text with a link or an image in it

    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = lambda url: True  # see every link, those a renderer would drop included
    found: list[tuple[str, str]] = []
    tokens = parser.parse(text)
    while tokens:
        token = tokens.pop(0)
        tokens[:0] = token.children or []
        if token.type == "link_open":
            found.append(("link", str(token.attrs.get("href", ""))))
        elif token.type == "image":
            found.append(("image", str(token.attrs.get("src", ""))))
    return found


LocalProse = local_text(Annotated[Text, AfterValidator(_safe_markdown)])
"""The analyst's Markdown, in the report's language or per language: no image, and links only to web pages
and mail addresses."""


def translatable(field: FieldInfo) -> Translatable | None:
    """Whether a model's field is a translatable text, and of which kind."""
    return next((m for m in field.metadata if isinstance(m, Translatable)), None) or _translatable(field.annotation)


def _translatable(annotation: Any) -> Translatable | None:
    if get_origin(annotation) is Annotated:
        found = next((m for m in annotation.__metadata__ if isinstance(m, Translatable)), None)
        return found or _translatable(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return next(filter(None, map(_translatable, get_args(annotation))), None)
    return None


Url = Annotated[
    str,
    AfterValidator(_web_address),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069/?#]+"
            r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$",
            "errorMessage": "Expected a web address starting with https:// or http://.",
        }
    ),
]


# ---------------------------------------------------------------------------
# Choices


class SourceKind(StrEnum):
    """What kind of body a source is; readers weigh claims by it."""

    news = "news"
    monitor = "monitor"
    un = "un"
    ngo = "ngo"
    government = "government"
    armed_group = "armed-group"
    social_media = "social-media"
    other = "other"


class Reliability(StrEnum):
    """The analyst's assessment of a source's track record, after the Admiralty scale's A to F."""

    reliable = "reliable"
    usually_reliable = "usually-reliable"
    fairly_reliable = "fairly-reliable"
    not_usually_reliable = "not-usually-reliable"
    unreliable = "unreliable"
    not_assessed = "not-assessed"


class Metric(StrEnum):
    """What a figure counts: what happened to the people or things counted."""

    killed = "killed"
    injured = "injured"
    missing = "missing"
    displaced = "displaced"
    homeless = "homeless"
    refugees = "refugees"
    returned = "returned"
    detained = "detained"
    affected = "affected"
    in_need = "in-need"
    targeted = "targeted"
    reached = "reached"
    delivered = "delivered"
    damaged = "damaged"
    destroyed = "destroyed"
    damaged_or_destroyed = "damaged-or-destroyed"
    cases = "cases"
    incidents = "incidents"


class Unit(StrEnum):
    """What one of a figure's numbers is: a person, a household, a building, a truck..."""

    people = "people"
    households = "households"
    families = "families"
    buildings = "buildings"
    homes = "homes"
    schools = "schools"
    health_facilities = "health-facilities"
    bridges = "bridges"
    water_points = "water-points"
    shelters = "shelters"
    tents = "tents"
    kits = "kits"
    trucks = "trucks"
    missions = "missions"
    sites = "sites"
    aftershocks = "aftershocks"


class Status(StrEnum):
    """How sure a source is of an estimate."""

    reported = "reported"
    verified = "verified"
    estimated = "estimated"


class Qualifier(StrEnum):
    """How a source worded its number; shown with the number, never dropped."""

    exact = "exact"
    at_least = "at-least"
    more_than = "more-than"
    about = "about"
    up_to = "up-to"


class Sector(StrEnum):
    """The basic service a service entry is about."""

    electricity = "electricity"
    water = "water"
    food = "food"
    health = "health"
    telecoms = "telecoms"
    fuel = "fuel"
    education = "education"
    shelter = "shelter"
    protection = "protection"
    other = "other"


class ServiceState(StrEnum):
    """The state of a service where the entry applies."""

    cut = "cut"
    disrupted = "disrupted"
    closed = "closed"
    suspended = "suspended"
    restored = "restored"
    functioning = "functioning"
    unknown = "unknown"


class Constraint(StrEnum):
    """The kind of constraint on humanitarian access (after OCHA's access monitoring categories)."""

    insecurity = "insecurity"
    movement_restrictions = "movement-restrictions"
    attacks_on_aid = "attacks-on-aid"
    attacks_on_health = "attacks-on-health"
    suspended_operations = "suspended-operations"
    denial_of_access = "denial-of-access"
    other = "other"


# ---------------------------------------------------------------------------
# Entries


def examples_of(model: type[BaseModel]) -> dict[str, Any]:
    """The example of each field of ``model``, its own and its base classes' ``EXAMPLES``."""
    return {name: example for cls in reversed(model.__mro__) for name, example in getattr(cls, "EXAMPLES", {}).items()}


@functools.cache
def _docstrings() -> dict[tuple[str, str], str]:
    """The docstring under each field of each class of this module, by (class, field), read from its source.

    They are the fields' descriptions, read only when a message or the JSON Schema needs one: pydantic's own
    way (``use_attribute_docstrings``) reads every class's source at import, which would cost every command.
    """
    import ast
    import inspect

    found = {}
    for node in ast.walk(ast.parse(Path(__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            for field, below in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(field, ast.AnnAssign)
                    and isinstance(field.target, ast.Name)
                    and isinstance(below, ast.Expr)
                    and isinstance(below.value, ast.Constant)
                    and isinstance(below.value.value, str)
                ):
                    found[node.name, field.target.id] = inspect.cleandoc(below.value.value)
    return found


def description(model: type[BaseModel], name: str) -> str | None:
    """What the field ``name`` (its name in Python) of ``model`` holds: its ``Field(description=...)``, else
    the docstring under it in its class or the nearest base class that has one."""
    info = model.model_fields.get(name)
    if info is not None and info.description:
        return info.description
    docstrings = _docstrings()
    return next((docstrings[c.__name__, name] for c in model.__mro__ if (c.__name__, name) in docstrings), None)


def _schema_extra(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Put each field's description, its example from the class's ``EXAMPLES``, and its ``RULES``, into the JSON
    Schema."""
    for name, info in model.model_fields.items():
        field = schema.get("properties", {}).get(info.alias or name)
        if field is not None and "description" not in field and (text := description(model, name)):
            field["description"] = text
    for name, example in examples_of(model).items():
        if name in schema.get("properties", {}):
            schema["properties"][name]["examples"] = [example]
    schema.update(model.RULES)


def _either(*fields: tuple[str, ...], message: str) -> dict[str, Any]:
    """JSON Schema for an entry that needs one of ``fields`` (each a group of fields written together)."""
    return {"anyOf": [{"required": list(group), "errorMessage": message} for group in fields]}


def _not_with(field: str, *others: str, message: str) -> dict[str, Any]:
    """JSON Schema for a field that cannot be written together with ``others``."""
    return {field: {"properties": dict.fromkeys(others, False), "errorMessage": message}}


class Entry(BaseModel):
    """Common settings: unknown keys are errors, docstrings become descriptions, EXAMPLES become examples."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_schema_extra)
    EXAMPLES: ClassVar[dict[str, Any]] = {}
    RULES: ClassVar[dict[str, Any]] = {}
    """The rules across an entry's fields that JSON Schema can state, for editors (the validator's own
    checks are the model validators)."""


Country = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["SYR"])]
"""An ISO 3166-1 alpha-3 country code, in capitals: SYR, TUR, MMR."""


def parse_languages(value: Any) -> str | list[str]:
    """One language tag, or a list of them: en, or [en, ar, fr]."""
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items, 1):
        if not isinstance(item, str) or not re.fullmatch(LANGUAGE_PATTERN, item):
            which = f" (language {index} of the list)" if isinstance(value, list) else ""
            raise _fail(
                "language",
                "'{got}'{which} is not in the expected form (a language tag such as en, fr or ar)",
                got=item,
                which=which,
            )
    if not items or len(set(items)) < len(items):
        raise _fail("language", "give each language once, the file's own language first, such as [en, ar, fr]")
    return value


def parse_countries(value: Any) -> str | list[str]:
    """One country code, or a list of them: SYR, or [MMR, THA]."""
    if isinstance(value, list):
        if not 1 <= len(value) <= 30:
            raise _fail("country", "give between 1 and 30 countries, such as [MMR, THA]")
        return [_country_code(item, f" (country {index} of the list)") for index, item in enumerate(value, 1)]
    return _country_code(value, "")


def _country_code(value: Any, which: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise _fail(
            "country",
            "'{got}'{which} is not in the expected form (a three-letter ISO 3166 code in capitals, such as SYR)",
            got=value,
            which=which,
        )
    return value


class Period(Entry):
    """The days a report covers, both included."""

    EXAMPLES: ClassVar[dict[str, Any]] = {"from": "2025-03-06", "to": "2025-03-09"}

    start: Day = Field(alias="from")
    """First day covered."""
    end: Day = Field(alias="to")
    """Last day covered."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise _fail("period", "the period ends before it starts: swap `from` and `to`")
        return self


class ReportInfo(Entry):
    """What edition of which report this file is."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "title": "Syria: Violence on the western coast",
        "crisis": "syria-coast-2025",
        "country": "SYR",
        "number": 1,
        "as_of": "2025-03-09 18:00 +03:00",
        "period": {"from": "2025-03-06", "to": "2025-03-09"},
        "produced_by": "Coastal crisis analysis cell",
        "next_update": "2025-03-12",
        "language": "en",
        "digits": "arabic-indic",
        "month_names": "levantine",
        "previous": "syria-coast-2025-03.yaml",
    }

    title: LocalText
    """The report's title, country first: 'Syria: Violence on the western coast'."""
    crisis: Id
    """Short id shared by every edition of a series, such as syria-coast-2025."""
    country: Annotated[
        str | list[str],
        PlainValidator(parse_countries),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "pattern": "^[A-Z]{3}$"},
                    {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "minItems": 1,
                        "maxItems": 30,
                    },
                ]
            }
        ),
    ]
    """The affected country's ISO 3166-1 alpha-3 code, in capitals (SYR, LBN, SDN); for a crisis in
    several countries, a list: [MMR, THA]."""
    number: Annotated[
        Count,
        Field(ge=1),
        WithJsonSchema(
            {
                **_COUNT_SCHEMA,
                "minimum": 1,
                "pattern": rf"^\s*(?!0\s*$)({_COUNT_TEXT})\s*$",
                "errorMessage": "Expected the edition's number: 1 for the first situation report.",
            }
        ),
    ]
    """Edition number in the series: 1 for the first situation report."""
    as_of: Moment
    """When the facts were last checked, with time zone: 2025-03-09 18:00 +02:00."""
    period: Period
    """The days covered: {from: 2025-03-06, to: 2025-03-09}."""
    produced_by: LocalName
    """Who produced the report (office, team or organisation)."""
    next_update: Day | None = None
    """When the next edition is expected, if planned."""
    language: Annotated[
        str | list[str],
        PlainValidator(parse_languages),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "pattern": LANGUAGE_PATTERN},
                    {"type": "array", "items": {"type": "string", "pattern": LANGUAGE_PATTERN}, "minItems": 1},
                ]
            }
        ),
    ] = settings.LANGUAGE
    """Language of the report as a BCP 47 tag: en, fr, ar; for a report in several languages, a list, the
    file's own language first: [en, ar, fr]. `sitrep build` makes an edition in each."""
    digits: Literal["arabic-indic", "latin"] | None = None
    """Digits of an Arabic edition: arabic-indic (٠١٢٣, the default) or latin (0123)."""
    month_names: Literal["levantine", "standard"] = "levantine"
    """Month names of an Arabic edition: levantine (آذار, as used in Syria, the default) or standard (مارس)."""
    previous: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_no_control_characters)] | None = None
    """Path of the previous edition's YAML file, relative to this file: syria-coast-2025-03.yaml."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the report's editions, the file's own language first."""
        return (self.language,) if isinstance(self.language, str) else tuple(self.language)

    @property
    def countries(self) -> tuple[str, ...]:
        """The affected countries, one or several."""
        return (self.country,) if isinstance(self.country, str) else tuple(self.country)


class Source(Entry):
    """Where claims come from: an organisation, an outlet or a publication."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "publisher": "Syrian Observatory for Human Rights",
        "short": "SOHR",
        "kind": "monitor",
        "reliability": "fairly-reliable",
        "title": "Death toll rises in coastal violence",
        "url": "https://www.reuters.com/world/middle-east/",
        "published": "2025-03-08",
        "accessed": "2025-03-09",
    }

    publisher: LocalName
    """Who published or said it: 'Syrian Observatory for Human Rights', 'Reuters'."""
    short: (
        local_text(
            Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_no_control_characters)],
            Translatable.name,
            max_length=40,
        )
        | None
    ) = None
    """Short name used in source lines ('SOHR'); the publisher is used when absent."""
    kind: SourceKind = SourceKind.other
    """What kind of body the publisher is."""
    reliability: Reliability = Reliability.not_assessed
    """Your assessment of the source's track record (Admiralty scale), shown in the briefing note."""
    title: Text | None = None
    """Title of the article, release or post, if any."""
    url: Url | None = None
    """Web address of the publication (https:// or http://)."""
    published: DayOrMonth | None = None
    """When it was published (a day, or a month)."""
    accessed: Day | None = None
    """When the analyst last read it."""


def parse_admin_level(value: Any) -> int | str:
    """0 to 5, or `region`."""
    if isinstance(value, str) and value.strip().lower() == "region":
        return "region"
    try:
        level = parse_count(value)
    except PydanticCustomError:
        level = None
    if level is None or level > 5:
        raise _fail(
            "admin_level",
            "expected an administrative level from 0 (country) to 5, or `region` for an area "
            "that is not an administrative unit, got '{got}'",
            got=value,
        )
    return level


_DEGREES = re.compile(r"-?\d{1,3}(\.\d+)?")


def parse_degrees(name: str, limit: int, value: Any) -> float | None:
    """Decimal degrees from -``limit`` to ``limit``: 35.52, -3.7; None for a field left empty."""
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
    if not _DEGREES.fullmatch(text) or abs(float(text)) > limit:
        raise _fail(
            "degrees",
            "expected decimal degrees from -{limit} to {limit} (WGS 84), such as {name}: {example}, got '{got}'",
            limit=limit,
            name=name,
            example="35.52" if name == "lat" else "35.79",
            got=value,
        )
    return float(text)


def _degrees(limit: int) -> dict[str, Any]:
    """The JSON Schema of decimal degrees as an editor reads them: a number, one written as text, or nothing
    (the bounds hold for a number, the pattern for text)."""
    return {
        "type": ["number", "string", "null"],
        "minimum": -limit,
        "maximum": limit,
        "pattern": f"^{_DEGREES.pattern}$",
    }


class Location(Entry):
    """A named place figures and events refer to."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "name": "Latakia",
        "local_name": "اللاذقية",
        "admin_level": 1,
        "pcode": "SY06",
        "country": "SYR",
        "within": "syria-coast",
        "lat": 35.52,
        "lon": 35.79,
    }

    name: LocalName
    """Name as readers of the report know it: Latakia (per language if it differs: {en: Latakia, fr:
    Lattaquié})."""
    local_name: Text | None = None
    """Name in the local language and script, shown beside the name: اللاذقية."""
    admin_level: Annotated[
        int | str,
        PlainValidator(parse_admin_level),
        WithJsonSchema(
            {
                "type": ["integer", "string"],
                "minimum": 0,
                "maximum": 5,
                "pattern": rf"^\s*([0-5]|{_any_case('region')})\s*$",
                "errorMessage": "Expected an administrative level from 0 (country) to 5, or region.",
            }
        ),
    ]
    """Administrative level: 0 country, 1 governorate/province, 2 district, 3 sub-district, 4 community;
    or `region` for an area that is not an administrative unit (north-west Syria, government-held areas)."""
    pcode: Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z0-9]*$")] | None = None
    """OCHA place code (p-code), such as SY06 for Lattakia governorate: matches the place to its area in the
    map's boundaries file."""
    country: Country | None = None
    """The place's country (ISO 3166-1 alpha-3), when the report covers several: THA."""
    within: LocationRef | None = None
    """Id of the larger area the place lies in (a district in its governorate, a governorate in a region),
    so that a breakdown by place is checked against its total's area."""
    lat: Annotated[float | None, PlainValidator(partial(parse_degrees, "lat", 90)), WithJsonSchema(_degrees(90))] = None
    """Latitude in decimal degrees (WGS 84), north positive: 35.52. With `lon`, marks the place on the
    report's maps."""
    lon: Annotated[float | None, PlainValidator(partial(parse_degrees, "lon", 180)), WithJsonSchema(_degrees(180))] = (
        None
    )
    """Longitude in decimal degrees (WGS 84), east positive: 35.79."""

    @model_validator(mode="after")
    def _both_coordinates(self) -> Self:
        if (self.lat is None) != (self.lon is None):
            raise _fail(
                "location", "give both `lat` and `lon` (decimal degrees, such as lat: 35.52 and lon: 35.79), or neither"
            )
        return self


class Estimate(Entry):
    """One source's number for a figure: a value or a low-high range."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "value": "1,018",
        "low": 745,
        "high": "1,068",
        "qualifier": "at-least",
        "source": "sohr",
        "via": "reuters-0308",
        "as_of": "2025-03-08",
        "status": "reported",
        "note": "Total of civilians, security personnel and fighters.",
        "withdrawn": "withdrawn by SOHR on 10 March: counted twice",
        "review": "carried over from Situation Report No. 1: check it is still current",
    }

    RULES: ClassVar[dict[str, Any]] = {
        **_either(
            ("value",),
            ("low", "high"),
            message="Missing the number: write `value: 1018`, or `low: 745` and `high: 1068`.",
        ),
        "dependentSchemas": _not_with(
            "value", "low", "high", message="Give either `value` or `low` and `high`, not both."
        ),
    }

    value: CountOrRange | None = None
    """The number as reported: 1018 or 1,018. A range may be written '745-1,068'."""
    low: Count | None = None
    """Lower end, when the source gave a range."""
    high: Count | None = None
    """Upper end, when the source gave a range."""
    qualifier: Qualifier = Qualifier.exact
    """How the source worded it: at-least, more-than, about, up-to, or exact."""
    source: SourceRef
    """Id of the source that made the claim (the originator, e.g. sohr)."""
    via: SourceRef | None = None
    """Id of the outlet through which the claim reached the analyst, if not first-hand."""
    as_of: DayOrMonth
    """The day the number was true according to the source; its month (2025-04, April 2025) when the source
    gives no day."""
    status: Status = Status.reported
    """reported (claimed), verified (checked by the source), or estimated (modelled)."""
    note: LocalText | None = None
    """What a reader must know about this number: what it counts, doubts, wording."""
    withdrawn: LocalText | None = None
    """The source has withdrawn this number: say when and why ('withdrawn by SOHR on 10 March: counted
    twice'). The estimate stays on record, shown as withdrawn, never as the source's current number."""
    review: Text | None = None
    """Why this estimate must be checked before publishing (set by `sitrep new --from`); delete once checked."""

    @model_validator(mode="before")
    @classmethod
    def _split_written_range(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            match = _RANGE.fullmatch(data["value"])
            if match and ("low" in data or "high" in data):
                raise _fail("estimate", "give either `value` or `low` and `high`, not both")
            if match:
                data = {**data, "low": match.group(1), "high": match.group(2)}
                del data["value"]
        return data

    @model_validator(mode="after")
    def _value_or_range(self) -> Self:
        if self.value is not None and (self.low is not None or self.high is not None):
            raise _fail("estimate", "give either `value` or `low` and `high`, not both")
        if self.value is None and (self.low is None or self.high is None):
            raise _fail("estimate", "missing the number: write `value: 1018`, or `low: 745` and `high: 1068`")
        if self.low is not None and self.high is not None and self.low == self.high:
            raise _fail(
                "range",
                "both ends of the range are {number}: write the single number, `value: {number}`",
                number=f"{self.low:,}",
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise _fail(
                "range",
                "`low` must be smaller than `high` (got {low} and {high}): swap them",
                low=self.low,
                high=self.high,
            )
        return self

    @property
    def bounds(self) -> tuple[int, int]:
        """Smallest and largest number this estimate allows."""
        if self.value is not None:
            return self.value, self.value
        return self.low, self.high  # type: ignore[return-value]


class Figure(Entry):
    """Something counted (people killed, displaced, ...) and every source's estimate of it."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "metric": "killed",
        "unit": "people",
        "group": "civilians",
        "label": "Civilians killed",
        "location": "latakia",
        "part_of": "killed-total",
        "key": True,
        "estimates": [{"value": 745, "source": "sohr", "as_of": "2025-03-08"}],
        "lead": "sohr",
    }

    metric: Metric
    """What is counted: what happened to the people or things counted."""
    unit: Unit = Unit.people
    """What one of the numbers is: people (the default), households, families, buildings, homes, schools,
    health-facilities, bridges, water-points, shelters, tents, kits, trucks, missions, sites, aftershocks."""
    group: local_text(
        Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_no_control_characters)], max_length=80
    ) = "people"
    """Who is counted: people, civilians, security forces, children, ..."""
    label: LocalText | None = None
    """How to name the figure in the report, when metric and group do not say it well."""
    location: LocationRef | None = None
    """Id of the location the figure is about; the whole crisis area when absent."""
    part_of: FigureRef | None = None
    """Id of the figure this one is a part of (civilians killed is part of all killed)."""
    key: Flag = False
    """Show in the key-figures panel at the top of the report."""
    estimates: Annotated[list[Estimate], Field(min_length=1)]
    """Every source's numbers for this figure. One source's estimates on different days are its series:
    the newest is its current number, the older ones its history. Different sources' current numbers
    are shown side by side; none is picked."""
    lead: SourceRef | None = None
    """Id of the source whose current number leads in the key-figures panel, your visible choice
    (the others are shown beside it). Without it, each source's current number is shown."""

    @field_validator("lead")
    @classmethod
    def _lead_gives_an_estimate(cls, lead: str | None, info: ValidationInfo) -> str | None:
        estimates = info.data.get("estimates")
        if lead is None or estimates is None:
            return lead
        sources = list(dict.fromkeys(estimate.source for estimate in estimates))
        if lead not in sources:
            raise _fail(
                "lead",
                "'{got}' gives no estimate of this figure, so its number cannot lead: use one of: {sources}",
                got=lead,
                sources=", ".join(sources),
            )
        if all(estimate.withdrawn for estimate in estimates if estimate.source == lead):
            raise _fail(
                "lead",
                "every estimate of '{got}' is withdrawn, so it has no current number to lead: "
                "choose another source, or remove `lead`",
                got=lead,
            )
        return lead


class Sourced(Entry):
    """An entry that states facts, and so names where they come from."""

    EXAMPLES: ClassVar[dict[str, Any]] = {"sources": ["sohr", "reuters-0308"]}

    sources: Annotated[list[SourceRef], Field(min_length=1)]
    """Ids of the sources for this entry."""


class Highlight(Sourced):
    """A headline point for the top of the report."""

    EXAMPLES: ClassVar[dict[str, Any]] = {"text": "Power and water are cut across the affected areas."}

    text: LocalText
    """One sentence in the analyst's words."""


class Event(Sourced):
    """Something that happened, for the timeline."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "date": "2025-03-06",
        "text": "Gunmen ambush security forces near Jableh.",
        "locations": ["latakia"],
    }

    date: DayOrMonth
    """The day it happened; its month (April 2025) when the source gives no day."""
    text: LocalText
    """What happened, in the analyst's words."""
    locations: list[LocationRef] = []
    """Ids of the places where it happened."""


class Service(Sourced):
    """The state of a basic service (electricity, water, food, health, ...) somewhere."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "sector": "electricity",
        "status": "cut",
        "text": "Power outages are reported across the area.",
        "locations": ["latakia", "tartus"],
        "since": "2025-03-07",
    }

    sector: Sector
    """Which service."""
    status: ServiceState
    """Its state."""
    text: LocalText
    """What is known, in the analyst's words."""
    locations: list[LocationRef] = []
    """Ids of the places concerned; the whole crisis area when empty."""
    since: Day | None = None
    """Since when the state holds, if known."""


class Movement(Sourced):
    """A movement of people fleeing or returning; numbers belong in figures."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "text": "Families fled to rural areas and forests.",
        "figures": ["displaced-coast"],
        "locations": ["latakia"],
        "date": "2025-03-11",
    }

    text: LocalText
    """What is known of the movement, in the analyst's words."""
    figures: list[FigureRef] = []
    """Ids of figures (metric displaced, refugees, returned) that count this movement."""
    locations: list[LocationRef] = []
    """Ids of the places people left or reached."""
    date: DayOrMonth | None = None
    """When it was reported or happened (a day, or a month)."""


class Access(Sourced):
    """A constraint on humanitarian access."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "constraint": "movement-restrictions",
        "text": "Curfews are in force.",
        "locations": ["latakia"],
        "since": "2025-03-07",
    }

    constraint: Constraint
    """The kind of constraint."""
    text: LocalText
    """What is known, in the analyst's words."""
    locations: list[LocationRef] = []
    """Ids of the places concerned."""
    since: Day | None = None
    """Since when, if known."""


class MeasureKind(StrEnum):
    """The kind of official measure."""

    state_of_emergency = "state-of-emergency"
    curfew = "curfew"
    mourning = "mourning"
    ceasefire = "ceasefire"
    border_crossing_opened = "border-crossing-opened"
    border_crossing_closed = "border-crossing-closed"
    appeal_for_assistance = "appeal-for-assistance"
    evacuation_order = "evacuation-order"
    disaster_zone = "disaster-zone"
    other = "other"


class Measure(Sourced):
    """An official measure: a state of emergency, a curfew, national mourning, a ceasefire, a crossing opened."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "kind": "border-crossing-opened",
        "text": "Bab al-Salam and Al Ra'ee open to UN aid for three months.",
        "locations": ["bab-al-salam"],
        "from": "2023-02-14",
        "until": "2023-05-13",
    }

    kind: MeasureKind
    """The kind of measure."""
    text: LocalText
    """What was decided, by whom, in the analyst's words."""
    locations: list[LocationRef] = []
    """Ids of the places it applies to; the whole crisis area when empty."""
    start: DayOrMonth = Field(alias="from")
    """When it took effect."""
    end: DayOrMonth | None = Field(default=None, alias="until")
    """When it ends or ended, if known; a measure whose end is before the report's as-of is shown as ended."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and start_of(self.end) < start_of(self.start) and self.end < self.start:
            raise _fail("measure", "the measure ends before it takes effect: check `from` and `until`")
        return self


class Cluster(StrEnum):
    """A humanitarian cluster (the IASC clusters), multi-purpose cash, or coordination."""

    camp_coordination = "camp-coordination-and-camp-management"
    early_recovery = "early-recovery"
    education = "education"
    emergency_telecommunications = "emergency-telecommunications"
    food_security = "food-security"
    health = "health"
    logistics = "logistics"
    nutrition = "nutrition"
    protection = "protection"
    shelter = "shelter-and-nfi"
    wash = "water-sanitation-and-hygiene"
    cash = "multi-purpose-cash"
    coordination = "coordination"


CLUSTER_NAMES = {
    "cccm": Cluster.camp_coordination,
    "camp-coordination": Cluster.camp_coordination,
    "shelter": Cluster.shelter,
    "shelter-nfi": Cluster.shelter,
    "nfi": Cluster.shelter,
    "shelter-and-non-food-items": Cluster.shelter,
    "wash": Cluster.wash,
    "water-sanitation-hygiene": Cluster.wash,
    "etc": Cluster.emergency_telecommunications,
    "telecommunications": Cluster.emergency_telecommunications,
    "food": Cluster.food_security,
    "fss": Cluster.food_security,
    "cash": Cluster.cash,
    "mpc": Cluster.cash,
    "multipurpose-cash": Cluster.cash,
    "coordination-and-common-services": Cluster.coordination,
}
"""Other ways analysts write a cluster, and the cluster they mean."""


def parse_cluster(value: Any) -> Any:
    """A cluster as written: its id, a common short name (wash, cccm, shelter-nfi, mpc), any case."""
    if not isinstance(value, str):
        return value
    key = re.sub(r"[\s_]+", "-", value.strip().lower()).replace("&", "and")
    return CLUSTER_NAMES.get(key, key)


class ResponseEntry(Sourced):
    """The humanitarian response of one cluster: needs, response and gaps, and the figures that measure it."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "cluster": "shelter-and-nfi",
        "needs": "Tents, blankets and heating fuel for families whose homes collapsed.",
        "response": "Partners distributed tents and winterization kits in Harim and Jandairis.",
        "gaps": "Stocks of tents inside north-west Syria are running out.",
        "figures": ["tents-delivered"],
    }

    cluster: Annotated[Cluster, BeforeValidator(parse_cluster)]
    """The cluster: camp-coordination-and-camp-management (cccm), early-recovery, education,
    emergency-telecommunications, food-security, health, logistics, nutrition, protection, shelter-and-nfi,
    water-sanitation-and-hygiene (wash), multi-purpose-cash, coordination."""
    needs: LocalText | None = None
    """What people need, in the analyst's words."""
    response: LocalText | None = None
    """What has been done, in the analyst's words."""
    gaps: LocalText | None = None
    """What is missing, in the analyst's words."""
    figures: list[FigureRef] = []
    """Ids of figures that measure the response (people reached or targeted, items delivered, trucks)."""

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not (self.needs or self.response or self.gaps or self.figures):
            raise _fail("response", "a response entry needs at least one of `needs`, `response`, `gaps` or `figures`")
        return self


CURRENCY_SIGNS = {"US$": "USD", "€": "EUR", "£": "GBP", "CHF": "CHF"}
"""Signs written before an amount, and the currency they mean ('$' alone is refused: which dollar?)."""

_MONEY = re.compile(r"(US\$|€|£|[A-Z]{3}\s?)?\s*(\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion))?)")


_MONEY_AFTER = re.compile(r"(\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion))?)\s*(US\$|\$|€|£|[A-Z]{3})")
"""An amount with its currency after it, '400 million USD', as some sources and languages write it."""


def _currency_after(text: str, number: str, currency: str) -> PydanticCustomError:
    """The refusal of '400 million USD': the currency goes first, as code or sign."""
    if currency == "$":
        forms = f"US${number} (or the currency's code, such as CAD {number})"
    else:
        code = CURRENCY_SIGNS.get(currency, currency)
        sign = next((sign for sign, named in CURRENCY_SIGNS.items() if named == code and sign != code), None)
        forms = f"{code} {number}" + (f" or {sign}{number}" if sign else "")
    return _fail("money", "'{got}': put the currency before the amount: write {forms}", got=text, forms=forms)


def parse_money(data: Any) -> Any:
    """An amount written with its currency, 'US$397.6 million' or 'USD 6 million', split into `amount` and
    `currency`; a bare amount is left to `currency:`."""
    if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
        return data
    text = data["amount"].strip()
    if text.startswith("$"):
        raise _fail(
            "money",
            "'{got}': which dollar? write US${rest} (or the currency's code, such as CAD {rest})",
            got=text,
            rest=text[1:].strip(),
        )
    if after := _MONEY_AFTER.fullmatch(text):
        raise _currency_after(text, after.group(1), after.group(2))
    match = _MONEY.fullmatch(text)
    if match is None or match.group(1) is None:
        return data
    sign = match.group(1).strip()
    currency = CURRENCY_SIGNS.get(sign, sign)
    if data.get("currency") not in (None, currency):
        raise _fail(
            "money",
            "the amount is in {written} but `currency` says {given}: keep one",
            written=currency,
            given=data["currency"],
        )
    return {**data, "amount": match.group(2), "currency": currency}


def parse_percent(value: Any) -> Decimal:
    """A share as the source gave it: 38, 78.6 or '78.6%'."""
    text = str(value).strip().removesuffix("%").strip()
    if words := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:per\s?cent|percent|pc|pct)\.?", text, re.IGNORECASE):
        raise _fail("percent", "'{got}': write the number alone, `percent: {number}`", got=value, number=words.group(1))
    if text.startswith("-") and _PERCENT.fullmatch(unsigned := text[1:].strip()):
        if Decimal(unsigned) == 0:
            return Decimal(unsigned)  # -0 is 0, as an editor reads it: never a share shown as -0%
        raise _fail(
            "percent",
            "'{got}': a share cannot be below zero; write {fixed}, without the minus",
            got=value,
            fixed=unsigned,
        )
    if not _PERCENT.fullmatch(text):  # Decimal would read '3_8' as 38 and '1e1' as 10
        raise _fail(
            "percent",
            "expected a percentage written in digits, with a point for decimals, such as 38, 78.6 or 78.6%, "
            "got '{got}'",
            got=value,
        )
    number = Decimal(text)
    if number > 1000:
        raise _fail("percent", "expected a percentage such as 38 or 78.6, got '{got}'", got=value)
    return number


_PERCENT = re.compile(r"\+?(\d+(\.\d*)?|\.\d+)")
"""A share as parse_percent reads it: digits, with a point for decimals ('.5' and '+5' too, as Decimal and
YAML read them); not '3_8' or '1e1'."""


def percent_number(value: Decimal) -> int | float:
    """A share as data writes it: 38, 78.6."""
    return int(value) if value == value.to_integral_value() else float(value)


Percent = Annotated[
    Decimal,
    PlainValidator(parse_percent),
    PlainSerializer(percent_number),
    WithJsonSchema(
        {
            "type": ["number", "string"],
            "minimum": 0,
            "maximum": 1000,
            "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$",
            "errorMessage": "Expected a percentage such as 38 or 78.6.",
        }
    ),
]
"""A percentage as written: 38, 78.6, '78.6%'."""


class MoneyEstimate(Entry):
    """One source's amount of money (or the share of a requirement it says is covered), for one day or month."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "amount": "US$397.6 million",
        "currency": "USD",
        "percent": 38,
        "qualifier": "about",
        "source": "ocha",
        "via": "reliefweb",
        "as_of": "2023-02-14",
        "status": "reported",
        "note": "For 4.9 million people.",
        "withdrawn": "corrected by OCHA on 20 February",
        "review": "carried over from Situation Report No. 1: check it",
    }

    RULES: ClassVar[dict[str, Any]] = {
        **_either(
            ("amount",),
            ("percent",),
            message="Missing the amount: write `amount: US$397.6 million`, or "
            "`percent: 38` when the source gives only the share funded.",
        ),
        "if": {"required": ["amount"], "properties": {"amount": {"type": ["integer", "string"], "pattern": r"^\s*\d"}}},
        "then": {
            "required": ["currency"],
            "errorMessage": "Missing the currency of the amount: write it with the "
            "amount (US$397.6 million) or add `currency: USD`.",
        },
    }

    amount: (
        Annotated[
            int,
            BeforeValidator(parse_count),
            WithJsonSchema(
                {
                    **_COUNT_SCHEMA,
                    "pattern": rf"^\s*(US\$|€|£|[A-Z]{{3}}\s?)?\s*({_COUNT_TEXT})\s*$",
                    "errorMessage": "Expected an amount with its currency, US$397.6 million or USD 6 million, "
                    "or in digits (397600000) with `currency`.",
                }
            ),
        ]
        | None
    ) = None
    """The amount as the source gave it, with its currency: US$397.6 million, USD 6 million; or in digits
    (397600000) with `currency`."""
    currency: (
        Annotated[
            str,
            Field(
                pattern=r"^[A-Z]{3}$",
                json_schema_extra={
                    "patternErrorMessage": "Expected an ISO 4217 currency code in capitals, such as USD."
                },
            ),
        ]
        | None
    ) = None
    """ISO 4217 code of the amount's currency: USD, EUR."""
    percent: Percent | None = None
    """The share of the requirement the source says this amount is (38 for 38%), when it gives one."""
    qualifier: Qualifier = Qualifier.exact
    """How the source worded it: at-least, more-than, about, up-to, or exact."""
    source: SourceRef
    """Id of the source of the amount (the appeal document, FTS, a spokesperson)."""
    via: SourceRef | None = None
    """Id of the outlet through which it reached the analyst, if not first-hand."""
    as_of: DayOrMonth
    """The day (or month) the amount was true according to the source."""
    status: Status = Status.reported
    """reported, verified or estimated."""
    note: LocalText | None = None
    """What a reader must know about this amount."""
    withdrawn: LocalText | None = None
    """The source has withdrawn this amount: say when and why."""
    review: Text | None = None
    """Why this amount must be checked before publishing (set by `sitrep new --from`); delete once checked."""

    @model_validator(mode="before")
    @classmethod
    def _split_written_amount(cls, data: Any) -> Any:
        return parse_money(data)

    @model_validator(mode="after")
    def _amount_or_share(self) -> Self:
        if self.amount is None and self.percent is None:
            raise _fail(
                "money",
                "missing the amount: write `amount: US$397.6 million`, or `percent: 38` when the "
                "source gives only the share funded",
            )
        if self.amount is not None and self.currency is None:
            raise _fail(
                "money",
                "missing the currency of {amount}: write it with the amount (US${amount}) or add `currency: USD`",
                amount=f"{self.amount:,}",
            )
        return self

    @property
    def value(self) -> int | None:
        """The amount, read as an estimate's single value is: what changes are computed from."""
        return self.amount

    @property
    def bounds(self) -> tuple[int, int]:
        """The amount (or, for a share alone, the share in hundredths) as the two ends of one number."""
        number = self.amount if self.amount is not None else int(self.percent * 100)  # type: ignore[operator]
        return number, number


class FundingKind(StrEnum):
    """What kind of funding line it is."""

    appeal = "appeal"
    pooled_fund = "pooled-fund"
    other = "other"


class Funding(Entry):
    """An appeal or a pooled-fund allocation: what is required and what is funded, pledged or allocated, each
    amount an estimate with its source and day."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "name": "Syria Earthquake Flash Appeal (February-May 2023)",
        "kind": "appeal",
        "key": True,
        "requirement": [MoneyEstimate.EXAMPLES],
        "funded": [MoneyEstimate.EXAMPLES],
        "pledged": [MoneyEstimate.EXAMPLES],
        "allocated": [MoneyEstimate.EXAMPLES],
        "location": "nws",
    }

    name: LocalName
    """The appeal or allocation as its publisher names it."""
    kind: FundingKind = FundingKind.appeal
    """appeal, pooled-fund or other."""
    location: LocationRef | None = None
    """Id of the area it covers; the whole crisis area when absent."""
    key: Flag = False
    """Show in the key-figures panel."""
    requirement: list[MoneyEstimate] = []
    """What the appeal requires, by source and day."""
    funded: list[MoneyEstimate] = []
    """What has been received, by source and day (an amount, a share of the requirement, or both)."""
    pledged: list[MoneyEstimate] = []
    """What donors have pledged, by source and day."""
    allocated: list[MoneyEstimate] = []
    """What a pooled fund has allocated, by source and day."""

    @model_validator(mode="after")
    def _some_amount(self) -> Self:
        if not (self.requirement or self.funded or self.pledged or self.allocated):
            raise _fail("funding", "give at least one amount: `requirement`, `funded`, `pledged` or `allocated`")
        return self


class Statement(Entry):
    """A statement or reaction: a verbatim quote, or a summary of what was said."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "speaker": "Thameen Al-Kheetan",
        "role": "Spokesperson",
        "organisation": "UN Human Rights Office (OHCHR)",
        "date": "2025-03-11",
        "channel": "Press briefing, Geneva",
        "quote": "The exact words, as published.",
        "summary": "Said verification of the civilian death toll was ongoing.",
        "source": "ohchr",
        "via": "unog-0311",
        "language": "en",
        "translation": {"ar": "الكلمات كما نُشرت."},
        "local_name": "ثمين الخيطان",
    }

    RULES: ClassVar[dict[str, Any]] = {
        **_either(("quote",), ("summary",), message="Give `quote` (the exact words) or `summary` (your words)."),
        "dependentSchemas": _not_with(
            "quote", "summary", message="Give either `quote` (the exact words) or `summary` (your words), not both."
        ),
    }

    speaker: LocalName
    """Who spoke (a person or a body)."""
    role: LocalText | None = None
    """The speaker's role: 'UK Special Envoy for Syria'."""
    organisation: LocalName | None = None
    """The speaker's organisation or government."""
    date: DayOrMonth | None = None
    """When it was said (a day, or a month); leave out when the source does not say."""
    channel: LocalText | None = None
    """Where it was said: X, press briefing, televised address, press release."""
    quote: Text | None = None
    """The exact words, copied verbatim; never edited or translated silently."""
    language: LanguageTag | None = None
    """The language of the quote, when it is not the file's own: ar."""
    translation: dict[LanguageTag, Text] = {}
    """Translations of the quote, by language, shown beside it and marked as translations: {en: ...}."""
    local_name: Text | None = None
    """The speaker's name in the local script: أحمد الشرع."""
    summary: LocalText | None = None
    """What was said, in the analyst's words, when there is no verbatim quote."""
    source: SourceRef
    """Id of the source the statement was taken from."""
    via: SourceRef | None = None
    """Id of the outlet that carried it, if not taken first-hand."""

    @model_validator(mode="after")
    def _quote_or_summary(self) -> Self:
        if (self.quote is None) == (self.summary is None):
            raise _fail("statement", "give either `quote` (the exact words) or `summary` (your words), one of them")
        return self


class Narrative(Entry):
    """The analyst's own prose, in Markdown: links to web pages and mail addresses only, and no images."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "overview": "Fighting broke out on **6 March** after an ambush ...",
        "outlook": "Tolls are still rising and remain unverified.",
    }

    overview: LocalProse
    """The situation overview: what happened, where and who is affected."""
    outlook: LocalProse | None = None
    """What is expected next and what to watch."""


class Gap(Entry):
    """Something not known, and why."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "text": "Number of people displaced.",
        "why": "No agency has published a count.",
    }

    text: LocalText
    """What is not known."""
    why: LocalText | None = None
    """Why: no access, sources disagree, verification ongoing, ..."""


EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"
"""An e-mail address: something, @, a domain with a dot; no spaces or control characters."""


class Contact(Entry):
    """Whom readers can contact about the report."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "name": "Duty analyst",
        "role": "Analyst",
        "organisation": "Coastal crisis analysis cell",
        "email": "sitrep@example.org",
        "phone": "+41 22 917 1234",
    }

    name: LocalName
    """Full name, or a role ('Duty analyst': per language if it is a description)."""
    role: LocalText | None = None
    """Role or title."""
    organisation: LocalName | None = None
    """Organisation."""
    email: Annotated[str, Field(pattern=EMAIL_PATTERN)] | None = None
    """E-mail address."""
    phone: (
        Annotated[
            str,
            Field(pattern=r"^\+?[0-9 ()-]{5,25}$"),
            WithJsonSchema(
                {  # +41229171234 is a number
                    "type": ["string", "integer"],
                    "pattern": r"^\+?[0-9 ()-]{5,25}$",
                    "minimum": 0,  # to YAML 1.2
                    "errorMessage": "Expected a phone number such as +41 22 917 1234.",
                }
            ),
        ]
        | None
    ) = None
    """Phone number, international form: +41 22 917 1234."""


class MapChoice(Entry):
    """The report's areas map: the analyst's own boundaries, and the figure that shades them."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "boundaries": "syria-adm1.geojson",
        "figure": "people-affected",
        "source": "ocha",
        "hatch": "disaster-zone",
    }

    boundaries: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_no_control_characters)]
    """Path of a GeoJSON file of administrative areas, relative to this file, such as OCHA's common
    operational dataset (COD-AB) from HDX; its areas are matched to the locations by p-code."""
    figure: FigureRef | None = None
    """Id of the figure whose parts by place shade the areas: each figure with `part_of:` this one whose
    location has a p-code in the boundaries. Without it there is no areas map: the boundaries then place the
    locations that have no `lat` and `lon` on the locator map, by p-code."""
    source: SourceRef | None = None
    """Id of the source whose numbers shade the areas, when the areas' numbers come from several sources;
    nothing is added up or chosen across sources."""
    hatch: MeasureKind | None = None
    """Kind of official measure whose areas are hatched: state-of-emergency, disaster-zone..."""


class Report(Entry):
    """One edition of a situation report: the whole input file."""

    EXAMPLES: ClassVar[dict[str, Any]] = {
        "report": ReportInfo.EXAMPLES,
        "sources": {"sohr": Source.EXAMPLES},
        "locations": {"latakia": Location.EXAMPLES},
        "highlights": [examples_of(Highlight)],
        "figures": {"killed-civilians": Figure.EXAMPLES},
        "events": [examples_of(Event)],
        "services": [examples_of(Service)],
        "displacement": [examples_of(Movement)],
        "access": [examples_of(Access)],
        "statements": [{key: value for key, value in Statement.EXAMPLES.items() if key != "quote"}],
        "measures": [examples_of(Measure)],
        "response": [examples_of(ResponseEntry)],
        "funding": [{key: value for key, value in Funding.EXAMPLES.items()}],
        "map": MapChoice.EXAMPLES,
        "narrative": Narrative.EXAMPLES,
        "gaps": [Gap.EXAMPLES],
        "contacts": [Contact.EXAMPLES],
    }

    report: ReportInfo
    """What edition of which report this is."""
    sources: Annotated[dict[Id, Source], Field(min_length=1)]
    """Every source, by id; claims point here."""
    locations: dict[Id, Location] = {}
    """Places, by id."""
    highlights: list[Highlight] = []
    """Headline points, most important first."""
    figures: dict[Id, Figure] = {}
    """Counted things (killed, injured, displaced, ...), by id, with every source's estimate."""
    events: list[Event] = []
    """The timeline."""
    services: list[Service] = []
    """Basic services and outages."""
    displacement: list[Movement] = []
    """Movements of people."""
    access: list[Access] = []
    """Constraints on humanitarian access."""
    statements: list[Statement] = []
    """Statements and reactions."""
    measures: list[Measure] = []
    """Official measures: states of emergency, curfews, mourning, ceasefires, crossings opened or closed."""
    response: list[ResponseEntry] = []
    """The humanitarian response, one entry per cluster."""
    funding: list[Funding] = []
    """Appeals and pooled-fund allocations: requirements against money received."""
    map: MapChoice | None = None
    """The areas map, from your boundaries file. Every report has a locator map in any case."""
    narrative: Narrative
    """The analyst's prose."""
    gaps: list[Gap] = []
    """Information gaps."""
    contacts: list[Contact] = []
    """Contacts for the report."""

    @property
    def shading(self) -> dict[str, str]:
        """The figures that shade the areas map, by id, each with its place's p-code: the parts of the figure
        `map: {figure: ...}` names, about a place with a p-code, counting the same group as it (the children
        among the people affected in a place are not the people affected there)."""
        chosen = self.map.figure if self.map else None
        if chosen is None:
            return {}
        group = self.figures[chosen].group
        return {
            figure_id: self.locations[figure.location].pcode  # type: ignore[misc]
            for figure_id, figure in self.figures.items()
            if figure.part_of == chosen
            and figure.group == group
            and figure.location
            and self.locations[figure.location].pcode
        }


# ---------------------------------------------------------------------------
# From loaded data to a Report, with located problems


def parse_report(loaded: Loaded) -> Report:
    """Validate loaded data as a Report; raise InputError listing every problem, located."""
    if not isinstance(loaded.data, dict):
        raise InputError(
            [
                loaded.problem(
                    (),
                    "the file must be a mapping with `report:`, `sources:`, "
                    "`narrative:` and the other sections: start from `sitrep new`",
                )
            ]
        )
    known: dict[str, Any] = {}
    for kind in ("sources", "locations", "figures"):
        section = loaded.data.get(kind)
        ids = sorted(section) if isinstance(section, dict) else []
        known |= {kind: set(ids), f"{kind} in order": ids}
    try:
        return Report.model_validate(loaded.data, context=known)
    except ValidationError as error:
        details = error.errors(include_url=False)
        for detail in details:  # which way a translatable text was written is no part of its field's path
            detail["loc"] = tuple(part for part in detail["loc"] if part not in UNION_TAGS)
        misspelt = {(d["loc"][:-1], _close_field(d["loc"])) for d in details if d["type"] == "extra_forbidden"}
        problems = [
            _problem(loaded, d)
            for d in details
            if not (d["type"] == "missing" and (d["loc"][:-1], d["loc"][-1]) in misspelt)
        ]
        raise InputError(problems) from None


def _problem(loaded: Loaded, detail: ErrorDetails) -> Problem:
    loc, kind = detail["loc"], detail["type"]
    if loc and loc[-1] == "[key]" and kind == "string_pattern_mismatch" and context_pattern(detail) == LANGUAGE_PATTERN:
        return loaded.problem(
            loc[:-1],
            f"'{loc[-2]}' is not a language tag: write the text per language as {{en: ..., ar: ...}}",
            key=True,
        )
    if loc and loc[-1] == "[key]":
        return loaded.problem(
            loc[:-1], f"'{loc[-2]}' is not a valid id: use letters, digits, '-', '_' or '.'", key=True
        )
    if kind == "extra_forbidden":
        return loaded.problem(loc, f"unknown field '{loc[-1]}': {_known_fields_hint(loc)}", key=True)
    if kind == "missing":
        return loaded.problem(loc, f"missing required field '{loc[-1]}'{_field_doc(loc)}: add it here")
    culprit, key = _culprit(loaded, loc, detail)
    problem = loaded.problem(culprit, _message(detail, culprit), key=key)
    invisible = _invisible(detail.get("input"))
    if invisible is not None:  # point at the character itself, which the analyst cannot see
        index, char = invisible
        name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
        return replace(
            problem,
            column=problem.column + index,
            message=f"invisible character U+{ord(char):04X} ({name}) in "
            f"'{detail['input'].replace(char, '')}': delete it "
            "(it often comes from copying text out of a web page or PDF)",
        )
    return problem


def context_pattern(detail: ErrorDetails) -> str | None:
    return (detail.get("ctx") or {}).get("pattern")


def _culprit(loaded: Loaded, loc: tuple, detail: ErrorDetails) -> tuple[tuple, bool]:
    """Where a rule about an entry's fields points, and whether at the key written there: for a rule between
    two fields written both (quote and summary, value and low), the one written last; for the ends of a range,
    `low`, or the range written as `value` (at the range itself)."""
    if detail["type"] == "range":
        if loc + ("low",) in loaded.keys:
            return loc + ("low",), True
        if loc + ("value",) in loaded.values:
            return loc + ("value",), False
        return loc, False
    both = {
        "statement": ("quote", "summary"),
        "estimate": ("value", "low", "high"),
        "money": ("amount",),
        "measure": ("until",),
    }.get(detail["type"])
    if not both:
        return loc, False
    written = [loc + (name,) for name in both if loc + (name,) in loaded.keys]
    if detail["type"] in ("money", "measure") and written:  # a rule about one field: point at it
        return written[0], True
    if len(written) > 1:
        return max(written, key=loaded.keys.__getitem__), True
    return loc, False


def _invisible(value: Any) -> tuple[int, str] | None:
    """The first invisible character (zero-width, no-break or other format space) in a short text."""
    if not isinstance(value, str):
        return None
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cf" or (unicodedata.category(char) == "Zs" and char != " "):
            return index, char
    return None


def _message(detail: ErrorDetails, loc: tuple) -> str:
    kind, context, got = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", context.get("expected", ""))
        close = difflib.get_close_matches(str(got), allowed, n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"'{got}' is not one of the allowed values: {hint}{context.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        hint = FIELD_HINTS.get(loc[-1] if loc else None) or PATTERN_HINTS.get(context.get("pattern"), "see the docs")
        return f"'{got}' is not in the expected form ({hint})"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        example = _field_example(loc)
        fix = f": write {_flow(example)}" if isinstance(example, dict) else ""
        return f"expected a mapping of fields, got {_describe(got)}{fix}"
    if kind == "list_type":
        if isinstance(got, str):
            return f"expected a list ('- ' items), got '{got}': write [{got}]"
        if isinstance(got, dict):
            first, value = next(iter(got.items()), ("value", "..."))
            shown = value if isinstance(value, str) else "..."
            return f"expected a list ('- ' items), got a mapping: begin the entry with '- ', as in `- {first}: {shown}`"
        return f"expected a list ('- ' items), got {_describe(got)}"
    if kind == "string_type":
        if got is None:
            return f"expected text, got nothing: write {_field_description(loc)}"
        return f"expected text, got {_describe(got)}"
    if kind == "string_too_short":
        return f"must not be empty: write {_field_description(loc)}"
    if kind == "too_short":
        return "must not be empty: give at least one entry"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return f"{detail['msg'].lower()}, got {got}"
    message = detail["msg"]
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


def _flow(value: Any) -> str:
    """An example written as a YAML flow value: {from: 2025-03-06, to: 2025-03-09}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


FIELD_HINTS = {"currency": "an ISO 4217 currency code in capitals, such as USD"}
"""The form a field expects, where its pattern is another field's too (a currency's three capitals, a
country's)."""
PATTERN_HINTS = {
    ID_PATTERN: "an id: letters, digits, '-', '_' or '.', such as reuters-0308",
    r"^[A-Z]{3}$": "a three-letter ISO 3166 code in capitals, such as SYR",
    r"^[A-Z]{2}[A-Z0-9]*$": "a p-code such as SY06",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a language tag such as en, fr or ar",
    EMAIL_PATTERN: "an e-mail address such as name@example.org",
    r"^\+?[0-9 ()-]{5,25}$": "a phone number such as +41 22 917 1234",
    f"^{_DEGREES.pattern}$": "decimal degrees such as 35.52",
}


def _field_text(loc: tuple) -> str:
    """The description of the field at ``loc`` (its key as written), or nothing."""
    model = _model_at(loc[:-1]) if loc else None
    names = {info.alias or name: name for name, info in model.model_fields.items()} if model else {}
    if not loc or loc[-1] not in names:
        return ""
    return " ".join((description(model, names[loc[-1]]) or "").split())  # a docstring's lines, as one line


def _field_description(loc: tuple) -> str:
    """'who produced the report (office, team or organisation)', from the field's docstring."""
    text = _field_text(loc)
    return (text[:1].lower() + text[1:]).rstrip(".") if text else "a value"


def _field_example(loc: tuple) -> Any:
    model = _model_at(loc[:-1]) if loc else None
    return examples_of(model).get(loc[-1]) if model else None


def _close_field(loc: tuple) -> str | None:
    """The field name an unknown key is probably a misspelling of."""
    model = _model_at(loc[:-1])
    if model is None:
        return None
    names = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), names, n=1)
    return close[0] if close else None


def _field_doc(loc: tuple) -> str:
    """`` (the field's description)`` for the field at ``loc``, to say what to write."""
    text = _field_text(loc)
    return f" ({text.rstrip('.')})" if text else ""


def _known_fields_hint(loc: tuple) -> str:
    model = _model_at(loc[:-1])
    if model is None:
        return "remove it"
    close = _close_field(loc)
    if close:
        return f"did you mean '{close}'?"
    owner = _nested_owner(model, str(loc[-1]))
    if owner:
        return (
            f"{_article(model.__name__)} has no `{loc[-1]}`, {_article(owner[1].__name__)} in `{owner[0]}` has: "
            "indent this line to line up with the fields of that entry above"
        )
    names = [info.alias or name for name, info in model.model_fields.items()]
    return "remove it, or use one of: " + ", ".join(names)


def _nested_owner(model: type[BaseModel], name: str) -> tuple[str, type[BaseModel]] | None:
    """The field of ``model`` holding entries that do have a field ``name`` (a line indented too little)."""
    for field_name, info in model.model_fields.items():
        inner = _unwrap(info.annotation)
        if get_origin(inner) in (list, dict):
            inner = _unwrap(get_args(inner)[-1])
        if isinstance(inner, type) and issubclass(inner, BaseModel) and name in inner.model_fields:
            return info.alias or field_name, inner
    return None


def _article(class_name: str) -> str:
    words = re.sub(r"(?<!^)([A-Z])", r" \1", class_name).lower()
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``, if any."""
    annotation: Any = Report
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {info.alias or name: info.annotation for name, info in annotation.model_fields.items()}
            annotation = fields.get(part)
        elif get_origin(annotation) in (list, dict):
            annotation = get_args(annotation)[-1]
        else:
            return None
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X``."""
    while get_origin(annotation) in (Union, UnionType, Annotated):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    return annotation

"""Strict YAML loading that remembers where every value was written.

The YAML is read as plain data only: mappings, lists and text. Nothing is guessed
(``NO``, ``1:20``, ``012`` and unquoted dates stay text until the model converts them),
and everything YAML can do beyond plain data is refused with a located problem:
anchors and aliases, tags, duplicate keys, several documents, deep nesting, huge files,
invalid UTF-8, control characters, bidirectional controls and noncharacters.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024
"""Largest input file accepted; a situation report is a few kilobytes."""

MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted; the model needs five levels."""

NULLS = {"", "~", "null", "Null", "NULL"}
"""Plain (unquoted) scalars that mean 'nothing written here'."""

Loc = tuple[str | int, ...]


class PythonParser(Reader, Scanner, Parser):
    """PyYAML's own parser: the same events and marks as libyaml's, but slower."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)

    def dispose(self) -> None:
        self.states = []


try:  # libyaml's parser is much faster
    from yaml._yaml import CParser as EventParser
except ImportError:  # PyYAML built without libyaml
    EventParser = PythonParser


class _TooDeep(Exception):
    """Nesting past MAX_DEPTH: stop reading at once (a hostile file may nest far deeper)."""


@dataclass
class Loaded:
    """A file's plain data with the position of every value and key in it."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    raw: bytes = b""

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``loc``, or of its nearest parent."""
        table = self.keys if key else self.values
        for end in range(len(loc), -1, -1):
            where = table.get(loc[:end]) or self.values.get(loc[:end])
            if where:
                return where
        return (1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, field_path(loc), message, severity)


def field_path(loc: Loc) -> str:
    """``("figures", "killed", "estimates", 1, "value")`` -> ``figures.killed.estimates[1].value``."""
    text = ""
    for part in loc:
        if isinstance(part, str) and part.startswith("\0"):  # the loader's marker for a key being read
            break
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_file(path: Path | str, display: str | None = None) -> Loaded:
    """Read and parse one YAML file; raise InputError listing every problem found."""
    path = Path(path)
    name = display or str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError([Problem(name, 1, 1, "", f"cannot read the file: {error.strerror}")]) from None
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Loaded:
    """Parse YAML bytes named ``name`` (used in messages): a file's, or what came through standard input."""
    if len(raw) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB; "
                    "a situation report should be a few kilobytes: split or trim it",
                )
            ]
        )
    text = _decode(raw, name)
    problems = _control_characters(text, name)
    if problems:
        raise InputError(_with_fields(problems, _ANY_REFUSED.sub(" ", text), name))
    composer = _Composer(text, name, EventParser)
    data = composer.document()
    if composer.unreadable and EventParser is not PythonParser:
        # libyaml's refusals vary by version: 0.2.6 stops at 1,000 levels of flow nesting while
        # scanning ahead, before sitrep's own depth check sees the 21st. PyYAML's parser reads the
        # same YAML with the same marks and has no limits of its own, so what libyaml refuses is read
        # again with it; unless that too finds the YAML broken, its reading (sitrep's own refusal of
        # the nesting, say) is the one reported.
        again = _Composer(text, name, PythonParser)
        data_again = again.document()
        if not again.unreadable:
            composer, data = again, data_again
    if composer.problems:
        raise InputError(composer.problems)
    return Loaded(name, data, composer.values, composer.keys, raw)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark some editors write: harmless
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        byte = raw[error.start : error.start + 1].hex()
        message = f"invalid UTF-8 (byte 0x{byte}): save the file as UTF-8"
        raise InputError([Problem(name, line, column, "", message)]) from None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""The embeddings, overrides and isolates, which reorder what readers see ('killed 745 to 1,068' shown as
'killed to 1,068 745'). The marks (LRM, RLM, ALM) only set the direction of what is beside them, as Arabic
text needs, and are accepted."""
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
"""Unicode's noncharacters: never part of a text, and refused by XML (the Word file) and YAML readers."""
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")
_REFUSED = re.compile(f"[{_BIDI_CONTROLS}{_NONCHARACTERS}]")
_ANY_REFUSED = re.compile(f"{_CONTROL.pattern}|{_REFUSED.pattern}")


def refused_character(char: str, where: str = "") -> str:
    """Why ``char`` (a bidirectional control or a noncharacter) cannot be in a report, and what to do;
    ``where`` says how it was written."""
    code = f"U+{ord(char):04X}"
    if _NONCHARACTER.match(char):
        return (
            f"{code}{where} is a Unicode noncharacter, never part of a text: delete it "
            "(it often comes from a file converted from another encoding)"
        )
    return (
        f"{code} {unicodedata.name(char)}{where} is not allowed: delete it; a text needs none, as the report sets "
        "the direction of each text itself (this character can reorder what readers see, numbers included)"
    )


def _control_characters(text: str, name: str) -> list[Problem]:
    problems = []
    for match in _ANY_REFUSED.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        char = match.group()
        message = (
            refused_character(char)
            if _REFUSED.match(char)
            else f"control character U+{ord(char):04X} is not "
            "allowed: delete it (it often comes from copying text out of a web page or PDF)"
        )
        problems.append(Problem(name, line, column, "", message))
    return problems


def _with_fields(problems: list[Problem], text: str, name: str) -> list[Problem]:
    """Name the field each problem lies in, from a parse of ``text`` (the file with the bad characters blanked)."""
    composer = _Composer(text, name, EventParser)
    composer.document()
    return [replace(p, field=field_path(composer.loc_at(p.line, p.column))) for p in problems]


class _Composer:
    """Builds plain data from YAML events, recording positions and refusing what is not plain data."""

    def __init__(self, text: str, name: str, parser: type = PythonParser) -> None:
        self.name = name
        self.text = text
        self.events = parser(text)
        self.unreadable = False  # the parser refused the text: a syntax error, or a limit of its own
        self.problems: list[Problem] = []
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.last_scalar: tuple[Loc, yaml.ScalarEvent] | None = None
        self.mappings: set[Loc] = set()
        self._by_place: tuple[list[tuple[int, int]], list[Loc]] | None = None
        self.duplicated: set[Loc] = set()

    def document(self) -> Any:
        try:
            self.events.get_event()  # StreamStart
            if self.events.check_event(yaml.StreamEndEvent):
                self._add(self.events.peek_event(), "the file is empty: start from `sitrep new`")
                return None
            self.events.get_event()  # DocumentStart
            data = self._node((), 0)
            self.events.get_event()  # DocumentEnd
            if not self.events.check_event(yaml.StreamEndEvent):
                self._add(
                    self.events.peek_event(),
                    "a second YAML document (after `---`) is not allowed: "
                    "delete the `---` line (separate sections with a # comment instead) and keep one "
                    "report per file",
                )
            return data
        except _TooDeep:
            return None
        except yaml.MarkedYAMLError as error:
            self.unreadable = True
            self.problems.append(self._syntax_problem(error))
            return None
        finally:
            self.events.dispose()

    def _add(self, event: yaml.Event, message: str, loc: Loc = ()) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, field_path(loc), message))

    def _node(self, loc: Loc, depth: int) -> Any:
        event = self.events.get_event()
        if not (loc and str(loc[-1]).startswith("\0")):
            self.values[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            self._add(event, f"aliases (*{event.anchor}) are not allowed: write the value out in full", loc)
            return None
        if event.anchor is not None:
            self._add(event, f"anchors (&{event.anchor}) are not allowed: write each value out in full", loc)
        if event.tag is not None:
            self._add(event, f"tags ({_tag(event.tag)}) are not allowed: remove the tag and write a plain value", loc)
        if isinstance(event, yaml.ScalarEvent):
            self.last_scalar = (loc, event)
            refused = _REFUSED.search(event.value)
            if refused:  # written as an escape in a quoted text: the file itself is clean
                line, column = self._escape_at(event, refused.group())
                message = refused_character(refused.group(), " (written as an escape in this text)")
                self.problems.append(Problem(self.name, line, column, field_path(loc), message))
            plain = not event.style  # libyaml says '' for plain, PyYAML None
            return None if plain and event.value in NULLS else event.value
        if depth >= MAX_DEPTH:
            self._add(
                event,
                f"nesting deeper than {MAX_DEPTH} levels is not allowed: a report needs at most "
                "six; look for unclosed [ or { or for lines indented too far",
                loc,
            )
            raise _TooDeep
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.events.check_event(yaml.SequenceEndEvent):
                items.append(self._node(loc + (len(items),), depth + 1))
            self.events.get_event()
            return items
        return self._mapping(loc, depth)

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        self.mappings.add(loc)
        mapping: dict[str, Any] = {}
        while not self.events.check_event(yaml.MappingEndEvent):
            key_event = self.events.peek_event()
            key = self._node(loc + ("\0key",), depth + 1)
            if not isinstance(key, str):
                self._add(key_event, "a key must be a plain name, such as `title`", loc)
                self._node(loc + ("\0value",), depth + 1)
                continue
            where = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if key in mapping:
                self._duplicate(key_event, loc, key)
                self._node(loc + ("\0value",), depth + 1)
                continue
            self.keys[loc + (key,)] = where
            mapping[key] = self._node(loc + (key,), depth + 1)
        self.events.get_event()
        return mapping

    def _duplicate(self, event: yaml.Event, loc: Loc, key: str) -> None:
        """A key written twice. In a list entry, the usual cause is a pasted entry that lost its '- ':
        say so once for the entry rather than once for each of its keys."""
        first = self.keys[loc + (key,)]
        in_list_entry = bool(loc) and isinstance(loc[-1], int)
        if in_list_entry and loc in self.duplicated:
            return
        self.duplicated.add(loc)
        fix = (
            "if this line starts another entry, put '- ' in front of it; otherwise remove one of them"
            if in_list_entry
            else "remove one of them or give it another name"
        )
        self._add(event, f"duplicate key '{key}' (first written on line {first[0]}): {fix}", loc + (key,))

    def _escape_at(self, event: yaml.ScalarEvent, char: str) -> tuple[int, int]:
        """Line and column (1-based) of the escape that writes ``char`` in a quoted text (``\\uFFFE``), or of
        the text's start."""
        start, end = event.start_mark, event.end_mark
        lines = self.text.split("\n")[start.line : end.line + 1]
        lines[-1] = lines[-1][: end.column]
        code = ord(char)
        escape = re.compile(rf"\\(?:u{code:04x}|U{code:08x})", re.IGNORECASE)
        for offset, text in enumerate(lines):
            found = escape.search(text, start.column if offset == 0 else 0)
            if found:
                return start.line + offset + 1, found.start() + 1
        return start.line + 1, start.column + 1

    def loc_at(self, line: int, column: int) -> Loc:
        """The field of the value written last at or before ``line:column``."""
        if self._by_place is None or len(self._by_place[0]) != len(self.values):
            ordered = sorted(self.values.items(), key=lambda item: item[1])  # by place; stable among equals
            self._by_place = ([where for _, where in ordered], [loc for loc, _ in ordered])
        places, locs = self._by_place
        index = bisect.bisect_right(places, (line, column))
        return locs[index - 1] if index else ()

    def _field_at(self, line: int) -> Loc:
        """The field a syntax error on ``line`` is in: the key written on that line, if any, inside the
        mapping being read."""
        loc = self.loc_at(line, 10**6)
        source_line = self.text.split("\n")[line - 1] if 0 < line <= self.text.count("\n") + 1 else ""
        key = _KEY_AT_LINE_START.match(source_line)
        if not key:
            return loc
        if loc in self.mappings:
            return loc + (key.group(1),)
        return loc[:-1] + (key.group(1),) if loc and isinstance(loc[-1], str) else loc

    def _syntax_problem(self, error: yaml.MarkedYAMLError) -> Problem:
        """A YAML syntax error, located where the analyst must edit, with a hint.

        libyaml and PyYAML word their errors differently, so the hints go by what is at
        the place, never by the parser's wording.
        """
        problem, context = (error.problem or "").rstrip("."), error.context or ""
        mark = error.problem_mark or error.context_mark
        unclosed_flow = "flow" in context and any(
            words in problem
            for words in (  # libyaml's and PyYAML's words
                "end of stream",
                "<stream end>",
                "did not find expected",
                "expected ',' or",
            )
        )
        if error.context_mark is not None and (
            "end of stream" in problem or unclosed_flow or "alias" in context or "anchor" in context
        ):
            mark = error.context_mark  # point where the unclosed quote or bracket, or the * or &, was written
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        offset = getattr(mark, "index", None)
        found = self.text[offset] if offset is not None and offset < len(self.text) else ""
        loc = self._field_at(line)
        quoted = self._runaway_quote(line)
        if quoted:
            loc, (line, column), message = quoted
        elif found == "\t":
            message = "a tab cannot be used here: indent with spaces, not tabs"
        elif found in _INDICATORS and ("alias" in context or "anchor" in context or "cannot start" in problem):
            message = (
                f"text that starts with {found} must be in quotes (YAML reads {found} as "
                f'{_INDICATORS[found]}): put the whole text in quotes "..."'
            )
        elif "mapping values are not allowed" in problem:
            curly = self._curly_start(loc)
            if curly:
                (line, column), message = curly
            else:
                message = (
                    "unexpected ': ' in this line: put text that contains ': ' in quotes, "
                    "or check the indentation of this line"
                )
        elif "end of stream" in problem and "quoted scalar" in context:
            message = "this quote is never closed: add the closing quote at the end of the text"
        elif unclosed_flow:
            found_at = getattr(error.problem_mark, "index", None)
            end = len(self.text) if found_at is None else found_at + 1
            line, column = self._opening_bracket(end, (line, column))
            loc = self.loc_at(line, column)
            message = "this bracket is not closed: add the closing ] or }, or separate the items with commas"
        else:
            detail = f" ({context})" if context else ""
            message = (
                f"invalid YAML: {problem or 'cannot be read'}{detail}: check the quotes and indentation "
                "on this line and the one above"
            )
        return Problem(self.name, line, column, field_path(loc), message)

    def _opening_bracket(self, offset: int, fallback: tuple[int, int]) -> tuple[int, int]:
        """Line and column of the last [ or { before ``offset`` that is not closed before it."""
        depth = 0
        for index in range(min(offset, len(self.text)) - 1, -1, -1):
            char = self.text[index]
            if char in "]}":
                depth += 1
            elif char in "[{":
                if depth == 0:
                    line_start = self.text.rfind("\n", 0, index) + 1
                    return self.text.count("\n", 0, index) + 1, index - line_start + 1
                depth -= 1
        return fallback

    def _runaway_quote(self, line: int) -> tuple[Loc, tuple[int, int], str] | None:
        """A quoted text left open, which YAML closed at the next quote in the file, lines later."""
        if self.last_scalar is None:
            return None
        loc, event = self.last_scalar
        start, end = event.start_mark, event.end_mark
        if not event.style or end.line <= start.line or end.line + 1 != line:
            return None
        first_line = self.text.split("\n")[start.line]
        closing = first_line.find("\u201d", start.column + 1)
        if closing >= 0:
            return (
                loc,
                (start.line + 1, closing + 1),
                (
                    "this quote is never closed: \u201d is a curly quote, "
                    'not the closing "; replace it with a straight "'
                ),
            )
        return (
            loc,
            (start.line + 1, start.column + 1),
            ("this quote is never closed: add the closing quote at the end of the text"),
        )

    def _curly_start(self, loc: Loc) -> tuple[tuple[int, int], str] | None:
        """A text that starts with a curly quote, which YAML reads as an ordinary character."""
        where = self.values.get(loc)
        if where is None:
            return None
        line = self.text.split("\n")[where[0] - 1]
        if line[where[1] - 1 : where[1]] in ("\u201c", "\u201d", "\u2018", "\u2019"):
            return where, (
                f"the text starts with a curly quote {line[where[1] - 1]}, which YAML does not read as "
                'a quote: write straight quotes "..." around it'
            )
        return None


def _tag(tag: str) -> str:
    """The tag as it was written: ``tag:yaml.org,2002:str`` was written ``!!str``."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


_KEY_AT_LINE_START = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_INDICATORS = {"*": "an alias", "&": "an anchor", "!": "a tag", "@": "reserved", "`": "reserved", "%": "a directive"}

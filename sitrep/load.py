"""Strict YAML loading that remembers where every value was written.

The YAML is read as plain data only: mappings, lists and text. Nothing is guessed
(``NO``, ``1:20``, ``012`` and unquoted dates stay text until the model converts them),
and everything YAML can do beyond plain data is refused with a located problem:
anchors and aliases, tags, duplicate keys, several documents, deep nesting, huge files,
invalid UTF-8 and control characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024
"""Largest input file accepted; a situation report is a few kilobytes."""

MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted; the model needs five levels."""

NULLS = {"", "~", "null", "Null", "NULL"}
"""Plain (unquoted) scalars that mean 'nothing written here'."""

Loc = tuple[str | int, ...]

try:  # libyaml's parser is much faster; it emits the same events and marks
    from yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

        def dispose(self) -> None:
            self.states = []


@dataclass
class Loaded:
    """A file's plain data with the position of every value and key in it."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

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
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(name, 1, 1, "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB; "
                                  "a situation report should be a few kilobytes: split or trim it")])
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Loaded:
    """Parse YAML bytes named ``name`` (used in messages)."""
    text = _decode(raw, name)
    problems = _control_characters(text, name)
    if problems:
        raise InputError(problems)
    composer = _Composer(text, name)
    data = composer.document()
    if composer.problems:
        raise InputError(composer.problems)
    return Loaded(name, data, composer.values, composer.keys)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark some editors write: harmless
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        raise InputError([Problem(name, line, column, "", f"invalid UTF-8 (byte 0x{byte}): save the file as UTF-8")]) from None


def _control_characters(text: str, name: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            if char in "\t\r":
                continue
            if unicodedata.category(char) == "Cc" or char in "\u2028\u2029":
                problems.append(Problem(name, number, column, "", f"control character U+{ord(char):04X} is not allowed: "
                                        "delete it (it often comes from copying text out of a web page or PDF)"))
    return problems


class _Composer:
    """Builds plain data from YAML events, recording positions and refusing what is not plain data."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.events = _Parser(text)
        self.problems: list[Problem] = []
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}

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
                self._add(self.events.peek_event(), "a second YAML document (after `---`) is not allowed: "
                          "keep one report per file")
            return data
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            self.problems.append(Problem(self.name, line, column, "", _yaml_message(error)))
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
        if event.tag is not None and event.tag != "!":
            self._add(event, f"tags ({event.tag}) are not allowed: remove the tag and write a plain value", loc)
        if isinstance(event, yaml.ScalarEvent):
            plain = event.implicit[0] and event.style is None
            return None if plain and event.value in NULLS else event.value
        if depth >= MAX_DEPTH:
            self._add(event, f"nesting deeper than {MAX_DEPTH} levels is not allowed", loc)
            self._skip(event)
            return None
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.events.check_event(yaml.SequenceEndEvent):
                items.append(self._node(loc + (len(items),), depth + 1))
            self.events.get_event()
            return items
        return self._mapping(loc, depth)

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
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
                first = self.keys[loc + (key,)]
                self._add(key_event, f"duplicate key '{key}' (first written on line {first[0]}): "
                          "remove one of them or give it another name", loc + (key,))
                self._node(loc + ("\0value",), depth + 1)
                continue
            self.keys[loc + (key,)] = where
            mapping[key] = self._node(loc + (key,), depth + 1)
        self.events.get_event()
        return mapping

    def _skip(self, start: yaml.Event) -> None:
        """Consume the events of a collection refused for depth, without recursion."""
        level = 1
        while level:
            event = self.events.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                level += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                level -= 1


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "invalid YAML").rstrip(".")
    hints = {
        "found character '\\t' that cannot start any token": "use spaces, not tabs, to indent",
        "mapping values are not allowed here": "put text that contains ': ' in quotes, "
        "or check the indentation of this line",
        "found undefined alias": "aliases are not allowed: write the value out in full",
    }
    for known, hint in hints.items():
        if known in problem:
            return f"{problem}: {hint}"
    context = f" ({error.context})" if error.context else ""
    return f"invalid YAML: {problem}{context}: check the quotes and indentation on this line and the one above"

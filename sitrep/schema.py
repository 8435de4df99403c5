"""The JSON Schema of the input file, generated from the model, for editors.

Editors that speak the YAML language server protocol (VS Code's YAML extension, Neovim,
Emacs, JetBrains IDEs) read it through a ``# yaml-language-server: $schema=...`` line at
the top of a file and then offer completion, hover documentation and inline validation.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from typing import Any

from . import __version__
from .model import PATTERN_HINTS, Report

SCHEMA_FILE = "sitrep.schema.json"
"""The name `sitrep new` gives the schema it writes beside a new report."""

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report file."""
    schema = _for_editors(_close_id_mappings(Report.model_json_schema(by_alias=True, mode="validation")))
    return {  # no title: editors would put it above the description of every field
        "$schema": DIALECT,
        "description": f"One edition of a humanitarian situation report (sitrep {__version__}). "
        + (Report.__doc__ or "").strip(),
        **{key: value for key, value in schema.items() if key != "description"},
    }


def _close_id_mappings(schema: Any) -> Any:
    """Mappings of ids (sources, locations, figures) accept only keys that are ids.

    Pydantic describes their keys with ``patternProperties``, which leaves any other key,
    and its value, unchecked; the validator refuses such keys, so the schema must too.
    """
    if isinstance(schema, dict):
        if "patternProperties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _close_id_mappings(value)
    elif isinstance(schema, list):
        for value in schema:
            _close_id_mappings(value)
    return schema


NAMES = ("properties", "patternProperties", "$defs")
"""Keywords whose value maps names (of fields, key patterns, definitions) to schemas."""
VALUES = ("examples", "default", "enum", "const", "required")
"""Keywords whose value is data, not schemas."""


def _for_editors(schema: Any, *, names: bool = False) -> Any:
    """The schema as editors show it: one schema per value, described once, in plain words.

    - No titles: pydantic's are the field names again ('Produced By'), which editors put before the
      description and join with ' || ' for every alternative a value matches.
    - A field that may be left empty is one schema whose types include null, not a choice between
      the value's schema and null, which editors report as 'Expected "integer | null"'.
    - Descriptions on one line: they are docstrings, wrapped for the source, not for a hover.
    - A pattern says what it expects in words (the validator's), not as the pattern.
    - ``\\d`` in a pattern is written out as the digits sitrep reads, those of every script (٠-٩, ۰-۹...):
      the patterns of JSON Schema (ECMA-262's) read it as 0-9 only.
    """
    if isinstance(schema, list):
        return [_for_editors(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if names:
        return {name: _for_editors(value) for name, value in schema.items()}
    schema = {
        key: value if key in VALUES else _for_editors(value, names=key in NAMES)
        for key, value in schema.items()
        if key != "title"
    }
    choices = schema.get("anyOf", [])
    if len(choices) == 2 and choices[1] == {"type": "null"} and "type" in choices[0]:
        nullable = schema.pop("anyOf")[0]
        types = nullable["type"] if isinstance(nullable["type"], list) else [nullable["type"]]
        schema = {**nullable, **schema, "type": [*types, "null"]}
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if "description" in schema:
        schema["description"] = " ".join(schema["description"].split())
    if "pattern" in schema:
        if schema["pattern"] in PATTERN_HINTS and "errorMessage" not in schema:
            schema.setdefault("patternErrorMessage", f"Expected {PATTERN_HINTS[schema['pattern']]}.")
        schema["pattern"] = schema["pattern"].replace("\\d", _any_digit())
    return schema


@functools.cache
def _any_digit() -> str:
    """A character class of the decimal digits Python's ``\\d`` and ``int`` read, those of every script
    in the Basic Multilingual Plane (0-9, ٠-٩, ۰-۹, ०-९, ０-９...), written as \\u escapes, which every
    engine reads; digits beyond it (Osmanya, mathematical bold...) would need a notation of their own."""
    zeros = [
        code for code in range(0x10000) if unicodedata.digit(chr(code), None) == 0 and re.fullmatch(r"\d", chr(code))
    ]
    return "[" + "".join(f"\\u{zero:04x}-\\u{zero + 9:04x}" for zero in zeros) + "]"


def schema_text() -> str:
    """The schema as the JSON text written to files."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(schema_path: str = SCHEMA_FILE) -> str:
    """The first line of a YAML file that points editors at the schema."""
    return f"# yaml-language-server: $schema={schema_path}"

"""The JSON Schema of the input file, generated from the model, for editors.

Editors that speak the YAML language server protocol (VS Code's YAML extension, Neovim,
Emacs, JetBrains IDEs) read it through a ``# yaml-language-server: $schema=...`` line at
the top of a file and then offer completion, hover documentation and inline validation.
"""

from __future__ import annotations

import json
from typing import Any

from . import __version__
from .model import Report

SCHEMA_FILE = "sitrep.schema.json"
"""The name `sitrep new` gives the schema it writes beside a new report."""

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report file."""
    schema = _close_id_mappings(Report.model_json_schema(by_alias=True, mode="validation"))
    return {
        "$schema": DIALECT,
        "title": "sitrep situation report",
        "description": f"One edition of a humanitarian situation report (sitrep {__version__}). "
        + (Report.__doc__ or "").strip(),
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
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


def schema_text() -> str:
    """The schema as the JSON text written to files."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(schema_path: str = SCHEMA_FILE) -> str:
    """The first line of a YAML file that points editors at the schema."""
    return f"# yaml-language-server: $schema={schema_path}"

"""`sitrep schema`: the JSON Schema editors use, documented, and in agreement with the validator.

Editors read a report with YAML 1.2 core semantics (the YAML language server does), so the files are
read here the same way (``EditorLoader``) before the schema (with the ``jsonschema`` package) sees
them, while `sitrep validate` reads them with sitrep's own loader, as the text written. The cases
compared are those of tests/editor_cases.py: the examples, the hand-editing mistakes, and values
written field by field; benchmarks/editor_agreement.py compares the same cases through
yaml-language-server itself. Invalid inputs beyond tests/data/model/ are in tests/data/schema/,
each minimal.yaml with the change named in its first line.

Where the schema and the validator cannot agree by construction (``BEYOND_SCHEMA``), the test
asserts that they do disagree, so that the list stays true:
- references between entries: an id that names no source, location or figure, or a `part_of` loop;
  JSON Schema cannot look an id up elsewhere in the document;
- one field smaller than another: `low` below `high`, a period or a measure that ends before it starts;
- how a number was written: YAML 1.2 reads `012` as 12 and `745.0` as 745, so the schema sees a
  number where sitrep's loader keeps the text and refuses it.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from editor_cases import ACCEPT, BEYOND_SCHEMA, EXAMPLES, REFUSE, cases
from jsonschema import Draft202012Validator

from sitrep.build import check_file
from sitrep.cli import main
from sitrep.errors import InputError, SitrepError
from sitrep.load import load_file
from sitrep.model import parse_report
from sitrep.schema import DIALECT, NAMES, VALUES, json_schema, modeline, schema_text

TESTS = Path(__file__).parent
MODEL = TESTS / "data" / "model"
RULES = TESTS / "data" / "rules"
SCHEMA_DATA = TESTS / "data" / "schema"
EXAMPLE = TESTS.parent / "inputs" / "syria-coast-2025-03.yaml"


class EditorLoader(yaml.SafeLoader):
    """YAML 1.2 core schema, as editors read YAML: null, true/false, ints and floats are recognised;
    nothing else (no timestamps, no yes/no/on/off, no sexagesimal 1:20, no octal 012). A key written
    twice is an error, as editors underline it."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(key, deep=True) for key, _ in node.value]
        for key, _ in node.value:
            if keys.count(self.construct_object(key, deep=True)) > 1:
                raise yaml.constructor.ConstructorError(None, None, "map keys must be unique", key.start_mark)
        return super().construct_mapping(node, deep=deep)


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
EditorLoader.add_constructor("tag:yaml.org,2002:int", _int)
EditorLoader.add_constructor("tag:yaml.org,2002:float", _float)
EditorLoader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node).lower() == "true"
)


def as_an_editor_reads(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)  # EditorLoader is a SafeLoader


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema)


def schema_errors(validator: Draft202012Validator, text: str) -> list[str]:
    return [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(as_an_editor_reads(text))
    ]


def parses(path: Path) -> bool:
    try:
        parse_report(load_file(path))
    except InputError:
        return False
    return True


def editor_refuses(validator: Draft202012Validator, text: str) -> bool:
    """Whether an editor underlines anything in ``text``: a YAML error or a value the schema refuses."""
    try:
        data = as_an_editor_reads(text)
    except yaml.YAMLError:
        return True
    return any(True for _ in validator.iter_errors(data))


def test_editor_loader_reads_yaml_1_2_core():
    data = as_an_editor_reads(
        "[012, 1:20, yes, NO, on, 2025-03-08, 1.5, .inf, 0x1F, 0o17, ~, true, False, '1,018', -5, +3, 1e3, null, TRUE]"
    )
    assert data == [
        12,
        "1:20",
        "yes",
        "NO",
        "on",
        "2025-03-08",
        1.5,
        math.inf,
        31,
        15,
        None,
        True,
        False,
        "1,018",
        -5,
        3,
        1000.0,
        None,
        True,
    ]
    assert as_an_editor_reads("as_of: 2025-03-09 18:00 +03:00\nvalue: 1,018\nkey:") == {
        "as_of": "2025-03-09 18:00 +03:00",
        "value": "1,018",
        "key": None,
    }
    with pytest.raises(yaml.YAMLError, match="map keys must be unique"):
        as_an_editor_reads("a: 1\nb: 2\na: 3")


# ---------------------------------------------------------------------------
# The command


def test_schema_prints_the_draft_2020_12_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema" == DIALECT
    assert printed == json_schema()
    Draft202012Validator.check_schema(printed)
    assert printed["type"] == "object"
    assert printed["additionalProperties"] is False


def test_schema_output_file_holds_the_same_schema(tmp_path):
    runner = CliRunner()
    target = tmp_path / "sitrep.schema.json"
    result = runner.invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == runner.invoke(main, ["schema"]).stdout == schema_text()


def test_schema_output_replaces_an_older_schema(tmp_path):
    target = tmp_path / "sitrep.schema.json"
    target.write_text("{}\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["schema", "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()


# ---------------------------------------------------------------------------
# Documentation: every field has a description and an example


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(definition, property, property schema) for the top level and every definition."""
    found = [("(top level)", name, prop) for name, prop in schema["properties"].items()]
    for definition, body in schema["$defs"].items():
        found += [(definition, name, prop) for name, prop in body.get("properties", {}).items()]
    return found


def test_every_definition_is_described(schema):
    assert schema["description"]
    assert [name for name, body in schema["$defs"].items() if not body.get("description")] == []


def test_every_property_has_a_description_and_an_example(schema):
    props = _properties(schema)
    assert len(props) > 80
    assert [f"{d}.{p}" for d, p, prop in props if not prop.get("description")] == []
    assert [f"{d}.{p}" for d, p, prop in props if not prop.get("examples")] == []
    assert [f"{d}.{p}" for d, p, prop in props if not isinstance(prop.get("examples"), list)] == []


def test_every_example_is_valid_for_its_property(schema):
    """Editors offer examples as completions: an example the schema refuses teaches a mistake."""
    invalid = []
    for definition, name, prop in _properties(schema):
        check = Draft202012Validator({"$defs": schema["$defs"], **prop})
        invalid += [
            f"{definition}.{name}: {example!r}: {error.message}"
            for example in prop["examples"]
            for error in check.iter_errors(example)
        ]
    assert invalid == []


# ---------------------------------------------------------------------------
# The schema accepts what the validator accepts

VALID = sorted(path for path in [*MODEL.glob("*.yaml"), *RULES.rglob("*.yaml"), EXAMPLE] if parses(path))


def test_the_valid_files_are_found():
    names = {path.name for path in VALID}
    assert {"minimal.yaml", "count-comma.yaml", "date-words.yaml", "range-hyphen.yaml", EXAMPLE.name} <= names
    assert "missing-narrative.yaml" not in names


@pytest.mark.parametrize("path", VALID, ids=[str(p.relative_to(TESTS.parent)) for p in VALID])
def test_schema_accepts_every_file_the_validator_accepts(validator, path):
    assert schema_errors(validator, path.read_text(encoding="utf-8")) == []


def test_schema_accepts_the_starters_of_sitrep_new(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    commands = [
        ["new", "bare.yaml"],
        ["new", "starter.yaml", "--crisis", "sudan-floods-2025", "--title", "Sudan: Floods", "--country", "SDN"],
        ["new", "next.yaml", "--from", f"inputs/{EXAMPLE.name}"],
    ]
    for command in commands:
        assert runner.invoke(main, command).exit_code == 0, command
        path = tmp_path / command[1]
        assert parses(path)
        assert schema_errors(validator, path.read_text(encoding="utf-8")) == [], command


# ---------------------------------------------------------------------------
# The schema refuses what the validator refuses (where it can tell)

INVALID = [
    MODEL / "unknown-key.yaml",  # knd: for kind:
    MODEL / "unknown-key-far.yaml",
    MODEL / "enum-kind.yaml",  # kind: newspaper
    MODEL / "missing-as-of.yaml",
    MODEL / "missing-narrative.yaml",
    MODEL / "count-letters.yaml",  # 12a
    MODEL / "count-bad-grouping.yaml",  # 1,01,8
    MODEL / "count-point.yaml",  # 1.068, a float to an editor
    MODEL / "count-negative.yaml",  # -5, an int to an editor
    MODEL / "count-inf.yaml",
    MODEL / "count-nan.yaml",
    MODEL / "range-point.yaml",  # 745-1.068
    MODEL / "date-slashes.yaml",  # 06/03/2025
    MODEL / "as-of-no-zone.yaml",
    MODEL / "not-a-mapping.yaml",
    MODEL / "several-errors.yaml",
    MODEL / "bad-source-id.yaml",  # an id with a space, as a key under sources:
    MODEL / "url-file.yaml",  # file:///etc/passwd
    MODEL / "url-javascript.yaml",
    SCHEMA_DATA / "statement-speaker-list.yaml",
    SCHEMA_DATA / "statement-date-year.yaml",
    SCHEMA_DATA / "flag-yes.yaml",
    SCHEMA_DATA / "number-zero.yaml",
    SCHEMA_DATA / "admin-level-six.yaml",
]


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_schema_refuses_what_the_validator_refuses(validator, path):
    assert not parses(path)
    assert schema_errors(validator, path.read_text(encoding="utf-8")) != []


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("unknown-key.yaml", "sources.reuters-0308: Additional properties are not allowed ('knd' was unexpected)"),
        ("missing-narrative.yaml", ": 'narrative' is a required property"),
        ("enum-kind.yaml", "sources.sohr.kind: 'newspaper' is not one of"),
    ],
)
def test_schema_points_where_the_validator_points(validator, name, where):
    errors = schema_errors(validator, (MODEL / name).read_text(encoding="utf-8"))
    assert any(error.startswith(where) for error in errors), errors


def test_the_schema_beside_the_examples_is_current():
    """inputs/sitrep.schema.json is what editors read for the bundled examples: regenerate it with
    `sitrep schema -o inputs/sitrep.schema.json` when the model changes."""
    committed = (Path(__file__).resolve().parent.parent / "inputs" / "sitrep.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text()


# ---------------------------------------------------------------------------
# The editor and `sitrep validate` agree, case by case

CASES = cases()


def test_the_cases_cover_the_examples_the_mistakes_and_the_values():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) > 150
    assert set(BEYOND_SCHEMA) <= set(names)
    assert {
        "report.produced_by: 2025",
        'figures.killed-civilians.key: "true"',
        "contacts.0.phone: +41229171234",
        "figures.killed-civilians.estimates.0.value: ١٠١٨",
        "report.language: no",
    } <= set(names)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_editor_agrees_with_the_validator(validator, case, tmp_path):
    path = case.path or tmp_path / "case.yaml"
    if case.path is None:
        path.write_text(case.text, encoding="utf-8")
    try:
        check_file(path)
        verdict = ACCEPT
    except SitrepError:
        verdict = REFUSE
    assert verdict == case.expected
    editor = REFUSE if editor_refuses(validator, case.text) else ACCEPT
    if case.name in BEYOND_SCHEMA:
        assert editor != verdict, f"the schema now agrees: remove {case.name!r} from BEYOND_SCHEMA"
    else:
        assert editor == verdict


def test_every_bundled_example_names_the_schema_on_its_first_line():
    """Editors find the schema through this line; `sitrep schema -o inputs/sitrep.schema.json` writes it."""
    assert EXAMPLES
    for path in EXAMPLES:
        assert path.read_text(encoding="utf-8").split("\n", 1)[0] == modeline(), path.name
    assert modeline() == "# yaml-language-server: $schema=sitrep.schema.json"
    assert (EXAMPLES[0].parent / "sitrep.schema.json").is_file()


# ---------------------------------------------------------------------------
# What editors show: hover text and messages


def _schemas(schema: Any, names: bool = False):
    """Every schema inside ``schema`` that editors report from (not the data in examples and defaults, nor
    the conditions of `if`, which are never reported)."""
    if isinstance(schema, list):
        for item in schema:
            yield from _schemas(item)
    elif isinstance(schema, dict):
        if not names:
            yield schema
        for key, value in schema.items():
            if key not in (*VALUES, "if"):
                yield from _schemas(value, names=key in NAMES)


def test_no_titles_to_put_above_every_description(schema):
    """Editors show a field's title above its description, and join the titles of a value's alternatives
    with ' || ' ('Value || Value || Value'); pydantic's titles only repeat the field's name."""
    assert [s["title"] for s in _schemas(schema) if "title" in s] == []


def test_a_field_that_may_be_empty_is_one_schema(schema):
    """Not a choice between the value and null, which editors report as 'Expected "integer | null"' and
    whose hover repeats the description for each alternative."""
    choices = [s["anyOf"] for s in _schemas(schema) if "anyOf" in s]
    assert [c for c in choices if {"type": "null"} in c and not any("$ref" in choice for choice in c)] == []
    value = schema["$defs"]["Estimate"]["properties"]["value"]
    assert "anyOf" not in value
    assert value["type"] == ["integer", "string", "null"]


def test_descriptions_are_plain_lines(schema):
    descriptions = [s["description"] for s in _schemas(schema) if "description" in s]
    assert len(descriptions) > 80
    assert [d for d in descriptions if "\n" in d or "  " in d or d != d.strip()] == []


def test_every_pattern_says_in_words_what_it_expects(schema):
    """Editors show the pattern itself ('String does not match the pattern of "^[A-Z]{3}$"') unless the
    schema gives a message."""
    unexplained = [
        s["pattern"]
        for s in _schemas(schema)
        if "pattern" in s and not (s.get("errorMessage") or s.get("patternErrorMessage"))
    ]
    assert unexplained == []
    country = schema["$defs"]["Location"]["properties"]["country"]
    assert country["patternErrorMessage"] == "Expected a three-letter ISO 3166 code in capitals, such as SYR."


def test_patterns_read_digits_of_every_script_as_sitrep_does(schema):
    """JSON Schema's patterns (ECMA-262's) read \\d as 0-9 only; sitrep reads the digits of every script."""
    value = Draft202012Validator(schema["$defs"]["Estimate"]["properties"]["value"])
    for written in ["1018", "١٠١٨", "۱۰۱۸", "१०१८", "１０１８", "1,018", "١,٠١٨", "745-1,068", "17 million"]:
        assert value.is_valid(written), written
    for written in ["1.018", "0123", "١٬٠١٨", "12a", "-5"]:
        assert not value.is_valid(written), written
    assert "\\d" not in json.dumps(schema)

"""The cases on which the JSON Schema, as an editor applies it, is compared with `sitrep validate`.

Used by tests/test_schema.py (the schema through the ``jsonschema`` package) and by
benchmarks/editor_agreement.py (the schema through yaml-language-server itself):

- the bundled examples, inputs/*.yaml;
- the corpus of hand-editing mistakes, tests/data/mistakes/ (tests/mistakes.py);
- values written field by field into tests/data/schema/fields.yaml, each with what
  `sitrep validate` does with it, chosen where YAML 1.1, YAML 1.2 and sitrep's own reading of
  the text differ: numbers with commas or in Arabic-Indic digits, yes/no/on, quoted "true",
  unquoted dates and times, phone numbers, numbers where text is expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mistakes import BASE, mistakes

from sitrep.load import load_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "inputs").glob("*.yaml"))
TEMPLATE = ROOT / "tests" / "data" / "schema" / "fields.yaml"

ACCEPT, REFUSE = "accept", "refuse"

FIGURE = "figures.killed-civilians"
ESTIMATE = f"{FIGURE}.estimates.0"
MONEY = "funding.0.requirement.0"

VALUES: list[tuple[str, str, str]] = [
    # (field, the value as written in the file, what `sitrep validate` does with it)
    # Text: sitrep reads every value as the text written, so numbers and true/false are text too.
    ("report.produced_by", "2025", ACCEPT),
    ("report.produced_by", "true", ACCEPT),
    ("report.produced_by", "yes", ACCEPT),
    ("report.produced_by", '"2025"', ACCEPT),
    ("report.produced_by", "1.5", ACCEPT),
    ("report.produced_by", "null", REFUSE),
    ("report.produced_by", '""', REFUSE),
    ("report.produced_by", "[a, b]", REFUSE),
    ("report.title", "on", ACCEPT),
    ("report.title", "12:30", ACCEPT),
    ("report.title", '"Aleppo\\r"', REFUSE),  # a control character, through an escape
    ("report.title", '"Aleppo \\u2066745\\u2069"', REFUSE),  # bidirectional isolates, through escapes
    ("report.title", '"Aleppo \\u202e"', REFUSE),  # a bidirectional override
    ("report.title", '"Aleppo \\uFFFE"', REFUSE),  # a noncharacter
    ("report.title", '"Aleppo \\u200f"', ACCEPT),  # a right-to-left mark
    ("narrative.overview", '"[x](javascript&#58;alert(1))"', REFUSE),
    ("narrative.overview", '"![x](https://example.org/x.png)"', REFUSE),
    ("narrative.overview", '"[x](https://example.org/)"', ACCEPT),
    ("narrative.overview", "0x1F", ACCEPT),
    ("locations.latakia.local_name", "١٢", ACCEPT),
    ("statements.0.speaker", "1e3", ACCEPT),
    # Ids and references
    ("report.crisis", "2025", ACCEPT),
    ("report.crisis", "true", ACCEPT),
    ("report.crisis", "syria coast", REFUSE),
    ("report.crisis", "-5", REFUSE),
    (f"{ESTIMATE}.source", "no", REFUSE),  # an id no source has
    # Counts
    (f"{ESTIMATE}.value", "745", ACCEPT),
    (f"{ESTIMATE}.value", "1,018", ACCEPT),
    (f"{ESTIMATE}.value", '"1,018"', ACCEPT),
    (f"{ESTIMATE}.value", "١٬٠١٨", REFUSE),  # Arabic thousands separator
    (f"{ESTIMATE}.value", "١٠١٨", ACCEPT),  # Arabic-Indic digits
    (f"{ESTIMATE}.value", "۱۰۱۸", ACCEPT),  # Extended Arabic-Indic (Persian) digits
    (f"{ESTIMATE}.value", "١,٠١٨", ACCEPT),
    (f"{ESTIMATE}.value", "17 million", ACCEPT),
    (f"{ESTIMATE}.value", "1.5 million", ACCEPT),
    (f"{ESTIMATE}.value", "745-1,068", ACCEPT),
    (f"{ESTIMATE}.value", "745 to 1068", ACCEPT),
    (f"{ESTIMATE}.value", "0", ACCEPT),
    (f"{ESTIMATE}.value", "many", REFUSE),
    (f"{ESTIMATE}.value", "-5", REFUSE),
    (f"{ESTIMATE}.value", "1.068", REFUSE),
    (f"{ESTIMATE}.value", "12a", REFUSE),
    (f"{ESTIMATE}.value", "1,01,8", REFUSE),
    (f"{ESTIMATE}.value", "1 018", REFUSE),
    (f"{ESTIMATE}.value", "about 1000", REFUSE),
    (f"{ESTIMATE}.value", "1,5 million", REFUSE),
    (f"{ESTIMATE}.value", "17m", REFUSE),
    (f"{ESTIMATE}.value", "1_018", REFUSE),
    (f"{ESTIMATE}.value", "true", REFUSE),
    (f"{ESTIMATE}.value", ".inf", REFUSE),
    (f"{ESTIMATE}.value", "012", REFUSE),  # YAML 1.2 reads 12
    (f"{ESTIMATE}.value", "745.0", REFUSE),  # YAML 1.2 reads a number equal to 745
    (f"{ESTIMATE}.value", "999,999,999,999,999", ACCEPT),  # the largest count accepted
    (f"{ESTIMATE}.value", "999999999999999", ACCEPT),
    (f"{ESTIMATE}.value", "1,000,000,000,000,000", REFUSE),
    (f"{ESTIMATE}.value", "1000000000000000", REFUSE),
    (f"{ESTIMATE}.value", "1" + "0" * 309, REFUSE),  # YAML 1.2 reads a float of 10^309: infinity
    (f"{ESTIMATE}.value", "999999999 million", ACCEPT),
    (f"{ESTIMATE}.value", "1000000000 million", REFUSE),
    (f"{ESTIMATE}.value", "999999 billion", ACCEPT),
    (f"{ESTIMATE}.value", "1000000 billion", REFUSE),
    ("report.number", "2", ACCEPT),
    ("report.number", '"2"', ACCEPT),
    ("report.number", "1,018", ACCEPT),
    ("report.number", "0", REFUSE),
    ("report.number", "two", REFUSE),
    ("locations.latakia.admin_level", "2", ACCEPT),
    ("locations.latakia.admin_level", '"2"', ACCEPT),
    ("locations.latakia.admin_level", "region", ACCEPT),
    ("locations.latakia.admin_level", "Region", ACCEPT),
    ("locations.latakia.admin_level", "6", REFUSE),
    ("locations.latakia.admin_level", "governorate", REFUSE),
    # Flags
    (f"{FIGURE}.key", "true", ACCEPT),
    (f"{FIGURE}.key", "True", ACCEPT),
    (f"{FIGURE}.key", "false", ACCEPT),
    (f"{FIGURE}.key", '"true"', ACCEPT),
    (f"{FIGURE}.key", "tRUE", ACCEPT),
    (f"{FIGURE}.key", "yes", REFUSE),
    (f"{FIGURE}.key", "on", REFUSE),
    (f"{FIGURE}.key", "y", REFUSE),
    (f"{FIGURE}.key", "1", REFUSE),
    (f"{FIGURE}.key", "", REFUSE),
    # Days, months and times: unquoted, a date is text to YAML 1.2 and a date to YAML 1.1
    ("report.next_update", "2025-03-12", ACCEPT),
    ("report.next_update", "12 March 2025", ACCEPT),
    ("report.next_update", "March 12, 2025", ACCEPT),
    ("report.next_update", "", ACCEPT),
    ("report.next_update", "12/03/2025", REFUSE),
    ("report.next_update", "2025-03", REFUSE),
    ("report.next_update", "2025-03-12 10:00", REFUSE),
    ("report.next_update", "20250312", REFUSE),
    ("report.next_update", "2025-13-01", REFUSE),
    ("report.next_update", "2025-02-30", REFUSE),  # the form of a date, but no such day
    (f"{ESTIMATE}.as_of", "2025-03", ACCEPT),
    (f"{ESTIMATE}.as_of", "March 2025", ACCEPT),
    (f"{ESTIMATE}.as_of", "8 Mar 2025", ACCEPT),
    (f"{ESTIMATE}.as_of", "2025-13", REFUSE),
    (f"{ESTIMATE}.as_of", "2025", REFUSE),
    (f"{ESTIMATE}.as_of", "03/2025", REFUSE),
    ("sources.sohr.published", "April 2025", ACCEPT),
    ("statements.0.date", "2025", REFUSE),
    ("report.as_of", "2025-03-09T18:00:00Z", ACCEPT),
    ("report.as_of", "2025-03-09 18:00 UTC", ACCEPT),
    ("report.as_of", "2025-03-09 18:00", REFUSE),
    ("report.as_of", "2025-03-09", REFUSE),
    # Codes, tags and choices
    ("report.language", "no", ACCEPT),  # Norwegian; false to YAML 1.1
    ("report.language", "[en, ar]", ACCEPT),
    ("report.language", "EN", REFUSE),
    ("report.country", "[MMR, THA]", ACCEPT),
    ("report.country", "Syria", REFUSE),
    ("report.digits", "arabic-indic", ACCEPT),
    ("report.digits", "arabic", REFUSE),
    ("sources.sohr.kind", "Monitor", REFUSE),
    (f"{ESTIMATE}.qualifier", "at least", REFUSE),
    ("sources.reuters-0308.url", "http://example.org/news", ACCEPT),
    ("sources.reuters-0308.url", "www.reuters.com", REFUSE),
    ("sources.reuters-0308.url", '"https://example.org/\\u202e"', REFUSE),
    ("sources.reuters-0308.url", '"https://example.org/\\e[2J"', REFUSE),
    # Contacts
    ("contacts.0.phone", "+41229171234", ACCEPT),
    ("contacts.0.phone", "0041229171234", ACCEPT),
    ("contacts.0.phone", "(022) 917-1234", ACCEPT),
    ("contacts.0.phone", "call the office", REFUSE),
    ("contacts.0.email", "duty at example.org", REFUSE),
    ("contacts.0.email", '"duty\\e[2J@example.org"', REFUSE),  # an escape sequence, through a YAML escape
    # Money
    (f"{MONEY}.amount", "USD 6 million", ACCEPT),
    (f"{MONEY}.amount", "$6 million", REFUSE),
    (f"{MONEY}.percent", "78.6", ACCEPT),
    (f"{MONEY}.percent", "78.6%", ACCEPT),
    (f"{MONEY}.percent", '"38"', ACCEPT),
    (f"{MONEY}.percent", "-5", REFUSE),
    (f"{MONEY}.percent", "5000", REFUSE),
    (f"{MONEY}.percent", "half", REFUSE),
    (f"{MONEY}.percent", "1e1", REFUSE),
    (f"{MONEY}.percent", '"3_8"', REFUSE),
    (f"{MONEY}.percent", "-0", ACCEPT),
]


BEYOND_SCHEMA = {
    **dict.fromkeys(
        [
            "mistakes/07-unknown-source-id.yaml",
            "mistakes/08-source-id-not-added.yaml",
            "mistakes/16-figure-at-missing-location.yaml",
            "mistakes/17-part-of-missing-figure.yaml",
            f"{ESTIMATE}.source: no",
        ],
        "an id must name an entry written elsewhere in the file: JSON Schema cannot look it up",
    ),
    "mistakes/18-part-of-cycle.yaml": "figures that are parts of each other: JSON Schema cannot follow ids",
    **dict.fromkeys(
        ['narrative.overview: "[x](javascript&#58;alert(1))"', 'narrative.overview: "![x](https://example.org/x.png)"'],
        "a link or an image inside the Markdown of a text: JSON Schema reads the text, not the Markdown in it",
    ),
    "mistakes/56-part-of-other-things.yaml": "a part must count what its total counts: JSON Schema cannot "
    "compare two entries",
    **dict.fromkeys(
        [
            "mistakes/40-low-bigger-than-high.yaml",
            "mistakes/45-period-reversed.yaml",
            "mistakes/51-measure-ends-before-it-starts.yaml",
        ],
        "one field must be smaller than another: JSON Schema cannot compare two values",
    ),
    **dict.fromkeys(
        [f"{ESTIMATE}.value: 012", f"{ESTIMATE}.value: 745.0", f"{MONEY}.percent: 1e1"],
        "YAML 1.2 reads a number, 12 or 745, and the schema sees only the number, not how it was "
        "written; sitrep refuses the leading zero, the decimal point and the exponent",
    ),
}
"""The cases on which the schema cannot agree with `sitrep validate`, and why."""


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    expected: str | None = None
    """What `sitrep validate` does with it, for the value cases; None where the case's file says it."""
    path: Path | None = None
    """The file in the repository the case is, if it is one."""


def with_value(field: str, written: str) -> str:
    """The template with ``written`` as the value of ``field`` (dotted, list indexes as numbers)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    loc = tuple(int(part) if part.isdigit() else part for part in field.split("."))
    line, column = load_bytes(text.encode("utf-8"), TEMPLATE.name).values[loc]
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1][: column - 1].rstrip() + (f" {written}" if written else "")
    return "\n".join(lines)


def cases() -> list[Case]:
    """Every case: the examples, the mistakes, then the values."""
    found = [Case(f"inputs/{path.name}", path.read_text(encoding="utf-8"), ACCEPT, path) for path in EXAMPLES]
    base = BASE.read_text(encoding="utf-8")
    found += [Case(f"mistakes/{mistake.name}.yaml", mistake.text(base), REFUSE) for mistake in mistakes()]
    found += [Case(f"{field}: {written}", with_value(field, written), expected) for field, written, expected in VALUES]
    return found

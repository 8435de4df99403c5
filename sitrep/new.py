"""Starting a report file: a commented starter, or the next edition of a series.

Neither ever overwrites a file. What the analyst must still write is marked ``TODO``
(the checks warn about any left), and every estimate carried over from the previous
edition is marked for review (`review:`), so nothing old is published as new unseen.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .build import read_report
from .checks import PLACEHOLDER, PLACEHOLDER_COUNTRY
from .errors import SitrepError
from .model import Report, write_moment
from .output import write_new
from .render import builtin_templates
from .schema import SCHEMA_FILE, modeline, schema_text
from .wording import money

NARRATIVE_PLACEHOLDERS = {
    "overview": f"{PLACEHOLDER}: the situation overview for this edition, in your own words (Markdown).\n",
    "outlook": f"{PLACEHOLDER}: what is expected next and what to watch.\n",
}


def starter(path: Path, *, crisis: str, title: str, country: str, now: datetime) -> str:
    """The text of a commented starter file that validates, with TODO placeholders."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(builtin_templates()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    today = now.date()
    return env.get_template("new-report.yaml").render(
        modeline=modeline(),
        file_name=path.name,
        title=title,
        crisis=crisis,
        country=country,
        as_of=write_moment(now),
        today=today.isoformat(),
        next_update=(today + timedelta(days=3)).isoformat(),
    )


def next_edition(previous_path: Path, path: Path) -> str:
    """The text of the edition after the one in ``previous_path``, to be written at ``path``."""
    previous = read_report(previous_path)
    data = previous.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    info = previous.report
    as_of = _next_as_of(previous)
    cadence = as_of - info.as_of
    data["report"].update(
        number=info.number + 1,
        as_of=write_moment(as_of),
        period={"from": (info.period.end + timedelta(days=1)).isoformat(), "to": as_of.date().isoformat()},
        previous=os.path.relpath(previous_path, path.parent),
    )
    if info.next_update:  # a next update is promised only where the previous edition promised one
        data["report"]["next_update"] = (
            (as_of.date() + cadence).isoformat() if cadence.days else as_of.date().isoformat()
        )
    if previous.map and not Path(previous.map.boundaries).is_absolute():  # the same file, from the new one's folder
        data["map"]["boundaries"] = os.path.relpath(previous_path.parent / previous.map.boundaries, path.parent)
    review = (
        f"carried over from Situation Report No. {info.number} ({info.as_of.date().isoformat()}): "
        "check it is still current, add newer estimates, then delete this line"
    )
    for figure in data.get("figures", {}).values():
        for estimate in figure["estimates"]:
            estimate["review"] = review
    for funding in data.get("funding", []):
        for kind in ("requirement", "funded", "pledged", "allocated"):
            for amount in funding.get(kind, []):
                amount["review"] = review
                if "amount" in amount and "currency" in amount:  # as analysts write it: US$275 million
                    amount["amount"] = money(amount["amount"], amount.pop("currency"))
    languages = info.languages

    def placeholder(text: str) -> str | dict[str, str]:  # to be written in each of the report's languages
        return text if len(languages) == 1 else dict.fromkeys(languages, text)

    data["highlights"] = [
        {
            "text": placeholder(f"{PLACEHOLDER}: the most important point of this edition."),
            "sources": [next(iter(previous.sources))],
        }
    ]
    data["narrative"] = {
        key: placeholder(text)
        for key, text in NARRATIVE_PLACEHOLDERS.items()
        if key == "overview" or previous.narrative.outlook
    }
    header = (
        f"{modeline()}\n# Situation Report No. {info.number + 1}, started from {previous_path.name} "
        f"with `sitrep new --from` (its comments are not carried over).\n# Replace every TODO, check every "
        "estimate marked `review`, then: sitrep validate " + path.name + "\n\n"
    )
    return header + _dump(data)


def _next_as_of(previous: Report) -> datetime:
    """The planned next update at the same time of day, or one period length later."""
    info = previous.report
    if info.next_update and info.next_update > info.as_of.date():
        return info.as_of + (info.next_update - info.as_of.date())
    return info.as_of + (info.period.end - info.period.start + timedelta(days=1))


class _PlainDumper(yaml.SafeDumper):
    """Writes every value as text, quoted only where YAML syntax needs it: sitrep reads all values as
    text and converts them itself, so dates and numbers need no quotes to stay what they are."""

    yaml_implicit_resolvers: dict = {}


def _as_text(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_text(value) for value in data]
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


def _dump(data: dict[str, Any]) -> str:
    """One top-level section after another, a blank line between them, as a person would lay them out."""
    return "\n".join(
        yaml.dump({key: _as_text(value)}, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)
        for key, value in data.items()
    )


def create(
    path: Path,
    *,
    previous: Path | None = None,
    crisis: str | None = None,
    title: str | None = None,
    country: str | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Write a new report file at ``path`` (and the schema beside it if absent); return what was written."""
    if path.exists():
        raise SitrepError(f"{path} already exists: sitrep new never overwrites a file; choose another name")
    if previous is not None:
        text = next_edition(previous, path)
    else:
        now = now or datetime.now().astimezone().replace(second=0, microsecond=0)
        crisis = crisis or f"{PLACEHOLDER.lower()}-crisis-{now.year}"
        text = starter(
            path,
            crisis=crisis,
            title=title or f"{PLACEHOLDER} Country: Crisis",
            country=country or PLACEHOLDER_COUNTRY,
            now=now,
        )
    written = [path]
    write_new(path, text.encode("utf-8"))
    schema = path.parent / SCHEMA_FILE
    if not schema.exists():
        write_new(schema, schema_text().encode("utf-8"))
        written.append(schema)
    return written

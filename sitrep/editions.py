"""One fact file, several languages: the report as the edition in one of them reads it.

A translatable text (``sitrep.model.LocalText``) is written once, in the file's own language,
or per language: ``title: {en: ..., ar: ..., fr: ...}``. ``report.language`` lists the
languages the file is made in, its own first; ``sitrep build`` makes an edition in each.

``resolve`` gives the report as one edition reads it: every translatable text in the edition's
language. Nothing falls back silently:

- the analyst's words missing in the edition's language are shown in the file's language,
  preceded by a visible mark ("[English, not translated]"), and the checks warn about each such
  field (``missing_translations``);
- a name given in one form only (a publisher, a place) is shown as written, as names are; a place
  or a person whose ``local_name`` is written in the edition's script goes by that name in it
  (اللاذقية in the Arabic edition, "Latakia (اللاذقية)" in the English one).

Quotes are never translated here: a statement's ``translation`` is shown beside its verbatim quote
by the view, marked as a translation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from .language import Language, _, current, primary, speaking, writes
from .model import Location, Report, Statement, Translatable, translatable

Model = TypeVar("Model", bound=BaseModel)
Loc = tuple[str | int, ...]

NAMED = {Location: "name", Statement: "speaker"}
"""Models with a ``local_name``, and the field holding the name it stands beside."""


def written_in(value: str | dict[str, str], language: str) -> str:
    """A translatable text in ``language`` if given in it, else in the first language it is written in: how the
    changes between two editions key their entries, whatever edition is being made."""
    if isinstance(value, str):
        return value
    return value.get(language) or next(iter(value.values()))


@dataclass(frozen=True)
class Edition:
    """The edition in ``language`` of a file written first in ``default``."""

    language: str
    default: str

    def text(self, value: str | dict[str, str], kind: Translatable) -> str:
        """``value`` as the edition shows it (see the module's docstring)."""
        if isinstance(value, str) and self.language == self.default:
            return value
        if isinstance(value, dict) and self.language in value:
            return value[self.language]
        if isinstance(value, str):
            text, written = value, self.default
        else:
            written = self.default if self.default in value else next(iter(value))
            text = value[written]
        if kind is Translatable.name or primary(written) == primary(self.language):
            return text
        return untranslated(text, written)


def language_of(report: Report, tag: str) -> Language:
    """The language of the report's edition in ``tag``, with the digits and month names the file asks for."""
    return Language(tag, report.report.digits, report.report.month_names)


def own_edition(report: Report) -> Report:
    """The report as the edition in its own language reads it."""
    own = report.report.languages[0]
    with speaking(language_of(report, own)):
        return resolve(report, Edition(own, own))


def untranslated(text: str, language: str) -> str:
    """``text`` in ``language``, shown in an edition in another language: '[English, not translated] ...'."""
    return _("[{language}, not translated]").format(language=current().name_of(language)) + " " + text


@functools.cache
def _translatable_fields(model: type[BaseModel]) -> dict[str, Translatable]:
    return {name: kind for name, field in model.model_fields.items() if (kind := translatable(field))}


def resolve(value: Model, edition: Edition) -> Model:
    """``value`` (a report, or any part of one) with every translatable text as ``edition`` shows it; call it
    within ``sitrep.language.speaking`` the edition's language, which words the marks."""
    return _resolve(value, edition)


def _resolve(value: Any, edition: Edition) -> Any:
    if isinstance(value, BaseModel):
        fields = _translatable_fields(type(value))
        updates = {}
        for name in type(value).model_fields:
            current_value = getattr(value, name)
            if name in fields:
                if current_value is not None and _written(value, name):
                    text = edition.text(current_value, fields[name])
                    if text is not current_value:
                        updates[name] = text
                elif isinstance(current_value, dict):  # the default, given per language
                    updates[name] = type(value).model_fields[name].default
            elif isinstance(current_value, (BaseModel, list, dict)):
                resolved = _resolve(current_value, edition)
                if resolved is not current_value:
                    updates[name] = resolved
        if type(value) in NAMED:
            updates.update(_named(value, NAMED[type(value)], updates, edition))
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list):
        items = [_resolve(item, edition) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        resolved = {key: _resolve(item, edition) for key, item in value.items()}
        return value if all(resolved[key] is item for key, item in value.items()) else resolved
    return value


def _named(value: Any, field: str, updates: dict, edition: Edition) -> dict:
    """A place or person whose local name is in the edition's script, and whose name is not, goes by the local
    name (اللاذقية in the Arabic edition), unless the file names them in the edition's language; a local name
    the same as the name shown is not repeated beside it."""
    local = value.local_name
    if not local:
        return {}
    written = getattr(value, field)
    shown = updates.get(field, written)
    if (
        isinstance(written, dict)
        and edition.language in written
        or not writes(edition.language, local)
        or writes(edition.language, shown)
    ):
        return {"local_name": None} if shown == local else {}
    return {field: local, "local_name": None}


def missing_translations(report: Report, languages: tuple[str, ...]) -> Iterator[tuple[Loc, tuple[str, ...]]]:
    """Each of the analyst's texts not given in every one of ``languages`` (the report's, and any other edition
    asked for), with the languages it lacks."""
    if len(languages) == 1 and languages[0] == report.report.languages[0]:
        return
    for loc, value in _texts(report, (), Translatable.prose):
        given = (report.report.languages[0],) if isinstance(value, str) else tuple(value)
        lacking = tuple(language for language in languages if language not in given)
        if lacking:
            yield loc, lacking


def texts_by_language(report: Report) -> Iterator[tuple[Loc, dict[str, str]]]:
    """Every translatable text given per language, with where it is."""
    for loc, value in _texts(report, (), None):
        if isinstance(value, dict):
            yield loc, value


def _texts(value: Any, loc: Loc, kind: Translatable | None) -> Iterator[tuple[Loc, str | dict[str, str]]]:
    """Every translatable text in ``value`` written in the file (of ``kind``, or any), with where it is."""
    if isinstance(value, BaseModel):
        fields = _translatable_fields(type(value))
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name in fields:
                if (kind is None or fields[name] is kind) and item is not None and _written(value, name):
                    yield (*loc, name), item
            elif isinstance(item, (BaseModel, list, dict)):
                yield from _texts(item, (*loc, name), kind)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index), kind)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key), kind)


def _written(model: BaseModel, name: str) -> bool:
    """Whether the file wrote the field, other than as its default (the default group, 'people', is sitrep's
    word, translated by its catalogs, even where the file gives it per language: {en: people, fr: personnes})."""
    value, default = getattr(model, name), type(model).model_fields[name].default
    return (
        name in model.model_fields_set
        and value != default
        and not (isinstance(value, dict) and default in value.values())
    )

"""Numbered sources and the citations that point at them.

Every source of a file gets one footnote number, in the order the file lists its sources (then
any source of the previous edition that only a number shown as changed since it comes from), and
keeps it in every product and format built from that file: "[5]" means the same source in the
full report, the Flash Update (which lists only the sources it cites, under their own numbers)
and the briefing note, in PDF, HTML and Markdown alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import model
from .language import N_, _, listed
from .model import Report
from .wording import day

RELIABILITY = {
    model.Reliability.reliable: N_("Reliable"),
    model.Reliability.usually_reliable: N_("Usually reliable"),
    model.Reliability.fairly_reliable: N_("Fairly reliable"),
    model.Reliability.not_usually_reliable: N_("Not usually reliable"),
    model.Reliability.unreliable: N_("Unreliable"),
    model.Reliability.not_assessed: N_("Not assessed"),
}

SOURCE_KINDS = {
    model.SourceKind.news: N_("news"),
    model.SourceKind.monitor: N_("monitor"),
    model.SourceKind.un: N_("un"),
    model.SourceKind.ngo: N_("ngo"),
    model.SourceKind.government: N_("government"),
    model.SourceKind.armed_group: N_("armed-group"),
    model.SourceKind.social_media: N_("social-media"),
    model.SourceKind.other: N_("other"),
}


@dataclass(frozen=True)
class Citation:
    """Who said something, through whom, with the footnote numbers to look them up."""

    text: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class Phrase:
    """A piece of a sentence and the footnote numbers of the sources behind it (none for linking words).

    Sentences the view builds ("SOHR: up 315, from 1,068 (9 March) to 1,383 (12 March)") are
    tuples of phrases, so that templates lay each number out with its own footnotes without
    building any sentence themselves.
    """

    text: str
    notes: tuple[int, ...] = ()


Sentence = tuple[Phrase, ...]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def compose(message: str, **values: str | Phrase | Sequence[Phrase]) -> list[Phrase]:
    """A sentence from a whole translated ``message`` whose placeholders are words (``str``) or numbers with
    their footnotes (phrases): ``compose(_("{source}: up {difference}, from {before} to {after}"), ...)``. The
    message keeps its own word order in every language; the footnotes stay on their numbers."""
    phrases: list[Phrase] = []
    text = ""
    for index, piece in enumerate(_PLACEHOLDER.split(message)):
        value = values[piece] if index % 2 else piece
        if isinstance(value, str):
            text += value
            continue
        if text:
            phrases.append(Phrase(text))
            text = ""
        phrases.extend([value] if isinstance(value, Phrase) else value)
    return [*phrases, Phrase(text)] if text else phrases


@dataclass(frozen=True)
class SourceView:
    number: int
    id: str
    label: str
    publisher: str
    kind: str
    reliability: str
    title: str | None
    url: str | None
    published: str | None
    accessed: str | None


class Citer:
    """Footnote numbers and citation texts for the sources of one report.

    A number of the previous edition (in a change since it) may come from a source this edition
    no longer lists: that source, one of ``earlier``, is named as the previous edition named it and
    numbered after this edition's own sources, so that every number shown can be traced.
    """

    def __init__(self, report: Report, previous: Report | None = None, earlier: Sequence[str] = ()) -> None:
        self.sources = {**(previous.sources if previous else {}), **report.sources}
        gone = [s for s in dict.fromkeys(earlier) if s not in report.sources and s in self.sources]
        self.numbers = {source_id: index for index, source_id in enumerate([*report.sources, *gone], start=1)}

    def label(self, source_id: str) -> str:
        """The name a source goes by in source lines: its short name, or its publisher."""
        source = self.sources[source_id]
        return source.short or source.publisher

    def cite(self, source_ids: list[str]) -> Citation:
        """Several sources together: 'SOHR; Reuters [1, 8]'."""
        return Citation(listed((self.label(s) for s in source_ids), "; "), self._notes(source_ids))

    def cite_via(self, source_id: str, via: str | None, when: date | None) -> Citation:
        """A claim's origin and the outlet it came through: 'SOHR via Reuters, 8 March 2025 [1, 8]'."""
        text = (
            _("{source} via {outlet}").format(source=self.label(source_id), outlet=self.label(via))
            if via
            else self.label(source_id)
        )
        if when:
            text = _("{source}, {day}").format(source=text, day=day(when))
        return Citation(text, self._notes([source_id, via] if via else [source_id]))

    def _notes(self, source_ids: list[str]) -> tuple[int, ...]:
        return tuple(self.numbers[s] for s in source_ids if s in self.numbers)

    def source(self, source_id: str) -> SourceView:
        source = self.sources[source_id]
        return SourceView(
            number=self.numbers[source_id],
            id=source_id,
            label=self.label(source_id),
            publisher=source.publisher,
            kind=_(SOURCE_KINDS[source.kind]),
            reliability=_(RELIABILITY[source.reliability]),
            title=source.title,
            url=source.url,
            published=day(source.published) if source.published else None,
            accessed=day(source.accessed) if source.accessed else None,
        )

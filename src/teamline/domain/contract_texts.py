"""Contract and warranty texts (DOMAIN.md 5; issue 6 item 8): pure rules.

A document belongs to an account and is a contract or a warranty with a title, a version and
numbered sections. A plain text is parsed into sections at its numbered headings ("1. Term",
"2.3 Early termination", "2.3. ..."); the text under a heading up to the next one is that
section's text. A search over an account's documents answers with section quotes: every word of
the query must occur in the section (heading or text, case-insensitive), and each occurrence in
the quoted text is highlighted, so a customer who quotes the contract is answered from the
contract's own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from teamline.domain.errors import InvalidInput
from teamline.domain.events import Event

TITLE_MAX = 200
VERSION_MAX = 40
TEXT_MAX = 200_000
SECTIONS_MAX = 500
QUERY_MAX = 200
QUERY_WORDS_MAX = 10
SECTION_NUMBER_MAX = 20
MARK_OPEN = "**"
MARK_CLOSE = "**"

_HEADING = re.compile(
    r"^[ \t]*(\d{1,4}\.(?:\d{1,4}\.?)*|\d{1,4}(?:\.\d{1,4})+\.?)[ \t]+(\S.*?)\s*$"
)
_WORD = re.compile(r"\w+")


class DocumentKind(StrEnum):
    CONTRACT = "contract"
    WARRANTY = "warranty"


@dataclass(frozen=True)
class Section:
    number: str  # "1", "2.3"
    heading: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentAttached(Event):
    name: ClassVar[str] = "document.attached"
    document_id: str
    account_number: str
    kind: str
    title: str
    version: str
    sections: int


@dataclass(frozen=True)
class Quote:
    """A section quoted to an agent or a customer: where it comes from, and its text with the
    matching words' spans (`highlights`, offsets into `text`)."""

    document_id: str
    kind: DocumentKind
    title: str
    version: str
    number: str
    heading: str
    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    @property
    def marked(self) -> str:
        """The text with every highlighted span between `**` marks."""
        parts: list[str] = []
        last = 0
        for start, end in self.highlights:
            parts += [self.text[last:start], MARK_OPEN, self.text[start:end], MARK_CLOSE]
            last = end
        parts.append(self.text[last:])
        return "".join(parts)


def _text(field_name: str, value: str, maximum: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(field_name, "must not be empty")
    if len(value) > maximum:
        raise InvalidInput(field_name, f"at most {maximum} characters")
    return value


def parse_sections(text: str) -> tuple[Section, ...]:
    """Split a plain text at its numbered headings into sections, in order. Text before the
    first heading, a repeated section number or a text without any heading is refused."""
    if len(text) > TEXT_MAX:
        raise InvalidInput("text", f"at most {TEXT_MAX} characters")
    found: list[tuple[str, str, list[str]]] = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            found.append((match.group(1).rstrip("."), match.group(2), []))
        elif found:
            found[-1][2].append(line)
        elif line.strip():
            raise InvalidInput("text", "text before the first numbered section heading")
    if not found:
        raise InvalidInput("text", 'no numbered section headings ("1. Term", "2.3 ...")')
    if len(found) > SECTIONS_MAX:
        raise InvalidInput("text", f"at most {SECTIONS_MAX} sections")
    seen: set[str] = set()
    sections: list[Section] = []
    for number, heading, lines in found:
        if number in seen:
            raise InvalidInput("text", f"section {number} appears twice")
        seen.add(number)
        sections.append(Section(number, heading, "\n".join(lines).strip()))
    return tuple(sections)


@dataclass(frozen=True)
class ContractDocument:
    id: str
    account_number: str
    kind: DocumentKind
    title: str
    version: str
    sections: tuple[Section, ...]
    created_by: str
    created_at: datetime

    @classmethod
    def attach(
        cls,
        id: str,
        account_number: str,
        kind: DocumentKind,
        title: str,
        version: str,
        text: str,
        created_by: str,
        now: datetime,
    ) -> tuple[ContractDocument, DocumentAttached]:
        """A new document parsed from its plain text, and the event recording it."""
        if now.tzinfo is None:
            raise InvalidInput("now", "an instant must carry its time zone")
        document = cls(
            id,
            account_number,
            kind,
            _text("title", title, TITLE_MAX),
            _text("version", version, VERSION_MAX),
            parse_sections(text),
            created_by,
            now,
        )
        event = DocumentAttached(
            at=now,
            document_id=id,
            account_number=account_number,
            kind=kind.value,
            title=document.title,
            version=document.version,
            sections=len(document.sections),
        )
        return document, event

    def section(self, number: str) -> Section | None:
        number = number.strip().rstrip(".")
        return next((s for s in self.sections if s.number == number), None)

    def quote(self, section: Section, words: Iterable[str] = ()) -> Quote:
        return Quote(
            self.id,
            self.kind,
            self.title,
            self.version,
            section.number,
            section.heading,
            section.text,
            _spans(section.text, tuple(words)),
        )


def query_words(query: str) -> tuple[str, ...]:
    """The distinct words of a query, in order; an empty or oversized query is refused."""
    if len(query) > QUERY_MAX:
        raise InvalidInput("q", f"at most {QUERY_MAX} characters")
    words = tuple(dict.fromkeys(w.casefold() for w in _WORD.findall(query)))
    if not words:
        raise InvalidInput("q", "search for at least one word")
    if len(words) > QUERY_WORDS_MAX:
        raise InvalidInput("q", f"at most {QUERY_WORDS_MAX} words")
    return words


def _spans(text: str, words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Where any of `words` occurs in `text` (case-insensitive), overlapping spans merged."""
    raw = sorted(
        (m.start(), m.end())
        for word in words
        for m in re.finditer(re.escape(word), text, re.IGNORECASE)
    )
    merged: list[tuple[int, int]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _matches(section: Section, words: tuple[str, ...]) -> bool:
    haystack = f"{section.heading}\n{section.text}"
    return all(re.search(re.escape(w), haystack, re.IGNORECASE) for w in words)


def search(documents: Iterable[ContractDocument], query: str) -> list[Quote]:
    """Every section of `documents` in which all the query's words occur, in document and
    section order, quoted with the matches highlighted."""
    words = query_words(query)
    return [
        document.quote(section, words)
        for document in documents
        for section in document.sections
        if _matches(section, words)
    ]

"""What every connector gives the import service: records read from a document or a
fetch, each mapped to one normalised vacancy or refused with a reason."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vacancies.connectors.http import Fetcher
from vacancies.connectors.mapping import Taxonomy


@dataclass(frozen=True)
class RawRecord:
    """One record as read: its position in the document (for the report) and either the
    decoded JSON or why it could not be read."""

    position: str
    payload: Any = None
    error: str = ""


@dataclass
class MappedVacancy:
    """A record in our terms: codes of the taxonomy, amounts as decimals, safe HTML."""

    external_id: str
    url: str
    title: str
    description: str
    employer_name: str
    employer_registration: str  # the registration number when the source gives one
    occupation: str  # ISCO-08 unit group
    country: str
    region: str
    city: str = ""
    employer_country: str = ""  # where the employer is registered; the vacancy's if empty
    employment_type: str = "full_time"
    work_mode: str = "on_site"
    remote_countries: list[str] = field(default_factory=list)
    schedule: str = ""
    rotation_pattern: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str | None = None
    salary_period: str = "month"
    salary_is_gross: bool = True
    positions: int = 1
    min_experience_years: int = 0
    skills: list[int] = field(default_factory=list)  # Skill ids, in the source's order
    expires_on: date | None = None  # None: the source gives no last day
    closed: bool = False  # the source says it is no longer open
    changed_at: str = ""  # the source's modification time, what a cursor moves by
    unmapped: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """What one HTTP request brought: its records and the cursor to resume after them."""

    records: list[RawRecord]
    cursor: str


class Connector(ABC):
    """Reads one format. ``parse`` and ``map`` are pure; ``fetch`` speaks HTTP."""

    kind: str = ""
    # Keys under which a wrapping object keeps its list of records, outermost first.
    wrappers: tuple[tuple[str, ...], ...] = ()

    def parse(self, text: str) -> Iterator[RawRecord]:
        """The records of a document: one object, a list, JSON lines, or one of the
        source's wrapping objects. A truncated file yields what was complete."""
        for record in read_documents(text, wrappers=self.wrappers):
            if record.error or not isinstance(record.payload, dict):
                yield record
            else:
                yield from self.unwrap(record)

    def unwrap(self, record: RawRecord) -> Iterator[RawRecord]:
        """A record that holds several (a JSON-LD @graph); most hold one."""
        yield record

    @abstractmethod
    def map(self, payload: dict[str, Any], taxonomy: Taxonomy) -> MappedVacancy:
        """The record in our terms, or ``MappingError`` saying what is wrong with it."""

    @abstractmethod
    def fetch(self, fetcher: Fetcher, url: str, cursor: str) -> Iterator[Page]:
        """Pages of records changed since ``cursor``, oldest first where the source
        lets us choose; each page carries the cursor to resume after it."""


# --- Reading documents ------------------------------------------------------------

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[\s,]*")


def _salvage_array(text: str, start: int, prefix: str) -> Iterator[RawRecord]:
    """The items of a JSON array that starts at ``start``, one by one, so that a file
    cut off in the middle still gives every item before the cut."""
    index = start + 1
    number = 0
    while True:
        index = _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]  # always matches
        if index >= len(text):
            yield RawRecord(f"{prefix}{number + 1}", error="the file ends inside the list")
            return
        if text[index] == "]":
            return
        number += 1
        try:
            item, index = _DECODER.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            yield RawRecord(f"{prefix}{number}", error=f"not valid JSON ({exc.msg})")
            return
        yield RawRecord(f"{prefix}{number}", payload=item)


def _find_array(text: str, keys: tuple[str, ...]) -> int | None:
    """Where the array under the innermost of ``keys`` starts, found by its key (for a
    document too broken to parse whole)."""
    match = re.search(r'"%s"\s*:\s*\[' % re.escape(keys[-1]), text)  # noqa: UP031 - a regex
    return match.end() - 1 if match else None


def _dig(document: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def read_documents(text: str, *, wrappers: tuple[tuple[str, ...], ...] = ()) -> Iterator[RawRecord]:
    """Records of a JSON document, a JSON array, or JSON lines; never raises."""
    text = text.lstrip("\ufeff").strip()
    if not text:
        return
    if text.startswith("["):
        yield from _salvage_array(text, 0, "item ")
        return
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    else:
        for keys in wrappers:
            inner = _dig(whole, keys)
            if isinstance(inner, list):
                for number, item in enumerate(inner, start=1):
                    yield RawRecord(f"item {number}", payload=item)
                return
        yield RawRecord("item 1", payload=whole)
        return
    # Not one document: a wrapper cut short, or JSON lines.
    for keys in wrappers:
        start = _find_array(text, keys)
        if start is not None and text.startswith("{"):
            yield from _salvage_array(text, start, "item ")
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield RawRecord(f"line {number}", payload=json.loads(line))
        except json.JSONDecodeError as exc:
            yield RawRecord(f"line {number}", error=f"not valid JSON ({exc.msg})")

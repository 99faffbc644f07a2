"""The candidate indexes a matching worker process holds, kept current from PostgreSQL.

PostgreSQL stays the source of truth. A process loads its index from a snapshot on
disk (``MATCHING_INDEX_DIR``; written by ``rebuild_match_index``, the nightly beat task,
or the first process that had to build one), else builds it from the database. Before
every answer it catches up: the rows whose ``updated_at`` is newer than what it has
applied are re-read and upserted (or removed when no longer matchable). The window
reaches ``CATCH_UP_MARGIN`` back, so a change whose transaction committed a little after
its ``updated_at`` was stamped is still seen; rows already applied at the same
``updated_at`` are skipped. What ``updated_at`` cannot say (an account switched off, a
vacancy past its last day) the answer itself reveals: the records are re-read for the
shortlist, and a row that is gone is removed and the query asked again.

One registry per process (prefork children each have their own); not thread-safe.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from matching import adapters
from matching.engine import (
    ENGINE_VERSION,
    IndexDisagreement,
    MatchResult,
    ReferenceData,
    SeekerFeatures,
    SeekerIndex,
    VacancyFeatures,
    VacancyIndex,
    Weights,
    shard_of,
    top_seekers,
    top_vacancies,
)
from matching.engine._rows import RowIndex
from seekers.models import SeekerProfile
from vacancies.models import Vacancy

log = logging.getLogger(__name__)

CATCH_UP_MARGIN = timedelta(minutes=2)
SNAPSHOT_MAX_AGE = timedelta(days=2)
ATTEMPTS = 4

R = TypeVar("R", SeekerFeatures, VacancyFeatures)
I = TypeVar("I", bound=RowIndex[Any])  # noqa: E741 - the index type, as in the engine


def engine_version() -> str:
    return f"{ENGINE_VERSION}+{Weights().version}"


def index_dir() -> Path:
    path = Path(settings.MATCHING_INDEX_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _db_now() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        now: datetime = cursor.fetchone()[0]
    return now


@dataclass
class Held(Generic[I]):
    """An index in memory with what it has applied."""

    index: I
    watermark: datetime  # every change stamped before watermark − margin is applied
    applied: dict[int, int] = field(default_factory=dict)  # id → updated_at in µs
    snapshot_mtime: float = 0.0


@dataclass(frozen=True)
class Source(Generic[I, R]):
    """Where one kind of index comes from."""

    name: str
    model: type[Model]
    index_type: type[I]
    records: Callable[[Sequence[int], date], Mapping[int, R]]
    iterate: Callable[[date], Iterable[R]]
    keep: Callable[[int], bool]  # the ids this index holds (its shard)


def _seeker_source(shard: int, shards: int) -> Source[SeekerIndex, SeekerFeatures]:
    def keep(pk: int) -> bool:
        return shards == 1 or shard_of(pk, shards) == shard

    return Source(
        name=f"seekers-{shard}-of-{shards}",
        model=SeekerProfile,
        index_type=SeekerIndex,
        records=lambda ids, today: adapters.seeker_records(ids, today=today),
        iterate=lambda today: (r for r in adapters.iter_seeker_records(today=today) if keep(r.id)),
        keep=keep,
    )


def _vacancy_source() -> Source[VacancyIndex, VacancyFeatures]:
    return Source(
        name="vacancies",
        model=Vacancy,
        index_type=VacancyIndex,
        records=lambda ids, today: adapters.vacancy_records(ids, today=today),
        iterate=lambda today: adapters.iter_vacancy_records(today=today),
        keep=lambda pk: True,
    )


# --- Snapshots ----------------------------------------------------------------------


def _paths(name: str) -> tuple[Path, Path]:
    folder = index_dir()
    return folder / f"{name}.npz", folder / f"{name}.json"


def _save(source: Source[I, R], held: Held[I]) -> None:
    """Write the snapshot beside the old one, then swap: a reader never sees half."""
    data, meta = _paths(source.name)
    suffix = f".{os.getpid()}.tmp"
    tmp_data, tmp_meta = data.with_suffix(suffix + ".npz"), meta.with_suffix(suffix)
    held.index.save(tmp_data)
    tmp_meta.write_text(
        json.dumps(
            {
                "engine_version": engine_version(),
                "watermark": held.watermark.isoformat(),
                "rows": len(held.index),
            }
        )
    )
    os.replace(tmp_meta, meta)
    os.replace(tmp_data, data)
    held.snapshot_mtime = data.stat().st_mtime


def _load(source: Source[I, R]) -> Held[I] | None:
    data, meta = _paths(source.name)
    try:
        info = json.loads(meta.read_text())
        mtime = data.stat().st_mtime
        if info["engine_version"] != engine_version():
            return None
        watermark = datetime.fromisoformat(info["watermark"])
        if watermark < timezone.now() - SNAPSHOT_MAX_AGE:
            return None
        index = source.index_type.load(data)
    except (OSError, ValueError, KeyError) as exc:
        log.info("no usable %s snapshot: %s", source.name, exc)
        return None
    return Held(index=index, watermark=watermark, snapshot_mtime=mtime)


def build(source: Source[I, R], *, save: bool = True) -> Held[I]:
    """Build from PostgreSQL; what changes meanwhile is caught up from the watermark."""
    started = time.perf_counter()
    watermark = _db_now()
    index = source.index_type.build(source.iterate(timezone.localdate()))
    held = Held(index=index, watermark=watermark)
    log.info("built %s: %d rows in %.1f s", source.name, len(index), time.perf_counter() - started)
    if save:
        _save(source, held)
    return held


# --- Catching up --------------------------------------------------------------------


def _refresh(source: Source[I, R], held: Held[I], ids: Sequence[int]) -> None:
    fresh = source.records(ids, timezone.localdate())
    for pk in ids:
        record = fresh.get(pk)
        if record is None:
            held.index.remove(pk)
        else:
            held.index.upsert(record)


def catch_up(source: Source[I, R], held: Held[I]) -> int:
    """Apply the rows changed since the watermark; returns how many were re-read."""
    since = held.watermark - CATCH_UP_MARGIN
    table = connection.ops.quote_name(source.model._meta.db_table)
    with connection.cursor() as cursor:
        # Microseconds as integers: after a bulk load the window holds many rows, and
        # integers load far faster than timestamps.
        cursor.execute(
            "SELECT id, (extract(epoch FROM updated_at) * 1000000)::bigint"  # noqa: S608 - a model's table
            f" FROM {table} WHERE updated_at > %s",
            [since],
        )
        changed: list[tuple[int, int]] = cursor.fetchall()
    todo = [pk for pk, at in changed if source.keep(pk) and held.applied.get(pk) != at]
    if todo:
        _refresh(source, held, todo)
    held.applied = dict(changed)
    if changed:
        latest = max(at for _, at in changed)
        held.watermark = max(held.watermark, datetime.fromtimestamp(latest / 1e6, tz=UTC))
    return len(todo)


class Registry:
    """The indexes of this process, by name."""

    def __init__(self) -> None:
        self.held: dict[str, Held[Any]] = {}
        self._ref: tuple[tuple[Any, ...], ReferenceData] | None = None

    def reference(self) -> ReferenceData:
        today = timezone.localdate()
        key = (today, *adapters.rates_version())
        if self._ref is None or self._ref[0] != key:
            self._ref = (key, adapters.reference_data(on=today))
        return self._ref[1]

    def get(self, source: Source[I, R]) -> Held[I]:
        held = self.held.get(source.name)
        data, _ = _paths(source.name)
        try:
            newer = data.stat().st_mtime > (held.snapshot_mtime if held else 0.0)
        except OSError:
            newer = False
        if held is None or newer:
            held = _load(source) or build(source)
            self.held[source.name] = held
        catch_up(source, held)
        return held

    def forget(self) -> None:
        self.held.clear()
        self._ref = None


registry = Registry()


def _answer(
    source: Source[I, R],
    query: Callable[[I, Callable[[Sequence[int]], Mapping[int, R]]], list[MatchResult]],
) -> list[MatchResult]:
    """Ask the index; a row the database no longer has (or has changed under the
    index) is refreshed and the question asked again."""
    held = registry.get(source)
    asked: set[int] = set()

    def fetch(ids: Sequence[int]) -> Mapping[int, R]:
        asked.update(ids)
        return source.records(ids, timezone.localdate())

    for attempt in range(ATTEMPTS):
        asked.clear()
        try:
            return query(held.index, fetch)
        except (KeyError, IndexDisagreement) as exc:
            log.info("%s: stale rows (%s), refreshing %d", source.name, exc, len(asked))
            if attempt == ATTEMPTS - 1:
                raise
            _refresh(source, held, sorted(asked))
    raise AssertionError("unreachable")  # pragma: no cover


def best_seekers(
    vacancy: VacancyFeatures, *, k: int, shard: int = 0, shards: int = 1
) -> list[MatchResult]:
    """The top k matchable seekers of one shard for a vacancy, scored by the engine."""
    ref = registry.reference()
    return _answer(
        _seeker_source(shard, shards),
        lambda index, fetch: top_seekers(index, vacancy, ref, k=k, fetch=fetch),
    )


def best_vacancies(seeker: SeekerFeatures, *, k: int) -> list[MatchResult]:
    """The top k open vacancies for a seeker, scored by the engine."""
    ref = registry.reference()
    return _answer(
        _vacancy_source(),
        lambda index, fetch: top_vacancies(index, seeker, ref, k=k, fetch=fetch),
    )


def rebuild(*, shards: int) -> dict[str, int]:
    """Build every index from PostgreSQL and write the snapshots; returns rows per index."""
    sources: list[Source[Any, Any]] = [_seeker_source(s, shards) for s in range(shards)]
    sources.append(_vacancy_source())
    sizes = {}
    for source in sources:
        held = build(source)
        registry.held[source.name] = held
        sizes[source.name] = len(held.index)
    return sizes

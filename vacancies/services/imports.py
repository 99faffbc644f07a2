"""Import runs: read a source's records (from a file or over HTTP), map them, write them
in batches, and keep a report of what happened to each.

A run holds a PostgreSQL advisory lock on its source, so two runs of one source never
interleave; the lock goes with the connection, so a run that dies leaves none behind.
The cursor moves only when a run finishes: a run that died half-way is run again from
where the last good one ended, and what it already wrote comes back "unchanged".
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from vacancies.connectors import CONNECTORS, connector_for
from vacancies.connectors.base import Connector, RawRecord
from vacancies.connectors.http import Fetcher
from vacancies.connectors.mapping import MappingError, Taxonomy
from vacancies.models import ImportRun, Source, Vacancy, VacancySkill
from vacancies.services.imported import (
    CREATED,
    MERGED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    Outcome,
    Pending,
    vacancies_import_batch,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Vacancies created before a run refreshes the planner's statistics (at least; a
# quarter of the table when that is more).
ANALYZE_AFTER = 2000
# Enough to tell an administrator what went wrong without a report of megabytes.
MAX_PROBLEMS = 1000
_LOCK_NAMESPACE = 8  # pg_advisory_lock(namespace, source id): this number


class ImportBusy(Exception):
    """Another run of the same source holds its lock."""


def source_get_or_create(*, name: str, kind: str | None = None) -> Source:
    """The source called ``name``; a new one needs a ``kind`` (a connector's name),
    which defaults to the name itself when that is a connector's ("hh")."""
    source = Source.objects.filter(name=name).first()
    if source is not None:
        if kind and kind != source.kind:
            raise ValueError(f"source {name!r} is read by {source.kind!r}, not {kind!r}")
        return source
    kind = kind or (name if name in CONNECTORS else None)
    if kind is None:
        raise ValueError(f"no source {name!r}; give --kind to make it ({', '.join(CONNECTORS)})")
    connector_for(kind)  # refuses an unknown kind
    return Source.objects.create(name=name, kind=kind)


@contextmanager
def _source_lock(source: Source) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, source.pk])
        (locked,) = cursor.fetchone() or (False,)
    if not locked:
        raise ImportBusy(f"another import of {source.name} is running")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, source.pk])


@dataclass
class _Report:
    """The counts of a run as it goes, written to its ``ImportRun`` after each batch."""

    run: ImportRun
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[dict[str, str]] = field(default_factory=list)
    unmapped: dict[str, Counter[str]] = field(default_factory=dict)
    newest: str = ""

    def skip(self, position: str, reason: str, external_id: str = "") -> None:
        self.counts[SKIPPED] += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(
                {"position": position, "external_id": external_id, "reason": reason}
            )

    def add(self, outcome: Outcome) -> None:
        if outcome.result == SKIPPED:
            self.skip(outcome.position, outcome.reason, outcome.external_id)
        else:
            self.counts[outcome.result] += 1

    def save(self, **extra: object) -> None:
        run = self.run
        run.records = sum(self.counts.values())
        run.created, run.updated = self.counts[CREATED], self.counts[UPDATED]
        run.unchanged, run.merged = self.counts[UNCHANGED], self.counts[MERGED]
        run.skipped = self.counts[SKIPPED]
        run.problems = self.problems
        run.unmapped = {
            kind: dict(values.most_common(100)) for kind, values in sorted(self.unmapped.items())
        }
        for name, value in extra.items():
            setattr(run, name, value)
        run.save()


class _Batcher:
    """Collects mapped records and writes them a batch at a time.

    A record whose external id comes again in the same run replaces the earlier one
    if it says something else (the later is the newer) and is skipped as a duplicate if
    it says the same.

    With ``threaded``, a writer thread (with its own connection, each batch its own
    transaction) writes a batch while the next is being mapped: PostgreSQL works on the
    other core meanwhile. At most one batch is in flight, so memory stays bounded and a
    failure stops the run one batch later at most.
    """

    def __init__(self, *, source: Source, report: _Report, batch_size: int, threaded: bool) -> None:
        self.source = source
        self.report = report
        self.batch_size = batch_size
        self.pending: dict[str, Pending] = {}
        self.grown = 0
        self.rows_at_analyze = 0
        # Employer ids by (country, number) for the whole run: thousands of postings
        # share a few hundred employers. Only the writer touches it.
        self.employers: dict[tuple[str, str], int] = {}
        self.seen: dict[str, tuple[str, str]] = {}  # external id -> (position, content hash)
        self.writer = ThreadPoolExecutor(max_workers=1) if threaded else None
        self.in_flight: Future[list[Outcome]] | None = None

    def add(self, item: Pending) -> bool:
        """False when the record only repeats an earlier one of this run."""
        external_id = item.mapped.external_id
        earlier = self.seen.get(external_id)
        if earlier is not None and earlier[1] == item.content_hash:
            self.report.skip(item.position, f"duplicate of {earlier[0]}", external_id)
            return False
        if earlier is not None and external_id in self.pending:
            self.report.skip(earlier[0], f"superseded by {item.position}", external_id)
        self.seen[external_id] = (item.position, item.content_hash)
        self.pending[external_id] = item
        if len(self.pending) >= self.batch_size:
            self.flush()
        return True

    def flush(self) -> None:
        items = list(self.pending.values())
        self.pending = {}
        if not items:
            return
        if self.writer is None:
            self._collect(self._write(items))
            return
        self._wait()
        self.in_flight = self.writer.submit(self._write, items)

    def finish(self) -> None:
        """Write what is pending and wait for it."""
        self.flush()
        self._wait()

    def close(self) -> None:
        if self.writer is not None:
            # Looked up in the writer thread: there it is the writer's own connection.
            self.writer.submit(lambda: connection.close()).result()
            self.writer.shutdown()

    def _wait(self) -> None:
        if self.in_flight is not None:
            future, self.in_flight = self.in_flight, None
            self._collect(future.result())

    def _collect(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.report.add(outcome)
        self.report.save()

    def _write(self, items: list[Pending]) -> list[Outcome]:
        try:
            outcomes = vacancies_import_batch(
                source=self.source, items=items, employers=self.employers
            )
        except DatabaseError:
            # Employers made in the batch went with its transaction.
            self.employers.clear()
            # One bad record must not lose the batch: write them one by one to find it.
            log.warning("batch of %s failed; retrying record by record", len(items), exc_info=True)
            outcomes = []
            for item in items:
                try:
                    outcomes.extend(
                        vacancies_import_batch(
                            source=self.source, items=[item], employers=self.employers
                        )
                    )
                except DatabaseError as exc:
                    self.employers.clear()
                    reason = f"refused by the database: {str(exc).splitlines()[0][:200]}"
                    outcomes.append(
                        Outcome(item.position, item.mapped.external_id, SKIPPED, reason)
                    )
        self.grown += sum(1 for o in outcomes if o.result == CREATED)
        if self.grown > max(ANALYZE_AFTER, self.rows_at_analyze // 4):
            self.rows_at_analyze = _analyze()
            self.grown = 0
        return outcomes


def _analyze() -> int:
    """Refresh the planner's statistics of the tables a run grows; the vacancies now."""
    # A bulk load outruns autovacuum: with statistics of a smaller table the planner
    # scans the whole of it for each batch's search-vector update (8× slower at
    # 30,000 vacancies, and worse as it grows).
    # The key columns only: the row counts are what was wrong, and sampling the text
    # and the search vectors of every column would cost more than the batches save.
    with connection.cursor() as cursor:
        for model, column in ((Vacancy, "id"), (VacancySkill, "vacancy_id")):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ANALYZE {table} ({column})")
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", ["vacancies_vacancy"]
        )
        (rows,) = cursor.fetchone() or (0,)
    return max(int(rows), 0)


def _map_all(
    records: Iterable[RawRecord],
    *,
    connector: Connector,
    taxonomy: Taxonomy,
    report: _Report,
    batcher: _Batcher,
) -> None:
    for record in records:
        if record.error:
            report.skip(record.position, record.error)
            continue
        if not isinstance(record.payload, dict):
            report.skip(record.position, f"not a JSON object ({type(record.payload).__name__})")
            continue
        try:
            mapped = connector.map(record.payload, taxonomy)
        except MappingError as exc:
            report.skip(record.position, str(exc), _guess_id(record.payload))
            continue
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            # A record shaped unlike the format (a number where an object belongs).
            report.skip(record.position, f"malformed record ({exc.__class__.__name__}: {exc})")
            continue
        report.newest = max(report.newest, mapped.changed_at)
        if batcher.add(Pending.of(record.position, mapped)):
            for kind, values in mapped.unmapped.items():
                report.unmapped.setdefault(kind, Counter()).update(values)


def _guess_id(payload: dict[str, object]) -> str:
    inner = payload.get("vacancy")
    value = (inner if isinstance(inner, dict) else payload).get("id") or payload.get("identifier")
    return str(value)[:200] if isinstance(value, str | int) else ""


def _run(
    *,
    source: Source,
    origin: str,
    pages: Iterable[tuple[Iterable[RawRecord], str | None]],
    batch_size: int,
) -> ImportRun:
    """Run ``pages`` (records, and the cursor after them — None for a file) into
    ``source``'s vacancies, with a report.

    Only a fetch moves the source's cursor: it is the fetch's own position (a feed's
    cursor is not a date), and a file says nothing of what the URL has. A file's run
    records the newest modification time it read as its ``cursor_after``.
    """
    connector = connector_for(source.kind)
    with _source_lock(source):
        run = ImportRun.objects.create(
            source=source, origin=origin[:500], cursor_before=source.cursor
        )
        report = _Report(run=run)
        # Inside the caller's transaction the batches must be written in it too; on
        # their own (the command, the task) they are written beside the mapping.
        batcher = _Batcher(
            source=source,
            report=report,
            batch_size=batch_size,
            threaded=not connection.in_atomic_block,
        )
        cursor, fetched = source.cursor, False
        try:
            taxonomy = Taxonomy.load()
            for records, page_cursor in pages:
                _map_all(
                    records, connector=connector, taxonomy=taxonomy, report=report, batcher=batcher
                )
                batcher.finish()
                if page_cursor is not None:
                    cursor, fetched = page_cursor, True
        except Exception as exc:
            # Whatever stopped it, the report says so; the cursor stays for the re-run.
            report.save(status=ImportRun.Status.FAILED, finished_at=timezone.now(), error=str(exc))
            raise
        finally:
            batcher.close()
        now = timezone.now()
        report.save(
            status=ImportRun.Status.FINISHED,
            finished_at=now,
            cursor_after=cursor if fetched else report.newest,
        )
        counts = {
            name: getattr(run, name)
            for name in ("records", "created", "updated", "unchanged", "merged", "skipped")
        }
        Source.objects.filter(pk=source.pk).update(
            cursor=cursor, last_run_at=now, last_counts=counts
        )
        source.refresh_from_db(fields=["cursor", "last_run_at", "last_counts"])
    return run


def import_text(
    *, source: Source, text: str, origin: str = "", batch_size: int = BATCH_SIZE
) -> ImportRun:
    """Import a document in the source's format (see ``Connector.parse``)."""
    connector = connector_for(source.kind)
    return _run(
        source=source,
        origin=origin or "text",
        pages=[(connector.parse(text), None)],
        batch_size=batch_size,
    )


def import_file(*, source: Source, path: Path, batch_size: int = BATCH_SIZE) -> ImportRun:
    # Invalid UTF-8 is replaced rather than refused: one bad byte spoils one record.
    text = path.read_text(encoding="utf-8", errors="replace")
    return import_text(source=source, text=text, origin=str(path), batch_size=batch_size)


def source_fetch(*, source: Source, fetcher: Fetcher | None = None) -> ImportRun | None:
    """Fetch what changed at the source's URL since its cursor; None when it has no
    URL or fetching is off (the default)."""
    if not source.url or not source.fetch_enabled:
        return None
    connector = connector_for(source.kind)
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        pages = (
            (page.records, page.cursor)
            for page in connector.fetch(fetcher, source.url, source.cursor)
        )
        return _run(source=source, origin=source.url, pages=pages, batch_size=BATCH_SIZE)
    finally:
        if own:
            fetcher.close()


def sources_due(*, now: datetime | None = None) -> list[int]:
    """Ids of the sources to fetch now: a URL, fetching on, and their interval passed."""
    moment = now or timezone.now()
    return [
        source.pk
        for source in Source.objects.filter(fetch_enabled=True).exclude(url="").order_by("pk")
        if source.last_run_at is None
        or moment - source.last_run_at >= timedelta(minutes=source.fetch_interval_minutes)
    ]


@transaction.atomic
def source_save(*, source: Source) -> Source:
    """Save a source an administrator made or changed (its URL, whether and how often
    it is fetched), refusing a kind no connector reads."""
    try:
        connector_for(source.kind)
    except ValueError as exc:
        raise ValidationError({"kind": str(exc)}) from exc
    source.full_clean()
    source.save()
    return source

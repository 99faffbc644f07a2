"""Matching's verbs: ask for a run (the outbox), run it, store what it found.

A run for a vacancy asks the seeker index for the best candidates, a run for a seeker
asks the vacancy index; either way the engine's results are upserted as ``Match``
rows (one per pair), matches that stopped standing are marked with why, and the new
ones (and those whose score rose) are handed to notifications by ``matching.announce``
once the transaction commits (``matching.announce``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from config.celery import send_or_defer
from matching import adapters, indexes
from matching.engine import (
    Component,
    MatchResult,
    Reason,
    SeekerFeatures,
    VacancyFeatures,
    merge_top_k,
    score,
)
from matching.models import Kind, Match, MatchRequest, MatchRun, Standing
from seekers.models import SeekerProfile
from vacancies.models import Vacancy

log = logging.getLogger(__name__)

TASKS = {Kind.VACANCY: "matching.match_vacancy", Kind.SEEKER: "matching.match_seeker"}
ANNOUNCE_BATCH = 200


def _debounce(kind: str) -> timedelta:
    seconds = settings.MATCHING_SEEKER_DEBOUNCE_SECONDS if kind == Kind.SEEKER else 0
    return timedelta(seconds=seconds)


# --- The outbox ---------------------------------------------------------------------

_REQUEST_SQL = """
INSERT INTO matching_matchrequest AS r (kind, object_id, requested_at, due_at, dispatched_at,
                                        engine_version)
SELECT %(kind)s, id, clock_timestamp(), clock_timestamp() + %(debounce)s * interval '1 second', NULL, ''
FROM unnest(%(ids)s::bigint[]) AS t(id)
ON CONFLICT (kind, object_id) DO UPDATE
   SET requested_at = EXCLUDED.requested_at, due_at = EXCLUDED.due_at
RETURNING r.object_id, r.due_at,
          (SELECT o.requested_at IS NULL FROM matching_matchrequest o
            WHERE o.kind = r.kind AND o.object_id = r.object_id)
"""


def match_request(*, kind: str, ids: Sequence[int], debounce: bool = True) -> None:
    """Ask for matching runs, inside the caller's transaction; sent once it commits.

    Repeated requests while one is pending push its due time on (a seeker's edits
    within the debounce interval make one run) and send nothing more.
    """
    if not ids:
        return
    with connection.cursor() as cursor:
        seconds = _debounce(kind).total_seconds() if debounce else 0.0
        cursor.execute(_REQUEST_SQL, {"kind": kind, "ids": list(ids), "debounce": seconds})
        rows = cursor.fetchall()
    # A new row (no old one: None) or an idle one (True) needs a task; a pending one has it.
    to_send = [(pk, due) for pk, due, idle in rows if idle is not False]
    if to_send:
        transaction.on_commit(lambda: dispatch(kind=kind, tasks=to_send))


def dispatch(*, kind: str, tasks: Sequence[tuple[int, datetime | None]]) -> int:
    """Send the tasks (object id, eta); if the broker is down, leave them to the relay."""
    sent: list[int] = []
    for object_id, eta in tasks:
        if not send_or_defer(TASKS[Kind(kind)], [object_id], eta=eta):
            break
        sent.append(object_id)
    if sent:
        MatchRequest.objects.filter(kind=kind, object_id__in=sent).update(
            dispatched_at=timezone.now()
        )
    return len(sent)


def match_requests_relay(*, grace: timedelta | None = None, limit: int = 1000) -> int:
    """Re-send the requests that are due but were not sent or not taken (beat runs it)."""
    grace = grace or timedelta(seconds=settings.MATCHING_RELAY_GRACE_SECONDS)
    now = timezone.now()
    stale = (
        MatchRequest.objects.filter(requested_at__isnull=False, due_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - grace))
        .order_by("due_at")
        .values_list("kind", "object_id")[:limit]
    )
    by_kind: dict[str, list[tuple[int, datetime | None]]] = {}
    for kind, object_id in stale:
        by_kind.setdefault(kind, []).append((object_id, None))
    return sum(dispatch(kind=kind, tasks=tasks) for kind, tasks in by_kind.items())


RATES_SEEN_KEY = "matching:rates-version"


def match_requests_sweep(*, limit: int | None = 5000) -> dict[str, int]:
    """Ask for runs of whatever changed since its last run, or was never matched, or was
    matched by another engine version: a lost request, a bulk load, a new formula.

    New exchange rates or PPP factors re-run every open vacancy that states a salary
    (its runs re-score the seekers who expect one).
    """
    version = indexes.engine_version()
    today = timezone.localdate()
    asked: dict[str, int] = {}
    for kind, objects in (
        (Kind.VACANCY, adapters.matchable_vacancies(today=today)),
        (Kind.SEEKER, adapters.matchable_seekers()),
    ):
        done = MatchRequest.objects.filter(
            kind=kind,
            object_id=OuterRef("pk"),
            requested_at__isnull=True,
            last_run_at__gte=OuterRef("updated_at"),
            engine_version=version,
        )
        pending = MatchRequest.objects.filter(
            kind=kind, object_id=OuterRef("pk"), requested_at__isnull=False
        )
        stale = objects.filter(~Exists(done), ~Exists(pending)).order_by("pk")
        ids = list(stale.values_list("pk", flat=True)[:limit])
        with transaction.atomic():
            match_request(kind=kind, ids=ids, debounce=False)
        asked[kind] = len(ids)
    rates = repr(adapters.rates_version())
    seen = cache.get(RATES_SEEN_KEY)
    if seen is not None and seen != rates:
        ids = list(
            adapters.matchable_vacancies(today=today)
            .filter(salary_currency__isnull=False)
            .values_list("pk", flat=True)
        )
        with transaction.atomic():
            match_request(kind=Kind.VACANCY, ids=ids, debounce=False)
        asked["rates"] = len(ids)
    cache.set(RATES_SEEN_KEY, rates, timeout=None)
    return asked


# --- Runs ---------------------------------------------------------------------------


def match_request_process(*, kind: str, object_id: int) -> str:
    """Run a pending request once it is due; a duplicate or early delivery does nothing."""
    pending = (
        MatchRequest.objects.filter(kind=kind, object_id=object_id)
        .values_list("requested_at", "due_at")
        .first()
    )
    if pending is None or pending[0] is None:
        return "nothing pending"
    requested_at, due_at = pending
    if due_at is not None and due_at > timezone.now() + timedelta(milliseconds=500):
        dispatch(kind=kind, tasks=[(object_id, due_at)])
        return "not due yet"
    if kind == Kind.VACANCY and settings.MATCHING_SHARDS > 1 and requested_at is not None:
        _vacancy_fan_out(object_id, requested_at=requested_at)
        return "sent to the shards"
    run(kind=kind, object_id=object_id, trigger="request", requested_at=requested_at)
    return "matched"


def _vacancy_fan_out(vacancy_id: int, *, requested_at: datetime) -> None:
    """One task per seeker shard (each on its own queue), merged by a chord callback."""
    from celery import chord

    shards = settings.MATCHING_SHARDS
    header = [
        current_app.signature("matching.shard_top_seekers", args=[vacancy_id, shard, shards]).set(
            queue=f"matching.shard{shard}"
        )
        for shard in range(shards)
    ]
    callback = current_app.signature(
        "matching.store_vacancy_matches", args=[vacancy_id, requested_at.isoformat()]
    )
    chord(header)(callback)


def shard_top_seekers(*, vacancy_id: int, shard: int, shards: int) -> list[dict[str, Any]]:
    """One shard's top k for a vacancy, as JSON for the chord's callback."""
    record = adapters.vacancy_records([vacancy_id], today=timezone.localdate()).get(vacancy_id)
    if record is None:
        return []
    found = indexes.best_seekers(
        record, k=settings.MATCHING_TOP_SEEKERS, shard=shard, shards=shards
    )
    return [{"seeker_id": r.seeker_id, "vacancy_id": r.vacancy_id, **r.as_json()} for r in found]


def result_from_json(data: dict[str, Any]) -> MatchResult:
    return MatchResult(
        seeker_id=data["seeker_id"],
        vacancy_id=data["vacancy_id"],
        score=data["score"],
        eligible=data["eligible"],
        reasons=tuple(Reason(r["key"], r["params"]) for r in data["reasons"]),
        flags=tuple(data["flags"]),
        components=tuple(Component(**c) for c in data["components"]),
        missing_skills=tuple(data["missing_skills"]),
        version=data["version"],
    )


def vacancy_matches_store_merged(
    *, vacancy_id: int, shard_results: Iterable[Sequence[dict[str, Any]]], requested_at: datetime
) -> None:
    """The chord's callback: merge the shards' top k (exactly the global top k) and store."""
    lists = [[result_from_json(d) for d in part] for part in shard_results]
    merged = merge_top_k(lists, k=settings.MATCHING_TOP_SEEKERS, by="seeker")
    run(
        kind=Kind.VACANCY,
        object_id=vacancy_id,
        trigger="shards",
        requested_at=requested_at,
        found=merged,
    )


@dataclass
class Outcome:
    candidates: int = 0
    created: int = 0
    updated: int = 0
    dropped: int = 0
    announce: list[int] = field(default_factory=list)  # matches handed to notifications


def run(
    *,
    kind: str,
    object_id: int,
    trigger: str,
    requested_at: datetime | None = None,
    found: list[MatchResult] | None = None,
) -> Outcome:
    """Match one vacancy or seeker now and store the result, in one transaction.

    Two runs for the same object wait for each other (an advisory lock), and the rows
    are upserts, so the same run twice ends in the same rows and announces nothing new.
    """
    started_at, clock = timezone.now(), time.perf_counter()
    version = indexes.engine_version()
    with transaction.atomic():
        with connection.cursor() as cursor:
            lock = object_id * 2 + (1 if kind == Kind.SEEKER else 0)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        if (
            requested_at is not None
            and not MatchRequest.objects.filter(
                kind=kind, object_id=object_id, requested_at=requested_at
            ).exists()
        ):
            # A twin delivery ran it while this one waited for the lock.
            return Outcome()
        if kind == Kind.VACANCY:
            outcome = _run_vacancy(object_id, found=found)
        else:
            outcome = _run_seeker(object_id)
        still = _request_done(kind, object_id, requested_at, version)
        MatchRun.objects.create(
            kind=kind,
            object_id=object_id,
            trigger=trigger,
            engine_version=version,
            started_at=started_at,
            duration_ms=(time.perf_counter() - clock) * 1000,
            shards=settings.MATCHING_SHARDS if kind == Kind.VACANCY else 1,
            candidates=outcome.candidates,
            created=outcome.created,
            updated=outcome.updated,
            dropped=outcome.dropped,
        )
        if still is not None:
            # A change came in while this ran: its request stays, and nothing else
            # will send it (it found this one pending).
            transaction.on_commit(lambda: dispatch(kind=kind, tasks=[(object_id, still)]))
    return outcome


def _request_done(
    kind: str, object_id: int, requested_at: datetime | None, version: str
) -> datetime | None:
    """Close the request this run answered; the due time of a newer one, if any."""
    now = timezone.now()
    updated = MatchRequest.objects.filter(kind=kind, object_id=object_id)
    if requested_at is not None:
        updated.filter(requested_at=requested_at).update(
            requested_at=None, due_at=None, last_run_at=now, engine_version=version
        )
    row = (
        MatchRequest.objects.filter(kind=kind, object_id=object_id)
        .values_list("requested_at", "due_at")
        .first()
    )
    if row is None:
        MatchRequest.objects.create(
            kind=kind, object_id=object_id, last_run_at=now, engine_version=version
        )
        return None
    if row[0] is None:
        updated.update(last_run_at=now, engine_version=version)
        return None
    return row[1]


def _threshold() -> float:
    return float(settings.MATCHING_MIN_SCORE)


def _run_vacancy(vacancy_id: int, *, found: list[MatchResult] | None) -> Outcome:
    today = timezone.localdate()
    record = adapters.vacancy_records([vacancy_id], today=today).get(vacancy_id)
    revision = Vacancy.objects.filter(pk=vacancy_id).values_list("revision", flat=True).first()
    if revision is None:  # deleted meanwhile: its matches went with it
        return Outcome()
    current = Match.objects.filter(vacancy_id=vacancy_id, standing=Standing.CURRENT)
    if record is None:
        dropped = current.update(standing=Standing.CLOSED, computed_at=timezone.now())
        return Outcome(dropped=dropped)
    if found is None:
        found = indexes.best_seekers(record, k=settings.MATCHING_TOP_SEEKERS)
    keep = [r for r in found if r.score >= _threshold()]
    kept = {r.seeker_id for r in keep}
    earlier = [pk for pk in current.values_list("seeker_id", flat=True) if pk not in kept]
    ref = indexes.registry.reference()
    seekers = adapters.seeker_records(earlier, today=today)
    rows = [_row(r, revision=revision) for r in keep]
    rows += [
        _row(score(seekers[pk], record, ref), revision=revision) for pk in earlier if pk in seekers
    ]
    gone = [pk for pk in earlier if pk not in seekers]
    dropped = current.filter(seeker_id__in=gone).update(
        standing=Standing.WITHDRAWN, computed_at=timezone.now()
    )
    outcome = _upsert(rows)
    outcome.candidates = len(found)
    outcome.dropped += dropped
    return outcome


def _run_seeker(profile_id: int) -> Outcome:
    today = timezone.localdate()
    record = adapters.seeker_records([profile_id], today=today).get(profile_id)
    current = Match.objects.filter(seeker_id=profile_id, standing=Standing.CURRENT)
    if record is None:
        if not SeekerProfile.objects.filter(pk=profile_id).exists():
            return Outcome()
        dropped = current.update(standing=Standing.WITHDRAWN, computed_at=timezone.now())
        return Outcome(dropped=dropped)
    found = indexes.best_vacancies(record, k=settings.MATCHING_TOP_VACANCIES)
    keep = [r for r in found if r.score >= _threshold()]
    kept = {r.vacancy_id for r in keep}
    earlier = [pk for pk in current.values_list("vacancy_id", flat=True) if pk not in kept]
    ref = indexes.registry.reference()
    vacancies = adapters.vacancy_records(earlier, today=today)
    revisions = dict(
        Vacancy.objects.filter(pk__in=kept | set(earlier)).values_list("pk", "revision")
    )
    rows = [_row(r, revision=revisions[r.vacancy_id]) for r in keep if r.vacancy_id in revisions]
    rows += [
        _row(score(record, vacancies[pk], ref), revision=revisions[pk])
        for pk in earlier
        if pk in vacancies
    ]
    gone = [pk for pk in earlier if pk not in vacancies]
    dropped = current.filter(vacancy_id__in=gone).update(
        standing=Standing.CLOSED, computed_at=timezone.now()
    )
    outcome = _upsert(rows)
    outcome.candidates = len(found)
    outcome.dropped += dropped
    return outcome


@dataclass(frozen=True)
class _Row:
    vacancy_id: int
    seeker_id: int
    score: Decimal
    explanation: str
    revision: int
    standing: str


def _standing(result: MatchResult) -> str:
    if not result.eligible:
        return Standing.INELIGIBLE
    if result.score < _threshold():
        return Standing.BELOW_THRESHOLD
    return Standing.CURRENT


def _row(result: MatchResult, *, revision: int) -> _Row:
    return _Row(
        vacancy_id=result.vacancy_id,
        seeker_id=result.seeker_id,
        score=Decimal(str(result.score)),
        explanation=json.dumps(result.as_json()),
        revision=revision,
        standing=_standing(result),
    )


_UPSERT_SQL = """
WITH input AS (
    SELECT * FROM unnest(%(vacancy)s::bigint[], %(seeker)s::bigint[], %(score)s::numeric[],
                         %(explanation)s::text[], %(revision)s::int[], %(standing)s::text[])
             AS t(vacancy_id, seeker_id, score, explanation, revision, standing)
), old AS (
    SELECT m.vacancy_id, m.seeker_id, m.score, m.standing
    FROM matching_match m JOIN input i USING (vacancy_id, seeker_id)
)
INSERT INTO matching_match AS m (vacancy_id, seeker_id, score, explanation, engine_version,
                                 vacancy_revision, standing, status, created_at, computed_at)
SELECT vacancy_id, seeker_id, score, explanation::jsonb, %(version)s, revision, standing, 'new',
       now(), now()
FROM input
ON CONFLICT (vacancy_id, seeker_id) DO UPDATE
   SET score = EXCLUDED.score, explanation = EXCLUDED.explanation,
       engine_version = EXCLUDED.engine_version, vacancy_revision = EXCLUDED.vacancy_revision,
       standing = EXCLUDED.standing, computed_at = EXCLUDED.computed_at
RETURNING m.id, m.vacancy_id, m.seeker_id, m.score, m.standing, (m.xmax = 0),
          (SELECT o.score FROM old o WHERE o.vacancy_id = m.vacancy_id AND o.seeker_id = m.seeker_id),
          (SELECT o.standing FROM old o
            WHERE o.vacancy_id = m.vacancy_id AND o.seeker_id = m.seeker_id),
          m.announced_score
"""


def _upsert(rows: list[_Row]) -> Outcome:
    """Write the rows; announce the pairs that became current (or rose while current)."""
    if not rows:
        return Outcome()
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_SQL,
            {
                "vacancy": [r.vacancy_id for r in rows],
                "seeker": [r.seeker_id for r in rows],
                "score": [r.score for r in rows],
                "explanation": [r.explanation for r in rows],
                "revision": [r.revision for r in rows],
                "standing": [r.standing for r in rows],
                "version": indexes.engine_version(),
            },
        )
        returned = cursor.fetchall()
    outcome = Outcome()
    for _pk, _v, _s, _score, standing, inserted, _old_score, old_standing, _told in returned:
        if inserted:
            outcome.created += 1
        else:
            outcome.updated += 1
        if standing != Standing.CURRENT and not inserted and old_standing == Standing.CURRENT:
            outcome.dropped += 1
    outcome.announce = [
        row[0] for row in returned if row[4] == Standing.CURRENT and _needs_telling(row)
    ]
    if outcome.announce:
        ids = list(outcome.announce)
        transaction.on_commit(lambda: announce_dispatch(ids))
    return outcome


def _needs_telling(row: tuple[Any, ...]) -> bool:
    score, announced = row[3], row[8]
    return announced is None or score > announced


def announce_dispatch(match_ids: Sequence[int]) -> None:
    """Hand the matches to notifications in a task; the relay finds any left behind."""
    for start in range(0, len(match_ids), ANNOUNCE_BATCH):
        if not send_or_defer(
            "matching.announce", [list(match_ids[start : start + ANNOUNCE_BATCH])]
        ):
            return


def match_now(*, kind: str, object_id: int) -> Outcome:
    """Match at once, outside the outbox (the command, the tests, the staff)."""
    return run(kind=kind, object_id=object_id, trigger="direct")


def explain_pair(*, vacancy: Vacancy, profile: SeekerProfile) -> MatchResult | None:
    """The engine's full verdict on one pair, filtered out or not (for staff)."""
    today = timezone.localdate()
    # A vacancy no longer open is explained as it stands all the same.
    vacancy_record: VacancyFeatures | None = adapters.vacancy_records(
        [vacancy.pk], today=today, open_only=False
    ).get(vacancy.pk)
    if vacancy_record is None:
        return None
    seeker_record: SeekerFeatures | None = adapters.seeker_records([profile.pk], today=today).get(
        profile.pk
    )
    if seeker_record is None:
        return None
    return score(seeker_record, vacancy_record, indexes.registry.reference())


def match_status_set(*, match: Match, status: str) -> Match:
    """The seeker marks a match seen or dismissed (or back to new)."""
    Match.objects.filter(pk=match.pk).update(status=status, status_changed_at=timezone.now())
    match.refresh_from_db(fields=["status", "status_changed_at"])
    return match

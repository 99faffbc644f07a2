"""Writing imported vacancies: the batch function the import runs (and the bench) call.

It does in bulk what the native services do one by one — the row with its skills, the
search vector, revision 1 and the "published" signal that asks matching for a run (its
outbox rows written in one statement) — and keeps each vacancy's provenance keyed by
(source, external id), so that a record read again is recognised and a run that died
half-way converges when it is run again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone
from psycopg.types.json import Jsonb

from taxonomy.choices import EmploymentType
from vacancies.connectors.base import MappedVacancy
from vacancies.connectors.mapping import fingerprint, normalise
from vacancies.models import (
    Employer,
    Source,
    Vacancy,
    VacancyProvenance,
    VacancyRevision,
    VacancySkill,
)
from vacancies.selectors import vacancy_matching_snapshot
from vacancies.services.search import vacancies_search_refresh
from vacancies.signals import announce
from vacancies.validators import validate_registration_number

Status = Vacancy.Status
FINAL_OR_PAUSED = (Status.CLOSED, Status.FILLED, Status.PAUSED)

_DEFAULT_ELIGIBILITY = Vacancy._meta.get_field("eligibility").get_default()

CREATED, UPDATED, UNCHANGED, MERGED, SKIPPED = (
    "created",
    "updated",
    "unchanged",
    "merged",
    "skipped",
)

# The fields a record sets on its vacancy; the rest keep the model's defaults.
_FIELDS = (
    "title", "description", "occupation_id", "country_id", "region_id", "city", "work_mode",
    "employment_type", "schedule", "rotation_pattern", "salary_min", "salary_max",
    "salary_currency_id", "salary_period", "salary_is_gross", "positions",
    "min_experience_years", "employer_id",
)  # fmt: skip


_CONTENT_FIELDS = tuple(f.name for f in fields(MappedVacancy) if f.name != "changed_at")


@dataclass(frozen=True)
class Pending:
    """A mapped record on its way in, with its two digests."""

    position: str
    mapped: MappedVacancy
    content_hash: str
    fingerprint: str

    @classmethod
    def of(cls, position: str, mapped: MappedVacancy) -> Pending:
        # Everything the record says but its modification time: a new time alone
        # changes nothing.
        content = [getattr(mapped, name) for name in _CONTENT_FIELDS]
        digest = hashlib.sha256(
            json.dumps(content, default=str, ensure_ascii=False).encode()
        ).hexdigest()
        return cls(
            position=position,
            mapped=mapped,
            content_hash=digest,
            fingerprint=fingerprint(
                employer=mapped.employer_name,
                title=mapped.title,
                region=mapped.region,
                salary_min=mapped.salary_min,
                salary_max=mapped.salary_max,
                currency=mapped.salary_currency,
            ),
        )


@dataclass(frozen=True)
class Outcome:
    position: str
    external_id: str
    result: str  # CREATED … SKIPPED
    reason: str = ""
    vacancy_id: int | None = None


def _expiry(mapped: MappedVacancy, today: date) -> date:
    if mapped.expires_on is not None:
        return mapped.expires_on
    return today + timedelta(days=settings.FEDERATION_DEFAULT_OPEN_DAYS)


def _employer_key(mapped: MappedVacancy) -> tuple[str, str]:
    """(country, registration number) of the employer. Without a valid number the name
    stands in, so the same company from two sources is one employer."""
    country = mapped.employer_country or mapped.country
    number = "".join(mapped.employer_registration.split())
    if number:
        try:
            validate_registration_number(country, number)
        except ValidationError:
            number = ""
    if not number:
        number = "~" + hashlib.sha256(normalise(mapped.employer_name).encode()).hexdigest()[:24]
    return country, number[:32]


def _employers(
    items: Sequence[Pending], known: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """The employers of these records, made (unverified) where they are new; ``known``
    (the run's) is read first and filled in."""
    names = {
        key: p.mapped.employer_name for p in items if (key := _employer_key(p.mapped)) not in known
    }
    found = known
    for country in {key[0] for key in names}:
        numbers = [key[1] for key in names if key[0] == country]
        rows = Employer.objects.filter(country_id=country, registration_number__in=numbers)
        for pk, number in rows.values_list("pk", "registration_number"):
            found[(country, number)] = pk
    missing = [key for key in names if key not in found]
    if missing:
        # A concurrent run may make the same employer: the unique constraint keeps one.
        Employer.objects.bulk_create(
            [
                Employer(name=names[key], country_id=key[0], registration_number=key[1])
                for key in missing
            ],
            ignore_conflicts=True,
        )
        for country in {key[0] for key in missing}:
            numbers = [key[1] for key in missing if key[0] == country]
            rows = Employer.objects.filter(country_id=country, registration_number__in=numbers)
            for pk, number in rows.values_list("pk", "registration_number"):
                found[(country, number)] = pk
    return found


def _values(mapped: MappedVacancy, employer_id: int) -> dict[str, Any]:
    return {
        "title": mapped.title,
        "description": mapped.description,
        "occupation_id": mapped.occupation,
        "country_id": mapped.country,
        "region_id": mapped.region,
        "city": mapped.city,
        "work_mode": mapped.work_mode,
        "employment_type": mapped.employment_type,
        "schedule": mapped.schedule,
        "rotation_pattern": mapped.rotation_pattern
        if mapped.employment_type == EmploymentType.ROTATIONAL
        else "",
        "salary_min": mapped.salary_min,
        "salary_max": mapped.salary_max,
        "salary_currency_id": mapped.salary_currency,
        "salary_period": mapped.salary_period,
        "salary_is_gross": mapped.salary_is_gross,
        "positions": mapped.positions,
        "min_experience_years": mapped.min_experience_years,
        "employer_id": employer_id,
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def imported_snapshot(values: dict[str, Any], mapped: MappedVacancy) -> dict[str, Any]:
    """What ``vacancy_matching_snapshot`` reads back for a vacancy just written with
    ``values`` from ``mapped``, computed without reading it back (a test holds the two
    equal)."""
    return {
        "occupation": values["occupation_id"],
        "country": values["country_id"],
        "region": values["region_id"],
        "city": values["city"],
        "work_mode": values["work_mode"],
        "remote_countries": sorted(set(mapped.remote_countries)),
        "employment_type": values["employment_type"],
        "rotation_pattern": values["rotation_pattern"],
        "salary_min": _money(values["salary_min"]),
        "salary_max": _money(values["salary_max"]),
        "salary_currency": values["salary_currency_id"],
        "salary_period": values["salary_period"],
        "salary_is_gross": values["salary_is_gross"],
        "eligibility": values.get("eligibility", _DEFAULT_ELIGIBILITY),
        "min_experience_years": values["min_experience_years"],
        "skills": [
            {"skill": skill, "min_level": 3, "required": True}
            for skill in sorted(set(mapped.skills))
        ],
        "languages": [],
    }


def _write_requirements(pairs: Sequence[tuple[int, MappedVacancy]], *, replace: bool) -> None:
    ids = [pk for pk, _ in pairs]
    through = Vacancy.remote_countries.through
    if replace:
        VacancySkill.objects.filter(vacancy_id__in=ids).delete()
        through.objects.filter(vacancy_id__in=ids).delete()
    copy_rows(
        VacancySkill,
        [
            {"vacancy_id": pk, "skill_id": skill, "min_level": 3, "required": True}
            for pk, mapped in pairs
            for skill in dict.fromkeys(mapped.skills)
        ],
    )
    copy_rows(
        through,
        [
            {"vacancy_id": pk, "country_id": code}
            for pk, mapped in pairs
            for code in sorted(set(mapped.remote_countries))
        ],
    )


def _new_ids(model: type[Model], count: int) -> list[int]:
    """``count`` ids from the table's own sequence, so rows can be copied in with them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Write rows (values by attribute name) with COPY, the fastest way in. A column
    the rows leave out takes its field's default as ``Model()`` would give it, or the
    database's own (``db_default``, a sequence) where it has one."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    given = rows[0].keys()
    defaults: dict[str, Any] = {}
    for f in fields:
        if f.attname in given or f.primary_key or f.db_default is not NOT_PROVIDED:
            continue  # the database fills in its own default (and its triggers run)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
    columns = [f for f in fields if f.attname in given or f.attname in defaults]
    json_columns = {f.attname for f in columns if f.get_internal_type() == "JSONField"}
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for f in columns:
                value = row[f.attname] if f.attname in row else defaults[f.attname]
                values.append(Jsonb(value) if f.attname in json_columns else value)
            copy.write_row(values)


def _create(
    items: Sequence[Pending], *, now: datetime, today: date, employers: dict[tuple[str, str], int]
) -> list[int]:
    """New vacancies, published at once (the source published them): what
    ``vacancy_create`` and ``vacancy_publish`` do, in bulk."""
    employers = _employers(items, employers)
    ids = _new_ids(Vacancy, len(items))
    rows = []
    for pk, p in zip(ids, items, strict=True):
        values = _values(p.mapped, employers[_employer_key(p.mapped)])
        values.update(
            id=pk,
            status=Status.PUBLISHED,
            published_at=now,
            expires_on=_expiry(p.mapped, today),
            created_at=now,
            updated_at=now,
        )
        rows.append(values)
    copy_rows(Vacancy, rows)
    pairs = [(pk, p.mapped) for pk, p in zip(ids, items, strict=True)]
    _write_requirements(pairs, replace=False)
    copy_rows(
        VacancyRevision,
        [
            {
                "vacancy_id": pk,
                "number": 1,
                "snapshot": imported_snapshot(row, p.mapped),
                "changed_by_id": None,
                "at": now,
            }
            for pk, row, p in zip(ids, rows, items, strict=True)
        ],
    )
    vacancies_search_refresh(ids=ids)
    announce(ids=ids, reason="published")
    return ids


def _update(
    vacancy_id: int, pending: Pending, *, today: date, employers: dict[tuple[str, str], int]
) -> None:
    """Apply a changed record to its vacancy, as ``vacancy_update`` would: a new revision
    when what matching uses changed; the source's open or closed state followed."""
    mapped = pending.mapped
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
    before = vacancy_matching_snapshot(vacancy=vacancy)
    employer_id = _employers([pending], employers)[_employer_key(mapped)]
    for name, value in _values(mapped, employer_id).items():
        setattr(vacancy, name, value)
    reason = ""
    if mapped.closed:
        if vacancy.status in (Status.PUBLISHED, Status.PAUSED):
            vacancy.status, reason = Status.CLOSED, "closed"
    else:
        vacancy.expires_on = _expiry(mapped, today)
        if vacancy.status in FINAL_OR_PAUSED:
            # The source owns an imported vacancy: open there is open here.
            vacancy.status, reason = Status.PUBLISHED, "resumed"
    vacancy.save(update_fields=[*_FIELDS, "status", "expires_on", "updated_at"])
    _write_requirements([(vacancy.pk, mapped)], replace=True)
    after = vacancy_matching_snapshot(vacancy=vacancy)
    if after != before:
        vacancy.revision += 1
        vacancy.save(update_fields=["revision"])
        VacancyRevision.objects.create(vacancy=vacancy, number=vacancy.revision, snapshot=after)
        reason = reason or "revised"
    vacancies_search_refresh(ids=[vacancy.pk])
    if reason:
        announce(ids=[vacancy.pk], reason=reason)


_UPSERT_PROVENANCE = """
INSERT INTO vacancies_vacancyprovenance AS p
    (vacancy_id, source_id, external_id, url, "primary", fingerprint, content_hash, changed_at,
     unmapped, first_seen_at, last_seen_at)
SELECT t.vacancy_id, %(source)s, t.external_id, t.url, t.is_primary, t.fingerprint,
       t.content_hash, t.changed_at, t.unmapped, %(now)s, %(now)s
FROM unnest(%(vacancy)s::bigint[], %(external_id)s::text[], %(url)s::text[],
            %(primary)s::boolean[], %(fingerprint)s::text[], %(content_hash)s::text[],
            %(changed_at)s::text[], %(unmapped)s::jsonb[])
     AS t(vacancy_id, external_id, url, is_primary, fingerprint, content_hash, changed_at, unmapped)
ON CONFLICT (source_id, external_id) DO UPDATE
   SET url = EXCLUDED.url, fingerprint = EXCLUDED.fingerprint,
       content_hash = EXCLUDED.content_hash, changed_at = EXCLUDED.changed_at,
       unmapped = EXCLUDED.unmapped, last_seen_at = EXCLUDED.last_seen_at
"""


def _provenance_upsert(
    source: Source, rows: Sequence[tuple[Pending, int, bool]], *, now: datetime
) -> None:
    """Insert the provenances (record, vacancy id, primary), or refresh the ones already
    there (keyed by source and external id): one statement."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_PROVENANCE,
            {
                "source": source.pk,
                "now": now,
                "vacancy": [vacancy_id for _, vacancy_id, _ in rows],
                "external_id": [p.mapped.external_id for p, _, _ in rows],
                "url": [p.mapped.url for p, _, _ in rows],
                "primary": [primary for _, _, primary in rows],
                "fingerprint": [p.fingerprint for p, _, _ in rows],
                "content_hash": [p.content_hash for p, _, _ in rows],
                "changed_at": [p.mapped.changed_at for p, _, _ in rows],
                "unmapped": [Jsonb(p.mapped.unmapped) for p, _, _ in rows],
            },
        )


@transaction.atomic
def vacancies_import_batch(
    *,
    source: Source,
    items: Sequence[Pending],
    employers: dict[tuple[str, str], int] | None = None,
) -> list[Outcome]:
    """Create, update or leave alone the vacancies of these records of ``source``, in
    one transaction; each record's external id must be unique within ``items``.
    ``employers`` caches employer ids across the batches of a run.

    A new record whose fingerprint matches another source's vacancy is attached to that
    vacancy as a second provenance instead of making a copy.
    """
    now = timezone.now()
    today = timezone.localdate()
    employers = {} if employers is None else employers
    # (provenance id, vacancy id, content hash, primary) by external id, locked: a
    # concurrent edit of the same vacancies waits for this batch.
    known = {
        row[0]: row[1:]
        for row in VacancyProvenance.objects.select_for_update()
        .filter(source=source, external_id__in=[i.mapped.external_id for i in items])
        .values_list("external_id", "pk", "vacancy_id", "content_hash", "primary")
    }
    new = [i for i in items if i.mapped.external_id not in known]
    elsewhere: dict[str, int] = {}
    if new:
        for fp, vacancy_id in (
            VacancyProvenance.objects.filter(fingerprint__in=[i.fingerprint for i in new])
            .exclude(source=source)
            .order_by("-primary", "id")
            .values_list("fingerprint", "vacancy_id")
        ):
            elsewhere.setdefault(fp, vacancy_id)

    outcomes: dict[str, Outcome] = {}
    to_create: list[Pending] = []
    provenance: list[tuple[Pending, int, bool]] = []
    seen_ids: list[int] = []
    for item in items:
        external_id = item.mapped.external_id
        old = known.get(external_id)
        if old is not None:
            provenance_id, vacancy_id, content_hash, primary = old
            if content_hash == item.content_hash:
                seen_ids.append(provenance_id)
                outcomes[external_id] = Outcome(
                    item.position, external_id, UNCHANGED, "", vacancy_id
                )
                continue
            # Only the source that brought a vacancy changes it; the others are copies.
            if primary:
                _update(vacancy_id, item, today=today, employers=employers)
            result = UPDATED if primary else UNCHANGED
            outcomes[external_id] = Outcome(item.position, external_id, result, "", vacancy_id)
            provenance.append((item, vacancy_id, primary))
        elif item.fingerprint in elsewhere:
            vacancy_id = elsewhere[item.fingerprint]
            outcomes[external_id] = Outcome(item.position, external_id, MERGED, "", vacancy_id)
            provenance.append((item, vacancy_id, False))
        elif item.mapped.closed:
            outcomes[external_id] = Outcome(
                item.position, external_id, SKIPPED, "closed at the source"
            )
        else:
            to_create.append(item)

    if to_create:
        created = _create(to_create, now=now, today=today, employers=employers)
        for item, pk in zip(to_create, created, strict=True):
            outcomes[item.mapped.external_id] = Outcome(
                item.position, item.mapped.external_id, CREATED, "", pk
            )
            provenance.append((item, pk, True))
    _provenance_upsert(source, provenance, now=now)
    if seen_ids:
        VacancyProvenance.objects.filter(pk__in=seen_ids).update(last_seen_at=now)
    return [outcomes[i.mapped.external_id] for i in items]

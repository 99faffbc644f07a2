"""Loading the reference data. Every loader is idempotent: a second run changes nothing."""

from __future__ import annotations

import csv
import gettext
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import pycountry
from django.db import models, transaction

from taxonomy import reference
from taxonomy.models import (
    Country,
    Currency,
    ExchangeRate,
    Language,
    Occupation,
    PPPFactor,
    Region,
    Skill,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
STARTER_SKILL_URI = "urn:borderless:skill:{key}"

M = TypeVar("M", bound=models.Model)


class TaxonomyDataError(Exception):
    """A reference file is malformed; the message says where and what."""


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    counts: dict[str, SyncCounts] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())


def sync_rows(model: type[M], key: str, rows: Sequence[dict[str, Any]]) -> SyncCounts:
    """Create the missing rows and update the differing ones, keyed by ``key``.

    Rows already equal are not written, so a second run makes no writes at all.
    """
    counts = SyncCounts()
    manager: models.Manager[M] = model._default_manager
    wanted_keys = [row[key] for row in rows]
    existing = {getattr(obj, key): obj for obj in manager.filter(**{f"{key}__in": wanted_keys})}
    to_create: list[M] = []
    to_update: list[M] = []
    update_fields: set[str] = set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            update_fields.update(changed)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        manager.bulk_update(to_update, sorted(update_fields), batch_size=1000)
    counts.created = len(to_create)
    counts.updated = len(to_update)
    return counts


def read_csv(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    """Read a UTF-8 CSV with a header; refuse it whole if a required column is missing."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = set(required) - set(reader.fieldnames or ())
            if missing:
                raise TaxonomyDataError(
                    f"{path.name}: missing column(s) {', '.join(sorted(missing))}"
                )
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise TaxonomyDataError(f"{path}: cannot be read ({exc})") from exc


def _translator(domain: str, language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


# --- Countries, currencies, languages ---------------------------------------------


def load_currencies() -> SyncCounts:
    rows = []
    for code in reference.CURRENCIES:
        currency = pycountry.currencies.get(alpha_3=code)
        if currency is None:
            raise TaxonomyDataError(f"pycountry does not know the currency {code}")
        rows.append(
            {
                "code": code,
                "numeric": currency.numeric,
                "name_en": currency.name,
                "name_ru": reference.CURRENCY_NAMES_RU.get(code, ""),
                "minor_units": 2,
            }
        )
    return sync_rows(Currency, "code", rows)


def load_countries() -> SyncCounts:
    ru = _translator("iso3166-1", "ru")
    kk = _translator("iso3166-1", "kk")
    known_currencies = set(reference.CURRENCIES)
    rows: list[dict[str, Any]] = []
    for country in pycountry.countries:
        code: str = country.alpha_2
        english = getattr(country, "common_name", None) or country.name
        overrides = reference.COUNTRY_NAME_OVERRIDES.get(code, {})
        national = reference.NATIONAL_CURRENCY.get(code)
        rows.append(
            {
                "code": code,
                "alpha3": country.alpha_3,
                "numeric": country.numeric,
                "name_en": overrides.get("en", english),
                "name_ru": overrides.get("ru", ru.gettext(country.name)),
                "name_kk": overrides.get("kk", kk.gettext(country.name)),
                "is_eaeu_member": code in reference.EAEU_ACCESSION,
                "eaeu_accession": reference.EAEU_ACCESSION.get(code),
                "is_main_origin": code in reference.MAIN_ORIGIN_STATES,
                "currency_id": national if national in known_currencies else None,
            }
        )
    # An untranslated name comes back from gettext unchanged; keep the field empty then.
    for row in rows:
        for column in ("name_ru", "name_kk"):
            overridden = column[-2:] in reference.COUNTRY_NAME_OVERRIDES.get(str(row["code"]), {})
            if row[column] == row["name_en"] and not overridden:
                row[column] = ""
    return sync_rows(Country, "code", rows)


def load_languages() -> SyncCounts:
    ru = _translator("iso639-3", "ru")
    rows = []
    for language in pycountry.languages:
        alpha2 = getattr(language, "alpha_2", None)
        if alpha2 is None:
            continue  # the ~180 languages with a two-letter code cover every labour market here
        name_ru = ru.gettext(language.name)
        rows.append(
            {
                "code": alpha2,
                "alpha3": language.alpha_3,
                "name_en": language.name,
                "name_ru": "" if name_ru == language.name else name_ru,
            }
        )
    return sync_rows(Language, "code", rows)


# --- Regions ----------------------------------------------------------------------

REGION_COLUMNS = (
    "code", "country", "type", "name_en", "name_ru", "name_kk",
    "centre_en", "centre_ru", "lat", "lon", "population_k",
)  # fmt: skip


def load_regions(path: Path | None = None) -> SyncCounts:
    """The ISO 3166-2 subdivisions of the five members, as pycountry lists them,
    with names, centres and coordinates from ``regions.csv``."""
    table = {row["code"]: row for row in read_csv(path or DATA_DIR / "regions.csv", REGION_COLUMNS)}
    rows = []
    for country_code in reference.EAEU_MEMBERS:
        # pycountry's lookup is not annotated; it returns subdivisions or None.
        subdivisions = pycountry.subdivisions.get(country_code=country_code)  # type: ignore[no-untyped-call]
        for subdivision in subdivisions or ():
            if subdivision.parent_code:
                continue  # only first-level subdivisions
            data = table.get(subdivision.code)
            if data is None:
                raise TaxonomyDataError(f"regions.csv has no row for {subdivision.code}")
            try:
                latitude, longitude = float(data["lat"]), float(data["lon"])
                population = int(data["population_k"] or 0)
            except ValueError as exc:
                raise TaxonomyDataError(f"regions.csv {subdivision.code}: {exc}") from exc
            rows.append(
                {
                    "code": subdivision.code,
                    "country_id": country_code,
                    "kind": data["type"],
                    "name_en": data["name_en"],
                    "name_ru": data["name_ru"],
                    "name_kk": data["name_kk"],
                    "centre_en": data["centre_en"],
                    "centre_ru": data["centre_ru"],
                    "latitude": latitude,
                    "longitude": longitude,
                    "population_thousands": population,
                }
            )
    return sync_rows(Region, "code", rows)


# --- Occupations ------------------------------------------------------------------


def load_occupations(path: Path | None = None) -> SyncCounts:
    """ISCO-08, all four levels; a group's parent is its code less the last digit."""
    data = read_csv(path or DATA_DIR / "isco08.csv", ("code", "level", "title_en", "title_ru"))
    rows = []
    for position, record in enumerate(data, start=2):
        code = record["code"].strip()
        if not code.isdigit() or not 1 <= len(code) <= 4 or str(len(code)) != record["level"]:
            raise TaxonomyDataError(f"isco08.csv line {position}: bad code or level {code!r}")
        rows.append(
            {
                "code": code,
                "level": len(code),
                "title_en": record["title_en"].strip(),
                "title_ru": record["title_ru"].strip(),
                "parent_id": code[:-1] or None,
            }
        )
    # Parents before children, so each row's parent exists when it is inserted.
    rows.sort(key=lambda row: (row["level"], row["code"]))
    counts = SyncCounts()
    for level in (1, 2, 3, 4):
        level_counts = sync_rows(Occupation, "code", [r for r in rows if r["level"] == level])
        counts.created += level_counts.created
        counts.updated += level_counts.updated
        counts.unchanged += level_counts.unchanged
    return counts


# --- Rates ------------------------------------------------------------------------


def _parse_decimal(value: str, where: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise TaxonomyDataError(f"{where}: {value!r} is not a number") from exc
    if not number.is_finite() or number <= 0:
        raise TaxonomyDataError(f"{where}: {value!r} must be a positive number")
    return number


def _parse_date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise TaxonomyDataError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


@transaction.atomic
def exchange_rates_load(*, path: Path) -> SyncCounts:
    """Load dated rates (``date,currency,units_per_usd[,source]``); all or nothing."""
    known = set(Currency.objects.values_list("code", flat=True))
    parsed: dict[tuple[str, date], dict[str, Any]] = {}
    for position, record in enumerate(read_csv(path, ("date", "currency", "units_per_usd")), 2):
        where = f"{path.name} line {position}"
        code = record["currency"].strip().upper()
        if code not in known:
            raise TaxonomyDataError(f"{where}: unknown currency {code!r}")
        day = _parse_date(record["date"], where)
        parsed[(code, day)] = {
            "currency_id": code,
            "date": day,
            "units_per_usd": _parse_decimal(record["units_per_usd"], where),
            "source": (record.get("source") or "").strip()[:100],
        }
    counts = SyncCounts()
    existing = {
        (rate.currency_id, rate.date): rate
        for rate in ExchangeRate.objects.filter(currency_id__in={k[0] for k in parsed})
    }
    new, changed = [], []
    for key_, row in parsed.items():
        rate = existing.get(key_)
        if rate is None:
            new.append(ExchangeRate(**row))
        elif (rate.units_per_usd, rate.source) != (row["units_per_usd"], row["source"]):
            rate.units_per_usd, rate.source = row["units_per_usd"], row["source"]
            changed.append(rate)
        else:
            counts.unchanged += 1
    ExchangeRate.objects.bulk_create(new)
    ExchangeRate.objects.bulk_update(changed, ["units_per_usd", "source"])
    counts.created, counts.updated = len(new), len(changed)
    return counts


@transaction.atomic
def ppp_factors_load(*, path: Path) -> SyncCounts:
    counts = SyncCounts()
    columns = ("country", "year", "lcu_per_international_dollar")
    for position, record in enumerate(read_csv(path, columns), 2):
        where = f"{path.name} line {position}"
        if not record["year"].strip().isdigit():
            raise TaxonomyDataError(f"{where}: year {record['year']!r} is not a year")
        factor = _parse_decimal(record["lcu_per_international_dollar"], where)
        obj, created = PPPFactor.objects.get_or_create(
            country_id=record["country"].strip().upper(),
            year=int(record["year"]),
            defaults={"lcu_per_international_dollar": factor, "source": record.get("source", "")},
        )
        if created:
            counts.created += 1
        elif obj.lcu_per_international_dollar != factor:
            obj.lcu_per_international_dollar = factor
            obj.save(update_fields=["lcu_per_international_dollar"])
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


# --- Skills -----------------------------------------------------------------------

SKILL_COLUMNS = (
    "key", "skill_type", "label_en", "label_ru", "alt_en", "alt_ru",
    "broader", "occupations", "description_en",
)  # fmt: skip


def _split(value: str, separator: str = "|") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


@dataclass
class SkillRecord:
    """One skill as read from a file, before it is written."""

    uri: str
    skill_type: str
    label_en: str
    label_ru: str = ""
    alt_labels_en: list[str] = field(default_factory=list)
    alt_labels_ru: list[str] = field(default_factory=list)
    description_en: str = ""
    broader_uri: str | None = None
    occupation_codes: list[str] = field(default_factory=list)


def skills_sync(*, records: Sequence[SkillRecord], source: str) -> SyncCounts:
    """Upsert skills with their broader skill and occupations. The caller holds the
    transaction; a reference to an unknown skill or occupation aborts it."""
    by_uri = {record.uri: record for record in records}
    existed = set(Skill.objects.filter(uri__in=by_uri).values_list("uri", flat=True))
    counts = sync_rows(
        Skill,
        "uri",
        [
            {
                "uri": r.uri,
                "skill_type": r.skill_type,
                "label_en": r.label_en,
                "label_ru": r.label_ru,
                "alt_labels_en": r.alt_labels_en,
                "alt_labels_ru": r.alt_labels_ru,
                "description_en": r.description_en,
                "source": source,
            }
            for r in records
        ],
    )
    broader_uris = {r.broader_uri for r in records if r.broader_uri}
    ids = dict(Skill.objects.filter(uri__in=set(by_uri) | broader_uris).values_list("uri", "id"))
    unknown = broader_uris - set(ids)
    if unknown:
        raise TaxonomyDataError(f"broader skill(s) not found: {', '.join(sorted(unknown)[:5])}")
    skills = list(Skill.objects.filter(uri__in=by_uri).only("id", "uri", "broader_id"))
    changed = []
    for skill in skills:
        broader_uri = by_uri[skill.uri].broader_uri
        wanted = ids[broader_uri] if broader_uri else None
        if skill.broader_id != wanted:
            skill.broader_id = wanted
            changed.append(skill)
    Skill.objects.bulk_update(changed, ["broader"], batch_size=1000)
    # A skill created in this run already counts as created, not as updated.
    counts.updated += len({s.uri for s in changed if s.uri in existed})

    codes = {code for r in records for code in r.occupation_codes}
    known_codes = set(Occupation.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - known_codes:
        raise TaxonomyDataError(
            f"unknown ISCO-08 code(s): {', '.join(sorted(codes - known_codes)[:5])}"
        )
    through = Skill.occupations.through
    wanted_links = {(ids[r.uri], code) for r in records for code in r.occupation_codes}
    existing_links = set(
        through.objects.filter(skill_id__in=[ids[u] for u in by_uri]).values_list(
            "skill_id", "occupation_id"
        )
    )
    through.objects.bulk_create(
        [through(skill_id=s, occupation_id=o) for s, o in sorted(wanted_links - existing_links)],
        batch_size=5000,
    )
    stale = existing_links - wanted_links
    for skill_id, occupation_id in stale:
        through.objects.filter(skill_id=skill_id, occupation_id=occupation_id).delete()
    return counts


def load_starter_skills(path: Path | None = None) -> SyncCounts:
    path = path or DATA_DIR / "skills.csv"
    records = []
    for position, row in enumerate(read_csv(path, SKILL_COLUMNS), start=2):
        if not row["key"] or not row["label_en"]:
            raise TaxonomyDataError(f"{path.name} line {position}: key and label_en are required")
        records.append(
            SkillRecord(
                uri=STARTER_SKILL_URI.format(key=row["key"]),
                skill_type=row["skill_type"],
                label_en=row["label_en"],
                label_ru=row["label_ru"],
                alt_labels_en=_split(row["alt_en"]),
                alt_labels_ru=_split(row["alt_ru"]),
                description_en=row["description_en"],
                broader_uri=STARTER_SKILL_URI.format(key=row["broader"])
                if row["broader"]
                else None,
                occupation_codes=_split(row["occupations"]),
            )
        )
    return skills_sync(records=records, source="borderless")


@transaction.atomic
def taxonomy_load() -> LoadReport:
    """Load or refresh every reference table. Safe to run any number of times."""
    report = LoadReport()
    report.counts["currencies"] = load_currencies()
    report.counts["countries"] = load_countries()
    report.counts["languages"] = load_languages()
    report.counts["regions"] = load_regions()
    report.counts["occupations"] = load_occupations()
    report.counts["exchange rates"] = exchange_rates_load(path=DATA_DIR / "exchange_rates.csv")
    report.counts["PPP factors"] = ppp_factors_load(path=DATA_DIR / "ppp_factors.csv")
    report.counts["skills"] = load_starter_skills()
    return report

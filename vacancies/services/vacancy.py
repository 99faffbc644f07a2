"""Vacancies: writing them with their skills and languages, their lifecycle, revisions."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from taxonomy.choices import EmploymentType, WorkMode
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill
from taxonomy.reference import CURRENCIES
from vacancies.models import Employer, Vacancy, VacancyLanguage, VacancyRevision, VacancySkill
from vacancies.sanitize import sanitize_description
from vacancies.selectors import salary_currency_has_rate, vacancy_matching_snapshot
from vacancies.services._access import conflict, require_member
from vacancies.services.search import vacancies_search_refresh
from vacancies.signals import announce

ROTATION_PATTERN = re.compile(r"[0-9]{1,2}/[0-9]{1,2}")
Status = Vacancy.Status
FINAL_STATES = (Status.CLOSED, Status.FILLED)


class SkillRequirement(TypedDict, total=False):
    skill: Required[Skill]
    min_level: int  # 1 to 5; 3 when left out
    required: bool  # True when left out


class LanguageRequirement(TypedDict, total=False):
    language: Required[Language]
    min_level: Required[str]  # a CEFR level
    required: bool  # True when left out


class VacancyFields(TypedDict, total=False):
    """The optional fields of a vacancy, as the services take them."""

    description: str
    city: str
    work_mode: str
    employment_type: str
    schedule: str
    rotation_pattern: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_currency: Currency | None
    salary_period: str
    salary_is_gross: bool
    positions: int
    relocation_travel: bool
    relocation_housing: bool
    relocation_registration: bool
    eligibility: str
    min_experience_years: int
    expires_on: date | None


class VacancyChanges(VacancyFields, total=False):
    title: str
    occupation: Occupation
    country: Country
    region: Region


def _vacancy_prepare(
    vacancy: Vacancy, *, given: set[str], remote_countries: Sequence[Country] | None
) -> Sequence[Country] | None:
    """Normalise what was given; clear what the new work mode or employment type makes
    meaningless (unless it was given, which _vacancy_validate then refuses)."""
    vacancy.title = vacancy.title.strip()
    vacancy.city = vacancy.city.strip()
    if "description" in given:
        vacancy.description = sanitize_description(vacancy.description)
    if vacancy.employment_type != EmploymentType.ROTATIONAL and "rotation_pattern" not in given:
        vacancy.rotation_pattern = ""
    if vacancy.work_mode != WorkMode.REMOTE and remote_countries is None:
        return []
    return remote_countries


def _vacancy_validate(
    vacancy: Vacancy,
    *,
    skills: Sequence[SkillRequirement] | None,
    languages: Sequence[LanguageRequirement] | None,
    remote_countries: Sequence[Country] | None,
) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    try:
        vacancy.full_clean(
            exclude=["employer", "occupation", "country", "region", "salary_currency"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field].extend(messages)

    if not vacancy.country.is_eaeu_member:
        errors["country"].append(_("Vacancies are posted in the EAEU member states."))
    elif vacancy.region.country_id != vacancy.country_id:
        errors["region"].append(
            _("%(region)s is not in %(country)s.")
            % {"region": vacancy.region.name, "country": vacancy.country.name}
        )
    if vacancy.occupation.level != 4:
        errors["occupation"].append(_("Choose an ISCO-08 unit group (a four-digit code)."))

    has_salary = vacancy.salary_min is not None or vacancy.salary_max is not None
    for field in ("salary_min", "salary_max"):
        amount: Decimal | None = getattr(vacancy, field)
        if amount is not None and amount < 0:
            errors[field].append(_("A salary is not negative."))
    if has_salary and vacancy.salary_currency_id is None:
        errors["salary_currency"].append(_("Give the currency of the salary."))
    elif vacancy.salary_currency_id is not None and (
        vacancy.salary_currency_id not in CURRENCIES
        or not salary_currency_has_rate(currency=vacancy.salary_currency_id)
    ):
        errors["salary_currency"].append(
            _("Salaries are given in one of %(codes)s.") % {"codes": ", ".join(CURRENCIES)}
        )
    if (
        vacancy.salary_min is not None
        and vacancy.salary_max is not None
        and vacancy.salary_min > vacancy.salary_max
    ):
        errors["salary_min"].append(_("The minimum salary is above the maximum."))

    if vacancy.employment_type == EmploymentType.ROTATIONAL:
        if not ROTATION_PATTERN.fullmatch(vacancy.rotation_pattern):
            errors["rotation_pattern"].append(
                _("Give the rotation as days on/days off, e.g. 15/15 or 28/28.")
            )
    elif vacancy.rotation_pattern:
        errors["rotation_pattern"].append(_("Only rotational work has a rotation pattern."))
    if vacancy.work_mode != WorkMode.REMOTE and remote_countries:
        errors["remote_countries"].append(_("Only remote work lists countries to work from."))

    if vacancy.was_published and (vacancy.expires_on is None or vacancy.expires_on < _today()):
        errors["expires_on"].append(_("A published vacancy's last day is today or later."))

    # A partial update (PATCH) does not fill in the nested defaults or insist on the
    # nested required fields, so each item is checked here whatever the caller sent.
    for requirement in skills or ():
        if requirement.get("skill") is None:
            errors["skills"].append(_("Each skill needs the skill's id."))
        if not 1 <= requirement.get("min_level", 3) <= 5:
            errors["skills"].append(_("A skill level is from 1 to 5."))
    for language in languages or ():
        if language.get("language") is None:
            errors["languages"].append(_("Each language needs the language's code."))
        if language.get("min_level") not in CEFRLevel.values:
            errors["languages"].append(_("Give each language a CEFR level (A1 to C2, or native)."))
    if errors:
        raise ValidationError(dict(errors))


def _vacancy_write_requirements(
    vacancy: Vacancy,
    *,
    skills: Sequence[SkillRequirement] | None,
    languages: Sequence[LanguageRequirement] | None,
    remote_countries: Sequence[Country] | None,
) -> None:
    """Replace the lists that were given. A duplicate is refused by the unique
    constraints; the service's transaction then undoes the whole edit."""
    if skills is not None:
        VacancySkill.objects.filter(vacancy=vacancy).delete()
        try:
            with transaction.atomic():
                VacancySkill.objects.bulk_create(
                    VacancySkill(
                        vacancy=vacancy,
                        skill=s["skill"],
                        min_level=s.get("min_level", 3),
                        required=s.get("required", True),
                    )
                    for s in skills
                )
        except IntegrityError as exc:
            raise ValidationError({"skills": _("List each skill once.")}) from exc
    if languages is not None:
        VacancyLanguage.objects.filter(vacancy=vacancy).delete()
        try:
            with transaction.atomic():
                VacancyLanguage.objects.bulk_create(
                    VacancyLanguage(
                        vacancy=vacancy,
                        language=lang["language"],
                        min_level=lang["min_level"],
                        required=lang.get("required", True),
                    )
                    for lang in languages
                )
        except IntegrityError as exc:
            raise ValidationError({"languages": _("List each language once.")}) from exc
    if remote_countries is not None:
        vacancy.remote_countries.set(remote_countries)


def _today() -> date:
    return timezone.localdate()


def _lock(vacancy: Vacancy, *, by: User) -> Vacancy:
    """The vacancy's row, locked for this transaction, after checking the caller."""
    require_member(employer_id=vacancy.employer_id, by=by)
    return Vacancy.objects.select_for_update().get(pk=vacancy.pk)


def _revision_record(vacancy: Vacancy, *, by: User, snapshot: dict[str, Any]) -> None:
    VacancyRevision.objects.create(
        vacancy=vacancy, number=vacancy.revision, snapshot=snapshot, changed_by=by
    )


@transaction.atomic
def vacancy_create(
    *,
    employer: Employer,
    by: User,
    title: str,
    occupation: Occupation,
    country: Country,
    region: Region,
    skills: Sequence[SkillRequirement] = (),
    languages: Sequence[LanguageRequirement] = (),
    remote_countries: Sequence[Country] | None = None,
    **fields: Unpack[VacancyFields],
) -> Vacancy:
    """A new draft vacancy with its skills and languages."""
    require_member(employer_id=employer.pk, by=by)
    vacancy = Vacancy(
        employer=employer,
        title=title,
        occupation=occupation,
        country=country,
        region=region,
        **fields,
    )
    remote_countries = _vacancy_prepare(
        vacancy, given=set(fields), remote_countries=remote_countries
    )
    _vacancy_validate(
        vacancy, skills=skills, languages=languages, remote_countries=remote_countries
    )
    vacancy.save()
    _vacancy_write_requirements(
        vacancy, skills=skills, languages=languages, remote_countries=remote_countries
    )
    vacancies_search_refresh(ids=[vacancy.pk])
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    by: User,
    skills: Sequence[SkillRequirement] | None = None,
    languages: Sequence[LanguageRequirement] | None = None,
    remote_countries: Sequence[Country] | None = None,
    **changes: Unpack[VacancyChanges],
) -> Vacancy:
    """Change a vacancy; the lists given replace the old ones, the others stay.

    Once published, a change to what matching uses makes a new revision (its snapshot
    kept, ``vacancy.revision`` bumped), so a match can tell which version it scored.
    """
    vacancy = _lock(vacancy, by=by)
    if vacancy.status in FINAL_STATES:
        raise conflict(
            "status",
            _("A %(status)s vacancy can no longer be changed.")
            % {"status": vacancy.get_status_display().lower()},
        )
    before = vacancy_matching_snapshot(vacancy=vacancy) if vacancy.was_published else None
    for name, value in changes.items():
        setattr(vacancy, name, value)
    remote_countries = _vacancy_prepare(
        vacancy, given=set(changes), remote_countries=remote_countries
    )
    _vacancy_validate(
        vacancy, skills=skills, languages=languages, remote_countries=remote_countries
    )
    vacancy.save()
    _vacancy_write_requirements(
        vacancy, skills=skills, languages=languages, remote_countries=remote_countries
    )
    if before is not None:
        after = vacancy_matching_snapshot(vacancy=vacancy)
        if after != before:
            vacancy.revision += 1
            vacancy.save(update_fields=["revision"])
            _revision_record(vacancy, by=by, snapshot=after)
            announce(ids=[vacancy.pk], reason="revised")
    if {"title", "description"} & set(changes) or skills is not None:
        vacancies_search_refresh(ids=[vacancy.pk])
    return vacancy


def _transition_refused(vacancy: Vacancy, verb: str) -> ValidationError:
    return conflict(
        "status",
        _("A %(status)s vacancy cannot be %(verb)s.")
        % {"status": vacancy.get_status_display().lower(), "verb": verb},
    )


@transaction.atomic
def vacancy_publish(*, vacancy: Vacancy, by: User) -> Vacancy:
    """Draft → published, once it has what matching needs. Records revision 1."""
    vacancy = _lock(vacancy, by=by)
    if vacancy.status != Status.DRAFT:
        raise _transition_refused(vacancy, _("published"))
    errors: dict[str, str] = {}
    if not VacancySkill.objects.filter(vacancy=vacancy, required=True).exists():
        errors["skills"] = _("Add at least one required skill before publishing.")
    if vacancy.expires_on is None:
        errors["expires_on"] = _("Give the last day the vacancy is open.")
    elif vacancy.expires_on < _today():
        errors["expires_on"] = _("The last day has passed; choose today or a later day.")
    if vacancy.work_mode == WorkMode.REMOTE and not vacancy.remote_countries.exists():
        errors["remote_countries"] = _("Say from which countries people may work remotely.")
    if errors:
        raise ValidationError(errors)
    vacancy.status = Status.PUBLISHED
    vacancy.published_at = timezone.now()
    vacancy.save(update_fields=["status", "published_at", "updated_at"])
    _revision_record(vacancy, by=by, snapshot=vacancy_matching_snapshot(vacancy=vacancy))
    announce(ids=[vacancy.pk], reason="published")
    return vacancy


def _move(vacancy: Vacancy, *, allowed: tuple[str, ...], to: str, verb: str) -> Vacancy:
    """Change the state of a locked vacancy if its state allows it."""
    if vacancy.status not in allowed:
        raise _transition_refused(vacancy, verb)
    vacancy.status = to
    vacancy.save(update_fields=["status", "updated_at"])
    reasons = {Status.PUBLISHED: "resumed", Status.PAUSED: "paused", Status.FILLED: "filled"}
    announce(ids=[vacancy.pk], reason=reasons.get(Status(to), "closed"))
    return vacancy


@transaction.atomic
def vacancy_pause(*, vacancy: Vacancy, by: User) -> Vacancy:
    locked = _lock(vacancy, by=by)
    return _move(locked, allowed=(Status.PUBLISHED,), to=Status.PAUSED, verb=_("paused"))


@transaction.atomic
def vacancy_resume(*, vacancy: Vacancy, by: User) -> Vacancy:
    locked = _lock(vacancy, by=by)
    if locked.status == Status.PAUSED and locked.expires_on and locked.expires_on < _today():
        raise ValidationError(
            {"expires_on": _("The last day has passed; move it before resuming.")}
        )
    return _move(locked, allowed=(Status.PAUSED,), to=Status.PUBLISHED, verb=_("resumed"))


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by: User) -> Vacancy:
    locked = _lock(vacancy, by=by)
    live = (Status.PUBLISHED, Status.PAUSED)
    return _move(locked, allowed=live, to=Status.CLOSED, verb=_("closed"))


@transaction.atomic
def vacancy_mark_filled(*, vacancy: Vacancy, by: User) -> Vacancy:
    locked = _lock(vacancy, by=by)
    live = (Status.PUBLISHED, Status.PAUSED)
    return _move(locked, allowed=live, to=Status.FILLED, verb=_("marked filled"))


@transaction.atomic
def vacancy_delete(*, vacancy: Vacancy, by: User) -> None:
    """Only a draft is deleted; a vacancy seekers have seen is closed instead."""
    vacancy = _lock(vacancy, by=by)
    if vacancy.status != Status.DRAFT:
        raise _transition_refused(vacancy, _("deleted (close it instead)"))
    vacancy.delete()


def vacancies_close_expired(*, today: date | None = None) -> int:
    """Close the published and paused vacancies whose last day has passed.

    Idempotent; a vacancy whose row another transaction holds (being resumed or edited)
    is skipped and closed on the next run, if it is still past its day then.
    """
    with transaction.atomic():
        ids = list(
            Vacancy.objects.expired(today=today or _today())
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        closed: int = Vacancy.objects.filter(pk__in=ids).update(
            status=Status.CLOSED, updated_at=timezone.now()
        )
        announce(ids=ids, reason="expired")
    return closed

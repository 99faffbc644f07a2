"""The verbs of seekers: the profile and its rows, the CV file, consent, the contact
log, and erasure.

Every service is atomic and raises Django's ``ValidationError`` with field names for
bad input (the API answers 400), with ``code="conflict"`` when the current state does
not allow the change (409), and ``PermissionDenied`` when the caller may not act (403).
Admin, commands and the API all come through here, so they share the rules.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from seekers.files import clean_file_name, sha256_of, storage_delete_on_commit
from seekers.models import (
    CV_EXTENSIONS,
    ContactAccess,
    Education,
    Experience,
    MobilityScope,
    SeekerCV,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    Visibility,
    WorkRight,
)
from seekers.signals import announce, profile_erasing
from seekers.validators import cv_content_type, normalise_phone
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill
from taxonomy.reference import CURRENCIES
from taxonomy.selectors import RateUnavailable, rate_on

logger = logging.getLogger(__name__)

# config/exceptions.py answers an error with this code 409 Conflict instead of 400.
CONFLICT = "conflict"
# The CV view answers these codes 413 and 415 instead of 400.
CV_TOO_LARGE = "cv_too_large"
CV_UNSUPPORTED = "cv_unsupported"

UNIT_GROUP_LEVEL = 4
MAX_DESIRED_OCCUPATIONS = 10
MAX_SKILLS = 100
MAX_LANGUAGES = 20
MAX_HIDDEN_EMPLOYERS = 500
MAX_ROWS = 50  # experience, education and work-right rows each
EARLIEST_EDUCATION_YEAR = 1940
EDUCATION_YEARS_AHEAD = 10  # a degree expected up to this many years from now

M = TypeVar("M", bound=models.Model)


def _conflict(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=CONFLICT)})


def _today() -> date:
    return timezone.localdate()


def _touch(profile_id: int) -> None:
    """Mark the profile changed when only one of its rows changed: matching re-scores
    profiles by ``updated_at``."""
    SeekerProfile.objects.filter(pk=profile_id).update(updated_at=timezone.now())
    announce(profile_id=profile_id)


def _lock(profile: SeekerProfile) -> SeekerProfile:
    return SeekerProfile.objects.select_for_update().get(pk=profile.pk)


def _model_errors(
    obj: models.Model, errors: dict[str, list[str]], *, exclude: Iterable[str]
) -> None:
    """Field checks the model declares (lengths, choices, validators), into ``errors``."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field].extend(messages)


def _raise(errors: dict[str, list[str]]) -> None:
    found = {field: messages for field, messages in errors.items() if messages}
    if found:
        raise ValidationError(found)


# --- The profile ------------------------------------------------------------------


class SkillEntry(TypedDict):
    skill: Skill
    level: int
    years: NotRequired[int]


class LanguageEntry(TypedDict):
    language: Language
    level: str


class ProfileFields(TypedDict, total=False):
    headline: str
    summary: str
    phone: str
    employment_types: list[str]
    region: Region | None
    city: str
    mobility_scope: str
    remote_preference: str
    accepts_rotational: bool
    available_from: date | None
    salary_amount: Decimal | None
    salary_currency: Currency | None
    salary_period: str
    salary_is_gross: bool
    visibility: str
    hidden_from_employer_ids: list[int]


class ProfileChanges(ProfileFields, total=False):
    country: Country


LIST_FIELDS = (
    "citizenships",
    "desired_occupations",
    "mobility_countries",
    "mobility_regions",
    "visible_in_countries",
)
Lists = dict[str, list[Any] | None]


def _effective(profile: SeekerProfile, name: str, lists: Lists) -> list[Any]:
    """The list as it will be after the write: the one given, else the stored one."""
    given = lists[name]
    if given is not None:
        return given
    if profile._state.adding:
        return []
    return list(getattr(profile, name).all())


def _profile_prepare(profile: SeekerProfile, lists: Lists) -> None:
    """Normalise text; clear the lists that the scope or visibility makes meaningless
    (unless they were given, which _profile_validate then refuses)."""
    profile.headline = profile.headline.strip()
    profile.city = profile.city.strip()
    if profile.phone.strip():
        profile.phone = normalise_phone(profile.phone) or profile.phone
    else:
        profile.phone = ""
    profile.employment_types = list(dict.fromkeys(profile.employment_types))
    profile.hidden_from_employer_ids = sorted(set(profile.hidden_from_employer_ids))
    if profile.mobility_scope != MobilityScope.LISTED:
        for name in ("mobility_countries", "mobility_regions"):
            if lists[name] is None:
                lists[name] = []
    if profile.visibility != Visibility.COUNTRIES and lists["visible_in_countries"] is None:
        lists["visible_in_countries"] = []


def _skills_errors(skills: Sequence[SkillEntry]) -> list[str]:
    errors: list[str] = []
    if len(skills) > MAX_SKILLS:
        errors.append(_("At most %(n)d skills.") % {"n": MAX_SKILLS})
    for entry in skills:
        if entry.get("skill") is None:
            errors.append(_("Each skill needs the skill's id."))
        if not 1 <= entry.get("level", 0) <= 5:
            errors.append(_("A skill level is from 1 to 5."))
        if not 0 <= entry.get("years", 0) <= 60:
            errors.append(_("Years of use are from 0 to 60."))
    ids = [entry["skill"].pk for entry in skills if entry.get("skill") is not None]
    if len(ids) != len(set(ids)):
        errors.append(_("List each skill once."))
    return errors


def _languages_errors(languages: Sequence[LanguageEntry]) -> list[str]:
    errors: list[str] = []
    if len(languages) > MAX_LANGUAGES:
        errors.append(_("At most %(n)d languages.") % {"n": MAX_LANGUAGES})
    for entry in languages:
        if entry.get("language") is None:
            errors.append(_("Each language needs the language's code."))
        if entry.get("level") not in CEFRLevel.values:
            errors.append(_("Give each language a CEFR level (A1 to C2, or native)."))
    codes = [entry["language"].pk for entry in languages if entry.get("language") is not None]
    if len(codes) != len(set(codes)):
        errors.append(_("List each language once."))
    return errors


def _salary_currency_errors(currency: Currency) -> list[str]:
    if currency.code in CURRENCIES:
        try:
            rate_on(currency=currency.code, on=_today())
        except RateUnavailable:
            pass
        else:
            return []
    return [_("Salaries are given in one of %(codes)s.") % {"codes": ", ".join(CURRENCIES)}]


def _unknown_employer_ids(ids: Sequence[int]) -> list[int]:
    if not ids:
        return []
    # The one place seekers reads an employer: only whether the id exists. Looked up
    # by name so that seekers does not import vacancies (house plan arrows).
    employer_model = apps.get_model("vacancies", "Employer")
    known = set(employer_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [i for i in ids if i not in known]


def _profile_validate(
    profile: SeekerProfile,
    *,
    lists: Lists,
    skills: Sequence[SkillEntry] | None,
    languages: Sequence[LanguageEntry] | None,
    raw_phone: str,
) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    _model_errors(
        profile,
        errors,
        exclude=["user", "country", "region", "salary_currency", "hidden_from_employer_ids"],
    )

    if raw_phone.strip() and normalise_phone(raw_phone) is None:
        errors["phone"].append(_("Give a phone number with its country code, e.g. +7 701 …"))

    if profile.region is not None and profile.region.country_id != profile.country_id:
        errors["region"].append(
            _("%(region)s is not in %(country)s.")
            % {"region": profile.region.name, "country": profile.country.name}
        )
    if not _effective(profile, "citizenships", lists):
        errors["citizenships"].append(_("Give at least one citizenship."))

    occupations: list[Occupation] = _effective(profile, "desired_occupations", lists)
    if any(o.level != UNIT_GROUP_LEVEL for o in occupations):
        errors["desired_occupations"].append(
            _("Choose ISCO-08 unit groups (four-digit codes) only.")
        )
    if len(occupations) > MAX_DESIRED_OCCUPATIONS:
        errors["desired_occupations"].append(
            _("At most %(n)d occupations.") % {"n": MAX_DESIRED_OCCUPATIONS}
        )

    if profile.mobility_scope == MobilityScope.LISTED:
        if not (
            _effective(profile, "mobility_countries", lists)
            or _effective(profile, "mobility_regions", lists)
        ):
            errors["mobility_countries"].append(
                _("List the countries or regions you would work in.")
            )
    else:
        for name in ("mobility_countries", "mobility_regions"):
            if lists[name]:
                errors[name].append(_("Only the scope “listed” lists countries or regions."))

    if profile.salary_amount is not None and profile.salary_amount <= 0:
        errors["salary_amount"].append(_("A salary expectation is more than zero."))
    if profile.salary_amount is not None and profile.salary_currency is None:
        errors["salary_currency"].append(_("Give the currency of the salary."))
    if profile.salary_currency is not None:
        errors["salary_currency"].extend(_salary_currency_errors(profile.salary_currency))

    if profile.visibility == Visibility.COUNTRIES:
        if not _effective(profile, "visible_in_countries", lists):
            errors["visible_in_countries"].append(
                _("Choose the countries whose employers may see your profile.")
            )
    elif lists["visible_in_countries"]:
        errors["visible_in_countries"].append(_("Only the visibility “countries” lists countries."))
    if profile.visibility != Visibility.HIDDEN and profile.consent_given_at is None:
        errors["visibility"].append(
            _("Give your consent to the processing of your data before showing your profile.")
        )

    hidden = profile.hidden_from_employer_ids
    if any(i <= 0 for i in hidden):
        errors["hidden_from_employer_ids"].append(_("Employer ids are positive numbers."))
    elif len(hidden) > MAX_HIDDEN_EMPLOYERS:
        errors["hidden_from_employer_ids"].append(
            _("At most %(n)d employers.") % {"n": MAX_HIDDEN_EMPLOYERS}
        )
    elif unknown := _unknown_employer_ids(hidden):
        errors["hidden_from_employer_ids"].append(
            _("No employer has the id %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
        )

    if skills is not None and (skill_errors := _skills_errors(skills)):
        errors["skills"].extend(skill_errors)
    if languages is not None and (language_errors := _languages_errors(languages)):
        errors["languages"].extend(language_errors)
    _raise(errors)


def _replace_skills(profile: SeekerProfile, skills: Sequence[SkillEntry]) -> None:
    SeekerSkill.objects.filter(profile=profile).delete()
    try:
        with transaction.atomic():
            SeekerSkill.objects.bulk_create(
                SeekerSkill(
                    profile=profile,
                    skill=entry["skill"],
                    level=entry["level"],
                    years=entry.get("years", 0),
                )
                for entry in skills
            )
    except IntegrityError as exc:
        raise ValidationError({"skills": _("List each skill once.")}) from exc


def _replace_languages(profile: SeekerProfile, languages: Sequence[LanguageEntry]) -> None:
    SeekerLanguage.objects.filter(profile=profile).delete()
    try:
        with transaction.atomic():
            SeekerLanguage.objects.bulk_create(
                SeekerLanguage(profile=profile, language=entry["language"], level=entry["level"])
                for entry in languages
            )
    except IntegrityError as exc:
        raise ValidationError({"languages": _("List each language once.")}) from exc


def _profile_write(
    profile: SeekerProfile,
    *,
    lists: Lists,
    skills: Sequence[SkillEntry] | None,
    languages: Sequence[LanguageEntry] | None,
) -> None:
    """Save the row and replace what was given. Called inside the service's
    transaction: a nested write that fails undoes the whole edit."""
    profile.save()
    announce(profile_id=profile.pk)
    for name in LIST_FIELDS:
        given = lists[name]
        if given is not None:
            getattr(profile, name).set(given)
    if skills is not None:
        _replace_skills(profile, skills)
    if languages is not None:
        _replace_languages(profile, languages)


@transaction.atomic
def profile_create(
    *,
    user: User,
    country: Country,
    citizenships: Sequence[Country],
    desired_occupations: Sequence[Occupation] = (),
    mobility_countries: Sequence[Country] | None = None,
    mobility_regions: Sequence[Region] | None = None,
    visible_in_countries: Sequence[Country] | None = None,
    skills: Sequence[SkillEntry] = (),
    languages: Sequence[LanguageEntry] = (),
    **fields: Unpack[ProfileFields],
) -> SeekerProfile:
    """The seeker's profile, with its skills and languages. One per seeker account."""
    if not user.is_seeker:
        raise PermissionDenied(_("Only a job seeker's account has a seeker profile."))
    # Lock the account row so that two first saves at once make one profile.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if SeekerProfile.objects.filter(user=user).exists():
        raise _conflict("non_field_errors", _("You already have a profile; change it instead."))
    profile = SeekerProfile(user=user, country=country, **fields)
    lists: Lists = {
        "citizenships": list(citizenships),
        "desired_occupations": list(desired_occupations),
        "mobility_countries": None if mobility_countries is None else list(mobility_countries),
        "mobility_regions": None if mobility_regions is None else list(mobility_regions),
        "visible_in_countries": (
            None if visible_in_countries is None else list(visible_in_countries)
        ),
    }
    raw_phone = profile.phone
    _profile_prepare(profile, lists)
    _profile_validate(profile, lists=lists, skills=skills, languages=languages, raw_phone=raw_phone)
    _profile_write(profile, lists=lists, skills=skills, languages=languages)
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: SeekerProfile,
    citizenships: Sequence[Country] | None = None,
    desired_occupations: Sequence[Occupation] | None = None,
    mobility_countries: Sequence[Country] | None = None,
    mobility_regions: Sequence[Region] | None = None,
    visible_in_countries: Sequence[Country] | None = None,
    skills: Sequence[SkillEntry] | None = None,
    languages: Sequence[LanguageEntry] | None = None,
    **changes: Unpack[ProfileChanges],
) -> SeekerProfile:
    """Change what was given; ``None`` (or a field left out) keeps what is stored.

    A list that is given replaces the stored list, skills and languages included; if
    any part fails, nothing of the edit is kept.
    """
    profile = _lock(profile)
    for field, value in changes.items():
        setattr(profile, field, value)
    lists: Lists = {
        "citizenships": None if citizenships is None else list(citizenships),
        "desired_occupations": None if desired_occupations is None else list(desired_occupations),
        "mobility_countries": None if mobility_countries is None else list(mobility_countries),
        "mobility_regions": None if mobility_regions is None else list(mobility_regions),
        "visible_in_countries": (
            None if visible_in_countries is None else list(visible_in_countries)
        ),
    }
    raw_phone = profile.phone
    _profile_prepare(profile, lists)
    _profile_validate(profile, lists=lists, skills=skills, languages=languages, raw_phone=raw_phone)
    _profile_write(profile, lists=lists, skills=skills, languages=languages)
    return profile


@transaction.atomic
def profile_set_skills(*, profile: SeekerProfile, skills: Sequence[SkillEntry]) -> None:
    """Replace the profile's skills with ``skills``, all or nothing."""
    profile = _lock(profile)
    if errors := _skills_errors(skills):
        raise ValidationError({"skills": errors})
    _replace_skills(profile, skills)
    _touch(profile.pk)


@transaction.atomic
def profile_set_languages(*, profile: SeekerProfile, languages: Sequence[LanguageEntry]) -> None:
    """Replace the profile's languages with ``languages``, all or nothing."""
    profile = _lock(profile)
    if errors := _languages_errors(languages):
        raise ValidationError({"languages": errors})
    _replace_languages(profile, languages)
    _touch(profile.pk)


# --- The profile's rows: skills, languages, experience, education, work rights -----


def _row_save(
    row: M,
    *,
    profile_id: int,
    validate: Callable[[M, dict[str, list[str]]], None] | None = None,
    duplicate: tuple[str, str] | None = None,
) -> M:
    """Check and save one row of a profile: the model's field rules (levels, choices),
    then ``validate``'s rules across fields. A unique constraint answers with a field
    message (two requests adding the same skill at once end here)."""
    errors: dict[str, list[str]] = defaultdict(list)
    _model_errors(row, errors, exclude=["profile"])
    if validate is not None:
        validate(row, errors)
    _raise(errors)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        if duplicate is None:
            raise
        raise ValidationError({duplicate[0]: duplicate[1]}) from exc
    _touch(profile_id)
    return row


def _row_count_check(model: type[models.Model], profile: SeekerProfile, limit: int) -> None:
    if model._default_manager.filter(profile=profile).count() >= limit:
        raise _conflict("non_field_errors", _("At most %(n)d of these.") % {"n": limit})


def _row_delete(row: models.Model, profile_id: int) -> None:
    row.delete()
    _touch(profile_id)


class SkillChanges(TypedDict, total=False):
    skill: Skill
    level: int
    years: int


@transaction.atomic
def seeker_skill_create(
    *, profile: SeekerProfile, skill: Skill, level: int, years: int = 0
) -> SeekerSkill:
    profile = _lock(profile)
    _row_count_check(SeekerSkill, profile, MAX_SKILLS)
    row = SeekerSkill(profile=profile, skill=skill, level=level, years=years)
    return _row_save(
        row,
        profile_id=row.profile_id,
        duplicate=("skill", _("This skill is already listed.")),
    )


@transaction.atomic
def seeker_skill_update(*, row: SeekerSkill, **changes: Unpack[SkillChanges]) -> SeekerSkill:
    for field, value in changes.items():
        setattr(row, field, value)
    return _row_save(
        row,
        profile_id=row.profile_id,
        duplicate=("skill", _("This skill is already listed.")),
    )


@transaction.atomic
def seeker_skill_delete(*, row: SeekerSkill) -> None:
    _row_delete(row, row.profile_id)


class LanguageChanges(TypedDict, total=False):
    language: Language
    level: str


@transaction.atomic
def seeker_language_create(
    *, profile: SeekerProfile, language: Language, level: str
) -> SeekerLanguage:
    profile = _lock(profile)
    _row_count_check(SeekerLanguage, profile, MAX_LANGUAGES)
    row = SeekerLanguage(profile=profile, language=language, level=level)
    return _row_save(
        row,
        profile_id=row.profile_id,
        duplicate=("language", _("This language is already listed.")),
    )


@transaction.atomic
def seeker_language_update(
    *, row: SeekerLanguage, **changes: Unpack[LanguageChanges]
) -> SeekerLanguage:
    for field, value in changes.items():
        setattr(row, field, value)
    return _row_save(
        row,
        profile_id=row.profile_id,
        duplicate=("language", _("This language is already listed.")),
    )


@transaction.atomic
def seeker_language_delete(*, row: SeekerLanguage) -> None:
    _row_delete(row, row.profile_id)


class ExperienceFields(TypedDict, total=False):
    title: str
    occupation: Occupation | None
    description: str
    end_date: date | None


class ExperienceChanges(ExperienceFields, total=False):
    employer_name: str
    country: Country
    start_date: date


def _experience_validate(row: Experience, errors: dict[str, list[str]]) -> None:
    row.employer_name = row.employer_name.strip()
    row.title = row.title.strip()
    if not row.employer_name:
        errors["employer_name"].append(_("Give the employer's name."))
    if row.occupation is not None and row.occupation.level != UNIT_GROUP_LEVEL:
        errors["occupation"].append(_("Choose an ISCO-08 unit group (a four-digit code)."))
    if row.start_date > _today():
        errors["start_date"].append(_("A job cannot start in the future."))
    if row.end_date is not None and row.end_date < row.start_date:
        errors["end_date"].append(_("A job ends on or after the day it started."))


@transaction.atomic
def experience_create(
    *,
    profile: SeekerProfile,
    employer_name: str,
    country: Country,
    start_date: date,
    **fields: Unpack[ExperienceFields],
) -> Experience:
    """A job the seeker held; without an end date it is the current job."""
    profile = _lock(profile)
    _row_count_check(Experience, profile, MAX_ROWS)
    row = Experience(
        profile=profile,
        employer_name=employer_name,
        country=country,
        start_date=start_date,
        **fields,
    )
    return _row_save(row, profile_id=row.profile_id, validate=_experience_validate)


@transaction.atomic
def experience_update(*, row: Experience, **changes: Unpack[ExperienceChanges]) -> Experience:
    for field, value in changes.items():
        setattr(row, field, value)
    return _row_save(row, profile_id=row.profile_id, validate=_experience_validate)


@transaction.atomic
def experience_delete(*, row: Experience) -> None:
    _row_delete(row, row.profile_id)


class EducationFields(TypedDict, total=False):
    field_of_study: str
    year: int | None


class EducationChanges(EducationFields, total=False):
    level: int
    institution: str
    country: Country


def _education_validate(row: Education, errors: dict[str, list[str]]) -> None:
    row.institution = row.institution.strip()
    row.field_of_study = row.field_of_study.strip()
    if not row.institution:
        errors["institution"].append(_("Give the institution's name."))
    latest = _today().year + EDUCATION_YEARS_AHEAD
    if row.year is not None and not EARLIEST_EDUCATION_YEAR <= row.year <= latest:
        errors["year"].append(
            _("Give a year from %(first)d to %(last)d.")
            % {"first": EARLIEST_EDUCATION_YEAR, "last": latest}
        )


@transaction.atomic
def education_create(
    *,
    profile: SeekerProfile,
    level: int,
    institution: str,
    country: Country,
    **fields: Unpack[EducationFields],
) -> Education:
    """Education completed (or under way) at an ISCED 2011 level."""
    profile = _lock(profile)
    _row_count_check(Education, profile, MAX_ROWS)
    row = Education(
        profile=profile, level=level, institution=institution, country=country, **fields
    )
    return _row_save(row, profile_id=row.profile_id, validate=_education_validate)


@transaction.atomic
def education_update(*, row: Education, **changes: Unpack[EducationChanges]) -> Education:
    for field, value in changes.items():
        setattr(row, field, value)
    return _row_save(row, profile_id=row.profile_id, validate=_education_validate)


@transaction.atomic
def education_delete(*, row: Education) -> None:
    _row_delete(row, row.profile_id)


class WorkRightChanges(TypedDict, total=False):
    country: Country
    kind: str
    valid_until: date | None


def _work_right_validate(row: WorkRight, errors: dict[str, list[str]]) -> None:
    if row.valid_until is not None and row.valid_until < _today():
        errors["valid_until"].append(_("This permit has expired."))


_WORK_RIGHT_DUPLICATE = ("country", _("A permit of this kind for this country is already listed."))


@transaction.atomic
def work_right_create(
    *, profile: SeekerProfile, country: Country, kind: str, valid_until: date | None = None
) -> WorkRight:
    """A residence or work permit: a right to work in a country other than by citizenship."""
    profile = _lock(profile)
    _row_count_check(WorkRight, profile, MAX_ROWS)
    row = WorkRight(profile=profile, country=country, kind=kind, valid_until=valid_until)
    return _row_save(
        row,
        profile_id=row.profile_id,
        validate=_work_right_validate,
        duplicate=_WORK_RIGHT_DUPLICATE,
    )


@transaction.atomic
def work_right_update(*, row: WorkRight, **changes: Unpack[WorkRightChanges]) -> WorkRight:
    for field, value in changes.items():
        setattr(row, field, value)
    return _row_save(
        row,
        profile_id=row.profile_id,
        validate=_work_right_validate,
        duplicate=_WORK_RIGHT_DUPLICATE,
    )


@transaction.atomic
def work_right_delete(*, row: WorkRight) -> None:
    _row_delete(row, row.profile_id)


# --- CV file ----------------------------------------------------------------------


def cv_upload(*, profile: SeekerProfile, file: File[bytes]) -> SeekerCV:
    """Store the seeker's CV (replacing any earlier one) under a random name.

    The type is judged by the content alone: a PDF or a DOCX, whatever the name says.
    A file cannot join a transaction, so it is written first and the rows in one
    transaction after; if that fails the new file is removed again, and the replaced
    file is removed only once the new row is committed.
    """
    size = file.size
    if size > settings.CV_MAX_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("A CV is at most %(mb)d MB.") % {"mb": settings.CV_MAX_BYTES // 2**20},
                    code=CV_TOO_LARGE,
                )
            }
        )
    content_type = cv_content_type(file) if size else None
    if content_type is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("A CV is a PDF or a Word (DOCX) document."), code=CV_UNSUPPORTED
                )
            }
        )
    digest = sha256_of(file)
    name = default_storage.save(f"cv/{secrets.token_hex(16)}.{CV_EXTENSIONS[content_type]}", file)
    try:
        with transaction.atomic():
            locked = _lock(profile)
            cv = SeekerCV.objects.filter(profile=locked).first()
            replaced = [] if cv is None else [cv.stored_name]
            cv = cv or SeekerCV(profile=locked)
            cv.stored_name = name
            cv.original_name = clean_file_name(file.name or "cv")
            cv.content_type = content_type
            cv.size = size
            cv.sha256 = digest
            cv.uploaded_at = timezone.now()
            cv.save()
            _touch(locked.pk)
            storage_delete_on_commit(replaced)
    except BaseException:
        default_storage.delete(name)
        raise
    return cv


@transaction.atomic
def cv_delete(*, profile: SeekerProfile) -> bool:
    """Delete the seeker's CV; ``False`` if there was none."""
    cv = SeekerCV.objects.select_for_update().filter(profile=profile).first()
    if cv is None:
        return False
    cv.delete()
    _touch(profile.pk)
    storage_delete_on_commit([cv.stored_name])
    return True


# --- Consent ----------------------------------------------------------------------


@transaction.atomic
def consent_give(*, profile: SeekerProfile) -> SeekerProfile:
    """Consent to processing; given again, it keeps the time it was first given."""
    profile = _lock(profile)
    if profile.consent_given_at is None:
        profile.consent_given_at = timezone.now()
        profile.consent_withdrawn_at = None
        profile.save(update_fields=["consent_given_at", "consent_withdrawn_at", "updated_at"])
        announce(profile_id=profile.pk)
    return profile


@transaction.atomic
def consent_withdraw(*, profile: SeekerProfile) -> SeekerProfile:
    """Withdraw consent: the profile is hidden at once and stays hidden until the
    seeker gives consent again and chooses a visibility again."""
    profile = _lock(profile)
    if profile.consent_given_at is not None or profile.visibility != Visibility.HIDDEN:
        profile.consent_given_at = None
        profile.consent_withdrawn_at = timezone.now()
        profile.visibility = Visibility.HIDDEN
        profile.save(
            update_fields=["consent_given_at", "consent_withdrawn_at", "visibility", "updated_at"]
        )
        announce(profile_id=profile.pk)
    return profile


# --- Contact log ------------------------------------------------------------------


@transaction.atomic
def contact_access_record(
    *, profile: SeekerProfile, employer_id: int, employer_name: str, by: User
) -> ContactAccess:
    """Log that ``by``, for the employer ``employer_id``, opened the seeker's contacts.

    The caller (the candidate views) has already decided that the contacts may be
    shown; this only keeps the record the seeker can read.
    """
    errors: dict[str, list[str]] = defaultdict(list)
    if employer_id <= 0:
        errors["employer_id"].append(_("Employer ids are positive numbers."))
    if not employer_name.strip():
        errors["employer_name"].append(_("Give the employer's name."))
    _raise(errors)
    return ContactAccess.objects.create(
        profile=profile,
        employer_id=employer_id,
        employer_name=employer_name.strip()[:200],
        viewed_by=by,
    )


# --- Erasure ----------------------------------------------------------------------


@transaction.atomic
def seeker_erase(*, user: User) -> None:
    """Delete the seeker's account and everything stored about them, CV file included.

    Rows that keep the e-mail address as text rather than a foreign key (login
    attempts, admin history) are removed too, so nothing of the name, address, phone
    or CV remains.
    """
    if not user.is_seeker:
        raise PermissionDenied(_("Only a job seeker's account is erased here."))
    user = User.objects.select_for_update().get(pk=user.pk)
    files = list(SeekerCV.objects.filter(profile__user=user).values_list("stored_name", flat=True))
    email = user.email
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        log.objects.filter(username__iexact=email).delete()
    profile_ids = [
        str(pk) for pk in SeekerProfile.objects.filter(user=user).values_list("pk", flat=True)
    ]
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SeekerProfile), object_id__in=profile_ids
    ).delete()
    for pk in profile_ids:
        profile_erasing.send(sender=None, profile_id=int(pk))
        announce(profile_id=int(pk))
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("Something else still refers to this account; ask the platform to erase it."),
            code=CONFLICT,
        ) from exc
    storage_delete_on_commit(files)

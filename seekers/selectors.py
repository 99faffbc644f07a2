"""Reads of seekers: the owner's profile, what an employer may see of a profile, the
personal-data export, the contact log and the CV file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from axes.models import AccessLog
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken

from accounts import exports as account_exports
from accounts.models import User
from seekers import exports
from seekers.models import (
    ContactAccess,
    Education,
    Experience,
    SeekerCV,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    Visibility,
    WorkRight,
)

# Never part of an export: a password hash helps nobody and only weakens the account.
ACCOUNT_FIELDS_NOT_EXPORTED = frozenset({"password"})


def profile_for_owner(*, user: User) -> SeekerProfile | None:
    """The caller's own profile with everything its API representation reads."""
    return (
        SeekerProfile.objects.filter(user_id=user.pk)
        .select_related("cv")
        .prefetch_related(
            "desired_occupations",
            "citizenships",
            "mobility_countries",
            "mobility_regions",
            "visible_in_countries",
            "skills__skill",
            "languages__language",
        )
        .first()
    )


def own_rows(*, user: User, model: type[models.Model]) -> QuerySet[Any]:
    """The rows of ``model`` (skills, languages, experience…) on the caller's profile;
    another seeker's row is simply not there (a 404)."""
    return model._default_manager.filter(profile__user_id=user.pk).order_by("id")


def contact_log(*, user: User) -> QuerySet[ContactAccess]:
    """Who opened the seeker's contacts, newest first."""
    return (
        ContactAccess.objects.filter(profile__user_id=user.pk)
        .select_related("viewed_by")
        .order_by("-at", "-id")
    )


def cv_open(*, cv: SeekerCV) -> IO[bytes]:
    """The CV's bytes, for a view that has checked who asks."""
    file: IO[bytes] = default_storage.open(cv.stored_name, "rb")
    return file


# --- What an employer sees --------------------------------------------------------


def profile_cv(profile: SeekerProfile) -> SeekerCV | None:
    """The profile's CV row, or ``None``."""
    try:
        return profile.cv
    except SeekerCV.DoesNotExist:
        return None


def profile_public_view(
    profile: SeekerProfile, *, reveal_identity: bool, shared_by_seeker: bool = False
) -> dict[str, Any]:
    """What an employer may see of a profile it is allowed to find.

    The name, e-mail, phone, CV and the current employer's name appear only when
    ``reveal_identity`` is true (the caller decided the contacts may be shown) and
    the profile is not anonymous; otherwise those keys are absent. An anonymous
    profile shows them only to an employer the seeker shared them with
    (``shared_by_seeker``: the seeker applied, or accepted its invitation).
    Load ``profile`` with ``SeekerProfile.objects.for_public_view()``.
    """
    reveal = reveal_identity and (shared_by_seeker or profile.visibility != Visibility.ANONYMOUS)
    salary = (
        None
        if profile.salary_amount is None
        else {
            "amount": profile.salary_amount,
            "currency": profile.salary_currency_id,
            "period": profile.salary_period,
            "is_gross": profile.salary_is_gross,
        }
    )
    cv = profile_cv(profile)
    view: dict[str, Any] = {
        "id": profile.pk,
        "anonymous": not reveal,
        "headline": profile.headline,
        "summary": profile.summary,
        "desired_occupations": [
            {"code": o.code, "title": o.title} for o in profile.desired_occupations.all()
        ],
        "employment_types": list(profile.employment_types),
        "citizenships": [c.code for c in profile.citizenships.all()],
        "country": profile.country_id,
        "region": profile.region_id,
        "city": profile.city,
        "mobility_scope": profile.mobility_scope,
        "mobility_countries": [c.code for c in profile.mobility_countries.all()],
        "mobility_regions": [r.code for r in profile.mobility_regions.all()],
        "remote_preference": profile.remote_preference,
        "accepts_rotational": profile.accepts_rotational,
        "available_from": profile.available_from,
        "salary": salary,
        "skills": [
            {"skill": s.skill_id, "label": s.skill.label, "level": s.level, "years": s.years}
            for s in profile.skills.all()
        ],
        "languages": [
            {"language": lang.language_id, "level": lang.level} for lang in profile.languages.all()
        ],
        "experience": [
            {
                # The current employer would tell who the seeker is (and tell the
                # employer that they are looking): shown only with the identity.
                **({"employer_name": e.employer_name} if reveal or not e.is_current else {}),
                "title": e.title,
                "country": e.country_id,
                "occupation": e.occupation_id,
                "start_date": e.start_date,
                "end_date": e.end_date,
                "is_current": e.is_current,
            }
            for e in profile.experience.all()
        ],
        "education": [
            {
                "level": e.level,
                "field_of_study": e.field_of_study,
                "institution": e.institution,
                "country": e.country_id,
                "year": e.year,
            }
            for e in profile.education.all()
        ],
        "work_rights": [
            {"country": w.country_id, "kind": w.kind, "valid_until": w.valid_until}
            for w in profile.work_rights.all()
        ],
        "has_cv": cv is not None,
    }
    if reveal:
        view["full_name"] = profile.user.full_name
        view["email"] = profile.user.email
        view["phone"] = profile.phone
        view["cv"] = (
            None
            if cv is None
            else {
                "name": cv.download_name,
                "content_type": cv.content_type,
                "size": cv.size,
                "uploaded_at": cv.uploaded_at,
            }
        )
    return view


# --- Personal-data export ---------------------------------------------------------


def _fields(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every stored field of ``obj`` (a relation as the related row's key), so a field
    added to a model later is exported without anyone remembering to add it here."""
    skip = set(exclude)
    data: dict[str, Any] = {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in skip
    }
    for field in obj._meta.many_to_many:
        if field.name not in skip:
            data[field.name] = [related.pk for related in getattr(obj, field.name).all()]
    return data


def _rows(rows: Iterable[models.Model], **labels: str) -> list[dict[str, Any]]:
    """Each row's fields, plus readable labels (``label="skill.label"``)."""
    result = []
    for row in rows:
        data = _fields(row, exclude=("profile",))
        for key, path in labels.items():
            value: Any = row
            for part in path.split("."):
                value = getattr(value, part) if value is not None else None
            data[key] = value
        result.append(data)
    return result


def profile_export(*, user: User) -> dict[str, Any]:
    """Everything Borderless's seeker side stores about ``user``, as JSON-ready data:
    the account, the profile and all its rows, consent, the CV's metadata (the file
    itself is downloaded separately) and the log of who opened the contacts."""
    profile = (
        SeekerProfile.objects.filter(user_id=user.pk)
        .select_related("cv")
        .prefetch_related(
            "desired_occupations",
            "citizenships",
            "mobility_countries",
            "mobility_regions",
            "visible_in_countries",
        )
        .first()
    )
    export: dict[str, Any] = {
        "exported_at": timezone.now(),
        "account": _fields(user, exclude=ACCOUNT_FIELDS_NOT_EXPORTED),
        "api_tokens": [
            {"token_key": t.token_key, "created": t.created, "expiry": t.expiry}
            for t in AuthToken.objects.filter(user=user).order_by("created", "token_key")
        ],
        "logins": [
            {
                "at": log.attempt_time,
                "logged_out_at": log.logout_time,
                "ip_address": log.ip_address,
                "user_agent": log.user_agent,
            }
            for log in AccessLog.objects.filter(username__iexact=user.email).order_by(
                "attempt_time", "id"
            )
        ],
        "profile": None,
        "consent": None,
        "skills": [],
        "languages": [],
        "experience": [],
        "education": [],
        "work_rights": [],
        "cv": None,
        "contact_access": [],
    }
    export |= exports.sections(profile)
    export |= account_exports.sections(user)
    if profile is None:
        return export
    cv = profile_cv(profile)
    export |= {
        "profile": _fields(profile, exclude=("user",)),
        "consent": {
            "given_at": profile.consent_given_at,
            "withdrawn_at": profile.consent_withdrawn_at,
        },
        "skills": _rows(
            SeekerSkill.objects.filter(profile=profile).select_related("skill").order_by("id"),
            label="skill.label_en",
        ),
        "languages": _rows(
            SeekerLanguage.objects.filter(profile=profile)
            .select_related("language")
            .order_by("id"),
            name="language.name_en",
        ),
        "experience": _rows(Experience.objects.filter(profile=profile).order_by("id")),
        "education": _rows(Education.objects.filter(profile=profile).order_by("id")),
        "work_rights": _rows(WorkRight.objects.filter(profile=profile).order_by("id")),
        "cv": None if cv is None else _fields(cv, exclude=("profile",)),
        "contact_access": _rows(ContactAccess.objects.filter(profile=profile).order_by("at", "id")),
    }
    return export

"""Shapes of the vacancies API. No writes here: the views hand validated data to the
services, which check the rules that span fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import serializers

from taxonomy.models import CEFRLevel, Country, Language, Skill
from vacancies.models import (
    Employer,
    EmployerInvitation,
    EmployerMember,
    Vacancy,
    VacancyLanguage,
    VacancyRevision,
    VacancySkill,
)


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    class Meta:
        model = Employer
        fields = (
            "id", "name", "country", "registration_number", "address", "website",
            "verified", "created_at",
        )  # fmt: skip
        read_only_fields = ("id", "verified", "created_at")
        # The service checks the number (per country) and its uniqueness with field names.
        validators: list[Any] = []


class EmployerVerifySerializer(serializers.Serializer[Any]):
    verified = serializers.BooleanField(default=True)


class MemberSerializer(serializers.ModelSerializer[EmployerMember]):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = EmployerMember
        fields = ("id", "user", "email", "full_name", "role", "joined_at")
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer[EmployerInvitation]):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=EmployerMember.Role.choices, default=EmployerMember.Role.RECRUITER
    )

    class Meta:
        model = EmployerInvitation
        fields = (
            "id", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at",
        )  # fmt: skip
        read_only_fields = ("id", "invited_by", "created_at", "expires_at", "accepted_at")
        validators: list[Any] = []


class InvitationAcceptSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=200, trim_whitespace=True)


class MembershipSerializer(serializers.ModelSerializer[EmployerMember]):
    employer_name = serializers.CharField(source="employer.name", read_only=True)

    class Meta:
        model = EmployerMember
        fields = ("id", "employer", "employer_name", "role", "joined_at")
        read_only_fields = fields


class VacancySkillSerializer(serializers.ModelSerializer[VacancySkill]):
    skill = serializers.PrimaryKeyRelatedField[Skill](queryset=Skill.objects.all())
    # `label` and `required` are also attributes of a serializer as a field; DRF takes
    # declared fields off the class, so only the type checker sees the clash.
    label = serializers.CharField(source="skill.label", read_only=True)  # type: ignore[assignment]
    min_level = serializers.IntegerField(min_value=1, max_value=5, default=3)
    required = serializers.BooleanField(default=True)  # type: ignore[assignment]

    class Meta:
        model = VacancySkill
        fields = ("skill", "label", "min_level", "required")
        validators: list[Any] = []


class VacancyLanguageSerializer(serializers.ModelSerializer[VacancyLanguage]):
    language = serializers.PrimaryKeyRelatedField[Language](queryset=Language.objects.all())
    min_level = serializers.ChoiceField(choices=CEFRLevel.choices)
    required = serializers.BooleanField(default=True)  # type: ignore[assignment]  # as above

    class Meta:
        model = VacancyLanguage
        fields = ("language", "min_level", "required")
        validators: list[Any] = []


VACANCY_FIELDS = (
    "id", "employer", "title", "description", "occupation", "country", "region", "city",
    "work_mode", "remote_countries", "employment_type", "schedule", "rotation_pattern",
    "salary_min", "salary_max", "salary_currency", "salary_period", "salary_is_gross",
    "positions", "relocation_travel", "relocation_housing", "relocation_registration",
    "eligibility", "min_experience_years", "expires_on", "skills", "languages",
)  # fmt: skip


class VacancySerializer(serializers.ModelSerializer[Vacancy]):
    """An employer's vacancy, with its skills and languages written in the same request.

    A list that is sent replaces the vacancy's list; a list left out stays as it was.
    """

    skills = VacancySkillSerializer(many=True, required=False)
    languages = VacancyLanguageSerializer(many=True, required=False)
    remote_countries = serializers.PrimaryKeyRelatedField[Country](
        many=True, queryset=Country.objects.all(), required=False
    )

    class Meta:
        model = Vacancy
        fields = (
            *VACANCY_FIELDS, "status", "published_at", "revision", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = (
            "id", "employer", "status", "published_at", "revision", "created_at", "updated_at",
        )  # fmt: skip
        validators: list[Any] = []


class VacancyRevisionSerializer(serializers.ModelSerializer[VacancyRevision]):
    class Meta:
        model = VacancyRevision
        fields = ("number", "snapshot", "changed_by", "at")
        read_only_fields = fields


class PublicEmployerSerializer(serializers.ModelSerializer[Employer]):
    # "" when the employer gave none: allow_blank says so in the schema ("" is no URI).
    website = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = Employer
        fields = ("id", "name", "country", "website", "verified")
        read_only_fields = fields


class PublicVacancySerializer(serializers.ModelSerializer[Vacancy]):
    """What anyone sees of a published vacancy: nothing about its drafts or revisions."""

    employer = PublicEmployerSerializer(read_only=True)
    occupation_title = serializers.CharField(source="occupation.title", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    skills = VacancySkillSerializer(many=True, read_only=True)
    languages = VacancyLanguageSerializer(many=True, read_only=True)
    relevance = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = (
            *VACANCY_FIELDS, "occupation_title", "region_name", "published_at", "relevance",
        )  # fmt: skip
        read_only_fields = fields

    def get_relevance(self, obj: Vacancy) -> float | None:
        """How well the vacancy matches the search text (q); absent without one."""
        rank = getattr(obj, "rank", None)
        return None if rank is None else round(float(rank), 6)


# --- The public search's fast path -------------------------------------------------
#
# PublicVacancySerializer documents the shape (the schema is made from it) and the
# detail and the list answer with exactly what it would give; but a page of 20 through
# DRF's per-field machinery costs more CPU than finding them. These functions build the
# same dicts from the plain rows of ``selectors.vacancies_public_rows``;
# tests/vacancies/test_search_speed_paths.py holds them equal to the serializer's output.

_CENTS = Decimal("0.01")


def _localized(row: dict[str, Any], field: str, language: str) -> str:
    """As ``taxonomy.models._localized``: the active language where we have it, else
    English."""
    return str(row.get(f"{field}_{language}") or row[f"{field}_en"])


def _decimal(value: Decimal | None) -> str | None:
    # DRF's DecimalField with decimal_places=2 and COERCE_DECIMAL_TO_STRING.
    return None if value is None else f"{value.quantize(_CENTS, rounding=ROUND_HALF_UP):f}"


def _datetime(value: datetime | None) -> str | None:
    # DRF's DateTimeField: in the current time zone, ISO 8601, "Z" for UTC.
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def public_vacancy_data(
    row: dict[str, Any], *, rank: float | None = None, language: str | None = None
) -> dict[str, Any]:
    """What PublicVacancySerializer gives for the vacancy of ``row``, key for key."""
    language = language or (get_language() or "en")[:2]
    return {
        "id": row["id"],
        "employer": {
            "id": row["employer_id"],
            "name": row["employer__name"],
            "country": row["employer__country_id"],
            "website": row["employer__website"],
            "verified": row["employer__verified"],
        },
        "title": row["title"],
        "description": row["description"],
        "occupation": row["occupation_id"],
        "country": row["country_id"],
        "region": row["region_id"],
        "city": row["city"],
        "work_mode": row["work_mode"],
        "remote_countries": row["remote_countries"],
        "employment_type": row["employment_type"],
        "schedule": row["schedule"],
        "rotation_pattern": row["rotation_pattern"],
        "salary_min": _decimal(row["salary_min"]),
        "salary_max": _decimal(row["salary_max"]),
        "salary_currency": row["salary_currency_id"],
        "salary_period": row["salary_period"],
        "salary_is_gross": row["salary_is_gross"],
        "positions": row["positions"],
        "relocation_travel": row["relocation_travel"],
        "relocation_housing": row["relocation_housing"],
        "relocation_registration": row["relocation_registration"],
        "eligibility": row["eligibility"],
        "min_experience_years": row["min_experience_years"],
        "expires_on": _date(row["expires_on"]),
        "skills": [
            {
                "skill": skill_id,
                "label": str((label_ru if language == "ru" else None) or label_en),
                "min_level": min_level,
                "required": required,
            }
            for skill_id, label_en, label_ru, min_level, required in row["skills"]
        ],
        "languages": [
            {"language": code, "min_level": min_level, "required": required}
            for code, min_level, required in row["languages"]
        ],
        "occupation_title": _localized(row, "occupation__title", language),
        "region_name": _localized(row, "region__name", language),
        "published_at": _datetime(row["published_at"]),
        "relevance": None if rank is None else round(float(rank), 6),
    }

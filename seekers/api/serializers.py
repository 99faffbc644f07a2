"""Shapes of the seekers API. No writes here: the views hand validated data to the
services, which check the rules that span fields or rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seekers.models import (
    ContactAccess,
    Education,
    Experience,
    ISCEDLevel,
    SeekerCV,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    WorkRight,
    WorkRightKind,
)
from taxonomy.choices import EmploymentType
from taxonomy.models import CEFRLevel, Country, Currency, Language, Occupation, Region, Skill


class SeekerSkillSerializer(serializers.ModelSerializer[SeekerSkill]):
    skill = serializers.PrimaryKeyRelatedField[Skill](queryset=Skill.objects.all())
    # `label` is also an attribute of a serializer as a field; DRF takes declared
    # fields off the class, so only the type checker sees the clash.
    label = serializers.CharField(source="skill.label", read_only=True)  # type: ignore[assignment]
    level = serializers.IntegerField(min_value=1, max_value=5)
    years = serializers.IntegerField(min_value=0, max_value=60, default=0)

    class Meta:
        model = SeekerSkill
        fields = ("id", "skill", "label", "level", "years")
        read_only_fields = ("id",)
        validators: list[Any] = []


class SeekerLanguageSerializer(serializers.ModelSerializer[SeekerLanguage]):
    language = serializers.PrimaryKeyRelatedField[Language](queryset=Language.objects.all())
    name = serializers.CharField(source="language.name", read_only=True)
    level = serializers.ChoiceField(choices=CEFRLevel.choices)

    class Meta:
        model = SeekerLanguage
        fields = ("id", "language", "name", "level")
        read_only_fields = ("id",)
        validators: list[Any] = []


class ExperienceSerializer(serializers.ModelSerializer[Experience]):
    class Meta:
        model = Experience
        fields = (
            "id", "employer_name", "title", "country", "occupation", "description",
            "start_date", "end_date", "is_current",
        )  # fmt: skip
        read_only_fields = ("id", "is_current")


class EducationSerializer(serializers.ModelSerializer[Education]):
    level = serializers.ChoiceField(choices=ISCEDLevel.choices, help_text="ISCED 2011 level 0–8")

    class Meta:
        model = Education
        fields = ("id", "level", "field_of_study", "institution", "country", "year")
        read_only_fields = ("id",)


class WorkRightSerializer(serializers.ModelSerializer[WorkRight]):
    kind = serializers.ChoiceField(choices=WorkRightKind.choices)

    class Meta:
        model = WorkRight
        fields = ("id", "country", "kind", "valid_until")
        read_only_fields = ("id",)
        validators: list[Any] = []


class CVSerializer(serializers.ModelSerializer[SeekerCV]):
    name = serializers.CharField(source="download_name", read_only=True)

    class Meta:
        model = SeekerCV
        fields = ("name", "content_type", "size", "sha256", "uploaded_at")
        read_only_fields = fields


class CVUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=f"A PDF or DOCX file of at most {settings.CV_MAX_BYTES // 2**20} MB; the "
        "type is judged by the content, not by the name."
    )


PROFILE_FIELDS = (
    "id", "headline", "summary", "phone", "desired_occupations", "employment_types",
    "citizenships", "country", "region", "city",
    "mobility_scope", "mobility_countries", "mobility_regions", "remote_preference",
    "accepts_rotational", "available_from",
    "salary_amount", "salary_currency", "salary_period", "salary_is_gross",
    "visibility", "visible_in_countries", "hidden_from_employer_ids",
    "skills", "languages",
)  # fmt: skip


class ProfileSerializer(serializers.ModelSerializer[SeekerProfile]):
    """The seeker's own profile. Skills and languages are written in the same request;
    a list that is sent replaces the stored one, a list left out stays as it was."""

    desired_occupations = serializers.PrimaryKeyRelatedField[Occupation](
        many=True,
        queryset=Occupation.objects.all(),
        required=False,
        help_text="ISCO-08 unit groups (four-digit codes).",
    )
    employment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EmploymentType.choices), required=False
    )
    citizenships = serializers.PrimaryKeyRelatedField[Country](
        many=True, queryset=Country.objects.all(), required=False
    )
    mobility_countries = serializers.PrimaryKeyRelatedField[Country](
        many=True, queryset=Country.objects.all(), required=False
    )
    mobility_regions = serializers.PrimaryKeyRelatedField[Region](
        many=True, queryset=Region.objects.all(), required=False
    )
    visible_in_countries = serializers.PrimaryKeyRelatedField[Country](
        many=True, queryset=Country.objects.all(), required=False
    )
    salary_currency = serializers.PrimaryKeyRelatedField[Currency](
        queryset=Currency.objects.all(), required=False, allow_null=True
    )
    hidden_from_employer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Employers (ids) that must never see the profile.",
    )
    skills = SeekerSkillSerializer(many=True, required=False)
    languages = SeekerLanguageSerializer(many=True, required=False)
    visible_to_employers = serializers.BooleanField(
        source="is_visible_to_employers", read_only=True
    )
    cv = serializers.SerializerMethodField()

    class Meta:
        model = SeekerProfile
        fields = (
            *PROFILE_FIELDS, "visible_to_employers", "consent_given_at", "consent_withdrawn_at",
            "cv", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = (
            "id", "consent_given_at", "consent_withdrawn_at", "created_at", "updated_at",
        )  # fmt: skip
        validators: list[Any] = []

    @extend_schema_field(CVSerializer(allow_null=True))
    def get_cv(self, obj: SeekerProfile) -> dict[str, Any] | None:
        try:
            return dict(CVSerializer(obj.cv).data)
        except SeekerCV.DoesNotExist:
            return None


class ConsentSerializer(serializers.ModelSerializer[SeekerProfile]):
    visible_to_employers = serializers.BooleanField(
        source="is_visible_to_employers", read_only=True
    )

    class Meta:
        model = SeekerProfile
        fields = ("consent_given_at", "consent_withdrawn_at", "visibility", "visible_to_employers")
        read_only_fields = fields


class ContactAccessSerializer(serializers.ModelSerializer[ContactAccess]):
    viewed_by_name = serializers.CharField(
        source="viewed_by.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ContactAccess
        fields = ("id", "employer_id", "employer_name", "viewed_by_name", "at")
        read_only_fields = fields


class EraseSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False
    )


@extend_schema_field(OpenApiTypes.OBJECT)
class ExportField(serializers.JSONField):
    """Documents the export as a JSON object."""


class ExportSerializer(serializers.Serializer[Any]):
    """The shape of the export, for the schema (the view returns the selector's dict)."""

    exported_at = serializers.DateTimeField()
    account = ExportField()
    api_tokens = serializers.ListField(child=ExportField())
    logins = serializers.ListField(child=ExportField())
    profile = ExportField(allow_null=True)
    consent = ExportField(allow_null=True)
    skills = serializers.ListField(child=ExportField())
    languages = serializers.ListField(child=ExportField())
    experience = serializers.ListField(child=ExportField())
    education = serializers.ListField(child=ExportField())
    work_rights = serializers.ListField(child=ExportField())
    cv = ExportField(allow_null=True)
    contact_access = serializers.ListField(child=ExportField())
    matches = serializers.ListField(
        child=ExportField(), help_text="Vacancies matched to the profile, with the reasons."
    )

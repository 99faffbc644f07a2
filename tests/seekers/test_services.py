"""The services and validators used directly: the same rules for the API, the admin
and commands."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from accounts.models import User
from seekers import services
from seekers.files import clean_file_name
from seekers.models import CVType, SeekerCV, SeekerLanguage, SeekerProfile, SeekerSkill
from seekers.validators import cv_content_type, normalise_phone
from taxonomy.models import Country, Language, Occupation, Region
from tests.seekers.factories import docx_bytes, make_profile, pdf_bytes, skill

pytestmark = pytest.mark.django_db


def _fields_of(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def test_profile_update_undoes_everything_when_a_nested_write_fails(
    profile: SeekerProfile, monkeypatch
):
    def broken_bulk_create(*args, **kwargs):
        raise IntegrityError("simulated failure after the skills were replaced")

    monkeypatch.setattr(SeekerLanguage.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(ValidationError) as caught:
        services.profile_update(
            profile=profile,
            headline="Изменено",
            citizenships=[Country.objects.get(code="RU")],
            skills=[{"skill": skill("tig-welding"), "level": 5}],
            languages=[{"language": Language.objects.get(code="en"), "level": "B2"}],
        )
    assert "languages" in caught.value.message_dict
    profile.refresh_from_db()
    assert profile.headline == "Сварщик 4 разряда"
    assert list(profile.citizenships.values_list("code", flat=True)) == ["KZ"]
    assert set(profile.skills.values_list("skill__uri", flat=True)) == {
        "urn:borderless:skill:welding",
        "urn:borderless:skill:arc-welding",
    }


def test_profile_create_is_for_seekers_only_and_once(seeker: User, owner: User):
    kz = Country.objects.get(code="KZ")
    with pytest.raises(PermissionDenied):
        services.profile_create(user=owner, country=kz, citizenships=[kz])
    services.profile_create(user=seeker, country=kz, citizenships=[kz])
    with pytest.raises(ValidationError) as caught:
        services.profile_create(user=seeker, country=kz, citizenships=[kz])
    assert caught.value.error_dict["non_field_errors"][0].code == "conflict"
    assert SeekerProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (lambda: {"region": Region.objects.get(code="KG-GB")}, "region"),
        (lambda: {"country": Country.objects.get(code="RU")}, "region"),
        (lambda: {"salary_amount": Decimal(0)}, "salary_amount"),
        (lambda: {"salary_amount": Decimal("-1")}, "salary_amount"),
        (
            lambda: {"salary_amount": Decimal(100), "salary_currency": None},
            "salary_currency",
        ),
        (
            lambda: {"desired_occupations": [Occupation.objects.get(code="7")]},
            "desired_occupations",
        ),
        (lambda: {"visibility": "all"}, "visibility"),
        (lambda: {"employment_types": ["gig"]}, "employment_types"),
        (lambda: {"mobility_scope": "galaxy"}, "mobility_scope"),
        (lambda: {"skills": [{"skill": skill("welding"), "level": 6}]}, "skills"),
        (lambda: {"skills": [{"skill": skill("welding"), "level": 3, "years": 70}]}, "skills"),
        (
            lambda: {"languages": [{"language": Language.objects.get(code="en"), "level": "B3"}]},
            "languages",
        ),
    ],
)
def test_profile_update_refuses_bad_values_with_the_field_named(
    profile: SeekerProfile, changes, field
):
    with pytest.raises(ValidationError) as caught:
        services.profile_update(profile=profile, **changes())
    assert field in _fields_of(caught)
    profile.refresh_from_db()
    assert profile.region_id == "KZ-75" and profile.salary_amount is None


def test_a_visible_profile_without_consent_is_refused_by_the_database(profile: SeekerProfile):
    with pytest.raises(IntegrityError), transaction.atomic():
        SeekerProfile.objects.filter(pk=profile.pk).update(visibility="all")


def test_profile_set_skills_replaces_all_or_nothing(profile: SeekerProfile):
    with pytest.raises(ValidationError):
        services.profile_set_skills(
            profile=profile,
            skills=[
                {"skill": skill("gas-welding"), "level": 3},
                {"skill": skill("welding"), "level": 9},
            ],
        )
    assert profile.skills.count() == 2
    services.profile_set_skills(
        profile=profile, skills=[{"skill": skill("gas-welding"), "level": 1}]
    )
    assert list(SeekerSkill.objects.values_list("skill__uri", "level")) == [
        ("urn:borderless:skill:gas-welding", 1)
    ]


def test_experience_services_check_dates_and_occupation(profile: SeekerProfile):
    kz = Country.objects.get(code="KZ")
    with pytest.raises(ValidationError) as caught:
        services.experience_create(
            profile=profile,
            employer_name="ТОО «Арна»",
            country=kz,
            start_date=date(2020, 5, 1),
            end_date=date(2020, 4, 30),
            occupation=Occupation.objects.get(code="721"),
        )
    assert _fields_of(caught) == {"end_date", "occupation"}
    row = services.experience_create(
        profile=profile, employer_name="ТОО «Арна»", country=kz, start_date=date(2020, 5, 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.experience_update(row=row, start_date=date(2021, 1, 1), end_date=date(2020, 1, 1))
    assert _fields_of(caught) == {"end_date"}


def test_skill_rows_refuse_levels_outside_1_to_5(profile: SeekerProfile):
    for level in (0, 6):
        with pytest.raises(ValidationError) as caught:
            services.seeker_skill_create(profile=profile, skill=skill("gas-welding"), level=level)
        assert _fields_of(caught) == {"level"}
    assert profile.skills.count() == 2


def test_cv_upload_judges_the_content_not_the_name(profile: SeekerProfile, media_root):
    text = SimpleUploadedFile("cv.pdf", b"hello", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.cv_upload(profile=profile, file=text)
    assert caught.value.error_dict["file"][0].code == services.CV_UNSUPPORTED
    assert not SeekerCV.objects.exists()
    assert not (media_root / "cv").exists() or not any((media_root / "cv").iterdir())


def test_seeker_erase_is_only_for_seekers(owner: User):
    with pytest.raises(PermissionDenied):
        services.seeker_erase(user=owner)
    assert User.objects.filter(pk=owner.pk).exists()


def test_make_profile_with_visibility_needs_no_extra_steps(seeker: User):
    profile = make_profile(seeker, visibility="all")
    assert profile.is_visible_to_employers


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), CVType.PDF),
        (docx_bytes(), CVType.DOCX),
        (docx_bytes(with_document=False), None),
        (b"%PDF", None),
        (b"", None),
        (b"PK\x03\x04garbage", None),
        (b"{\\rtf1 a Word-looking RTF}", None),
    ],
)
def test_cv_content_type_reads_the_bytes(content, expected):
    file = io.BytesIO(content)
    assert cv_content_type(file) == expected
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 (701) 123-45-67", "+77011234567"),
        ("+996 555 123 456", "+996555123456"),
        ("8 701 123 45 67", "87011234567"),
        ("12345", None),
        ("+7 701 123 45 67 89 01 23", None),
        ("phone: 123456", None),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


def test_clean_file_name_keeps_only_a_printable_base_name():
    assert clean_file_name("C:\\Users\\aigerim\\Резюме.pdf") == "Резюме.pdf"
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("bad\x00name\n.pdf") == "badname.pdf"
    assert clean_file_name("...") == "cv"

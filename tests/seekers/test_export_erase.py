"""GET /api/v1/profile/export/ (everything stored, as JSON) and POST
/api/v1/profile/erase/ (the account and everything about it gone)."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
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
from seekers.selectors import profile_export
from seekers.services import (
    contact_access_record,
    education_create,
    work_right_create,
)
from taxonomy.models import Country
from tests.factories import PASSWORD
from tests.seekers.factories import make_profile, pdf_bytes

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/profile/export/"
ERASE = "/api/v1/profile/erase/"
AUTH_TOKEN = "/api/v1/auth/token/"
PHONE_DIGITS = "77015551234"


@pytest.fixture
def full_profile(as_user, seeker: User, employer, recruiter: User) -> SeekerProfile:
    """A profile with a row of every kind, a CV, consent and a contact-log entry."""
    profile = make_profile(
        seeker,
        visibility=Visibility.ANONYMOUS,
        experience=True,
        hidden_from_employer_ids=[employer.pk],
        salary_amount=500000,
        salary_currency=Country.objects.get(code="KZ").currency,
    )
    kz = Country.objects.get(code="KZ")
    education_create(
        profile=profile, level=4, institution="Шымкентский колледж", country=kz, year=2014
    )
    work_right_create(
        profile=profile,
        country=Country.objects.get(code="RU"),
        kind="residence_permit",
        valid_until=timezone.localdate() + timedelta(days=300),
    )
    contact_access_record(
        profile=profile, employer_id=employer.pk, employer_name=employer.name, by=recruiter
    )
    upload = SimpleUploadedFile("Нурланова.pdf", pdf_bytes(), content_type="application/pdf")
    response = as_user(seeker).post("/api/v1/profile/cv/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    return profile


def _stored_fields(
    model: type[models.Model], *, skip: frozenset[str] | set[str] = frozenset()
) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.many_to_many
    }
    return names - skip


def test_the_export_holds_every_field_stored_about_the_seeker(as_user, full_profile: SeekerProfile):
    response = as_user(full_profile.user).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="borderless-export.json"'
    export = response.json()

    assert set(export["account"]) == _stored_fields(User, skip={"password"})
    assert export["account"]["email"] == "seeker.a@example.kz"
    assert export["account"]["full_name"] == "Айгерим Нурланова"
    assert "password" not in export["account"]

    assert set(export["profile"]) == _stored_fields(SeekerProfile, skip={"user"})
    assert export["profile"]["phone"] == f"+{PHONE_DIGITS}"
    assert export["profile"]["citizenships"] == ["KZ"]
    assert export["profile"]["hidden_from_employer_ids"] == full_profile.hidden_from_employer_ids
    assert export["consent"]["given_at"] is not None

    for key, model, count in (
        ("skills", SeekerSkill, 2),
        ("languages", SeekerLanguage, 2),
        ("experience", Experience, 2),
        ("education", Education, 1),
        ("work_rights", WorkRight, 1),
        ("contact_access", ContactAccess, 1),
    ):
        assert len(export[key]) == count, key
        for row in export[key]:
            assert _stored_fields(model, skip={"profile"}) <= set(row), key
    assert {row["employer_name"] for row in export["experience"]} == {
        "ТОО «Тенгиз Монтаж»",
        "АО «Секретный Работодатель»",
    }
    assert set(export["cv"]) == _stored_fields(SeekerCV, skip={"profile"})
    assert export["cv"]["original_name"] == "Нурланова.pdf"
    assert export["contact_access"][0]["employer_name"] == "ТОО «Каспий Сервис»"


def test_the_export_of_a_seeker_without_a_profile_holds_the_account(as_user, seeker: User):
    export = as_user(seeker).get(EXPORT).json()
    assert export["account"]["email"] == seeker.email
    assert export["profile"] is None and export["skills"] == [] and export["cv"] is None


def test_the_export_reads_a_fixed_number_of_queries(full_profile, django_assert_max_num_queries):
    # The sections of matching, vacancies and notifications read one query per table.
    with django_assert_max_num_queries(30):
        profile_export(user=full_profile.user)


def test_erasure_with_a_wrong_password_is_400_and_erases_nothing(
    as_user, full_profile: SeekerProfile, media_root: Path
):
    response = as_user(full_profile.user).post(ERASE, {"password": "wrong"}, format="json")
    assert response.status_code == 400 and "password" in response.json()
    assert User.objects.filter(pk=full_profile.user_id).exists()
    assert SeekerCV.objects.filter(profile=full_profile).exists()
    assert len(list((media_root / "cv").iterdir())) == 1


def _rows_mentioning(text: str) -> list[str]:
    """Every table's text columns that hold ``text`` anywhere."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if model._default_manager.filter(**{f"{field.name}__icontains": text}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_erasure_leaves_nothing_of_the_seeker(
    api,
    as_user,
    full_profile: SeekerProfile,
    admin_user: User,
    media_root: Path,
    django_capture_on_commit_callbacks,
):
    seeker = full_profile.user
    api.force_authenticate(None)  # from here on, only the token signs requests
    # a failed API sign-in and a web sign-in leave the address in the login records
    assert (
        api.post(
            "/api/v1/auth/token/", {"email": seeker.email, "password": "nope"}, format="json"
        ).status_code
        == 400
    )
    token = api.post(
        "/api/v1/auth/token/", {"email": seeker.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    assert (
        Client()
        .post("/accounts/login/", {"username": seeker.email, "password": PASSWORD})
        .status_code
        == 302
    )
    # an administrator once edited the account: the admin history names it
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[seeker], action_flag=CHANGE, change_message="role"
    )
    assert _rows_mentioning(seeker.email)  # the check below can see the address

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(ERASE, {"password": PASSWORD}, format="json")
    assert response.status_code == 204

    assert not User.objects.filter(pk=seeker.pk).exists()
    assert not SeekerProfile.objects.exists() and not SeekerCV.objects.exists()
    assert not ContactAccess.objects.exists()
    assert _rows_mentioning(seeker.email) == []
    assert _rows_mentioning("Нурланова") == []
    assert _rows_mentioning(PHONE_DIGITS) == []
    assert _rows_mentioning("Секретный Работодатель") == []
    assert list(media_root.rglob("*.pdf")) == []
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_erasure_is_only_for_a_seeker_signed_in(api, owner: User):
    assert api.post(ERASE, {"password": PASSWORD}, format="json").status_code == 401
    api.force_authenticate(owner)
    assert api.post(ERASE, {"password": PASSWORD}, format="json").status_code == 403
    assert User.objects.filter(pk=owner.pk).exists()


def test_erasure_keeps_other_seekers(as_user, seeker: User, other_profile: SeekerProfile):
    make_profile(seeker, available_from=date(2027, 1, 1))
    response = as_user(seeker).post(ERASE, {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert list(SeekerProfile.objects.all()) == [other_profile]
    assert other_profile.experience.count() == 2


# --- The database dump after erasure -------------------------------------------------

CV_NAME = "Айгерим-резюме-2026.pdf"


def _pg_dump() -> str:
    """A real ``pg_dump --data-only`` of the test database: every table, JSON and
    non-Django tables included, as an operator's backup would hold it."""
    db = connection.settings_dict
    result = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", "-h", db["HOST"] or "127.0.0.1",
         "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres", db["NAME"]],
        env=os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {}),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout


def test_a_dump_of_the_database_after_erasure_holds_nothing_of_the_seeker(
    committed_db: None, settings, tmp_path: Path
):
    """Seeker A of the authorisation matrix's world (a profile visible to employers, a
    match, an invitation, a saved search, a notification) also signs in, uploads a CV
    and applies; then erases the account. A dump of the committed database holds none
    of A's name, e-mail, phone or CV file name, and no CV file is left on disk."""
    from tests.test_authorization_matrix import (  # noqa: PLC0415 - one world for both suites
        A_EMAIL,
        A_NAME,
        A_PHONE,
        build_world,
    )

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tmp_path)
    api = APIClient()
    assert api.post(AUTH_TOKEN, {"email": A_EMAIL, "password": "wrong"}).status_code == 400
    token = api.post(AUTH_TOKEN, {"email": A_EMAIL, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    upload = SimpleUploadedFile(CV_NAME, pdf_bytes(), content_type="application/pdf")
    assert api.post("/api/v1/profile/cv/", {"file": upload}, format="multipart").status_code == 201
    applied = api.post(
        "/api/v1/profile/applications/",
        {"vacancy": world.ids["vy"], "share_cv": True, "note": f"{A_NAME}, {A_PHONE}"},
        format="json",
    )
    assert applied.status_code == 201
    phone_digits = A_PHONE.lstrip("+")
    before = _pg_dump()
    for secret in (A_NAME, A_EMAIL, phone_digits, CV_NAME):
        assert secret in before  # the dump can see each of them

    assert api.post(ERASE, {"password": PASSWORD}, format="json").status_code == 204

    after = _pg_dump()
    table = ""
    leaks = []
    for line in after.splitlines():
        if line.startswith("COPY "):
            table = line.split()[1]
        leaks += [
            f"{table}: {line[:120]}" for s in (A_NAME, A_EMAIL, phone_digits, CV_NAME) if s in line
        ]
    assert leaks == [], "\n".join(leaks)
    assert list((tmp_path / "media").rglob("cv/*")) == []
    assert "Третий Соискатель" in after  # the others' data is still there


# --- The export against every model that stores something about the seeker ----------

# Where each model that refers to a user or a seeker's profile appears in the export,
# and which of its fields are not there (with the reason).
EXPORTED = {
    "knox.AuthToken": ("api_tokens", {"user", "digest"}),  # digest: a hash of the secret
    "seekers.SeekerProfile": ("profile", {"user"}),
    "seekers.SeekerSkill": ("skills", {"profile"}),
    "seekers.SeekerLanguage": ("languages", {"profile"}),
    "seekers.Experience": ("experience", {"profile"}),
    "seekers.Education": ("education", {"profile"}),
    "seekers.WorkRight": ("work_rights", {"profile"}),
    "seekers.SeekerCV": ("cv", {"profile"}),
    "seekers.ContactAccess": ("contact_access", {"profile"}),
    "matching.Match": ("matches", {"seeker", "vacancy"}),  # the vacancy as vacancy_id
    "matching.Application": ("applications", {"seeker"}),
    "matching.ApplicationEvent": ("applications.events", set()),
    "matching.Placement": ("placements", {"seeker"}),
    "matching.PlacementEvent": ("placements.events", set()),
    "matching.PlacementDocument": ("placements.documents", {"stored_name"}),  # a random name
    "vacancies.SavedSearch": ("saved_searches", {"user"}),
    "notifications.Preference": ("notification_preferences", {"user"}),
    "notifications.Notification": ("notifications", {"recipient"}),
}
NOT_ABOUT_THE_SEEKER = {
    "admin.LogEntry": "an administrator's own actions (erasure removes those about the seeker)",
    "vacancies.EmployerMember": "the employer side: a seeker's account belongs to no employer",
    "vacancies.EmployerInvitation": "the employer side: invitations to join an employer",
    "vacancies.VacancyRevision": "the employer side: who changed a vacancy",
}


def _models_about_a_user() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.is_relation and field.related_model in (User, SeekerProfile)
    }


def _rows_at(export: dict[str, Any], path: str) -> list[dict[str, Any]]:
    head, _, rest = path.partition(".")
    value = export.get(head)
    rows = [] if value is None else value if isinstance(value, list) else [value]
    if rest:
        return [child for row in rows for child in row[rest]]
    return rows


def test_the_export_holds_every_field_of_every_model_that_stores_something_about_the_seeker(
    settings, tmp_path: Path
):
    """Generated from the models: a new model that refers to a user or a profile, or a
    new field on one, fails here until the export holds it (or the table above says why
    it is not about the seeker). Seekers A and C of the authorisation matrix's world
    between them have a row of every kind."""
    from tests.test_authorization_matrix import A_EMAIL, build_world  # noqa: PLC0415

    assert _models_about_a_user() == set(EXPORTED) | set(NOT_ABOUT_THE_SEEKER)
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tmp_path)
    api = APIClient()
    api.force_authenticate(world.users["owner_x"])
    contacts = f"/api/v1/employer/candidates/{world.ids['profile_a']}/contacts/"
    assert api.post(contacts).status_code == 200
    api.force_authenticate(world.users["seeker_a"])
    preferences = api.get("/api/v1/notifications/preferences/").json()
    del preferences["updated_at"]
    assert (
        api.put("/api/v1/notifications/preferences/", preferences, format="json").status_code == 200
    )
    exports = []
    for email in (A_EMAIL, "c@example.kz"):
        api.force_authenticate(User.objects.get(email=email))
        exports.append(api.get(EXPORT).json())

    missing = {}
    for label, (path, not_exported) in EXPORTED.items():
        model = apps.get_model(label)
        rows = [row for export in exports for row in _rows_at(export, path)]
        assert rows, f"{label}: no row in the exports to compare with ({path})"
        stored = _stored_fields(model, skip=not_exported)
        lacking = {name for row in rows for name in stored - set(row)}
        if lacking:
            missing[label] = sorted(lacking)
    assert missing == {}

"""Every API route × every role × every method: the status each role gets, and that no
personal data or another employer's private object leaks into a response.

The matrix is built from the URL configuration: a new route without an entry here
fails the suite, so nobody adds an endpoint without deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Role, User
from matching import indexes
from matching import services as match_services
from matching.applications import (
    HireDetails,
    application_apply,
    application_invite,
    application_move,
)
from matching.models import Kind, Match
from matching.placements import placement_document_add
from notifications.models import Notification
from seekers import services as seeker_services
from seekers.models import Visibility
from taxonomy.models import Country, Language, Occupation
from tests.factories import PASSWORD, EmployerFactory, MemberFactory, UserFactory
from tests.seekers.factories import make_profile, pdf_bytes
from tests.seekers.factories import skill as seeker_skill
from tests.vacancies.factories import in_days, post_vacancy, vacancy_body
from vacancies import saved_searches
from vacancies.models import ImportRun, Source, Vacancy

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "seeker_a",
    "seeker_b",
    "owner_x",
    "recruiter_x",
    "recruiter_y",
    "reviewer",
    "admin",
)
EMPLOYER_X = ("owner_x", "recruiter_x")
MEMBERS = ("owner_x", "recruiter_x", "recruiter_y")
SEEKERS = ("seeker_a", "seeker_b")
STAFF = ("reviewer", "admin")

A_EMAIL, A_NAME, A_PHONE = "aigerim@example.kz", "Айгерим Секретова", "+77015550101"
B_EMAIL, B_NAME = "azamat@example.kg", "Азамат Анонимов"
X_DRAFT_TITLE = "Черновик работодателя X"


def expect(default: int, **by_role: int) -> dict[str, int]:
    statuses = dict.fromkeys(ROLES, default)
    statuses.update(by_role)
    return statuses


def only(roles: tuple[str, ...], ok: int, others: int, anonymous: int = 401) -> dict[str, int]:
    statuses = {role: (ok if role in roles else others) for role in ROLES}
    statuses["anonymous"] = anonymous
    return statuses


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, Any] = field(default_factory=dict)


def build_world(tmp_media: Any) -> World:
    a = UserFactory.create(email=A_EMAIL, full_name=A_NAME, role=Role.SEEKER)
    b = UserFactory.create(email=B_EMAIL, full_name=B_NAME, role=Role.SEEKER)
    x = EmployerFactory.create(name="ТОО «Каспий Сервис»", country_id="KZ")
    y = EmployerFactory.create(
        name="ООО «Сибирь»", country_id="RU", registration_number="1027700132195"
    )
    owner_x = MemberFactory.create(employer=x, role="owner", user__email="owner@x.kz").user
    recruiter_x = MemberFactory.create(employer=x, role="recruiter", user__email="hr@x.kz").user
    owner_y = MemberFactory.create(employer=y, role="owner", user__email="owner@y.ru").user
    recruiter_y = MemberFactory.create(employer=y, role="recruiter", user__email="hr@y.ru").user
    users = {
        "seeker_a": a,
        "seeker_b": b,
        "owner_x": owner_x,
        "recruiter_x": recruiter_x,
        "recruiter_y": recruiter_y,
        "reviewer": UserFactory.create(email="reviewer@borderless.test", role=Role.REVIEWER),
        "admin": UserFactory.create(
            email="admin@borderless.test", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }
    profile_a = make_profile(a, visibility=Visibility.ALL_EMPLOYERS, phone=A_PHONE, experience=True)
    seeker_services.cv_upload(
        profile=profile_a, file=SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")
    )
    profile_b = make_profile(
        b, country="KG", region="KG-GB", citizenships=("KG",), visibility=Visibility.ANONYMOUS
    )
    kz = Country.objects.get(code="KZ")
    ru = Language.objects.get(code="ru")
    world = World(users=users)
    world.ids.update(
        profile_a=profile_a.pk,
        profile_b=profile_b.pk,
        a_skill=profile_a.skills.first().pk,  # type: ignore[union-attr]
        a_language=profile_a.languages.first().pk,  # type: ignore[union-attr]
        a_experience=profile_a.experience.first().pk,  # type: ignore[union-attr]
        a_education=seeker_services.education_create(
            profile=profile_a,
            level=6,
            field_of_study="Сварочное производство",
            institution="КазНТУ",
            country=kz,
            year=2015,
        ).pk,
        a_work_right=seeker_services.work_right_create(
            profile=profile_a,
            country=Country.objects.get(code="UZ"),
            kind="work_permit",
            valid_until=in_days(300),
        ).pk,
        a_token=AuthToken.objects.create(user=a)[0].token_key,
        x=x.pk,
        x_registration=x.registration_number,
        y=y.pk,
        member_recruiter_x=recruiter_x.employer_memberships.get().pk,
        vx=post_vacancy(by=owner_x, title="Сварщик на вахту").pk,
        vx_draft=post_vacancy(by=owner_x, title=X_DRAFT_TITLE, publish=False).pk,
        vy=post_vacancy(by=owner_y, title="Электрик", country="RU", region="RU-KHM").pk,
        skill=seeker_skill("welding").pk,
        new_skill=seeker_skill("tig-welding").pk,
        ru=ru.pk,
        occupation=Occupation.objects.get(code="7212").pk,
    )
    indexes.registry.forget()
    match_services.match_now(kind=Kind.VACANCY, object_id=world.ids["vx"])
    world.ids["match_a"] = Match.objects.get(vacancy_id=world.ids["vx"], seeker=profile_a).pk
    world.ids["notification_a"] = Notification.objects.create(
        recipient=a, kind="status_changed", title="Статус изменён", body="…", language="ru",
        idempotency_key="matrix:notification_a",
    ).pk  # fmt: skip
    world.ids["search_a"] = saved_searches.saved_search_create(
        by=a, name="Сварщики в Казахстане", filters={"country": "KZ"}
    ).pk
    # X invites A to vx: A's name and contacts stay hidden from X until A accepts.
    world.ids["application_a"] = application_invite(
        vacancy=Vacancy.objects.get(pk=world.ids["vx"]), profile=profile_a, by=owner_x
    ).pk
    world.ids.update(_placement_of_c(owner_x))
    world.ids["import_run"] = ImportRun.objects.create(
        source=Source.objects.create(name="trudvsem", kind="trudvsem"), origin="matrix"
    ).pk
    return world


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _placement_of_c(owner_x: User) -> dict[str, int]:
    """X hired a third seeker, C (X may see C's name; A's and B's stay out of X's
    inbox): a placement pending review, with a document (a PNG, so that its download
    shows no PDF marker)."""
    c = UserFactory.create(email="c@example.kz", full_name="Третий Соискатель", role=Role.SEEKER)
    profile_c = make_profile(c, visibility=Visibility.ALL_EMPLOYERS)
    hired = application_apply(
        profile=profile_c, vacancy=post_vacancy(by=owner_x, title="Монтажник"), by=c
    )
    for to in ("accepted", "interview", "offer"):
        hired = application_move(application=hired, to=to, by=owner_x)
    hired = application_move(
        application=hired, to="hired", by=owner_x, hire=HireDetails(start_date=in_days(14))
    )
    placement = hired.placement
    document = placement_document_add(
        placement=placement, by=owner_x, kind="contract", file=SimpleUploadedFile("c.png", PNG)
    )
    return {"placement_c": placement.pk, "placement_doc": document.pk}


@dataclass(frozen=True)
class Case:
    route: str
    method: str
    path: str  # formatted with World.ids
    expected: dict[str, int]
    body: Callable[[World], Any] | None = None
    multipart: bool = False
    # Roles that may legitimately see seeker A's identity in this response.
    may_see_a: tuple[str, ...] = ("seeker_a",)


def _seeker_rows(
    route: str, path: str, create: Callable[[World], Any], change: dict[str, Any], row: str
) -> list[Case]:
    own = only(SEEKERS, 200, 403)
    return [
        Case(f"{route}-list", "get", path, own),
        Case(f"{route}-list", "post", path, only(SEEKERS, 201, 403), body=create),
        Case(
            f"{route}-detail",
            "get",
            f"{path}{{{row}}}/",
            only(SEEKERS, 200, 403) | {"seeker_b": 404},
        ),
        Case(
            f"{route}-detail",
            "patch",
            f"{path}{{{row}}}/",
            only(SEEKERS, 200, 403) | {"seeker_b": 404},
            body=lambda w: change,
        ),
        Case(
            f"{route}-detail",
            "put",
            f"{path}{{{row}}}/",
            only(SEEKERS, 200, 403) | {"seeker_b": 404},
            body=create,
        ),
        Case(
            f"{route}-detail",
            "delete",
            f"{path}{{{row}}}/",
            only(SEEKERS, 204, 403) | {"seeker_b": 404},
        ),
    ]


PUBLIC = expect(200)
SIGNED_IN = expect(200, anonymous=401)
X_OBJECT_READ = expect(404, owner_x=200, recruiter_x=200, reviewer=200, admin=200, anonymous=401)
X_OWNER_ONLY = expect(404, owner_x=200, recruiter_x=403, reviewer=403, admin=403, anonymous=401)
X_MEMBERS = expect(404, owner_x=200, recruiter_x=200, reviewer=403, admin=403, anonymous=401)
X_VACANCY = expect(403, owner_x=200, recruiter_x=200, recruiter_y=404, anonymous=401)
CANDIDATES = only(MEMBERS, 200, 403)
STATISTICS = ("country-flows", "region-flows", "regional-balance", "placements-by-month",
              "time-to-placement", "labour-market")  # fmt: skip


def _new_employer(w: World) -> dict[str, Any]:
    return {"name": "ТОО «Новая»", "country": "KZ", "registration_number": "240140099998"}


CASES: list[Case] = [
    # Accounts
    Case("auth-register", "post", "/api/v1/auth/register/", expect(201),
         body=lambda w: {"email": "new@example.am", "password": "yerevan-cascade-2026", "role": "seeker"}),
    Case("auth-token", "post", "/api/v1/auth/token/", expect(201),
         body=lambda w: {"email": A_EMAIL, "password": PASSWORD}, may_see_a=ROLES),
    Case("auth-token-current", "delete", "/api/v1/auth/token/current/", expect(204, anonymous=401)),
    Case("auth-tokens", "get", "/api/v1/auth/tokens/", SIGNED_IN),
    Case("auth-tokens", "delete", "/api/v1/auth/tokens/", SIGNED_IN),
    Case("auth-token-detail", "delete", "/api/v1/auth/tokens/{a_token}/", expect(404, seeker_a=204, anonymous=401)),
    Case("auth-me", "get", "/api/v1/auth/me/", SIGNED_IN),
    Case("auth-me", "patch", "/api/v1/auth/me/", SIGNED_IN, body=lambda w: {"preferred_language": "ru"}),
    # Reference data: public
    Case("cefr-levels", "get", "/api/v1/cefr-levels/", PUBLIC),
    Case("country-list", "get", "/api/v1/countries/", PUBLIC),
    Case("country-detail", "get", "/api/v1/countries/KZ/", PUBLIC),
    Case("country-regions", "get", "/api/v1/countries/KZ/regions/", PUBLIC),
    Case("region-list", "get", "/api/v1/regions/?country=KG", PUBLIC),
    Case("region-detail", "get", "/api/v1/regions/KZ-62/", PUBLIC),
    Case("currency-list", "get", "/api/v1/currencies/", PUBLIC),
    Case("currency-detail", "get", "/api/v1/currencies/KZT/", PUBLIC),
    Case("language-list", "get", "/api/v1/languages/", PUBLIC),
    Case("language-detail", "get", "/api/v1/languages/ru/", PUBLIC),
    Case("occupation-list", "get", "/api/v1/occupations/", PUBLIC),
    Case("occupation-detail", "get", "/api/v1/occupations/7212/", PUBLIC),
    Case("skill-autocomplete", "get", "/api/v1/skills/autocomplete/?q=weld", PUBLIC),
    Case("skill-detail", "get", "/api/v1/skills/{skill}/", PUBLIC),
    # The seeker's own profile
    Case("profile", "get", "/api/v1/profile/", only(SEEKERS, 200, 403)),
    Case("profile", "patch", "/api/v1/profile/", only(SEEKERS, 200, 403), body=lambda w: {"headline": "Сварщик"}),
    Case("profile", "put", "/api/v1/profile/", only(SEEKERS, 200, 403),
         body=lambda w: {"country": "KZ", "region": None, "citizenships": ["KZ"], "headline": "Сварщик"}),
    Case("profile-cv", "get", "/api/v1/profile/cv/", only(SEEKERS, 200, 403) | {"seeker_b": 404}),
    Case("profile-cv", "post", "/api/v1/profile/cv/", only(SEEKERS, 201, 403), multipart=True,
         body=lambda w: {"file": SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")}),
    Case("profile-cv", "delete", "/api/v1/profile/cv/", only(SEEKERS, 204, 403) | {"seeker_b": 404}),
    Case("profile-consent", "post", "/api/v1/profile/consent/", only(SEEKERS, 200, 403)),
    Case("profile-consent", "delete", "/api/v1/profile/consent/", only(SEEKERS, 200, 403)),
    Case("profile-export", "get", "/api/v1/profile/export/", only(SEEKERS, 200, 403)),
    Case("profile-erase", "post", "/api/v1/profile/erase/", only(SEEKERS, 204, 403), body=lambda w: {"password": PASSWORD}),
    Case("profile-contact-log-list", "get", "/api/v1/profile/contact-log/", only(SEEKERS, 200, 403)),
    *_seeker_rows("profile-skill", "/api/v1/profile/skills/", lambda w: {"skill": w.ids["new_skill"], "level": 3},
                  {"level": 5}, "a_skill"),
    *_seeker_rows("profile-language", "/api/v1/profile/languages/", lambda w: {"language": "en", "level": "B1"},
                  {"level": "C2"}, "a_language"),
    *_seeker_rows("profile-experience", "/api/v1/profile/experience/",
                  lambda w: {"employer_name": "ТОО «Атырау»", "country": "KZ", "start_date": "2015-01-01", "end_date": "2016-01-01"},
                  {"employer_name": "ТОО «Шымкент»"}, "a_experience"),
    *_seeker_rows("profile-education", "/api/v1/profile/education/",
                  lambda w: {"level": 4, "field_of_study": "Сварка", "institution": "Колледж", "country": "KZ", "year": 2010},
                  {"year": 2011}, "a_education"),
    *_seeker_rows("profile-work-right", "/api/v1/profile/work-rights/",
                  lambda w: {"country": "RU", "kind": "residence_permit", "valid_until": in_days(200).isoformat()},
                  {"kind": "work_permit"}, "a_work_right"),
    # Employers
    Case("invitation-accept", "post", "/api/v1/invitations/accept/", expect(400, anonymous=401),
         body=lambda w: {"token": "no-such-invitation-code"}),
    Case("employer-list", "get", "/api/v1/employers/", SIGNED_IN),
    Case("employer-list", "post", "/api/v1/employers/", expect(403, owner_x=409, recruiter_x=409, recruiter_y=409, anonymous=401),
         body=_new_employer),
    Case("employer-detail", "get", "/api/v1/employers/{x}/", X_OBJECT_READ),
    Case("employer-detail", "patch", "/api/v1/employers/{x}/", X_OWNER_ONLY, body=lambda w: {"address": "Атырау"}),
    Case("employer-detail", "put", "/api/v1/employers/{x}/", X_OWNER_ONLY,
         body=lambda w: {"name": "ТОО «Каспий Сервис»", "country": "KZ", "registration_number": w.ids["x_registration"]}),
    Case("employer-members", "get", "/api/v1/employers/{x}/members/", X_OBJECT_READ),
    Case("employer-member-detail", "delete", "/api/v1/employers/{x}/members/{member_recruiter_x}/",
         X_OWNER_ONLY | {"owner_x": 204}),
    Case("employer-invitations", "get", "/api/v1/employers/{x}/invitations/", X_OWNER_ONLY),
    Case("employer-invitations", "post", "/api/v1/employers/{x}/invitations/", X_OWNER_ONLY | {"owner_x": 201},
         body=lambda w: {"email": "new.hr@x.kz", "role": "recruiter"}),
    Case("employer-verify", "post", "/api/v1/employers/{x}/verify/", expect(403, reviewer=200, admin=200, anonymous=401),
         body=lambda w: {"verified": True}),
    # The employer's webhook (X has none: a test or a rotation is a 409 for its members)
    Case("employer-webhook", "get", "/api/v1/employers/{x}/webhook/", X_MEMBERS),
    Case("employer-webhook", "put", "/api/v1/employers/{x}/webhook/", X_OWNER_ONLY,
         body=lambda w: {"url": "https://hooks.example.kz/borderless", "active": True}),
    Case("employer-webhook", "delete", "/api/v1/employers/{x}/webhook/", X_OWNER_ONLY | {"owner_x": 204}),
    Case("employer-webhook-rotate-secret", "post", "/api/v1/employers/{x}/webhook/rotate-secret/",
         X_OWNER_ONLY | {"owner_x": 409}),
    Case("employer-webhook-test", "post", "/api/v1/employers/{x}/webhook/test/",
         X_MEMBERS | {"owner_x": 409, "recruiter_x": 409}),
    Case("employer-webhook-deliveries", "get", "/api/v1/employers/{x}/webhook/deliveries/", X_MEMBERS),
    # The employer's vacancies
    Case("employer-vacancy-list", "get", "/api/v1/employer/vacancies/", only(MEMBERS, 200, 403)),
    Case("employer-vacancy-list", "post", "/api/v1/employer/vacancies/", only(MEMBERS, 201, 403),
         body=lambda w: vacancy_body()),
    Case("employer-vacancy-detail", "get", "/api/v1/employer/vacancies/{vx}/", X_VACANCY),
    Case("employer-vacancy-detail", "patch", "/api/v1/employer/vacancies/{vx_draft}/", X_VACANCY,
         body=lambda w: {"title": "Сварщик 5 разряда"}),
    Case("employer-vacancy-detail", "put", "/api/v1/employer/vacancies/{vx_draft}/", X_VACANCY, body=lambda w: vacancy_body()),
    Case("employer-vacancy-detail", "delete", "/api/v1/employer/vacancies/{vx_draft}/", X_VACANCY | {"owner_x": 204, "recruiter_x": 204}),
    Case("employer-vacancy-publish", "post", "/api/v1/employer/vacancies/{vx_draft}/publish/", X_VACANCY),
    Case("employer-vacancy-pause", "post", "/api/v1/employer/vacancies/{vx}/pause/", X_VACANCY),
    Case("employer-vacancy-resume", "post", "/api/v1/employer/vacancies/{vx}/resume/", X_VACANCY | {"owner_x": 409, "recruiter_x": 409}),
    Case("employer-vacancy-close", "post", "/api/v1/employer/vacancies/{vx}/close/", X_VACANCY),
    Case("employer-vacancy-fill", "post", "/api/v1/employer/vacancies/{vx}/fill/", X_VACANCY),
    Case("employer-vacancy-revisions", "get", "/api/v1/employer/vacancies/{vx}/revisions/", X_VACANCY),
    # Public vacancies
    Case("vacancy-list", "get", "/api/v1/vacancies/", PUBLIC),
    Case("vacancy-detail", "get", "/api/v1/vacancies/{vx}/", PUBLIC),
    # Candidates
    Case("candidate-list", "get", "/api/v1/employer/candidates/", CANDIDATES),
    Case("candidate-detail", "get", "/api/v1/employer/candidates/{profile_a}/", CANDIDATES),
    Case("candidate-contacts", "post", "/api/v1/employer/candidates/{profile_a}/contacts/", CANDIDATES, may_see_a=("seeker_a", *MEMBERS)),
    Case("candidate-cv", "get", "/api/v1/employer/candidates/{profile_a}/cv/", CANDIDATES, may_see_a=("seeker_a", *MEMBERS)),
    # Matches
    Case("profile-match-list", "get", "/api/v1/profile/matches/", only(SEEKERS, 200, 403)),
    Case("profile-match-detail", "get", "/api/v1/profile/matches/{match_a}/", only(SEEKERS, 200, 403) | {"seeker_b": 404}),
    Case("profile-match-status", "post", "/api/v1/profile/matches/{match_a}/status/", only(SEEKERS, 200, 403) | {"seeker_b": 404},
         body=lambda w: {"status": "seen"}),
    Case("employer-vacancy-match-list", "get", "/api/v1/employer/vacancies/{vx}/matches/", X_VACANCY),
    Case("staff-match-explain", "get", "/api/v1/staff/matches/explain/?vacancy={vx}&seeker={profile_a}",
         expect(403, reviewer=200, admin=200, anonymous=401)),
    # Applications: A's invitation from X (applying to vy is new; A may accept or decline)
    Case("profile-application-list", "get", "/api/v1/profile/applications/", only(SEEKERS, 200, 403)),
    Case("profile-application-list", "post", "/api/v1/profile/applications/", only(SEEKERS, 201, 403),
         body=lambda w: {"vacancy": w.ids["vy"], "share_cv": True}),
    Case("profile-application-detail", "get", "/api/v1/profile/applications/{application_a}/",
         only(SEEKERS, 200, 403) | {"seeker_b": 404}),
    Case("profile-application-move", "post", "/api/v1/profile/applications/{application_a}/move/",
         only(SEEKERS, 200, 403) | {"seeker_b": 404}, body=lambda w: {"status": "accepted"}),
    Case("employer-vacancy-application-list", "get", "/api/v1/employer/vacancies/{vx}/applications/", X_VACANCY),
    Case("employer-application-detail", "get", "/api/v1/employer/applications/{application_a}/", X_VACANCY),
    Case("employer-application-move", "post", "/api/v1/employer/applications/{application_a}/move/", X_VACANCY,
         body=lambda w: {"status": "withdrawn"}),
    Case("employer-application-cv", "get", "/api/v1/employer/applications/{application_a}/cv/",
         X_VACANCY | {"owner_x": 404, "recruiter_x": 404}),
    Case("employer-application-invite", "post", "/api/v1/employer/invitations/",
         only(MEMBERS, 201, 403) | {"recruiter_y": 400}, body=lambda w: {"vacancy": w.ids["vx"], "seeker": w.ids["profile_b"]}),
    # Placements: X's hire of C, pending review, with a document
    Case("review-placement-list", "get", "/api/v1/review/placements/", only(STAFF, 200, 403)),
    Case("review-placement-detail", "get", "/api/v1/review/placements/{placement_c}/", only(STAFF, 200, 403)),
    Case("review-placement-approve", "post", "/api/v1/review/placements/{placement_c}/approve/", only(STAFF, 200, 403),
         body=lambda w: {"note": "Проверено"}),
    Case("review-placement-reject", "post", "/api/v1/review/placements/{placement_c}/reject/", only(STAFF, 200, 403),
         body=lambda w: {"reason": "Нет договора"}),
    Case("review-placement-request-info", "post", "/api/v1/review/placements/{placement_c}/request-info/",
         only(STAFF, 200, 403), body=lambda w: {"question": "Где договор?"}),
    Case("review-placement-document", "get", "/api/v1/review/placements/{placement_c}/documents/{placement_doc}/",
         only(STAFF, 200, 403)),
    Case("employer-placement-list", "get", "/api/v1/employer/placements/", only(MEMBERS, 200, 403)),
    Case("employer-placement-detail", "get", "/api/v1/employer/placements/{placement_c}/", X_VACANCY),
    Case("employer-placement-answer", "post", "/api/v1/employer/placements/{placement_c}/answer/",
         X_VACANCY | {"owner_x": 409, "recruiter_x": 409}, body=lambda w: {"answer": "Договор загружен"}),
    Case("employer-placement-documents", "post", "/api/v1/employer/placements/{placement_c}/documents/",
         X_VACANCY | {"owner_x": 201, "recruiter_x": 201}, multipart=True,
         body=lambda w: {"kind": "work_permit", "file": SimpleUploadedFile("permit.png", PNG)}),
    Case("employer-placement-document", "get", "/api/v1/employer/placements/{placement_c}/documents/{placement_doc}/",
         X_VACANCY),
    Case("profile-placement-list", "get", "/api/v1/profile/placements/", only(SEEKERS, 200, 403)),
    # Relocation programmes (read-only) and statistics: public, and exact for reviewers
    Case("relocation-programme-list", "get", "/api/v1/relocation-programmes/", PUBLIC),
    *[Case(f"statistics-{name}", "get", f"/api/v1/statistics/{name}/", PUBLIC) for name in STATISTICS],
    *[Case(f"review-statistics-{name}", "get", f"/api/v1/review/statistics/{name}/", only(STAFF, 200, 403))
      for name in STATISTICS],
    # The inbox and preferences: everyone signed in, their own only
    Case("notification-list", "get", "/api/v1/notifications/", SIGNED_IN),
    Case("notification-unread-count", "get", "/api/v1/notifications/unread-count/", SIGNED_IN),
    Case("notification-read", "post", "/api/v1/notifications/{notification_a}/read/", expect(404, seeker_a=200, anonymous=401)),
    Case("notification-read-all", "post", "/api/v1/notifications/read-all/", SIGNED_IN),
    Case("notification-preferences", "get", "/api/v1/notifications/preferences/", SIGNED_IN),
    Case("notification-preferences", "put", "/api/v1/notifications/preferences/", SIGNED_IN,
         body=lambda w: {"muted_kinds": [], "email_enabled": True, "frequency": "daily", "min_match_score": 60,
                         "max_instant_per_hour": 10, "time_zone": "Asia/Yerevan", "digest_hour": 8, "digest_weekday": 0}),
    # Saved searches: a seeker's own; a visitor's by anyone (no sign-in is read)
    Case("saved-search-list", "get", "/api/v1/saved-searches/", only(SEEKERS, 200, 403)),
    Case("saved-search-list", "post", "/api/v1/saved-searches/", only(SEEKERS, 201, 403),
         body=lambda w: {"name": "Электрики", "filters": {"country": "RU", "employment_type": ["full_time"]}}),
    Case("saved-search-detail", "get", "/api/v1/saved-searches/{search_a}/", only(SEEKERS, 200, 403) | {"seeker_b": 404}),
    Case("saved-search-detail", "patch", "/api/v1/saved-searches/{search_a}/", only(SEEKERS, 200, 403) | {"seeker_b": 404},
         body=lambda w: {"paused": True}),
    Case("saved-search-detail", "delete", "/api/v1/saved-searches/{search_a}/", only(SEEKERS, 204, 403) | {"seeker_b": 404}),
    Case("saved-search-visitor", "post", "/api/v1/saved-searches/visitor/", expect(202, anonymous=202),
         body=lambda w: {"email": "guest@example.am", "name": "Сварщики", "filters": {"country": "KZ"}}),
    # Federation: JobPosting JSON-LD and the feed for anyone; import reports for administrators
    Case("vacancy-jobposting", "get", "/api/v1/vacancies/{vx}/jobposting/", PUBLIC),
    Case("feed-jobpostings", "get", "/api/v1/feeds/jobpostings/", PUBLIC),
    Case("staff-import-run-list", "get", "/api/v1/staff/import-runs/", expect(403, admin=200, anonymous=401)),
    Case("staff-import-run-detail", "get", "/api/v1/staff/import-runs/{import_run}/", expect(403, admin=200, anonymous=401)),
    Case("staff-import-source-list", "get", "/api/v1/staff/import-sources/", expect(403, admin=200, anonymous=401)),
]  # fmt: skip

# What no role may reach, whatever the route.
FORBIDDEN_READS = [
    Case("employer-vacancy-detail", "delete", "/api/v1/employer/vacancies/{vx}/", X_VACANCY | {"owner_x": 409, "recruiter_x": 409}),
    Case("vacancy-detail", "get", "/api/v1/vacancies/{vx_draft}/", expect(404)),
    Case("vacancy-jobposting", "get", "/api/v1/vacancies/{vx_draft}/jobposting/", expect(404)),
    Case("employer-vacancy-detail", "get", "/api/v1/employer/vacancies/{vy}/", expect(403, owner_x=404, recruiter_x=404, recruiter_y=200, anonymous=401)),
    Case("candidate-contacts", "post", "/api/v1/employer/candidates/{profile_b}/contacts/", only(MEMBERS, 403, 403)),
    Case("employer-detail", "get", "/api/v1/employers/{y}/", expect(404, recruiter_y=200, reviewer=200, admin=200, anonymous=401)),
    Case("employer-webhook", "get", "/api/v1/employers/{y}/webhook/", expect(404, recruiter_y=200, reviewer=403, admin=403, anonymous=401)),
    Case("employer-vacancy-match-list", "get", "/api/v1/employer/vacancies/{vy}/matches/",
         expect(403, owner_x=404, recruiter_x=404, recruiter_y=200, anonymous=401)),
    Case("profile-application-list", "post", "/api/v1/profile/applications/", only(SEEKERS, 400, 403),
         body=lambda w: {"vacancy": w.ids["vx_draft"]}),
    Case("profile-application-list", "post", "/api/v1/profile/applications/",
         only(SEEKERS, 201, 403) | {"seeker_a": 409}, body=lambda w: {"vacancy": w.ids["vx"]}),
    Case("employer-application-invite", "post", "/api/v1/employer/invitations/",
         only(MEMBERS, 400, 403) | {"recruiter_y": 201}, body=lambda w: {"vacancy": w.ids["vy"], "seeker": w.ids["profile_a"]}),
    Case("staff-match-explain", "get", "/api/v1/staff/matches/explain/?vacancy={vx}&seeker={profile_b}",
         expect(403, reviewer=200, admin=200, anonymous=401)),
]  # fmt: skip


def _api_routes() -> set[str]:
    def walk(patterns: list[Any], prefix: str) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names |= walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith(
                "api/v1/"
            ):
                names.add(str(pattern.name))
        return names

    return walk(get_resolver().url_patterns, "")


def test_every_api_route_is_in_the_matrix():
    assert _api_routes() == {case.route for case in CASES}


def _methods_of(route: str) -> set[str]:
    return {case.method for case in CASES if case.route == route}


def _client_for(world: World, role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        token = AuthToken.objects.create(user=world.users[role])[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _call(client: APIClient, case: Case, world: World) -> Any:
    path = case.path.format(**world.ids)
    body = case.body(world) if case.body else None
    if case.multipart:
        return getattr(client, case.method)(path, body, format="multipart")
    return getattr(client, case.method)(path, body, format="json")


def _text(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("latin-1")
    return str(response.content.decode())


@pytest.mark.parametrize(
    "case", CASES + FORBIDDEN_READS, ids=lambda c: f"{c.method.upper()} {c.path}"
)
def test_each_role_gets_what_the_matrix_says_and_nothing_leaks(case: Case, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tmp_path)
    failures = []
    for role in ROLES:
        with transaction.atomic():
            response = _call(_client_for(world, role), case, world)
            text = _text(response)
            if response.status_code != case.expected[role]:
                failures.append(
                    f"{role}: {response.status_code} (expected {case.expected[role]}) {text[:200]}"
                )
            if response.status_code == 500:
                failures.append(f"{role}: server error")
            if role not in case.may_see_a:
                for secret in (A_EMAIL, A_NAME, A_PHONE, "%PDF-"):
                    if secret in text and case.route != "profile-cv":
                        failures.append(f"{role}: sees seeker A's {secret!r}")
            if role != "seeker_b" and (B_EMAIL in text or B_NAME in text):
                failures.append(f"{role}: sees anonymous seeker B")
            if role not in EMPLOYER_X and X_DRAFT_TITLE in text:
                failures.append(f"{role}: sees employer X's draft")
            transaction.set_rollback(True)
    assert failures == []


ROUTE_PATHS = {case.route: case.path for case in CASES}


@pytest.mark.parametrize("route", sorted(ROUTE_PATHS))
def test_a_method_the_matrix_does_not_list_is_refused(route: str, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tmp_path)
    unlisted = {"get", "post", "put", "patch", "delete"} - _methods_of(route)
    for method in sorted(unlisted):
        for role in ("seeker_a", "owner_x", "admin"):
            with transaction.atomic():
                case = Case(route, method, ROUTE_PATHS[route], expect(405))
                response = _call(_client_for(world, role), case, world)
                # 429: the sign-up throttle may answer before the method is looked at.
                assert response.status_code in (401, 403, 404, 405, 429), (
                    method,
                    role,
                    response.status_code,
                )
                transaction.set_rollback(True)

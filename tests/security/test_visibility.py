"""Seeker visibility end to end: a profile shown only to employers in Kazakhstan never
reaches a Russian employer, through any door: the candidate search (and its filters),
the candidate's page, contacts and CV, the vacancy's match list, an invitation, the
statistics exports, the e-mails (sent for real into ``mail.outbox``) and the webhook
events (their payloads, exactly as they would be POSTed).

A second seeker, shown to all employers, goes through the same doors and does reach
the Russian employer: the doors are open, only the first seeker is kept out.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role, User
from matching import indexes
from matching import services as match_services
from matching.announce import matches_announce
from matching.models import Kind, Match
from notifications.delivery import delivery_process
from notifications.models import Channel, Delivery, Notification
from notifications.webhooks import webhook_endpoint_set
from seekers import services as seeker_services
from seekers.models import SeekerProfile, Visibility
from tests.factories import EmployerFactory, MemberFactory, UserFactory
from tests.seekers.factories import make_profile, pdf_bytes
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.django_db

KZ_ONLY = ("Сания Казахстанова", "sania@example.kz", "77015559911", "Сварщик для Казахстана")
FOR_ALL = ("Тимур Всемвидимый", "timur@example.kg", "996555123456", "Сварщик для всех")


def _seeker(name: str, email: str, phone: str, headline: str, **visibility: Any) -> SeekerProfile:
    user = UserFactory.create(email=email, full_name=name, role=Role.SEEKER)
    profile = make_profile(
        user, phone=f"+{phone}", headline=headline, mobility_scope="eaeu", **visibility
    )
    seeker_services.cv_upload(
        profile=profile, file=SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")
    )
    return profile


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _mentions(text: str, secret: str) -> bool:
    """``secret`` in ``text``; a "#12" reference only as itself (not "#123", "#1b2430")."""
    if secret.startswith("#"):
        return re.search(re.escape(secret) + r"(?![0-9A-Za-z])", text) is not None
    return secret in text


def _text(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return str(response.getvalue().decode("latin-1"))
    return str(response.content.decode())


def test_a_profile_shown_only_in_kazakhstan_never_reaches_a_russian_employer(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    x = EmployerFactory.create(name="ТОО «Каспий»", country_id="KZ")
    y = EmployerFactory.create(
        name="ООО «Тюмень»", country_id="RU", registration_number="1027700132195"
    )
    owner_x = MemberFactory.create(employer=x, role="owner", user__email="owner@x.kz").user
    owner_y = MemberFactory.create(employer=y, role="owner", user__email="owner@y.ru").user
    recruiter_y = MemberFactory.create(employer=y, role="recruiter", user__email="hr@y.ru").user
    webhook_endpoint_set(employer_id=y.pk, by=owner_y, url="https://hooks.example.ru/in")
    webhook_endpoint_set(employer_id=x.pk, by=owner_x, url="https://hooks.example.kz/in")
    kz_only = _seeker(*KZ_ONLY, visibility=Visibility.COUNTRIES, visible_in=("KZ",))
    for_all = _seeker(*FOR_ALL, visibility=Visibility.ALL_EMPLOYERS)
    vx = post_vacancy(by=owner_x, title="Сварщик в Атырау")
    vy = post_vacancy(by=owner_y, title="Сварщик в Сургуте", country="RU", region="RU-KHM")

    # Matching and its announcements (in-app, e-mail, webhooks), as the workers do them.
    indexes.registry.forget()
    with django_capture_on_commit_callbacks(execute=False):
        for vacancy in (vx, vy):
            match_services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)
        matches = Match.objects.filter(vacancy__in=(vx, vy))
        # the engine pairs both seekers with both vacancies: visibility must do the work
        pairs = set(matches.values_list("vacancy_id", "seeker_id"))
        assert pairs >= {(v.pk, s.pk) for v in (vx, vy) for s in (kz_only, for_all)}
        matches_announce(match_ids=list(matches.values_list("pk", flat=True)))
    mail.outbox.clear()
    for delivery in Delivery.objects.filter(channel=Channel.EMAIL):
        delivery_process(delivery.pk)

    hidden = [*KZ_ONLY, f"#{kz_only.pk}"]
    shown = [*FOR_ALL[:1], FOR_ALL[3], f"#{for_all.pk}"]

    # --- what the Russian employer's members get through the API -------------------
    for member in (owner_y, recruiter_y):
        api = _client(member)
        search = [
            api.get("/api/v1/employer/candidates/"),
            api.get("/api/v1/employer/candidates/", {"country": "KZ"}),
            api.get("/api/v1/employer/candidates/", {"q": "Сварщик"}),
            api.get("/api/v1/employer/candidates/", {"vacancy": vy.pk}),
        ]
        for response in search:
            assert response.status_code == 200, _text(response)
            ids = {row["id"] for row in response.json()["results"]}
            assert kz_only.pk not in ids
        assert for_all.pk in {row["id"] for row in search[0].json()["results"]}

        for path in ("", "contacts/", "cv/"):
            url = f"/api/v1/employer/candidates/{kz_only.pk}/{path}"
            response = api.post(url) if path == "contacts/" else api.get(url)
            assert response.status_code == 404, (url, response.status_code)
        assert api.get(f"/api/v1/employer/candidates/{for_all.pk}/").status_code == 200

        matched = api.get(f"/api/v1/employer/vacancies/{vy.pk}/matches/")
        assert matched.status_code == 200
        matched_ids = {json.dumps(row) for row in matched.json()["results"]}
        assert not any(f'"id": {kz_only.pk}' in row for row in matched_ids if '"seeker' in row)
        texts = [_text(r) for r in (*search, matched)]
        texts += [
            _text(api.get(f"/api/v1/employer/vacancies/{vy.pk}/")),
            _text(api.get("/api/v1/employer/vacancies/")),
            _text(api.get("/api/v1/notifications/")),
            _text(api.get("/api/v1/notifications/unread-count/")),
            _text(api.get("/api/v1/statistics/labour-market/", {"format": "csv"})),
            _text(api.get(f"/api/v1/employers/{y.pk}/webhook/deliveries/")),
        ]
        for text in texts:
            for secret in hidden:
                assert not _mentions(text, secret), (member.email, secret)
        invited = api.post(
            "/api/v1/employer/invitations/", {"vacancy": vy.pk, "seeker": kz_only.pk}
        )
        assert invited.status_code in (400, 404), invited.status_code

    # --- what the Russian employer is told: in-app, e-mail, webhook -----------------
    y_members = {owner_y.pk, recruiter_y.pk}
    told_y = " ".join(
        f"{n.title} {n.body} {json.dumps(n.data, ensure_ascii=False)}"
        for n in Notification.objects.filter(recipient_id__in=y_members)
    )
    mail_to_y = " ".join(
        f"{m.subject} {m.body} {' '.join(str(a[0]) for a in getattr(m, 'alternatives', []))}"
        for m in mail.outbox
        if set(m.to) & {owner_y.email, recruiter_y.email}
    )
    hooks_to_y = [d.payload for d in Delivery.objects.filter(endpoint__employer_id=y.pk)]
    assert mail_to_y and hooks_to_y  # the Russian employer is told about someone
    for secret in hidden:
        assert not _mentions(told_y, secret) and not _mentions(mail_to_y, secret), secret
    assert kz_only.pk not in {p["candidate"]["id"] for p in hooks_to_y if "candidate" in p}
    assert for_all.pk in {p["candidate"]["id"] for p in hooks_to_y if "candidate" in p}
    assert any(_mentions(mail_to_y, s) for s in shown)

    # --- the Kazakh employer, for contrast, is told about both --------------------------
    hooks_to_x = [d.payload for d in Delivery.objects.filter(endpoint__employer_id=x.pk)]
    assert {kz_only.pk, for_all.pk} <= {p["candidate"]["id"] for p in hooks_to_x}
    mail_to_x = " ".join(str(m.body) for m in mail.outbox if owner_x.email in m.to)
    assert _mentions(mail_to_x, f"#{kz_only.pk}") or KZ_ONLY[3] in mail_to_x
    found_by_x = _client(owner_x).get("/api/v1/employer/candidates/").json()["results"]
    assert kz_only.pk in {row["id"] for row in found_by_x}

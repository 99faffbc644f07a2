"""Saved searches: a seeker's through the API, a visitor's after confirming the address,
the alerts of new vacancies (once each), and the no-login links in their e-mails."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from notifications.models import Channel, Delivery, Kind, Notification
from tests.vacancies.factories import post_vacancy
from vacancies import saved_searches, tasks
from vacancies.models import SavedSearch

pytestmark = pytest.mark.django_db

WELDERS_IN_KZ = {"country": "KZ", "occupation": "7212"}


def later() -> Any:
    """A run's time, once what was just published has settled."""
    return timezone.now() + saved_searches.SETTLE + timedelta(seconds=1)


def fresh(saved: SavedSearch) -> SavedSearch:
    return SavedSearch.objects.get(pk=saved.pk)


def alerts() -> list[Notification]:
    return list(Notification.objects.filter(kind=Kind.SAVED_SEARCH_ALERT).order_by("id"))


@pytest.fixture
def as_seeker(api: APIClient, seeker: User) -> APIClient:
    api.force_authenticate(seeker)
    return api


def save(client: APIClient, filters: dict[str, Any], name: str = "Сварщики") -> SavedSearch:
    response = client.post("/api/v1/saved-searches/", {"name": name, "filters": filters})
    assert response.status_code == 201, response.json()
    return SavedSearch.objects.get(pk=response.json()["id"])


# --- A seeker's saved searches -----------------------------------------------------


def test_a_seeker_saves_a_search_and_lists_only_their_own(
    as_seeker: APIClient, seeker: User, other_seeker: User
):
    saved_searches.saved_search_create(by=other_seeker, name="Чужой", filters={})

    saved = save(
        as_seeker, {"country": "KZ", "remote": False, "employment_type": ["rotational"]}, "Вахта"
    )
    listed = as_seeker.get("/api/v1/saved-searches/").json()["results"]

    assert saved.user == seeker
    assert saved.filters == {"country": "KZ", "remote": "false", "employment_type": ["rotational"]}
    assert [item["name"] for item in listed] == ["Вахта"]
    assert listed[0]["paused"] is False


@pytest.mark.parametrize(
    ("filters", "at_fault"),
    [
        ({"country": "XX"}, "country"),
        ({"occupation": "72a"}, "occupation"),
        ({"skills": "999999"}, "skills"),
        ({"salary_min": 300000}, "salary_currency"),
        ({"remote": "maybe"}, "remote"),
        ({"employment_type": ["forever"]}, "employment_type"),
        ({"colour": "blue"}, "colour"),
        ({"ordering": "salary"}, "ordering"),
        ({"country": {"code": "KZ"}}, "country"),
    ],
)
def test_saving_with_invalid_filters_answers_400_with_the_parameters_message(
    as_seeker: APIClient, filters: dict[str, Any], at_fault: str
):
    response = as_seeker.post("/api/v1/saved-searches/", {"name": "Плохой", "filters": filters})

    assert response.status_code == 400
    assert list(response.json()) == ["filters"]
    assert at_fault in response.json()["filters"]
    assert not SavedSearch.objects.exists()


def test_only_a_seeker_saves_searches(api: APIClient, owner: User):
    api.force_authenticate(owner)

    assert api.post("/api/v1/saved-searches/", {"name": "x", "filters": {}}).status_code == 403


def test_patch_renames_pauses_and_resumes(as_seeker: APIClient, seeker: User):
    saved = save(as_seeker, WELDERS_IN_KZ)
    path = f"/api/v1/saved-searches/{saved.pk}/"

    paused = as_seeker.patch(path, {"paused": True, "name": "  Сварщики   KZ "})
    saved.refresh_from_db()
    assert paused.status_code == 200
    assert (saved.paused, saved.name) == (True, "Сварщики KZ")
    assert saved.filters == WELDERS_IN_KZ

    resumed = as_seeker.patch(path, {"paused": False})
    saved.refresh_from_db()
    assert resumed.status_code == 200
    assert saved.paused is False


def test_someone_elses_saved_search_is_not_found(as_seeker: APIClient, other_seeker: User):
    theirs = saved_searches.saved_search_create(by=other_seeker, name="Чужой", filters={})

    assert (
        as_seeker.patch(f"/api/v1/saved-searches/{theirs.pk}/", {"paused": True}).status_code == 404
    )
    assert as_seeker.delete(f"/api/v1/saved-searches/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.paused is False


def test_delete_removes_the_search(as_seeker: APIClient):
    saved = save(as_seeker, WELDERS_IN_KZ)

    assert as_seeker.delete(f"/api/v1/saved-searches/{saved.pk}/").status_code == 204
    assert not SavedSearch.objects.exists()


# --- Alerts ------------------------------------------------------------------------


def test_a_new_matching_vacancy_is_alerted_once(as_seeker: APIClient, seeker: User, owner: User):
    saved = save(as_seeker, WELDERS_IN_KZ)
    vacancy = post_vacancy(by=owner, title="Сварщик на Тенгиз")

    made = saved_searches.saved_searches_alert(now=later())
    again = saved_searches.saved_searches_alert(now=later())

    assert (made, again) == (1, 0)
    [alert] = alerts()
    assert alert.recipient == seeker
    assert alert.idempotency_key.startswith(f"saved-search:{saved.pk}:{vacancy.pk}:")
    assert alert.data["search_name"] == "Сварщики"
    assert alert.data["vacancies"] == [
        {
            "title": "Сварщик на Тенгиз",
            "employer_name": vacancy.employer.name,
            "region_name": vacancy.region.name_en,
            "link": f"/vacancies/{vacancy.pk}/",
        }
    ]
    assert alert.data["manage_link"] == saved_searches.saved_search_manage_path(saved)
    assert "Сварщик на Тенгиз" in alert.body
    saved.refresh_from_db()
    assert (saved.mark_vacancy_id, saved.mark_published_at) == (vacancy.pk, vacancy.published_at)


def test_the_next_run_tells_only_what_is_newer(as_seeker: APIClient, owner: User):
    save(as_seeker, WELDERS_IN_KZ)
    post_vacancy(by=owner, title="Первый")
    saved_searches.saved_searches_alert(now=later())
    post_vacancy(by=owner, title="Второй")

    assert saved_searches.saved_searches_alert(now=later()) == 1

    assert [[v["title"] for v in a.data["vacancies"]] for a in alerts()] == [["Первый"], ["Второй"]]


def test_a_vacancy_that_does_not_match_is_not_alerted(as_seeker: APIClient, owner: User):
    save(as_seeker, {"country": "KZ", "occupation": "2512"})
    post_vacancy(by=owner, title="Сварщик")

    assert saved_searches.saved_searches_alert(now=later()) == 0
    assert alerts() == []


def test_a_vacancy_published_before_the_search_is_not_alerted(as_seeker: APIClient, owner: User):
    post_vacancy(by=owner, title="Старая")
    save(as_seeker, WELDERS_IN_KZ)

    assert saved_searches.saved_searches_alert(now=later()) == 0


def test_a_vacancy_not_yet_settled_waits_for_the_next_run(as_seeker: APIClient, owner: User):
    save(as_seeker, WELDERS_IN_KZ)
    post_vacancy(by=owner)

    assert saved_searches.saved_searches_alert(now=timezone.now()) == 0
    assert saved_searches.saved_searches_alert(now=later()) == 1


def test_a_paused_search_gets_no_alert(as_seeker: APIClient, owner: User):
    saved = save(as_seeker, WELDERS_IN_KZ)
    as_seeker.patch(f"/api/v1/saved-searches/{saved.pk}/", {"paused": True})
    post_vacancy(by=owner)

    assert saved_searches.saved_searches_alert(now=later()) == 0
    assert alerts() == []


def test_an_alert_holds_the_newest_few_and_says_there_are_more(
    as_seeker: APIClient, owner: User, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(saved_searches, "ALERT_SIZE", 2)
    saved = save(as_seeker, WELDERS_IN_KZ)
    newest = [post_vacancy(by=owner, title=t) for t in ("Первая", "Вторая", "Третья")][-1]

    saved_searches.saved_searches_alert(now=later())

    [alert] = alerts()
    assert [v["title"] for v in alert.data["vacancies"]] == ["Третья", "Вторая"]
    assert alert.data["more"] is True
    saved.refresh_from_db()
    assert saved.mark_vacancy_id == newest.pk
    assert saved_searches.saved_searches_alert(now=later()) == 0


def test_the_alert_reads_the_same_number_of_queries_however_many_vacancies(
    as_seeker: APIClient, seeker: User, owner: User
):
    save(as_seeker, WELDERS_IN_KZ)
    post_vacancy(by=owner)
    with CaptureQueriesContext(connection) as one:
        saved_searches.saved_searches_alert(now=later())
    for _ in range(4):
        post_vacancy(by=owner)
    with CaptureQueriesContext(connection) as four:
        saved_searches.saved_searches_alert(now=later())

    assert len(alerts()) == 2
    assert len(four) == len(one)


def test_a_search_whose_query_fails_does_not_stop_the_others(
    as_seeker: APIClient, owner: User, monkeypatch: pytest.MonkeyPatch
):
    broken = save(as_seeker, WELDERS_IN_KZ, "Сломанный")
    working = save(as_seeker, WELDERS_IN_KZ, "Рабочий")
    post_vacancy(by=owner)
    real = saved_searches._new_vacancies

    def failing_for_one(saved_search: SavedSearch, **kwargs: Any) -> Any:
        if saved_search.pk == broken.pk:
            raise DatabaseError("canceling statement due to statement timeout")
        return real(saved_search, **kwargs)

    monkeypatch.setattr(saved_searches, "_new_vacancies", failing_for_one)

    assert saved_searches.saved_searches_alert(now=later()) == 1
    assert [a.subject_id for a in alerts()] == [working.pk]
    assert fresh(broken).mark_vacancy_id == 0


def test_the_task_runs_the_alerts(as_seeker: APIClient, owner: User, monkeypatch):
    save(as_seeker, WELDERS_IN_KZ)
    post_vacancy(by=owner)
    monkeypatch.setattr(saved_searches, "SETTLE", timedelta(0))

    assert tasks.saved_search_alerts.run() == 1


# --- The links without login -------------------------------------------------------


def test_the_link_in_an_alert_pauses_and_deletes_without_login(
    client: Client, as_seeker: APIClient, owner: User
):
    saved = save(as_seeker, WELDERS_IN_KZ)
    post_vacancy(by=owner)
    saved_searches.saved_searches_alert(now=later())
    manage = alerts()[0].data["manage_link"]
    token = manage.rstrip("/").rsplit("/", 1)[-1]

    assert client.get(manage).status_code == 200
    assert client.get(reverse("saved_searches:pause", args=[token])).status_code == 200
    assert fresh(saved).paused is False  # a GET only asks

    response = client.post(reverse("saved_searches:pause", args=[token]))
    assert response.status_code == 302
    assert fresh(saved).paused is True

    client.post(reverse("saved_searches:resume", args=[token]))
    assert fresh(saved).paused is False

    assert client.post(reverse("saved_searches:delete", args=[token])).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert client.get(manage).status_code == 404


def test_a_forged_link_does_nothing(client: Client, seeker: User, other_seeker: User):
    mine = saved_searches.saved_search_create(by=seeker, name="Мой", filters={})
    theirs = saved_searches.saved_search_create(by=other_seeker, name="Чужой", filters={})
    token = saved_searches.saved_search_manage_token(mine)
    payload, signature = token.rsplit(":", 1)
    forged = [
        f"{theirs.pk}.{mine.link_key}:{signature}",  # another id under my signature
        f"{payload}:{'A' * len(signature)}",  # a made-up signature
        f"{theirs.pk}.{theirs.link_key}",  # the key without a signature (a leaked table)
        saved_searches.saved_search_confirm_token(theirs),  # a token for another purpose
    ]

    for token in forged:
        assert client.post(reverse("saved_searches:delete", args=[token])).status_code == 404
        assert client.post(reverse("saved_searches:pause", args=[token])).status_code == 404

    theirs.refresh_from_db()
    assert theirs.paused is False


# --- A visitor's saved search ------------------------------------------------------


def test_a_visitors_search_alerts_only_after_the_address_is_confirmed(
    api: APIClient, client: Client, owner: User, django_capture_on_commit_callbacks: Any
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/saved-searches/visitor/",
            {"email": "Guest@Example.kz", "name": "Сварщики", "filters": WELDERS_IN_KZ},
            HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9",
        )
    assert response.status_code == 202, response.json()
    saved = SavedSearch.objects.get()
    assert (saved.email, saved.user, saved.language, saved.confirmed_at) == (
        "guest@example.kz",
        None,
        "ru",
        None,
    )
    [confirmation] = mail.outbox
    assert confirmation.to == ["guest@example.kz"]
    link = re.search(r"https?://\S+", str(confirmation.body))
    assert link is not None
    confirm = "/" + link.group(0).split("/", 3)[3]

    post_vacancy(by=owner)
    assert saved_searches.saved_searches_alert(now=later()) == 0

    assert client.get(confirm).status_code == 200
    assert fresh(saved).confirmed_at is None  # a GET (a mail scanner) confirms nothing
    assert client.post(confirm).status_code == 302
    assert fresh(saved).confirmed_at is not None

    assert saved_searches.saved_searches_alert(now=later()) == 1
    [alert] = alerts()
    assert (alert.recipient, alert.email, alert.language) == (None, "guest@example.kz", "ru")
    assert Delivery.objects.filter(notification=alert, channel=Channel.EMAIL).exists()
    assert saved_searches.saved_searches_alert(now=later()) == 0


def test_a_visitors_search_with_bad_filters_is_refused(api: APIClient):
    response = api.post(
        "/api/v1/saved-searches/visitor/",
        {"email": "guest@example.kz", "name": "x", "filters": {"country": "XX"}},
    )

    assert response.status_code == 400
    assert "country" in response.json()["filters"]
    assert mail.outbox == []


def test_an_address_gets_few_unconfirmed_searches(api: APIClient):
    body = {"email": "victim@example.kz", "name": "x", "filters": {}}
    answers = [
        api.post("/api/v1/saved-searches/visitor/", body).status_code
        for _ in range(saved_searches.MAX_UNCONFIRMED_PER_ADDRESS + 1)
    ]

    assert answers[-1] == 400
    assert SavedSearch.objects.count() == saved_searches.MAX_UNCONFIRMED_PER_ADDRESS


def test_the_visitor_endpoint_is_throttled(api: APIClient, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"saved_search_visitor": "2/hour"}
    }
    answers = [
        api.post(
            "/api/v1/saved-searches/visitor/",
            {"email": f"guest{n}@example.kz", "name": "x", "filters": {}},
        ).status_code
        for n in range(3)
    ]

    assert answers == [202, 202, 429]


def test_an_unconfirmed_search_is_forgotten_after_a_week(api: APIClient):
    api.post(
        "/api/v1/saved-searches/visitor/", {"email": "guest@example.kz", "name": "x", "filters": {}}
    )

    saved_searches.saved_searches_alert(now=timezone.now() + timedelta(days=8))

    assert not SavedSearch.objects.exists()


def test_an_expired_confirmation_link_confirms_nothing(client: Client, monkeypatch):
    saved = saved_searches.saved_search_create_for_visitor(
        email="guest@example.kz", name="x", filters={}, language="en"
    )
    path = saved_searches.saved_search_confirm_path(saved)
    monkeypatch.setattr(saved_searches, "CONFIRM_WITHIN", timedelta(seconds=-1))

    assert client.post(path).status_code == 404
    saved.refresh_from_db()
    assert saved.confirmed_at is None

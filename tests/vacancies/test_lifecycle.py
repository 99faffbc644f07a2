"""draft → published ↔ paused → closed | filled, revisions, and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from tests.vacancies.factories import in_days, post_vacancy, skill
from vacancies import services, tasks
from vacancies.models import Vacancy, VacancyRevision

pytestmark = pytest.mark.django_db

LIST = "/api/v1/employer/vacancies/"


def act(client, vacancy: Vacancy, action: str):
    return client.post(f"{LIST}{vacancy.pk}/{action}/", format="json")


def test_publishing_a_draft_makes_it_public_and_records_revision_one(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, publish=False)

    response = act(as_user(recruiter), vacancy, "publish")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    vacancy.refresh_from_db()
    assert vacancy.status == "published" and vacancy.published_at is not None
    revision = VacancyRevision.objects.get(vacancy=vacancy)
    assert (revision.number, revision.changed_by) == (1, recruiter)
    assert revision.snapshot["occupation"] == "7212"
    assert revision.snapshot["skills"] == [
        {"skill": skill("welding").pk, "min_level": 3, "required": True}
    ]
    assert as_user(None).get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("path", "final"),
    [
        (["publish", "pause", "resume", "close"], "closed"),
        (["publish", "pause", "close"], "closed"),
        (["publish", "fill"], "filled"),
        (["publish", "pause", "fill"], "filled"),
        (["publish", "pause", "resume", "pause", "resume"], "published"),
    ],
)
def test_allowed_transitions(as_user, owner: User, path, final):
    vacancy = post_vacancy(by=owner, publish=False)
    client = as_user(owner)

    for action in path:
        response = act(client, vacancy, action)
        assert response.status_code == 200, (action, response.content)

    vacancy.refresh_from_db()
    assert vacancy.status == final


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "pause"),
        ([], "resume"),
        ([], "close"),
        ([], "fill"),
        (["publish"], "publish"),
        (["publish"], "resume"),
        (["publish", "pause"], "pause"),
        (["publish", "pause"], "publish"),
        (["publish", "close"], "publish"),
        (["publish", "close"], "resume"),
        (["publish", "close"], "fill"),
        (["publish", "fill"], "close"),
        (["publish", "fill"], "pause"),
    ],
)
def test_forbidden_transitions_are_a_conflict(as_user, recruiter: User, path, refused):
    vacancy = post_vacancy(by=recruiter, publish=False)
    client = as_user(recruiter)
    for action in path:
        act(client, vacancy, action)
    vacancy.refresh_from_db()
    before = vacancy.status

    response = act(client, vacancy, refused)

    assert response.status_code == 409
    assert "status" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.status == before


@pytest.mark.parametrize("final", ["close", "fill"])
def test_a_closed_or_filled_vacancy_can_no_longer_be_edited(as_user, recruiter: User, final):
    vacancy = post_vacancy(by=recruiter)
    client = as_user(recruiter)
    act(client, vacancy, final)

    response = client.patch(f"{LIST}{vacancy.pk}/", {"title": "Снова"}, format="json")

    assert response.status_code == 409
    vacancy.refresh_from_db()
    assert vacancy.title == "Сварщик"


def test_publishing_needs_a_required_skill(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, publish=False, skills=[("welding", 3, False)])

    response = act(as_user(recruiter), vacancy, "publish")

    assert response.status_code == 400
    assert "skills" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.status == "draft"


@pytest.mark.parametrize("expires_on", [None, "yesterday"])
def test_publishing_refuses_a_vacancy_without_a_future_last_day(
    as_user, recruiter: User, expires_on
):
    last_day = in_days(-1) if expires_on else None
    vacancy = post_vacancy(by=recruiter, publish=False, expires_on=last_day)

    response = act(as_user(recruiter), vacancy, "publish")

    assert response.status_code == 400
    assert "expires_on" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.status == "draft" and not vacancy.revisions.exists()


def test_a_vacancy_whose_last_day_is_today_can_be_published(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, publish=False, expires_on=timezone.localdate())
    assert act(as_user(recruiter), vacancy, "publish").status_code == 200


def test_a_remote_vacancy_needs_its_countries_before_publishing(as_user, recruiter: User):
    vacancy = post_vacancy(
        by=recruiter,
        publish=False,
        work_mode="remote",
        occupation="2512",
        skills=[("python", 4, True)],
    )

    response = act(as_user(recruiter), vacancy, "publish")

    assert response.status_code == 400
    assert "remote_countries" in response.json()


def test_resuming_a_vacancy_past_its_last_day_is_refused(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter)
    act(as_user(recruiter), vacancy, "pause")
    Vacancy.objects.filter(pk=vacancy.pk).update(expires_on=in_days(-1))

    response = act(as_user(recruiter), vacancy, "resume")

    assert response.status_code == 400
    assert "expires_on" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.status == "paused"


def test_an_edit_of_what_matching_uses_records_a_new_revision(as_user, recruiter: User):
    vacancy = post_vacancy(
        by=recruiter, salary_min=400000, salary_max=500000, salary_currency_id="KZT"
    )
    client = as_user(recruiter)

    response = client.patch(
        f"{LIST}{vacancy.pk}/",
        {
            "salary_max": "650000.00",
            "skills": [{"skill": skill("pipe-welding").pk, "min_level": 4}],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 2
    vacancy.refresh_from_db()
    assert vacancy.revision == 2
    first, second = VacancyRevision.objects.filter(vacancy=vacancy).order_by("number")
    assert first.snapshot["salary_max"] == "500000.00"
    assert second.snapshot["salary_max"] == "650000.00"
    assert second.snapshot["skills"] == [
        {"skill": skill("pipe-welding").pk, "min_level": 4, "required": True}
    ]
    assert second.changed_by == recruiter

    listed = client.get(f"{LIST}{vacancy.pk}/revisions/").json()
    assert [r["number"] for r in listed] == [1, 2]


def test_an_edit_that_matching_does_not_see_keeps_the_revision(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, salary_min=400000, salary_currency_id="KZT")

    response = as_user(recruiter).patch(
        f"{LIST}{vacancy.pk}/",
        # the same salary written differently, a new title and a later last day
        {
            "title": "Сварщик 6 разряда",
            "salary_min": "400000",
            "expires_on": in_days(60).isoformat(),
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    vacancy.refresh_from_db()
    assert vacancy.revision == 1 and vacancy.title == "Сварщик 6 разряда"
    assert VacancyRevision.objects.filter(vacancy=vacancy).count() == 1


def test_edits_of_a_draft_record_no_revision(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, publish=False)

    as_user(recruiter).patch(f"{LIST}{vacancy.pk}/", {"region": "KZ-47"}, format="json")

    vacancy.refresh_from_db()
    assert vacancy.region_id == "KZ-47" and vacancy.revision == 1
    assert not vacancy.revisions.exists()


def test_a_published_vacancy_cannot_move_its_last_day_into_the_past(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter)

    response = as_user(recruiter).patch(
        f"{LIST}{vacancy.pk}/", {"expires_on": in_days(-3).isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "expires_on" in response.json()


def test_close_expired_closes_exactly_the_expired(owner: User):
    def live(status: str, last_day_in: int) -> Vacancy:
        vacancy = post_vacancy(by=owner, title=f"{status} {last_day_in}")
        if status == "paused":
            services.vacancy_pause(vacancy=vacancy, by=owner)
        if status == "filled":
            services.vacancy_mark_filled(vacancy=vacancy, by=owner)
        Vacancy.objects.filter(pk=vacancy.pk).update(expires_on=in_days(last_day_in))
        return vacancy

    expired = [live("published", -1), live("published", -40), live("paused", -2)]
    kept = [live("published", 0), live("published", 5), live("paused", 1), live("filled", -5)]
    draft = post_vacancy(by=owner, publish=False, expires_on=in_days(-10))

    assert tasks.close_expired() == 3

    status = dict(Vacancy.objects.values_list("pk", "status"))
    assert [status[v.pk] for v in expired] == ["closed", "closed", "closed"]
    assert [status[v.pk] for v in kept] == ["published", "published", "paused", "filled"]
    assert status[draft.pk] == "draft"
    assert services.vacancies_close_expired() == 0  # a second run finds nothing


def test_close_expired_counts_days_where_the_platform_runs(owner: User):
    vacancy = post_vacancy(by=owner)
    Vacancy.objects.filter(pk=vacancy.pk).update(expires_on=in_days(0))

    assert services.vacancies_close_expired(today=in_days(0)) == 0
    assert services.vacancies_close_expired(today=in_days(0) + timedelta(days=1)) == 1

"""Applications through the API: a seeker applies or answers an invitation, the
employer works the pipeline and hires; the contacts reach the employer only while the
seeker shares them, and the other side is told of every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from matching.api_applications import ApplicationFilter
from matching.models import Application, ApplicationEvent, ApplicationStatus, Placement
from notifications.models import Kind, Notification
from seekers import services as seeker_services
from seekers.models import ContactAccess, SeekerProfile, Visibility
from tests.factories import UserFactory
from tests.seekers.factories import make_profile, pdf_bytes
from tests.vacancies.factories import in_days, post_vacancy
from vacancies import services as vacancy_services
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db
S = ApplicationStatus

MINE = "/api/v1/profile/applications/"
INVITE = "/api/v1/employer/invitations/"
EMAIL, NAME, PHONE = "seeker.a@example.kz", "Айгерим Нурланова", "+77015551234"


def pipeline(vacancy: Vacancy) -> str:
    return f"/api/v1/employer/vacancies/{vacancy.pk}/applications/"


def theirs(application_id: int, tail: str = "") -> str:
    return f"/api/v1/employer/applications/{application_id}/{tail}"


def mine(application_id: int, tail: str = "") -> str:
    return f"{MINE}{application_id}/{tail}"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def profile(seeker: User) -> SeekerProfile:
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    seeker_services.cv_upload(
        profile=profile, file=SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")
    )
    return profile


@pytest.fixture
def vacancy(owner: User, recruiter: User) -> Vacancy:
    return post_vacancy(by=owner, title="Сварщик на вахту")


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def apply(api: APIClient, seeker: User, vacancy: Vacancy, **body: Any) -> dict[str, Any]:
    api.force_authenticate(seeker)
    response = api.post(MINE, {"vacancy": vacancy.pk, **body})
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def invite(api: APIClient, by: User, vacancy: Vacancy, profile: SeekerProfile) -> dict[str, Any]:
    api.force_authenticate(by)
    response = api.post(
        INVITE, {"vacancy": vacancy.pk, "seeker": profile.pk, "note": "Приглашаем на вахту"}
    )
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def move(api: APIClient, url: str, to: str, **body: Any) -> Any:
    return api.post(url, {"status": to, **body})


def told(user: User) -> list[tuple[str, int | None]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "subject_id")
    )


def shows_identity(text: str) -> bool:
    return any(secret in text for secret in (EMAIL, NAME, PHONE))


# --- Applying -----------------------------------------------------------------------


def test_a_seeker_applies_and_the_employer_sees_the_name_and_contacts(
    api: APIClient, seeker: User, owner: User, recruiter: User, profile, vacancy
):
    body = apply(api, seeker, vacancy, note="Готова к вахте", share_cv=True)
    assert body["status"] == S.APPLIED
    assert body["started_by"] == "seeker"
    assert body["vacancy"]["title"] == "Сварщик на вахту"
    assert body["contacts_visible"] is True
    assert body["allowed_moves"] == [S.WITHDRAWN]
    assert [(e["party"], e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("seeker", "", S.APPLIED)
    ]
    application = Application.objects.get()
    assert (application.seeker, application.vacancy, application.note) == (
        profile,
        vacancy,
        "Готова к вахте",
    )
    # Every member of the employer is told, and nobody else.
    for member in (owner, recruiter):
        assert told(member) == [(Kind.APPLICATION_RECEIVED, application.pk)]
    assert told(seeker) == []

    api.force_authenticate(recruiter)
    [row] = results(api.get(pipeline(vacancy)))
    assert row["id"] == application.pk
    candidate = row["candidate"]
    assert (candidate["full_name"], candidate["email"], candidate["phone"]) == (NAME, EMAIL, PHONE)
    assert candidate["cv"]["name"]
    assert row["cv_url"].endswith(theirs(application.pk, "cv/"))

    detail = api.get(theirs(application.pk))
    assert detail.status_code == 200
    assert detail.json()["candidate"]["email"] == EMAIL
    assert detail.json()["allowed_moves"] == [S.ACCEPTED, S.DECLINED]
    cv = api.get(theirs(application.pk, "cv/"))
    assert cv.status_code == 200
    assert cv.getvalue().startswith(b"%PDF-")


def test_an_anonymous_seeker_who_applies_shows_the_name_to_that_employer_only(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    seeker_services.profile_update(profile=profile, visibility=Visibility.ANONYMOUS)
    apply(api, seeker, vacancy)

    api.force_authenticate(owner)
    [row] = results(api.get(pipeline(vacancy)))
    assert (row["candidate"]["full_name"], row["candidate"]["email"]) == (NAME, EMAIL)
    # Elsewhere (the candidate search) the profile stays anonymous.
    found = api.get(f"/api/v1/employer/candidates/{profile.pk}/")
    assert found.status_code == 200
    assert not shows_identity(found.content.decode())


def test_opening_an_application_with_visible_contacts_is_logged_once(
    api: APIClient, seeker: User, owner: User, recruiter: User, employer, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    api.force_authenticate(recruiter)
    results(api.get(pipeline(vacancy)))
    assert not ContactAccess.objects.exists()  # the list is not an opening

    for _ in range(2):
        assert api.get(theirs(application_id)).status_code == 200
    api.force_authenticate(owner)
    assert api.get(theirs(application_id)).status_code == 200

    log = ContactAccess.objects.get()
    assert (log.profile, log.employer_id, log.employer_name, log.viewed_by) == (
        profile,
        employer.pk,
        employer.name,
        recruiter,
    )


def test_the_cv_stays_with_the_seeker_unless_shared(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]  # share_cv defaults to no
    api.force_authenticate(owner)
    body = api.get(theirs(application_id)).json()
    assert body["candidate"]["email"] == EMAIL
    assert body["candidate"]["cv"] is None
    assert body["cv_url"] is None
    assert api.get(theirs(application_id, "cv/")).status_code == 404


def test_double_submission_of_the_same_application_is_a_conflict(
    api: APIClient, seeker: User, profile, vacancy
):
    apply(api, seeker, vacancy)
    again = api.post(MINE, {"vacancy": vacancy.pk})
    assert again.status_code == 409
    assert "already" in again.json()["vacancy"][0]
    assert Application.objects.count() == 1


def test_applying_needs_a_visible_open_vacancy_and_a_profile(
    api: APIClient, seeker: User, other_seeker: User, owner: User, profile, vacancy
):
    draft = post_vacancy(by=owner, publish=False)
    closed = post_vacancy(by=owner)
    vacancy_services.vacancy_close(vacancy=closed, by=owner)
    api.force_authenticate(seeker)

    for unknown in (draft.pk, 999_999):
        response = api.post(MINE, {"vacancy": unknown})
        assert (response.status_code, response.json()) == (400, {"vacancy": ["No such vacancy."]})
    response = api.post(MINE, {"vacancy": closed.pk})
    assert response.status_code == 409
    assert response.json()["vacancy"] == ["This vacancy is not open for applications."]
    response = api.post(MINE, {"vacancy": vacancy.pk, "note": "x" * 4001, "share_cv": "maybe"})
    assert response.status_code == 400
    assert set(response.json()) == {"note", "share_cv"}

    api.force_authenticate(other_seeker)  # no profile yet
    response = api.post(MINE, {"vacancy": vacancy.pk})
    assert (response.status_code, list(response.json())) == (409, ["profile"])
    assert not Application.objects.exists()


def test_the_seekers_list_is_their_own_newest_first_and_filters_by_status(
    api: APIClient, seeker: User, other_seeker: User, owner: User, profile, vacancy
):
    second = post_vacancy(by=owner, title="Монтажник")
    first_id = apply(api, seeker, vacancy)["id"]
    second_id = apply(api, seeker, second)["id"]
    api.post(mine(first_id, "move/"), {"status": S.WITHDRAWN})
    make_profile(other_seeker, visibility=Visibility.ALL_EMPLOYERS)
    apply(api, other_seeker, vacancy)

    api.force_authenticate(seeker)
    assert [r["id"] for r in results(api.get(MINE))] == [second_id, first_id]
    assert [r["id"] for r in results(api.get(MINE, {"status": S.WITHDRAWN}))] == [first_id]
    assert results(api.get(MINE, {"started_by": "employer"})) == []
    assert api.get(MINE, {"status": "lost"}).status_code == 400


def test_the_application_filter_picks_by_status_and_by_who_started(
    seeker: User, other_seeker: User, owner: User, profile, vacancy
):
    from matching.applications import application_apply, application_invite

    applied = application_apply(profile=profile, vacancy=vacancy, by=seeker)
    invited = application_invite(
        vacancy=vacancy,
        profile=make_profile(other_seeker, visibility=Visibility.ALL_EMPLOYERS),
        by=owner,
    )
    everything = Application.objects.order_by("id")
    assert list(ApplicationFilter({"status": [S.INVITED]}, queryset=everything).qs) == [invited]
    assert list(ApplicationFilter({"status": [S.INVITED, S.APPLIED]}, queryset=everything).qs) == [
        applied,
        invited,
    ]
    assert list(ApplicationFilter({"started_by": "seeker"}, queryset=everything).qs) == [applied]
    assert not ApplicationFilter({"started_by": "platform"}, queryset=everything).is_valid()


# --- Invitations --------------------------------------------------------------------


def test_an_invitation_shows_no_contacts_until_the_seeker_accepts(
    api: APIClient, seeker: User, owner: User, recruiter: User, profile, vacancy
):
    body = invite(api, owner, vacancy, profile)
    application_id = body["id"]
    assert (body["status"], body["started_by"], body["contacts_visible"]) == (
        S.INVITED,
        "employer",
        False,
    )
    assert body["allowed_moves"] == [S.WITHDRAWN]
    assert told(seeker) == [(Kind.INVITATION_RECEIVED, application_id)]
    assert told(recruiter) == []

    api.force_authenticate(recruiter)
    listed = api.get(pipeline(vacancy))
    opened = api.get(theirs(application_id))
    for response in (listed, opened):
        assert response.status_code == 200
        assert not shows_identity(response.content.decode())
    assert "full_name" not in opened.json()["candidate"]
    assert opened.json()["cv_url"] is None
    assert api.get(theirs(application_id, "cv/")).status_code == 404
    assert not ContactAccess.objects.exists()

    api.force_authenticate(seeker)
    [row] = results(api.get(MINE))
    assert (row["id"], row["started_by"], row["note"]) == (
        application_id,
        "employer",
        "Приглашаем на вахту",
    )
    assert api.get(mine(application_id)).json()["allowed_moves"] == [S.ACCEPTED, S.DECLINED]
    accepted = move(api, mine(application_id, "move/"), S.ACCEPTED, note="Согласна")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["contacts_visible"] is True
    assert accepted.json()["allowed_moves"] == [S.WITHDRAWN]
    for member in (owner, recruiter):
        assert told(member) == [(Kind.STATUS_CHANGED, application_id)]

    api.force_authenticate(recruiter)
    opened = api.get(theirs(application_id))
    assert opened.json()["candidate"]["email"] == EMAIL
    assert opened.json()["candidate"]["full_name"] == NAME
    assert ContactAccess.objects.filter(profile=profile, viewed_by=recruiter).count() == 1


def test_a_declined_invitation_keeps_the_contacts_hidden(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    application_id = invite(api, owner, vacancy, profile)["id"]
    api.force_authenticate(seeker)
    assert move(api, mine(application_id, "move/"), S.DECLINED).status_code == 200
    assert told(owner) == [(Kind.STATUS_CHANGED, application_id)]
    api.force_authenticate(owner)
    opened = api.get(theirs(application_id))
    assert opened.json()["status"] == S.DECLINED
    assert not shows_identity(opened.content.decode())


def test_inviting_a_profile_the_employer_may_not_see_reads_as_no_such_candidate(
    api: APIClient, seeker: User, other_seeker: User, owner: User, employer, vacancy
):
    hidden = make_profile(seeker)  # hidden from every employer
    hidden_from_us = make_profile(other_seeker, visibility=Visibility.ALL_EMPLOYERS)
    seeker_services.profile_update(profile=hidden_from_us, hidden_from_employer_ids=[employer.pk])
    api.force_authenticate(owner)
    answers = [
        api.post(INVITE, {"vacancy": vacancy.pk, "seeker": profile_id})
        for profile_id in (hidden.pk, hidden_from_us.pk, 999_999)
    ]
    assert {(r.status_code, r.content) for r in answers} == {
        (400, b'{"seeker":["No such candidate."]}')
    }
    assert not Application.objects.exists()


def test_an_invitation_needs_an_own_open_vacancy_and_no_open_application(
    api: APIClient, seeker: User, owner: User, rival: User, profile, vacancy
):
    theirs_vacancy = post_vacancy(by=rival, country="RU", region="RU-KHM")
    api.force_authenticate(owner)
    response = api.post(INVITE, {"vacancy": theirs_vacancy.pk, "seeker": profile.pk})
    assert (response.status_code, response.json()) == (400, {"vacancy": ["No such vacancy."]})
    assert api.post(INVITE, {"vacancy": "one", "seeker": None}).status_code == 400

    apply(api, seeker, vacancy)
    api.force_authenticate(owner)
    response = api.post(INVITE, {"vacancy": vacancy.pk, "seeker": profile.pk})
    assert response.status_code == 409
    assert Application.objects.count() == 1


# --- Moves --------------------------------------------------------------------------


def test_after_withdrawal_the_contacts_are_hidden_again(
    api: APIClient, seeker: User, owner: User, recruiter: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy, share_cv=True)["id"]
    api.force_authenticate(owner)
    assert move(api, theirs(application_id, "move/"), S.ACCEPTED).status_code == 200
    assert told(seeker) == [(Kind.STATUS_CHANGED, application_id)]

    api.force_authenticate(seeker)
    response = move(api, mine(application_id, "move/"), S.WITHDRAWN, note="Нашла другую работу")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["allowed_moves"]) == (S.WITHDRAWN, [])
    assert told(recruiter)[-1] == (Kind.STATUS_CHANGED, application_id)

    api.force_authenticate(recruiter)
    opened = api.get(theirs(application_id))
    assert opened.json()["contacts_visible"] is False
    assert opened.json()["allowed_moves"] == []
    listed = api.get(pipeline(vacancy))
    for response in (opened, listed):
        assert not shows_identity(response.content.decode())
    assert api.get(theirs(application_id, "cv/")).status_code == 404
    # A new road may start after a closed one.
    apply(api, seeker, vacancy)


def test_a_hire_returns_the_placement_id(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    api.force_authenticate(owner)
    for to in (S.ACCEPTED, S.INTERVIEW, S.OFFER):
        assert move(api, theirs(application_id, "move/"), to).status_code == 200

    missing = move(api, theirs(application_id, "move/"), S.HIRED)
    assert (missing.status_code, list(missing.json())) == (400, ["start_date"])
    wrong = move(
        api, theirs(application_id, "move/"), S.HIRED, start_date="soon", legal_basis="visa"
    )
    assert (wrong.status_code, set(wrong.json())) == (400, {"start_date", "legal_basis"})
    long_ago = move(
        api, theirs(application_id, "move/"), S.HIRED, start_date=in_days(-60).isoformat()
    )
    assert (long_ago.status_code, list(long_ago.json())) == (400, ["start_date"])
    assert not Placement.objects.exists()

    hired = move(api, theirs(application_id, "move/"), S.HIRED, start_date=in_days(14).isoformat())
    assert hired.status_code == 200, hired.content
    placement = Placement.objects.get()
    assert hired.json()["placement"] == placement.pk
    assert (placement.application_id, placement.start_date) == (application_id, in_days(14))
    assert hired.json()["allowed_moves"] == []
    assert told(seeker)[-1] == (Kind.STATUS_CHANGED, application_id)
    assert Notification.objects.filter(
        recipient=seeker, idempotency_key__startswith=f"application:{application_id}:hired"
    ).exists()

    api.force_authenticate(seeker)
    assert api.get(mine(application_id)).json()["placement"] == placement.pk
    again = move(api, theirs(application_id, "move/"), S.HIRED, start_date=in_days(1).isoformat())
    assert again.status_code == 403  # a seeker has no employer side
    assert Placement.objects.count() == 1


def test_a_move_the_present_state_does_not_allow_is_a_conflict(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    api.force_authenticate(owner)
    response = move(api, theirs(application_id, "move/"), S.OFFER)
    assert response.status_code == 409
    assert response.json() == {
        "status": ["An application that is “Applied” cannot become “Offer”."]
    }
    api.force_authenticate(seeker)
    assert move(api, mine(application_id, "move/"), S.APPLIED).status_code == 409
    unknown = move(api, mine(application_id, "move/"), "promoted")
    assert (unknown.status_code, list(unknown.json())) == (400, ["status"])
    assert api.post(mine(application_id, "move/"), {}).status_code == 400
    assert ApplicationEvent.objects.count() == 1
    assert Application.objects.get().status == S.APPLIED


def test_a_move_that_belongs_to_the_other_side_is_forbidden(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    api.force_authenticate(seeker)
    response = move(api, mine(application_id, "move/"), S.ACCEPTED)
    assert response.status_code == 403
    assert "employer" in response.json()["detail"]
    api.force_authenticate(owner)
    response = move(api, theirs(application_id, "move/"), S.WITHDRAWN)
    assert response.status_code == 403
    assert "seeker" in response.json()["detail"]
    assert ApplicationEvent.objects.count() == 1
    assert Application.objects.get().status == S.APPLIED


# --- Who may see what ---------------------------------------------------------------


def test_another_employers_application_is_not_found(
    api: APIClient, seeker: User, rival: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy, share_cv=True)["id"]
    api.force_authenticate(rival)
    assert api.get(theirs(application_id)).status_code == 404
    assert move(api, theirs(application_id, "move/"), S.ACCEPTED).status_code == 404
    assert api.get(theirs(application_id, "cv/")).status_code == 404
    assert api.get(pipeline(vacancy)).status_code == 404
    assert not ContactAccess.objects.exists()
    assert Application.objects.get().status == S.APPLIED


def test_another_seekers_application_is_not_found(
    api: APIClient, seeker: User, other_seeker: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    make_profile(other_seeker, visibility=Visibility.ALL_EMPLOYERS)
    api.force_authenticate(other_seeker)
    assert results(api.get(MINE)) == []
    assert api.get(mine(application_id)).status_code == 404
    assert move(api, mine(application_id, "move/"), S.WITHDRAWN).status_code == 404
    assert Application.objects.get().status == S.APPLIED


def test_each_side_is_refused_the_other_sides_endpoints(
    api: APIClient, seeker: User, owner: User, reviewer: User, profile, vacancy
):
    application_id = apply(api, seeker, vacancy)["id"]
    employer_side = [
        ("get", pipeline(vacancy), None),
        ("get", theirs(application_id), None),
        ("post", theirs(application_id, "move/"), {"status": S.ACCEPTED}),
        ("get", theirs(application_id, "cv/"), None),
        ("post", INVITE, {"vacancy": vacancy.pk, "seeker": profile.pk}),
    ]
    seeker_side = [
        ("get", MINE, None),
        ("post", MINE, {"vacancy": vacancy.pk}),
        ("get", mine(application_id), None),
        ("post", mine(application_id, "move/"), {"status": S.WITHDRAWN}),
    ]
    for user, refused in (
        (seeker, employer_side),
        (owner, seeker_side),
        (reviewer, employer_side + seeker_side),
    ):
        api.force_authenticate(user)
        for method, url, body in refused:
            assert getattr(api, method)(url, body).status_code == 403, (user, method, url)
    api.force_authenticate(None)
    assert api.get(mine(application_id)).status_code == 401
    assert Application.objects.get().status == S.APPLIED


def test_the_pipeline_costs_the_same_for_one_application_or_many(
    api: APIClient, seeker: User, owner: User, profile, vacancy
):
    apply(api, seeker, vacancy, share_cv=True)
    api.force_authenticate(owner)
    with CaptureQueriesContext(connection) as one:
        assert len(results(api.get(pipeline(vacancy)))) == 1
    for n in range(3):
        user = UserFactory.create(email=f"welder{n}@example.kg")
        make_profile(user, visibility=Visibility.ALL_EMPLOYERS, experience=True)
        apply(api, user, vacancy)
    api.force_authenticate(owner)
    with CaptureQueriesContext(connection) as four:
        rows = results(api.get(pipeline(vacancy)))
    assert len(rows) == 4
    assert all(row["candidate"]["email"] for row in rows)
    assert len(four.captured_queries) == len(one.captured_queries)
    filtered = results(api.get(pipeline(vacancy), {"status": S.WITHDRAWN}))
    assert filtered == []

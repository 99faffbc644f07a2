"""The seeker's pages: my matches with why, applying, an application's page for each
side, and the inbox with its unread badge."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from matching import indexes
from matching import services as match_services
from matching.applications import application_invite
from matching.models import Application, ApplicationStatus
from notifications.models import Kind, Notification
from notifications.services import Message, notify
from seekers.models import SeekerProfile, Visibility
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()  # the rows of earlier tests were rolled back


def welder(user: User) -> SeekerProfile:
    return make_profile(user, visibility=Visibility.ALL_EMPLOYERS)


def matched(owner: User, title: str = "Сварщик на вахту") -> Vacancy:
    vacancy = post_vacancy(by=owner, title=title)
    match_services.match_now(kind="vacancy", object_id=vacancy.pk)
    return vacancy


def test_my_matches_lists_the_seekers_own_matches_with_why(
    client: Client, owner: User, seeker: User, other_seeker: User
) -> None:
    welder(seeker)
    welder(other_seeker)
    vacancy = matched(owner)
    client.force_login(seeker)

    html = client.get("/me/matches/").content.decode()

    assert f'href="/vacancies/{vacancy.pk}/"' in html
    assert "Why this match" in html and "Skills" in html
    assert html.count('action="/vacancies/') == 1  # one match, one Apply button


def test_my_matches_is_for_seekers_only(client: Client, owner: User) -> None:
    client.force_login(owner)

    assert client.get("/me/matches/").status_code == 403
    client.logout()
    assert client.get("/me/matches/")["Location"].startswith("/accounts/login/")


def test_applying_from_the_page_opens_the_application_and_twice_changes_nothing(
    client: Client, owner: User, seeker: User
) -> None:
    welder(seeker)
    vacancy = matched(owner)
    client.force_login(seeker)

    first = client.post(f"/vacancies/{vacancy.pk}/apply/")
    again = client.post(f"/vacancies/{vacancy.pk}/apply/", follow=True)

    application = Application.objects.get(vacancy=vacancy)
    assert first["Location"] == f"/applications/{application.pk}/"
    assert application.status == ApplicationStatus.APPLIED
    assert "already an open application" in again.content.decode()
    assert Application.objects.count() == 1


def test_a_seeker_accepts_an_invitation_on_its_page_and_a_stranger_gets_404(
    client: Client, owner: User, seeker: User, other_seeker: User
) -> None:
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    invitation = application_invite(vacancy=vacancy, profile=profile, by=owner, note="Ждём вас")

    client.force_login(other_seeker)
    assert client.get(f"/applications/{invitation.pk}/").status_code == 404
    assert (
        client.post(f"/applications/{invitation.pk}/move/", {"to": "accepted"}).status_code == 404
    )

    client.force_login(seeker)
    page = client.get(f"/applications/{invitation.pk}/").content.decode()
    assert "Accept the invitation" in page and "Ждём вас" in page
    client.post(f"/applications/{invitation.pk}/move/", {"to": "accepted"})

    invitation.refresh_from_db()
    assert invitation.status == ApplicationStatus.ACCEPTED
    # The employer's member sees the same application, with the moves of their side.
    client.force_login(owner)
    employer_page = client.get(f"/applications/{invitation.pk}/").content.decode()
    assert 'value="interview"' in employer_page and "Accept the invitation" not in employer_page


def test_a_move_the_side_may_not_make_is_refused_with_a_message(
    client: Client, owner: User, seeker: User
) -> None:
    welder(seeker)
    vacancy = matched(owner)
    client.force_login(seeker)
    client.post(f"/vacancies/{vacancy.pk}/apply/")
    application = Application.objects.get()

    answer = client.post(f"/applications/{application.pk}/move/", {"to": "hired"}, follow=True)

    assert answer.status_code == 200
    assert re.search(r'class="messages"', answer.content.decode())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_the_inbox_badge_counts_unread_and_opening_one_reads_it(
    client: Client, seeker: User
) -> None:
    for n in range(3):
        notify(
            recipients=[seeker],
            message=Message(
                kind=Kind.STATUS_CHANGED,
                key=f"s:{n}",
                link=f"/applications/{n}/",
                context={"vacancy_title": "Сварщик", "employer_name": "ТОО", "status": "offer"},
            ),
        )
    client.force_login(seeker)

    assert (
        'class="badge" aria-label="3 unread">3<' in client.get("/me/applications/").content.decode()
    )
    first = Notification.objects.filter(recipient=seeker).order_by("id").first()
    assert first is not None
    assert client.get(f"/notifications/{first.pk}/")["Location"] == "/applications/0/"
    assert 'aria-label="2 unread">2<' in client.get("/notifications/").content.decode()

    client.post("/notifications/read-all/")
    assert 'class="badge"' not in client.get("/notifications/").content.decode()


def test_nobody_opens_another_persons_notification(
    client: Client, seeker: User, other_seeker: User
) -> None:
    [mine] = notify(
        recipients=[seeker],
        message=Message(
            kind=Kind.STATUS_CHANGED,
            key="mine",
            link="/applications/1/",
            context={"vacancy_title": "Сварщик", "employer_name": "ТОО", "status": "offer"},
        ),
    )
    client.force_login(other_seeker)

    assert client.get(f"/notifications/{mine.pk}/").status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None

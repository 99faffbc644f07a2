"""Inviting people to an employer by e-mail and accepting the invitation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role, User
from tests.factories import UserFactory
from vacancies.models import Employer, EmployerInvitation, EmployerMember

pytestmark = pytest.mark.django_db

ACCEPT = "/api/v1/invitations/accept/"


def invitations(employer: Employer) -> str:
    return f"/api/v1/employers/{employer.pk}/invitations/"


@pytest.fixture
def invite(as_user, owner: User, employer: Employer, django_capture_on_commit_callbacks):
    """The owner invites an address; returns the code from the e-mail that went out."""

    def send(email: str = "newcomer@caspian.kz", role: str = "recruiter") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(owner).post(
                invitations(employer), {"email": email, "role": role}, format="json"
            )
        assert response.status_code == 201, response.content
        match = re.search(r"^    (\S+)$", str(mail.outbox[-1].body), re.MULTILINE)
        assert match is not None
        return match.group(1)

    return send


def test_the_owner_invites_by_e_mail_and_only_the_e_mail_carries_the_code(
    as_user, owner: User, employer: Employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(
            invitations(employer),
            {"email": "Newcomer@Caspian.KZ", "role": "recruiter"},
            format="json",
        )

    assert response.status_code == 201, response.content
    assert "token" not in response.json() and "token_hash" not in response.json()
    assert response.json()["email"] == "newcomer@caspian.kz"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@caspian.kz"]
    assert "ТОО «Каспий Сервис»" in message.subject
    stored = EmployerInvitation.objects.get()
    assert stored.token_hash not in message.body  # only the digest is kept
    assert stored.expires_at > timezone.now() + timedelta(days=6)


def test_the_invited_person_accepts_and_joins_with_the_role(
    as_user, invite, newcomer: User, employer
):
    code = invite(role="owner")

    response = as_user(newcomer).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["employer"] == employer.pk and response.json()["role"] == "owner"
    assert EmployerMember.objects.get(user=newcomer).employer == employer
    invitation = EmployerInvitation.objects.get()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None


def test_an_invitation_is_accepted_once(as_user, invite, newcomer: User):
    code = invite()
    as_user(newcomer).post(ACCEPT, {"token": code}, format="json")

    response = as_user(newcomer).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 409
    assert EmployerMember.objects.filter(user=newcomer).count() == 1


def test_someone_signed_in_with_another_address_cannot_accept(as_user, invite):
    code = invite()
    other = UserFactory.create(email="someone.else@caspian.kz", role=Role.EMPLOYER)

    response = as_user(other).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 403
    assert not EmployerMember.objects.filter(user=other).exists()
    assert EmployerInvitation.objects.get().accepted_at is None


def test_a_seeker_account_cannot_accept_even_with_the_invited_address(
    as_user, invite, seeker: User
):
    code = invite(email=seeker.email)

    response = as_user(seeker).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 403
    assert not EmployerMember.objects.filter(user=seeker).exists()


def test_a_member_of_another_employer_cannot_accept(as_user, invite, rival: User):
    code = invite(email=rival.email)

    response = as_user(rival).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 409
    assert EmployerMember.objects.get(user=rival).employer.name == "ООО «Сибирь Нефть»"


def test_an_expired_invitation_is_refused(as_user, invite, newcomer: User):
    code = invite()
    EmployerInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = as_user(newcomer).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 400
    assert "expired" in response.json()["token"][0]
    assert not EmployerMember.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("code", ["not-a-real-code", ""])
def test_a_wrong_code_is_refused(as_user, invite, newcomer: User, code):
    invite()

    response = as_user(newcomer).post(ACCEPT, {"token": code}, format="json")

    assert response.status_code == 400
    assert "token" in response.json()
    assert not EmployerMember.objects.filter(user=newcomer).exists()


def test_a_new_invitation_replaces_the_pending_one(as_user, invite, newcomer: User):
    first = invite()
    second = invite()

    assert as_user(newcomer).post(ACCEPT, {"token": first}, format="json").status_code == 400
    assert as_user(newcomer).post(ACCEPT, {"token": second}, format="json").status_code == 201
    assert EmployerInvitation.objects.count() == 1


def test_anonymous_callers_cannot_accept(as_user, invite):
    code = invite()
    assert as_user(None).post(ACCEPT, {"token": code}, format="json").status_code == 401
    assert EmployerInvitation.objects.get().accepted_at is None


def test_the_owner_lists_the_invitations(as_user, owner: User, invite, employer: Employer):
    invite("a@caspian.kz")
    invite("b@caspian.kz", role="owner")

    response = as_user(owner).get(invitations(employer))

    assert response.status_code == 200
    assert [(i["email"], i["role"]) for i in response.json()] == [
        ("b@caspian.kz", "owner"),
        ("a@caspian.kz", "recruiter"),
    ]


def test_a_recruiter_neither_invites_nor_lists_invitations(
    as_user, recruiter: User, employer: Employer
):
    client = as_user(recruiter)

    assert (
        client.post(invitations(employer), {"email": "x@caspian.kz"}, format="json").status_code
        == 403
    )
    assert client.get(invitations(employer)).status_code == 403
    assert not EmployerInvitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "x@caspian.kz", "role": "director"}, "role"),
        ({"email": "hr@caspian.kz"}, "email"),  # already a member
    ],
)
def test_bad_invitations_are_refused(as_user, owner: User, recruiter: User, employer, body, field):
    response = as_user(owner).post(invitations(employer), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not EmployerInvitation.objects.exists()

"""The rule table of applications, on the services: from every status to every status,
each move is made by exactly the side the table names, and refused to the other side
and to strangers — a refusal changes nothing, records no event and tells nobody."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from matching.applications import (
    TRANSITIONS,
    HireDetails,
    allowed_moves,
    application_apply,
    application_invite,
    application_move,
    party_of,
)
from matching.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Party,
    Placement,
)
from notifications.models import Notification
from seekers.models import SeekerProfile, Visibility
from tests.seekers.factories import make_profile
from tests.vacancies.factories import in_days, post_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db
S = ApplicationStatus
SEEKER, EMPLOYER = Party.SEEKER, Party.EMPLOYER

# The product's rules, written out once more on purpose: a change to the services'
# table must be a change to this one too.
RULES: dict[tuple[str, str], str] = {
    ("applied", "accepted"): EMPLOYER,
    ("applied", "declined"): EMPLOYER,
    ("applied", "withdrawn"): SEEKER,
    ("invited", "accepted"): SEEKER,
    ("invited", "declined"): SEEKER,
    ("invited", "withdrawn"): EMPLOYER,
    ("accepted", "interview"): EMPLOYER,
    ("accepted", "offer"): EMPLOYER,
    ("accepted", "rejected"): EMPLOYER,
    ("accepted", "withdrawn"): SEEKER,
    ("interview", "offer"): EMPLOYER,
    ("interview", "rejected"): EMPLOYER,
    ("interview", "withdrawn"): SEEKER,
    ("offer", "hired"): EMPLOYER,
    ("offer", "rejected"): EMPLOYER,
    ("offer", "withdrawn"): SEEKER,
}


@pytest.fixture
def profile(seeker: User) -> SeekerProfile:
    return make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)


@pytest.fixture
def vacancy(owner: User) -> Vacancy:
    return post_vacancy(by=owner)


def in_status(
    status: str, *, profile: SeekerProfile, vacancy: Vacancy, seeker: User, owner: User
) -> Application:
    """An application standing in ``status``, reached the way it is reached: applied (or
    invited, for an invitation's answers); the test then puts it where it must stand."""
    if status in (S.INVITED, S.DECLINED):
        application = application_invite(vacancy=vacancy, profile=profile, by=owner)
    else:
        application = application_apply(profile=profile, vacancy=vacancy, by=seeker)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def snapshot(application: Application) -> tuple[Any, ...]:
    application.refresh_from_db()
    return (
        application.status,
        application.contacts_shared_at,
        application.updated_at,
        ApplicationEvent.objects.filter(application=application).count(),
        Notification.objects.count(),
        Placement.objects.count(),
    )


def test_the_services_enforce_the_products_rules():
    assert TRANSITIONS == RULES


@pytest.mark.parametrize("frm", S.values)
def test_from_each_status_every_move_is_made_by_exactly_its_side(
    frm: str, seeker: User, owner: User, recruiter: User, profile, vacancy
):
    application = in_status(frm, profile=profile, vacancy=vacancy, seeker=seeker, owner=owner)
    sides = {SEEKER: seeker, EMPLOYER: recruiter}
    for party, user in sides.items():
        assert party_of(application, user) == party
        assert allowed_moves(application, party) == [
            to for (f, to), who in RULES.items() if f == frm and who == party
        ]

    for to in S.values:
        for party, user in sides.items():
            with transaction.atomic():
                before = snapshot(application)
                hire = HireDetails(start_date=in_days(7)) if to == S.HIRED else None
                if RULES.get((frm, to)) == party:
                    moved = application_move(
                        application=application, to=to, by=user, note="ok", hire=hire
                    )
                    moved.refresh_from_db()
                    assert moved.status == to
                    event = moved.events.order_by("id").last()
                    assert event is not None
                    assert (event.party, event.from_status, event.to_status, event.by) == (
                        party,
                        frm,
                        to,
                        user,
                    )
                    assert Notification.objects.count() > before[4], (frm, to, party)
                    assert Placement.objects.filter(application=moved).exists() == (to == S.HIRED)
                else:
                    error = PermissionDenied if RULES.get((frm, to)) else ValidationError
                    with pytest.raises(error) as refused:
                        application_move(
                            application=application, to=to, by=user, note="no", hire=hire
                        )
                    if isinstance(refused.value, ValidationError):
                        assert refused.value.error_dict["status"][0].code == "conflict"
                    assert snapshot(application) == before, (frm, to, party)
                transaction.set_rollback(True)


@pytest.mark.parametrize("frm", [S.APPLIED, S.INVITED, S.OFFER])
def test_strangers_move_nothing(
    frm: str, seeker: User, other_seeker: User, owner: User, rival: User, profile, vacancy
):
    application = in_status(frm, profile=profile, vacancy=vacancy, seeker=seeker, owner=owner)
    before = snapshot(application)
    for stranger in (other_seeker, rival):
        assert party_of(application, stranger) is None
        for to in S.values:
            with pytest.raises(PermissionDenied):
                application_move(
                    application=application,
                    to=to,
                    by=stranger,
                    hire=HireDetails(start_date=in_days(7)),
                )
    assert snapshot(application) == before


def test_the_contacts_open_on_acceptance_and_close_on_withdrawal(
    seeker: User, owner: User, profile, vacancy
):
    invitation = application_invite(vacancy=vacancy, profile=profile, by=owner)
    assert (invitation.contacts_shared_at, invitation.contacts_visible) == (None, False)
    accepted = application_move(application=invitation, to=S.ACCEPTED, by=seeker)
    assert accepted.contacts_shared_at is not None and accepted.contacts_visible
    withdrawn = application_move(application=accepted, to=S.WITHDRAWN, by=seeker)
    assert not withdrawn.contacts_visible

    declined = application_move(
        application=application_invite(vacancy=vacancy, profile=profile, by=owner),
        to=S.DECLINED,
        by=seeker,
    )
    assert (declined.contacts_shared_at, declined.contacts_visible) == (None, False)


def test_an_open_road_blocks_a_second_one_and_a_closed_one_does_not(
    seeker: User, owner: User, profile, vacancy
):
    first = application_apply(profile=profile, vacancy=vacancy, by=seeker)
    for start in (
        lambda: application_apply(profile=profile, vacancy=vacancy, by=seeker),
        lambda: application_invite(vacancy=vacancy, profile=profile, by=owner),
    ):
        with pytest.raises(ValidationError) as refused:
            start()
        assert refused.value.error_dict["vacancy"][0].code == "conflict"
    application_move(application=first, to=S.WITHDRAWN, by=seeker)
    second = application_invite(vacancy=vacancy, profile=profile, by=owner)
    assert second.status == S.INVITED
    assert Application.objects.count() == 2


def test_only_the_seeker_applies_and_only_a_member_invites(
    seeker: User, other_seeker: User, owner: User, rival: User, profile, vacancy
):
    with pytest.raises(PermissionDenied):
        application_apply(profile=profile, vacancy=vacancy, by=other_seeker)
    with pytest.raises(PermissionDenied):
        application_invite(vacancy=vacancy, profile=profile, by=rival)
    hidden = make_profile(other_seeker)
    with pytest.raises(ValidationError) as refused:
        application_invite(vacancy=vacancy, profile=hidden, by=owner)
    assert refused.value.message_dict == {"seeker": ["No such candidate."]}
    assert not Application.objects.exists()

"""The road from an application to an approved placement, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from matching.applications import HireDetails, application_apply, application_move
from matching.models import ApplicationStatus, LegalBasis, Placement, PlacementStatus
from matching.placements import placement_approve
from seekers.models import Visibility
from tests.seekers.factories import make_profile
from tests.vacancies.factories import in_days, post_vacancy

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_an_application_goes_from_apply_to_an_approved_placement(
    owner: User, seeker: User, reviewer: User
) -> None:
    profile = make_profile(
        seeker,
        visibility=Visibility.ALL_EMPLOYERS,
        country="KG",
        region="KG-GB",
        citizenships=("KG",),
    )
    vacancy = post_vacancy(by=owner, region="KZ-23")
    application = application_apply(
        profile=profile, vacancy=vacancy, by=seeker, note="Готов к вахте"
    )
    assert application.contacts_visible

    for to in (S.ACCEPTED, S.INTERVIEW, S.OFFER):
        application = application_move(application=application, to=to, by=owner)
    application = application_move(
        application=application, to=S.HIRED, by=owner, hire=HireDetails(start_date=in_days(14))
    )

    placement = Placement.objects.get(application=application)
    assert (placement.origin_country_id, placement.destination_country_id) == ("KG", "KZ")
    assert placement.cross_border
    assert placement.legal_basis == LegalBasis.EAEU_CITIZEN
    assert placement.status == PlacementStatus.PENDING
    assert [e.to_status for e in application.events.all()] == [
        S.APPLIED,
        S.ACCEPTED,
        S.INTERVIEW,
        S.OFFER,
        S.HIRED,
    ]
    placement = placement_approve(placement=placement, by=reviewer)
    assert placement.status == PlacementStatus.APPROVED


def test_a_seeker_cannot_hire_and_an_employer_cannot_withdraw(owner: User, seeker: User) -> None:
    profile = make_profile(seeker, visibility=Visibility.ALL_EMPLOYERS)
    vacancy = post_vacancy(by=owner)
    application = application_apply(profile=profile, vacancy=vacancy, by=seeker)

    with pytest.raises(PermissionDenied):
        application_move(application=application, to=S.WITHDRAWN, by=owner)
    with pytest.raises(ValidationError) as refused:
        application_move(
            application=application, to=S.HIRED, by=owner, hire=HireDetails(start_date=in_days(1))
        )
    assert refused.value.error_dict["status"][0].code == "conflict"
    application.refresh_from_db()
    assert application.status == S.APPLIED
    assert not Placement.objects.exists()

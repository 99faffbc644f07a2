"""The contact-access log: written by the service the candidate views call, listed by
the seeker at /api/v1/profile/contact-log/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from seekers.filters import ContactAccessFilter
from seekers.models import ContactAccess, SeekerProfile
from seekers.services import contact_access_record

pytestmark = pytest.mark.django_db

LOG = "/api/v1/profile/contact-log/"


def test_the_seeker_sees_who_opened_the_contacts_newest_first(
    as_user, profile: SeekerProfile, employer, recruiter: User, rival: User
):
    contact_access_record(
        profile=profile, employer_id=employer.pk, employer_name=employer.name, by=recruiter
    )
    contact_access_record(
        profile=profile, employer_id=999, employer_name="ООО «Сибирь Нефть»", by=rival
    )
    response = as_user(profile.user).get(LOG)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["employer_name"] for r in rows] == ["ООО «Сибирь Нефть»", employer.name]
    assert rows[1]["employer_id"] == employer.pk
    assert rows[1]["viewed_by_name"] == recruiter.full_name
    assert "email" not in rows[1]


def test_another_seeker_does_not_see_the_log(
    as_user, profile: SeekerProfile, other_profile: SeekerProfile, employer, recruiter: User
):
    contact_access_record(
        profile=profile, employer_id=employer.pk, employer_name=employer.name, by=recruiter
    )
    response = as_user(other_profile.user).get(LOG)
    assert response.status_code == 200 and response.json()["results"] == []


def test_the_record_keeps_the_employer_name_as_it_was(profile, employer, recruiter):
    entry = contact_access_record(
        profile=profile, employer_id=employer.pk, employer_name=" ТОО «Каспий» ", by=recruiter
    )
    employer.name = "ТОО «Новое имя»"
    employer.save()
    entry.refresh_from_db()
    assert entry.employer_name == "ТОО «Каспий»" and entry.viewed_by == recruiter


def test_the_record_refuses_a_missing_employer(profile, recruiter):
    with pytest.raises(ValidationError) as caught:
        contact_access_record(profile=profile, employer_id=0, employer_name=" ", by=recruiter)
    assert set(caught.value.message_dict) == {"employer_id", "employer_name"}
    assert not ContactAccess.objects.exists()


def test_the_log_filters_by_employer_and_day(profile, employer, recruiter, rival):
    ours = contact_access_record(
        profile=profile, employer_id=employer.pk, employer_name=employer.name, by=recruiter
    )
    old = contact_access_record(
        profile=profile, employer_id=777, employer_name="ООО «Старое»", by=rival
    )
    ContactAccess.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    queryset = ContactAccess.objects.all()
    by_employer = ContactAccessFilter({"employer": str(employer.pk)}, queryset=queryset).qs
    assert list(by_employer) == [ours]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert list(ContactAccessFilter({"since": since}, queryset=queryset).qs) == [ours]
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert list(ContactAccessFilter({"until": until}, queryset=queryset).qs) == [old]
    bad = ContactAccessFilter({"since": "last week"}, queryset=queryset)
    assert not bad.is_valid() and "since" in bad.errors


def test_the_api_answers_a_bad_filter_with_400(as_user, profile: SeekerProfile):
    response = as_user(profile.user).get(LOG, {"employer": "abc"})
    assert response.status_code == 400 and "employer" in response.json()

"""/api/v1/employers/: registering an employer, editing it, verifying it, its members."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import EmployerFactory, MemberFactory, kz_bin
from vacancies.models import Employer, EmployerMember

pytestmark = pytest.mark.django_db

LIST = "/api/v1/employers/"
# A BIN whose check digit (the last) is right, written the way certificates print it.
GOOD_BIN = kz_bin(4321)
WRONG_BIN = GOOD_BIN[:11] + str((int(GOOD_BIN[11]) + 1) % 10)


def detail(employer: Employer, suffix: str = "") -> str:
    return f"{LIST}{employer.pk}/{suffix}"


def _body(**overrides):
    return {
        "name": "ТОО «Атырау Монтаж»",
        "country": "KZ",
        "registration_number": f"{GOOD_BIN[:6]} {GOOD_BIN[6:]}",
        "address": "Атырау, ул. Сатпаева, 5",
        "website": "https://atyrau-montazh.kz",
    } | overrides


def test_an_employer_account_registers_an_employer_and_becomes_its_owner(as_user, newcomer: User):
    response = as_user(newcomer).post(LIST, _body(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["verified"] is False
    employer = Employer.objects.get(pk=response.json()["id"])
    assert employer.registration_number == GOOD_BIN  # spaces taken out
    assert EmployerMember.objects.get(user=newcomer).role == "owner"
    assert employer.members.get().user == newcomer


def test_a_kazakh_bin_with_a_wrong_check_digit_is_refused(as_user, newcomer: User):
    response = as_user(newcomer).post(LIST, _body(registration_number=WRONG_BIN), format="json")

    assert response.status_code == 400
    assert "check digit" in response.json()["registration_number"][0]
    assert not EmployerMember.objects.filter(user=newcomer).exists()
    assert not Employer.objects.filter(registration_number=WRONG_BIN).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_number": "12345"}, "registration_number"),
        ({"country": "RU", "registration_number": "1027700132196"}, "registration_number"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
        ({"website": "not a site"}, "website"),
    ],
)
def test_bad_employer_details_are_refused_with_field_messages(
    as_user, newcomer: User, overrides, field
):
    response = as_user(newcomer).post(LIST, _body(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not EmployerMember.objects.filter(user=newcomer).exists()


def test_a_registration_number_is_registered_once_per_country(
    as_user, newcomer: User, employer: Employer
):
    body = _body(registration_number=employer.registration_number)

    response = as_user(newcomer).post(LIST, body, format="json")

    assert response.status_code == 400
    assert "already registered" in response.json()["registration_number"][0]


def test_a_member_cannot_register_a_second_employer(as_user, recruiter: User):
    response = as_user(recruiter).post(LIST, _body(), format="json")

    assert response.status_code == 409
    assert EmployerMember.objects.filter(user=recruiter).count() == 1
    assert not Employer.objects.filter(registration_number=GOOD_BIN).exists()


@pytest.mark.parametrize("who", ["seeker", "reviewer", "admin_user"])
def test_only_employer_accounts_register_employers(request, as_user, who):
    response = as_user(request.getfixturevalue(who)).post(LIST, _body(), format="json")

    assert response.status_code == 403
    assert not Employer.objects.filter(registration_number=GOOD_BIN).exists()


def test_anonymous_callers_must_sign_in(api: APIClient, employer: Employer):
    assert api.get(LIST).status_code == 401
    assert api.get(detail(employer)).status_code == 401
    assert api.post(LIST, _body(), format="json").status_code == 401
    assert api.post(detail(employer, "verify/"), format="json").status_code == 401


def test_members_see_only_their_own_employer(
    as_user, owner: User, recruiter: User, rival: User, employer
):
    rival_employer = rival.employer_memberships.get().employer

    for member in (owner, recruiter):
        body = as_user(member).get(LIST).json()
        assert [e["id"] for e in body["results"]] == [employer.pk]
        assert body["results"][0]["registration_number"] == employer.registration_number
    assert [e["id"] for e in as_user(rival).get(LIST).json()["results"]] == [rival_employer.pk]


def test_a_seeker_sees_no_employers(as_user, seeker: User, employer: Employer):
    assert as_user(seeker).get(LIST).json()["results"] == []
    assert as_user(seeker).get(detail(employer)).status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "admin_user"])
def test_platform_staff_see_every_employer(request, as_user, who, employer: Employer, rival: User):
    names = [e["name"] for e in as_user(request.getfixturevalue(who)).get(LIST).json()["results"]]
    assert names == ["ООО «Сибирь Нефть»", "ТОО «Каспий Сервис»"]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("get", "members/"),
        ("get", "invitations/"),
        ("post", "invitations/"),
    ],
)
def test_another_employer_is_not_found(as_user, owner: User, rival: User, employer, method, suffix):
    body = {"name": "Захват", "email": "spy@sibir.ru"}
    response = getattr(as_user(rival), method)(detail(employer, suffix), body, format="json")

    assert response.status_code == 404
    employer.refresh_from_db()
    assert employer.name == "ТОО «Каспий Сервис»"
    assert not employer.invitations.exists()


def test_the_owner_edits_the_employer(as_user, owner: User, employer: Employer):
    response = as_user(owner).patch(
        detail(employer), {"address": "Атырау, пр. Азаттык, 1", "verified": True}, format="json"
    )

    assert response.status_code == 200, response.content
    employer.refresh_from_db()
    assert employer.address == "Атырау, пр. Азаттык, 1"
    assert employer.verified is False  # only staff set it


def test_a_new_registration_number_withdraws_the_verification(
    as_user, owner: User, employer: Employer
):
    Employer.objects.filter(pk=employer.pk).update(verified=True)

    response = as_user(owner).patch(
        detail(employer), {"registration_number": GOOD_BIN}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["verified"] is False
    employer.refresh_from_db()
    assert (employer.registration_number, employer.verified) == (GOOD_BIN, False)


@pytest.mark.parametrize("who", ["recruiter", "reviewer", "admin_user"])
def test_only_an_owner_edits_the_employer(request, as_user, owner, employer: Employer, who):
    response = as_user(request.getfixturevalue(who)).patch(
        detail(employer), {"name": "Переименовано"}, format="json"
    )

    assert response.status_code == 403
    employer.refresh_from_db()
    assert employer.name == "ТОО «Каспий Сервис»"


def test_an_edit_with_a_bad_bin_changes_nothing(as_user, owner: User, employer: Employer):
    before = employer.registration_number

    response = as_user(owner).patch(
        detail(employer), {"name": "Новое имя", "registration_number": WRONG_BIN}, format="json"
    )

    assert response.status_code == 400
    employer.refresh_from_db()
    assert (employer.name, employer.registration_number) == ("ТОО «Каспий Сервис»", before)


@pytest.mark.parametrize("who", ["reviewer", "admin_user"])
def test_platform_staff_verify_an_employer(request, as_user, employer: Employer, who):
    client = as_user(request.getfixturevalue(who))

    response = client.post(detail(employer, "verify/"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True
    employer.refresh_from_db()
    assert employer.verified is True

    client.post(detail(employer, "verify/"), {"verified": False}, format="json")
    employer.refresh_from_db()
    assert employer.verified is False


@pytest.mark.parametrize("who", ["owner", "recruiter", "rival", "seeker"])
def test_nobody_but_staff_verifies_an_employer(request, as_user, employer: Employer, who):
    response = as_user(request.getfixturevalue(who)).post(
        detail(employer, "verify/"), format="json"
    )

    assert response.status_code == 403
    employer.refresh_from_db()
    assert employer.verified is False


def test_members_list_the_members_of_their_employer(
    as_user, owner: User, recruiter: User, employer
):
    for member in (owner, recruiter):
        response = as_user(member).get(detail(employer, "members/"))
        assert response.status_code == 200
        assert [(m["email"], m["role"]) for m in response.json()] == [
            ("owner@caspian.kz", "owner"),
            ("hr@caspian.kz", "recruiter"),
        ]


def test_the_owner_removes_a_recruiter(as_user, owner: User, recruiter: User, employer: Employer):
    member = EmployerMember.objects.get(user=recruiter)

    response = as_user(owner).delete(detail(employer, f"members/{member.pk}/"))

    assert response.status_code == 204
    assert not EmployerMember.objects.filter(user=recruiter).exists()


def test_a_recruiter_cannot_remove_members(
    as_user, owner: User, recruiter: User, employer: Employer
):
    member = EmployerMember.objects.get(user=owner)

    response = as_user(recruiter).delete(detail(employer, f"members/{member.pk}/"))

    assert response.status_code == 403
    assert EmployerMember.objects.filter(user=owner).exists()


def test_a_rival_cannot_remove_members(as_user, rival: User, recruiter: User, employer: Employer):
    member = EmployerMember.objects.get(user=recruiter)

    response = as_user(rival).delete(detail(employer, f"members/{member.pk}/"))

    assert response.status_code == 404
    assert EmployerMember.objects.filter(user=recruiter).exists()


def test_a_member_of_another_employer_is_not_found_under_this_one(
    as_user, owner: User, rival: User, employer: Employer
):
    rivals_membership = EmployerMember.objects.get(user=rival)

    response = as_user(owner).delete(detail(employer, f"members/{rivals_membership.pk}/"))

    assert response.status_code == 404
    assert EmployerMember.objects.filter(user=rival).exists()


def test_the_last_owner_stays(as_user, owner: User, employer: Employer):
    member = EmployerMember.objects.get(user=owner)

    response = as_user(owner).delete(detail(employer, f"members/{member.pk}/"))

    assert response.status_code == 409
    assert EmployerMember.objects.filter(user=owner).exists()


def test_one_owner_may_remove_another(as_user, owner: User, employer: Employer):
    second = MemberFactory.create(employer=employer, role="owner")

    response = as_user(owner).delete(detail(employer, f"members/{second.pk}/"))

    assert response.status_code == 204
    assert list(employer.members.values_list("user", flat=True)) == [owner.pk]


def test_staff_list_employers_page_by_page(as_user, reviewer: User):
    for n in range(5):
        EmployerFactory.create(name=f"ТОО «Бригада {n}»")
    client = as_user(reviewer)

    first = client.get(LIST, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    names = [e["name"] for e in first["results"] + second["results"]]
    assert names == [f"ТОО «Бригада {n}»" for n in range(5)]
    assert second["next"] is None

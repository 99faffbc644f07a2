"""Matches through the API: the seeker's own list, an employer's ranked candidates for
a vacancy (only as the seekers' visibility allows), the staff's verdict on any pair,
and the admin pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from matching import indexes, services
from matching.filters import SeekerMatchFilter
from matching.models import Kind, Match, MatchStatus, Standing
from seekers import services as seeker_services
from seekers.models import SeekerProfile, Visibility
from taxonomy.models import Currency, Skill
from tests.factories import PASSWORD, UserFactory
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from vacancies import services as vacancy_services
from vacancies.models import Employer, Vacancy

pytestmark = pytest.mark.django_db

MINE = "/api/v1/profile/matches/"
EXPLAIN = "/api/v1/staff/matches/explain/"


def ranked(vacancy: Vacancy) -> str:
    return f"/api/v1/employer/vacancies/{vacancy.pk}/matches/"


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()


def welder(user: User, **fields: Any) -> SeekerProfile:
    fields.setdefault("visibility", Visibility.ALL_EMPLOYERS)
    return make_profile(user, **fields)


def person(email: str, **fields: Any) -> SeekerProfile:
    return welder(UserFactory.create(email=email, full_name=email.split("@")[0]), **fields)


def match_vacancy(vacancy: Vacancy) -> None:
    services.match_now(kind=Kind.VACANCY, object_id=vacancy.pk)


def match_seeker(profile: SeekerProfile) -> None:
    services.match_now(kind=Kind.SEEKER, object_id=profile.pk)


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def speak(user: User, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


# --- The seeker's matches -------------------------------------------------------------


def sign_in_with_token(api: APIClient, user: User) -> None:
    token = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")


def test_a_seeker_sees_the_matched_vacancies_best_first_with_the_vacancy_and_why(
    api: APIClient, seeker: User, owner: User
):
    profile = welder(seeker)  # lives in Almaty (KZ-75)
    near = post_vacancy(
        by=owner, region="KZ-75", city="Алматы", title="Сварщик в Алматы",
        salary_min=Decimal(400000), salary_max=Decimal(550000),
        salary_currency=Currency.objects.get(code="KZT"),
    )  # fmt: skip
    far = post_vacancy(by=owner, region="KZ-23", title="Сварщик в Атырау")
    match_seeker(profile)

    api.force_authenticate(seeker)
    rows = results(api.get(MINE))

    assert [row["vacancy"]["id"] for row in rows] == [near.pk, far.pk]
    assert rows[0]["score"] > rows[1]["score"]
    summary = rows[0]["vacancy"]
    assert summary["title"] == "Сварщик в Алматы"
    assert summary["employer_name"] == "ТОО «Каспий Сервис»"
    assert (summary["country"], summary["region"], summary["city"]) == ("KZ", "KZ-75", "Алматы")
    assert (summary["salary_min"], summary["salary_max"], summary["salary_currency"]) == (
        "400000.00", "550000.00", "KZT",
    )  # fmt: skip
    assert summary["work_mode"] == "on_site" and summary["employment_type"] == "full_time"
    assert summary["expires_on"] == near.expires_on.isoformat()  # type: ignore[union-attr]
    assert rows[0]["status"] == MatchStatus.NEW and rows[0]["standing"] == Standing.CURRENT
    explanation = rows[0]["explanation"]
    assert explanation["eligible"] is True and explanation["reasons"] == []
    labels = {c["key"]: c["label"] for c in explanation["components"]}
    assert labels["skills"] == "Skills" and labels["location"] == "Location and distance"
    assert round(sum(c["points"] for c in explanation["components"]), 1) == rows[0]["score"]
    far_flags = {f["key"]: f["message"] for f in rows[1]["explanation"]["flags"]}
    assert far_flags["relocation_needed"].startswith("Relocation needed")


def test_a_missing_skill_is_named_in_the_seekers_language(
    api: APIClient, seeker: User, owner: User
):
    profile = welder(seeker)
    vacancy = post_vacancy(
        by=owner, region="KZ-75", skills=(("welding", 3, True), ("pressure-testing", 2, True))
    )
    match_seeker(profile)
    missing = Skill.objects.get(uri="urn:borderless:skill:pressure-testing")
    sign_in_with_token(api, seeker)  # as a mobile app would: the token carries no language

    english = results(api.get(MINE))[0]["explanation"]["missing_skills"]
    speak(seeker, "ru")
    russian = results(api.get(MINE))[0]["explanation"]["missing_skills"]
    detail = api.get(f"{MINE}{Match.objects.get(vacancy=vacancy).pk}/").json()

    assert english == [{"id": missing.pk, "label": "Pipeline pressure testing"}]
    assert russian == [{"id": missing.pk, "label": "Опрессовка трубопроводов"}]
    assert detail["explanation"]["missing_skills"] == russian


def test_a_foreign_eaeu_citizen_reads_that_no_permit_but_a_diploma_recognition_is_needed(
    api: APIClient, seeker: User, owner: User
):
    profile = welder(seeker, citizenships=("KG",), occupations=("2221",))
    post_vacancy(by=owner, region="KZ-75", occupation="2221")
    match_seeker(profile)

    api.force_authenticate(seeker)
    flags = {f["key"]: f["message"] for f in results(api.get(MINE))[0]["explanation"]["flags"]}

    assert flags["eaeu_treaty"].startswith("No work permit needed")
    assert flags["diploma_recognition_needed"].startswith("Diploma recognition needed")


def test_a_seeker_marks_a_match_seen_then_dismissed(api: APIClient, seeker: User, owner: User):
    profile = welder(seeker)
    match_vacancy(post_vacancy(by=owner))
    match = Match.objects.get(seeker=profile)
    api.force_authenticate(seeker)

    seen = api.post(f"{MINE}{match.pk}/status/", {"status": "seen"})
    dismissed = api.post(f"{MINE}{match.pk}/status/", {"status": "dismissed"})

    assert seen.status_code == 200 and seen.json()["status"] == "seen"
    assert dismissed.json()["status"] == "dismissed"
    match.refresh_from_db()
    assert match.status == MatchStatus.DISMISSED and match.status_changed_at is not None
    assert results(api.get(MINE, {"status": "dismissed"}))[0]["id"] == match.pk
    assert results(api.get(MINE, {"status": "new"})) == []


@pytest.mark.parametrize("body", [{"status": "contacted"}, {"status": "liked"}, {}, {"status": ""}])
def test_a_status_the_seeker_may_not_set_is_a_400_on_the_field(
    api: APIClient, seeker: User, owner: User, body: dict[str, str]
):
    profile = welder(seeker)
    match_vacancy(post_vacancy(by=owner))
    match = Match.objects.get(seeker=profile)
    api.force_authenticate(seeker)

    response = api.post(f"{MINE}{match.pk}/status/", body)

    assert response.status_code == 400
    assert "status" in response.json()
    assert Match.objects.get(pk=match.pk).status == MatchStatus.NEW


def test_contacted_is_refused_with_a_message_saying_who_sets_it(
    api: APIClient, seeker: User, owner: User
):
    welder(seeker)
    match_vacancy(post_vacancy(by=owner))
    api.force_authenticate(seeker)

    response = api.post(f"{MINE}{Match.objects.get().pk}/status/", {"status": "contacted"})

    assert "invitation" in response.json()["status"][0]


def test_a_closed_vacancys_match_shows_only_when_the_standing_filter_asks(
    api: APIClient, seeker: User, owner: User
):
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    match_vacancy(vacancy)
    vacancy_services.vacancy_close(vacancy=vacancy, by=owner)
    match_vacancy(vacancy)
    match = Match.objects.get(seeker=profile)
    assert match.standing == Standing.CLOSED
    api.force_authenticate(seeker)

    assert results(api.get(MINE)) == []
    assert [r["id"] for r in results(api.get(MINE, {"standing": "closed"}))] == [match.pk]
    both = api.get(MINE, {"standing": ["current", "closed"]})
    assert [r["id"] for r in results(both)] == [match.pk]
    assert api.get(f"{MINE}{match.pk}/").json()["standing"] == "closed"


def test_the_seeker_filters_by_country_and_score(api: APIClient, seeker: User, owner: User):
    profile = welder(seeker, mobility_scope="eaeu")
    kz = post_vacancy(by=owner, region="KZ-75")
    ru = post_vacancy(by=owner, country="RU", region="RU-MOW")
    match_seeker(profile)
    scores = dict(Match.objects.values_list("vacancy_id", "score"))
    assert set(scores) == {kz.pk, ru.pk}
    api.force_authenticate(seeker)

    in_russia = results(api.get(MINE, {"country": "RU"}))
    high = results(api.get(MINE, {"min_score": str(scores[kz.pk])}))

    assert [r["vacancy"]["id"] for r in in_russia] == [ru.pk]
    assert [r["vacancy"]["id"] for r in high] == [kz.pk]


@pytest.mark.parametrize(
    "query",
    [{"standing": "gone"}, {"status": "liked"}, {"min_score": "many"}, {"min_score": "101"},
     {"country": "XX"}],
)  # fmt: skip
def test_a_bad_filter_is_a_400_naming_it(api: APIClient, seeker: User, query: dict[str, str]):
    api.force_authenticate(seeker)
    response = api.get(MINE, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_seeker_filter_defaults_to_current_matches(seeker: User, owner: User):
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    match_vacancy(vacancy)
    vacancy_services.vacancy_close(vacancy=vacancy, by=owner)
    match_vacancy(vacancy)
    mine = Match.objects.filter(seeker=profile)

    assert list(SeekerMatchFilter({}, queryset=mine).qs) == []
    assert SeekerMatchFilter({"standing": ["closed"]}, queryset=mine).qs.count() == 1


def test_another_seekers_match_is_a_404_and_other_roles_a_403(
    api: APIClient, seeker: User, other_seeker: User, owner: User
):
    welder(seeker)
    match_vacancy(post_vacancy(by=owner))
    match = Match.objects.get()

    api.force_authenticate(other_seeker)
    assert results(api.get(MINE)) == []
    assert api.get(f"{MINE}{match.pk}/").status_code == 404
    assert api.get(f"{MINE}99999999999999999999999/").status_code == 404
    assert api.post(f"{MINE}{match.pk}/status/", {"status": "seen"}).status_code == 404
    api.force_authenticate(owner)
    assert api.get(MINE).status_code == 403
    api.force_authenticate(None)
    assert api.get(MINE).status_code == 401
    assert Match.objects.get().status == MatchStatus.NEW


# --- The employer's ranked candidates -------------------------------------------------


def test_an_employer_sees_the_candidates_best_first_without_their_names(
    api: APIClient, owner: User, seeker: User, other_seeker: User
):
    strong = welder(seeker, skills=(("welding", 5), ("arc-welding", 4)))
    weak = welder(other_seeker, skills=(("welding", 1),), region="KZ-23")
    vacancy = post_vacancy(by=owner, region="KZ-75", skills=(("welding", 4, True),))
    match_vacancy(vacancy)

    api.force_authenticate(owner)
    rows = results(api.get(ranked(vacancy)))

    assert [r["candidate"]["id"] for r in rows] == [strong.pk, weak.pk]
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[0]["id"] == Match.objects.get(seeker=strong).pk
    assert rows[0]["explanation"]["components"][0]["label"] == "Skills"
    candidate = rows[0]["candidate"]
    assert candidate["anonymous"] is True and candidate["headline"] == "Сварщик 4 разряда"
    assert "full_name" not in candidate and "email" not in candidate and "phone" not in candidate
    assert seeker.email not in str(rows) and seeker.full_name not in str(rows)
    assert results(api.get(ranked(vacancy), {"min_score": str(rows[0]["score"])})) == rows[:1]


def test_candidates_with_equal_scores_page_through_without_gaps_or_repeats(
    api: APIClient, owner: User
):
    twins = [person(f"twin{n}@example.kz").pk for n in range(3)]
    vacancy = post_vacancy(by=owner, region="KZ-75")
    match_vacancy(vacancy)
    assert Match.objects.filter(vacancy=vacancy).values("score").distinct().count() == 1
    api.force_authenticate(owner)

    seen: list[int] = []
    url: str | None = ranked(vacancy) + "?page_size=1"
    while url:
        page = api.get(url).json()
        seen += [row["candidate"]["id"] for row in page["results"]]
        url = page["next"]

    assert seen == sorted(twins)


def test_candidates_are_explained_in_the_members_language(
    api: APIClient, recruiter: User, seeker: User, owner: User
):
    welder(seeker)
    vacancy = post_vacancy(
        by=owner, region="KZ-75", skills=(("welding", 3, True), ("pressure-testing", 2, True))
    )
    match_vacancy(vacancy)
    speak(recruiter, "ru")

    sign_in_with_token(api, recruiter)
    row = results(api.get(ranked(vacancy)))[0]

    assert row["explanation"]["missing_skills"][0]["label"] == "Опрессовка трубопроводов"


def test_only_the_seekers_visible_to_the_employer_are_ranked(
    api: APIClient, owner: User, rival: User, employer: Employer
):
    """Owner's employer is Kazakh, the rival's Russian; both post in Almaty."""
    kz_only = person("kz.only@example.kz", visibility=Visibility.COUNTRIES, visible_in=("KZ",))
    ru_only = person("ru.only@example.kz", visibility=Visibility.COUNTRIES, visible_in=("RU",))
    everyone = person("open@example.kz")
    anonymous = person("anon@example.kz", visibility=Visibility.ANONYMOUS)
    hides = person("hides@example.kz")
    turned_hidden = person("hidden.later@example.kz")
    ours = post_vacancy(by=owner, region="KZ-75")
    theirs = post_vacancy(by=rival, region="KZ-75")
    match_vacancy(ours)
    match_vacancy(theirs)
    # What the seekers change after the run: the stored matches stay current until the
    # next run, and must not show meanwhile.
    seeker_services.profile_update(profile=hides, hidden_from_employer_ids=[employer.pk])
    seeker_services.profile_update(profile=turned_hidden, visibility=Visibility.HIDDEN)
    every = {kz_only.pk, ru_only.pk, everyone.pk, anonymous.pk, hides.pk, turned_hidden.pk}
    assert set(Match.objects.filter(vacancy=ours).values_list("seeker_id", flat=True)) == every

    api.force_authenticate(owner)
    seen_by_kz = results(api.get(ranked(ours)))
    api.force_authenticate(rival)
    seen_by_ru = {r["candidate"]["id"] for r in results(api.get(ranked(theirs)))}

    assert {r["candidate"]["id"] for r in seen_by_kz} == {kz_only.pk, everyone.pk, anonymous.pk}
    assert seen_by_ru == {ru_only.pk, everyone.pk, anonymous.pk, hides.pk}
    shown = {r["candidate"]["id"]: r["candidate"] for r in seen_by_kz}[anonymous.pk]
    assert shown["anonymous"] is True and "full_name" not in shown
    assert "anon@example.kz" not in str(seen_by_kz)


def test_another_employers_vacancy_is_a_404_and_a_seeker_a_403(
    api: APIClient, owner: User, rival: User, seeker: User, reviewer: User
):
    welder(seeker)
    vacancy = post_vacancy(by=owner)
    match_vacancy(vacancy)

    api.force_authenticate(rival)
    assert api.get(ranked(vacancy)).status_code == 404
    assert api.get("/api/v1/employer/vacancies/999999999/matches/").status_code == 404
    assert api.get("/api/v1/employer/vacancies/99999999999999999999999/matches/").status_code == 404
    api.force_authenticate(seeker)
    assert api.get(ranked(vacancy)).status_code == 403
    api.force_authenticate(reviewer)
    assert api.get(ranked(vacancy)).status_code == 403


def test_the_ranked_list_costs_the_same_queries_for_any_page_size(
    api: APIClient, owner: User, django_assert_max_num_queries: Any
):
    skills = (("welding", 3, True), ("pressure-testing", 2, True))
    vacancy = post_vacancy(by=owner, region="KZ-75", skills=skills)
    for n in range(2):
        person(f"first{n}@example.kz", experience=True)
    match_vacancy(vacancy)
    api.force_authenticate(owner)
    with CaptureQueriesContext(connection) as few:
        assert len(results(api.get(ranked(vacancy)))) == 2
    for n in range(8):
        person(f"more{n}@example.kz", experience=True, visibility=Visibility.ANONYMOUS)
    match_vacancy(vacancy)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(results(api.get(ranked(vacancy)))) == 10


def test_the_seekers_list_costs_the_same_queries_for_any_page_size(
    api: APIClient, seeker: User, owner: User, django_assert_max_num_queries: Any
):
    profile = welder(seeker, mobility_scope="eaeu")
    skills = (("welding", 3, True), ("pressure-testing", 2, True))
    post_vacancy(by=owner, region="KZ-75", skills=skills)
    match_seeker(profile)
    api.force_authenticate(seeker)
    with CaptureQueriesContext(connection) as few:
        assert len(results(api.get(MINE))) == 1
    for region in ("KZ-23", "KZ-79", "KZ-71", "KZ-11"):
        post_vacancy(by=owner, region=region, skills=skills)
    match_seeker(profile)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(results(api.get(MINE))) == 5


# --- Staff: the verdict on any pair --------------------------------------------------


def test_staff_see_why_a_non_eaeu_citizen_is_filtered_out_of_an_eaeu_only_vacancy(
    api: APIClient, reviewer: User, owner: User, seeker: User
):
    profile = welder(seeker, citizenships=("UZ",))
    vacancy = post_vacancy(by=owner, region="KZ-75", eligibility="eaeu")
    match_vacancy(vacancy)
    assert not Match.objects.filter(seeker=profile).exists()

    api.force_authenticate(reviewer)
    response = api.get(EXPLAIN, {"vacancy": vacancy.pk, "seeker": profile.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["matchable"] is True and body["not_matchable"] is None
    assert body["match"] is None and body["vacancy"]["id"] == vacancy.pk
    verdict = body["verdict"]
    assert verdict["eligible"] is False
    assert verdict["reasons"] == [
        {
            "key": "work_permit_required",
            "params": {"country": "KZ"},
            "message": "Work permit needed for Kazakhstan, and the employer does not sponsor one.",
        }
    ]
    assert len(verdict["components"]) == 8


def test_staff_see_the_stored_match_next_to_the_verdict(
    api: APIClient, admin_user: User, owner: User, seeker: User
):
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    match_vacancy(vacancy)
    match = Match.objects.get()

    api.force_authenticate(admin_user)
    body = api.get(EXPLAIN, {"vacancy": vacancy.pk, "seeker": profile.pk}).json()

    assert body["match"]["id"] == match.pk
    assert body["match"]["score"] == float(match.score) == body["verdict"]["score"]
    assert (body["match"]["standing"], body["match"]["status"]) == ("current", "new")
    assert seeker.email not in str(body) and seeker.full_name not in str(body)


def test_staff_are_told_a_profile_without_consent_is_never_matched(
    api: APIClient, reviewer: User, owner: User, seeker: User
):
    profile = make_profile(seeker)  # no consent given
    vacancy = post_vacancy(by=owner)

    api.force_authenticate(reviewer)
    body = api.get(EXPLAIN, {"vacancy": vacancy.pk, "seeker": profile.pk}).json()

    assert body["matchable"] is False and body["verdict"] is None
    assert body["not_matchable"]["key"] == "no_consent"
    assert "consented" in body["not_matchable"]["message"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"vacancy": "999999999", "seeker": "999999999"}, {"vacancy", "seeker"}),
        ({"vacancy": "abc", "seeker": "1.5"}, {"vacancy", "seeker"}),
        ({"vacancy": "99999999999999999999999"}, {"vacancy", "seeker"}),
        ({}, {"vacancy", "seeker"}),
    ],
)
def test_unknown_or_malformed_ids_are_a_400_naming_them(
    api: APIClient, reviewer: User, query: dict[str, str], fields: set[str]
):
    api.force_authenticate(reviewer)
    response = api.get(EXPLAIN, query)
    assert response.status_code == 400
    assert set(response.json()) == fields


def test_only_platform_staff_ask_for_a_verdict(
    api: APIClient, owner: User, seeker: User, reviewer: User
):
    profile = welder(seeker)
    vacancy = post_vacancy(by=owner)
    query = {"vacancy": vacancy.pk, "seeker": profile.pk}

    assert api.get(EXPLAIN, query).status_code == 401
    for user in (owner, seeker):
        api.force_authenticate(user)
        assert api.get(EXPLAIN, query).status_code == 403
    api.force_authenticate(reviewer)
    assert api.get(EXPLAIN, query).status_code == 200


# --- Admin ---------------------------------------------------------------------------


def test_the_admin_lists_matches_requests_and_runs(
    client: Any, admin_user: User, owner: User, seeker: User
):
    welder(seeker)
    match_vacancy(post_vacancy(by=owner))
    match = Match.objects.get()
    client.force_login(admin_user)

    for url in (
        "/admin/matching/match/",
        "/admin/matching/match/?standing__exact=current",
        f"/admin/matching/match/{match.pk}/change/",
        "/admin/matching/matchrequest/?pending=yes",
        "/admin/matching/matchrequest/?pending=no",
        "/admin/matching/matchrun/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "missing_skills" in client.get(f"/admin/matching/match/{match.pk}/change/").text

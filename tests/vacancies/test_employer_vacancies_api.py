"""/api/v1/employer/vacancies/: an employer's own vacancies, written with their skills
and languages in one request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from tests.vacancies.factories import post_vacancy, skill, vacancy_body
from vacancies.models import Vacancy, VacancyLanguage, VacancySkill

pytestmark = pytest.mark.django_db

LIST = "/api/v1/employer/vacancies/"


def detail(vacancy: Vacancy) -> str:
    return f"{LIST}{vacancy.pk}/"


def test_a_recruiter_creates_a_draft_with_its_skills_and_languages(as_user, recruiter: User):
    response = as_user(recruiter).post(LIST, vacancy_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["revision"] == 1
    assert [s["min_level"] for s in body["skills"]] == [4, 3]
    vacancy = Vacancy.objects.get(pk=body["id"])
    assert vacancy.employer.members.filter(user=recruiter).exists()
    assert vacancy.title == "Сварщик на вахту" and vacancy.rotation_pattern == "15/15"
    assert set(
        VacancySkill.objects.filter(vacancy=vacancy).values_list("skill_id", "required")
    ) == {
        (skill("welding").pk, True),
        (skill("arc-welding").pk, False),
    }
    assert list(
        VacancyLanguage.objects.filter(vacancy=vacancy).values_list("language_id", "min_level")
    ) == [("ru", "B1")]
    assert vacancy.search_vector is not None


def test_the_owner_creates_vacancies_too(as_user, owner: User):
    response = as_user(owner).post(LIST, vacancy_body(), format="json")
    assert response.status_code == 201, response.content


def test_members_list_only_their_employers_vacancies(
    as_user, owner: User, recruiter: User, rival: User
):
    ours = post_vacancy(by=owner, publish=False)
    theirs = post_vacancy(by=rival, publish=False, country="RU", region="RU-TYU")

    for member in (owner, recruiter):
        ids = [v["id"] for v in as_user(member).get(LIST).json()["results"]]
        assert ids == [ours.pk]
    assert [v["id"] for v in as_user(rival).get(LIST).json()["results"]] == [theirs.pk]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"title": "Чужая"}),
        ("delete", "", None),
        ("post", "publish/", None),
        ("post", "close/", None),
        ("get", "revisions/", None),
    ],
)
def test_another_employers_vacancy_is_not_found(
    as_user, owner: User, rival: User, method, suffix, body
):
    vacancy = post_vacancy(by=owner)

    response = getattr(as_user(rival), method)(detail(vacancy) + suffix, body, format="json")

    assert response.status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.title == "Сварщик" and vacancy.status == "published"


@pytest.mark.parametrize("who", ["seeker", "reviewer", "admin_user", "newcomer"])
def test_people_outside_any_employer_cannot_use_the_employer_vacancy_list(
    request, as_user, owner: User, who
):
    post_vacancy(by=owner)
    client = as_user(request.getfixturevalue(who))

    assert client.get(LIST).status_code == 403
    assert client.post(LIST, vacancy_body(), format="json").status_code == 403
    assert Vacancy.objects.count() == 1


def test_anonymous_callers_must_sign_in(api: APIClient, owner: User):
    vacancy = post_vacancy(by=owner)
    assert api.get(LIST).status_code == 401
    assert api.get(detail(vacancy)).status_code == 401
    assert api.post(LIST, vacancy_body(), format="json").status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "RU-TYU"}, "region"),
        ({"salary_min": "700000.00", "salary_max": "600000.00"}, "salary_min"),
        ({"salary_currency": "XYZ"}, "salary_currency"),
        ({"salary_currency": "GBP"}, "salary_currency"),
        ({"salary_min": "много"}, "salary_min"),
        ({"languages": [{"language": "ru", "min_level": "B7"}]}, "languages"),
        ({"languages": [{"language": "xx", "min_level": "B1"}]}, "languages"),
        ({"skills": [{"skill": 999999, "min_level": 3}]}, "skills"),
        ({"skills": [{"skill": 1, "min_level": 9}]}, "skills"),
        ({"occupation": "72"}, "occupation"),
        ({"occupation": "9999"}, "occupation"),
        ({"country": "UZ", "region": "KZ-23"}, "country"),
        ({"rotation_pattern": ""}, "rotation_pattern"),
        ({"employment_type": "full_time", "rotation_pattern": "15/15"}, "rotation_pattern"),
        ({"remote_countries": ["KZ"]}, "remote_countries"),
        ({"positions": 0}, "positions"),
        ({"title": ""}, "title"),
        ({"work_mode": "telepathy"}, "work_mode"),
    ],
)
def test_bad_input_is_refused_with_field_messages(as_user, recruiter: User, overrides, field):
    response = as_user(recruiter).post(LIST, vacancy_body(**overrides), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Vacancy.objects.exists()


def test_scripts_in_a_description_are_removed_not_refused(as_user, recruiter: User):
    html = (
        '<p onclick="steal()">Вахта</p><script>alert("x")</script><style>p{}</style>'
        '<a href="javascript:alert(1)">click</a> <a href="https://caspian.kz/jobs">site</a>'
        "<ul><li><strong>Жильё</strong></li></ul><h3>Условия</h3><iframe src=x></iframe>"
    )
    response = as_user(recruiter).post(LIST, vacancy_body(description=html), format="json")

    assert response.status_code == 201, response.content
    stored = Vacancy.objects.get().description
    assert stored == (
        '<p>Вахта</p><a rel="nofollow">click</a> '
        '<a href="https://caspian.kz/jobs" rel="nofollow">site</a>'
        "<ul><li><strong>Жильё</strong></li></ul><h3>Условия</h3>"
    )
    assert response.json()["description"] == stored


def test_a_nested_write_that_fails_leaves_the_vacancy_as_it_was(as_user, recruiter: User):
    vacancy = post_vacancy(by=recruiter, publish=False, title="Сварщик")
    welding = skill("welding").pk

    response = as_user(recruiter).patch(
        detail(vacancy),
        {
            "title": "Сварщик-аргонщик",
            "skills": [{"skill": skill("tig-welding").pk, "min_level": 3}],
            # the same language twice: refused by the database after the rest was written
            "languages": [
                {"language": "kk", "min_level": "A2"},
                {"language": "kk", "min_level": "B1"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "languages" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.title == "Сварщик"
    assert list(vacancy.skills.values_list("skill_id", flat=True)) == [welding]
    assert not vacancy.languages.exists()


def test_a_list_that_is_sent_replaces_the_old_one_and_a_list_left_out_stays(
    as_user, recruiter: User
):
    vacancy = post_vacancy(by=recruiter, publish=False, languages=[("ru", "B1")])

    response = as_user(recruiter).patch(
        detail(vacancy),
        {"skills": [{"skill": skill("pipe-welding").pk, "min_level": 5}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert list(vacancy.skills.values_list("skill_id", "min_level", "required")) == [
        (skill("pipe-welding").pk, 5, True)
    ]
    assert list(vacancy.languages.values_list("language_id", flat=True)) == ["ru"]
    assert [s["skill"] for s in response.json()["skills"]] == [skill("pipe-welding").pk]


def test_read_only_fields_cannot_be_set(as_user, recruiter: User, rival: User):
    vacancy = post_vacancy(by=recruiter, publish=False)
    rival_employer = rival.employer_memberships.get().employer_id

    response = as_user(recruiter).patch(
        detail(vacancy),
        {
            "status": "published",
            "revision": 7,
            "employer": rival_employer,
            "published_at": "2026-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 200
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.revision, vacancy.published_at) == ("draft", 1, None)
    assert vacancy.employer_id != rival_employer


def test_a_remote_vacancy_lists_the_countries_people_may_work_from(as_user, recruiter: User):
    body = vacancy_body(
        work_mode="remote",
        employment_type="full_time",
        rotation_pattern="",
        occupation="2512",
        remote_countries=["KZ", "KG", "AM"],
    )
    response = as_user(recruiter).post(LIST, body, format="json")

    assert response.status_code == 201, response.content
    assert sorted(response.json()["remote_countries"]) == ["AM", "KG", "KZ"]
    vacancy = Vacancy.objects.get()
    # back on site, the countries no longer mean anything and are cleared
    as_user(recruiter).patch(detail(vacancy), {"work_mode": "on_site"}, format="json")
    assert not vacancy.remote_countries.exists()


def test_a_draft_is_deleted_but_a_published_vacancy_is_not(as_user, recruiter: User):
    draft = post_vacancy(by=recruiter, publish=False)
    published = post_vacancy(by=recruiter)

    assert as_user(recruiter).delete(detail(draft)).status_code == 204
    response = as_user(recruiter).delete(detail(published))

    assert response.status_code == 409
    assert "status" in response.json()
    assert list(Vacancy.objects.values_list("pk", flat=True)) == [published.pk]


def test_listing_many_vacancies_costs_the_same_queries_as_listing_one(
    as_user, recruiter: User, django_assert_max_num_queries
):
    post_vacancy(by=recruiter, languages=[("ru", "B1")])
    client = as_user(recruiter)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(5):
        post_vacancy(by=recruiter, languages=[("ru", "B1"), ("kk", "A2")])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 6


def test_the_employer_list_filters_by_state_and_words(as_user, recruiter: User):
    post_vacancy(by=recruiter, title="Сварщик")
    post_vacancy(
        by=recruiter, title="Повар", publish=False, occupation="5120", skills=[("cooking", 3, True)]
    )
    client = as_user(recruiter)

    drafts = client.get(LIST, {"status": "draft"}).json()["results"]
    both = client.get(LIST + "?status=draft&status=published").json()["results"]
    cooks = client.get(LIST, {"q": "повара"}).json()["results"]

    assert [v["title"] for v in drafts] == ["Повар"]
    assert len(both) == 2
    assert [v["title"] for v in cooks] == ["Повар"]
    assert client.get(LIST, {"status": "archived"}).status_code == 400


def test_a_full_update_replaces_the_fields_and_the_lists_sent(as_user, owner: User):
    vacancy = post_vacancy(by=owner, publish=False, languages=[("kk", "A2")])
    body = vacancy_body(title="Сварщик НАКС", city="Актау", region="KZ-47", languages=[])

    response = as_user(owner).put(detail(vacancy), body, format="json")

    assert response.status_code == 200, response.content
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.city, vacancy.region_id) == ("Сварщик НАКС", "Актау", "KZ-47")
    assert vacancy.skills.count() == 2 and not vacancy.languages.exists()

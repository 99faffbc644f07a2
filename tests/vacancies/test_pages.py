"""The public vacancy pages: the search with shareable URLs, and a vacancy's own page
with its JobPosting, the salary in the reader's currency and their match."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from matching import indexes
from matching import services as match_services
from seekers.models import Visibility
from taxonomy.models import Currency, ExchangeRate
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from vacancies import services
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    indexes.registry.forget()  # the rows of earlier tests were rolled back


def kzt() -> Currency:
    return Currency.objects.get(code="KZT")


def jsonld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_search_page_filters_by_its_url_and_links_each_vacancy(
    client: Client, owner: User
) -> None:
    welder = post_vacancy(
        by=owner, title="Сварщик на вахту", salary_min=450000, salary_currency=kzt()
    )
    post_vacancy(by=owner, title="Бухгалтер", occupation="2411")

    page = client.get("/vacancies/", {"q": "сварщик", "country": "KZ"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Сварщик на вахту" in html and "Бухгалтер" not in html
    assert f'href="/vacancies/{welder.pk}/"' in html
    # The form shows what was searched, so the URL and the page agree.
    assert 'value="сварщик"' in html
    assert "450" in html and "KZT" in html


def test_a_bad_filter_is_named_next_to_its_field_and_what_was_typed_stays(
    client: Client,
) -> None:
    page = client.get("/vacancies/", {"q": "электрик", "salary_min": "много"})

    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_salary_min_errors"' in html
    assert 'value="электрик"' in html


def test_the_search_pages_its_results_and_keeps_the_filters_in_the_page_links(
    client: Client, owner: User
) -> None:
    for n in range(23):
        post_vacancy(by=owner, title=f"Сварщик {n}")

    first = client.get("/vacancies/", {"q": "сварщик"}).content.decode()
    second = client.get("/vacancies/", {"q": "сварщик", "page": "2"}).content.decode()

    assert first.count('<li>\n        <a href="/vacancies/') == 20
    assert second.count('<li>\n        <a href="/vacancies/') == 3
    assert 'href="?q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA&amp;page=2"' in first


def test_a_vacancy_page_embeds_its_jobposting(client: Client, owner: User) -> None:
    vacancy = post_vacancy(
        by=owner, title="Сварщик </script><b>", salary_min=450000, salary_currency=kzt()
    )

    page = client.get(f"/vacancies/{vacancy.pk}/")

    assert page.status_code == 200
    posting = jsonld(page.content.decode())
    assert posting["@type"] == "JobPosting"
    # A title cannot close the script element and inject markup.
    assert posting["title"] == "Сварщик </script><b>"
    assert "</script><b>" not in page.content.decode().split("</title>")[1].split("<h1>")[0]


def test_a_closed_or_draft_vacancy_has_no_public_page(client: Client, owner: User) -> None:
    draft = post_vacancy(by=owner, publish=False)
    closed = post_vacancy(by=owner)
    services.vacancy_close(vacancy=closed, by=owner)

    assert client.get(f"/vacancies/{draft.pk}/").status_code == 404
    assert client.get(f"/vacancies/{closed.pk}/").status_code == 404


def test_a_seeker_sees_the_salary_in_their_currency_and_why_it_matches(
    client: Client, owner: User, seeker: User
) -> None:
    today = timezone.localdate()
    for code, units in (("KZT", "500"), ("RUB", "100")):
        ExchangeRate.objects.update_or_create(
            currency=Currency.objects.get(code=code), date=today, defaults={"units_per_usd": units}
        )
    vacancy = post_vacancy(by=owner, salary_min=500000, salary_max=600000, salary_currency=kzt())
    make_profile(
        seeker,
        salary_amount=90000,
        salary_currency=Currency.objects.get(code="RUB"),
        visibility=Visibility.ALL_EMPLOYERS,
    )
    match_services.match_now(kind="vacancy", object_id=vacancy.pk)
    client.force_login(seeker)

    html = client.get(f"/vacancies/{vacancy.pk}/").content.decode()

    assert "100,000–120,000 RUB" in html or "100 000–120 000 RUB" in html
    assert "Why this match" in html and "Skills" in html


def test_the_language_switch_changes_the_page_and_the_account(
    client: Client, seeker: User, owner: User
) -> None:
    vacancy = post_vacancy(by=owner)
    client.force_login(seeker)

    answer = client.post("/language/", {"language": "ru", "next": f"/vacancies/{vacancy.pk}/"})

    assert answer.status_code == 302 and answer["Location"] == f"/vacancies/{vacancy.pk}/"
    seeker.refresh_from_db()
    assert seeker.preferred_language == "ru"
    assert "Найти работу" in client.get("/vacancies/").content.decode()


def test_the_language_switch_sends_nobody_to_another_site(client: Client) -> None:
    answer = client.post("/language/", {"language": "ru", "next": "https://evil.example/"})

    assert answer["Location"] == "/"
    assert Vacancy.objects.count() == 0

"""A visitor's pages in a real browser: the search on a phone, a vacancy with its
JobPosting, the language switch, and signing up with the keyboard alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from taxonomy.models import Currency
from tests.browser.conftest import PHONE, Shots
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def vacancies(owner: User) -> None:
    kzt = Currency.objects.get(code="KZT")
    post_vacancy(
        by=owner,
        title="Сварщик на вахту",
        city="Атырау",
        salary_min=450000,
        salary_max=600000,
        salary_currency=kzt,
        employment_type="rotational",
        rotation_pattern="15/15",
    )
    post_vacancy(
        by=owner, title="Сварщик ручной дуговой сварки", salary_min=380000, salary_currency=kzt
    )
    post_vacancy(by=owner, title="Бухгалтер", occupation="2411")


def fits_the_screen(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]


def test_a_visitor_on_a_phone_searches_and_opens_a_vacancy(
    phone: Page, live_server: Any, vacancies: None, shots: Shots
) -> None:
    phone.goto(f"{live_server.url}/vacancies/")
    shots(phone, "search")
    assert fits_the_screen(phone)

    phone.get_by_label("What are you looking for?").fill("сварщик")
    phone.get_by_label("Country", exact=True).select_option("KZ")
    phone.get_by_role("button", name="Search").click()

    results = phone.locator(".results li")
    expect(results).to_have_count(2)
    expect(phone.get_by_role("status")).to_have_text("2 vacancies")
    assert "q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA" in phone.url  # a URL to share
    shots(phone, "results")
    assert fits_the_screen(phone)

    phone.get_by_role("link", name="Сварщик на вахту").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Сварщик на вахту")
    expect(phone.locator(".salary")).to_contain_text("KZT")
    posting = json.loads(phone.locator('script[type="application/ld+json"]').inner_text())
    assert posting["@type"] == "JobPosting" and posting["title"] == "Сварщик на вахту"
    shots(phone, "vacancy")
    assert fits_the_screen(phone)


def test_a_bad_search_says_what_is_wrong_beside_the_field(
    page: Page, live_server: Any, shots: Shots
) -> None:
    page.goto(f"{live_server.url}/vacancies/?q=сварщик&salary_min=-5")

    expect(page.locator("#id_salary_min_errors")).to_be_visible()
    expect(page.get_by_label("What are you looking for?")).to_have_value("сварщик")
    shots(page, "bad-search")


def test_the_language_switch_turns_the_site_into_russian(
    page: Page, live_server: Any, vacancies: None, shots: Shots
) -> None:
    page.goto(f"{live_server.url}/vacancies/?q=сварщик")

    page.get_by_role("button", name="Русский").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Найти работу")
    expect(page.get_by_role("status")).to_have_text("2 вакансии")
    assert "q=" in page.url  # the search the visitor was on
    shots(page, "search-ru")


def test_signing_up_with_the_keyboard_alone(page: Page, live_server: Any, shots: Shots) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("E-mail address").focus()

    page.keyboard.type("aibek@example.kg")
    page.keyboard.press("Tab")
    page.keyboard.type("Айбек Садыров")
    page.keyboard.press("Tab")  # the first choice of "I am"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery")
    shots(page, "filled")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Айбек Садыров")).to_be_visible()
    shots(page, "signed-in")
    user = User.objects.get(email="aibek@example.kg")
    assert user.full_name == "Айбек Садыров"

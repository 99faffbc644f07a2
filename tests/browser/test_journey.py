"""The whole journey in a real browser, once in English and once in Russian, against
the site served by the test, with a real Celery worker matching and notifying:

a seeker signs up and fills the profile; an employer signs up, registers the company,
posts a vacancy and publishes it; the worker matches; the seeker sees the vacancy under
"my matches" with its explanation and an unread notification; the employer sees the
candidate and invites; the seeker accepts; the employer moves the application to hired;
a reviewer approves the placement; both sides see the outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role, User
from matching.models import Match, Placement, PlacementStatus
from tests.browser.conftest import DESK, PHONE, Shots, opened
from tests.factories import PASSWORD, UserFactory, kz_bin
from tests.seekers.factories import skill
from tests.vacancies.factories import in_days
from tests.worker import celery_worker

pytestmark = pytest.mark.usefixtures("committed_db")

# What each language calls the things the test looks for on the pages.
WORDS = {
    "en": {"matches": "My matches", "why": "Why this match", "approved": "Approved"},
    "ru": {"matches": "Мои совпадения", "why": "Почему это совпадение", "approved": "Одобрено"},
}


@pytest.fixture
def worker() -> Iterator[None]:
    # Seeker runs wait a minute for more edits in production; here the vacancy's own
    # run finds the seeker, and nothing should wait.
    with celery_worker(
        queues="default,matching,notifications",
        name="journey",
        env={"MATCHING_SEEKER_DEBOUNCE_SECONDS": "0"},
    ):
        yield


def eventually(check: Callable[[], bool], *, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds:.0f} s still not: {what}")
        time.sleep(0.3)


def sign_up(page: Page, base: str, *, email: str, name: str, role: str, language: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_full_name").fill(name)
    page.locator(f"input[name=role][value={role}]").check()
    page.locator("#id_preferred_language").select_option(language)
    page.locator("#id_password").fill("correct horse battery")
    page.locator("#id_password_again").fill("correct horse battery")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(name)


def sign_in(page: Page, base: str, *, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()


def submit(page: Page) -> None:
    page.locator("main form.form button[type=submit]").first.click()


def fill_profile(page: Page, base: str, shots: Shots, *, welding_label: str) -> None:
    page.goto(f"{base}/me/profile/")
    page.locator("#id_headline").fill("Сварщик 5 разряда")
    page.locator("#id_country").select_option("KG")
    page.locator("#id_region").select_option("KG-O")
    page.locator("#id_city").fill("Ош")
    page.locator("#id_citizenships").select_option(["KG"])
    page.locator("#id_desired_occupations").select_option(["7212"])
    shots(page, "profile-about")
    submit(page)
    page.locator("#id_skill_0").fill(welding_label)
    page.locator("#id_level_0").select_option("5")
    shots(page, "profile-skills")
    submit(page)
    page.locator("#id_language_0").select_option("ru")
    page.locator("#id_level_0").select_option("C1")
    submit(page)
    page.locator("#id_mobility_scope").select_option("eaeu")
    page.locator("#id_remote_preference").select_option("any")
    page.locator("#id_accepts_rotational").check()
    submit(page)
    page.locator("input[name=visibility][value=all]").check()
    page.locator("#id_consent").check()
    shots(page, "profile-visibility")
    submit(page)
    expect(page).to_have_url(f"{base}/me/matches/")


def post_vacancy(page: Page, base: str, shots: Shots) -> None:
    page.goto(f"{base}/employer/vacancies/")
    expect(page).to_have_url(f"{base}/employer/")  # the company comes first
    page.locator("#id_name").fill("ТОО «Атырау Велд»")
    page.locator("#id_country").select_option("KZ")
    page.locator("#id_registration_number").fill(kz_bin(501))
    submit(page)
    page.goto(f"{base}/employer/vacancies/new/")
    page.locator("#id_title").fill("Сварщик на вахту")
    page.locator("#id_occupation").select_option("7212")
    page.locator("#id_country").select_option("KZ")
    page.locator("#id_region").select_option("KZ-23")
    page.locator("#id_employment_type").select_option("rotational")
    page.locator("#id_rotation_pattern").fill("15/15")
    page.locator("#id_salary_min").fill("450000")
    page.locator("#id_salary_max").fill("600000")
    page.locator("#id_salary_currency").select_option("KZT")
    page.locator("#id_eligibility").select_option("eaeu")
    page.locator("#id_skills").select_option([str(skill("welding").pk)])
    page.locator("#id_expires_on").fill(in_days(30).isoformat())
    shots(page, "vacancy-form")
    page.locator("button[name=publish]").click()
    expect(page).to_have_url(f"{base}/employer/vacancies/")
    shots(page, "vacancies")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_whole_journey(
    browser: Browser, live_server: Any, worker: None, shots: Shots, language: str
) -> None:
    base, words = live_server.url, WORDS[language]
    welding = skill("welding")
    reviewer = UserFactory.create(
        email=f"reviewer-{language}@borderless.test",
        role=Role.REVIEWER,
        preferred_language=language,
    )
    with (
        opened(browser, viewport=PHONE, is_mobile=True, has_touch=True) as seeker,
        opened(browser, viewport=DESK) as employer,
        opened(browser, viewport=DESK) as staff,
    ):
        # The seeker, on a phone in Osh.
        sign_up(
            seeker,
            base,
            email=f"aibek-{language}@example.kg",
            name="Айбек Садыров",
            role="seeker",
            language=language,
        )
        fill_profile(
            seeker,
            base,
            shots,
            welding_label=welding.label_ru if language == "ru" else welding.label_en,
        )
        # The recruiter, at a desk in Atyrau.
        sign_up(
            employer,
            base,
            email=f"hr-{language}@atyrau-weld.kz",
            name="Дана Ержанова",
            role="employer",
            language=language,
        )
        post_vacancy(employer, base, shots)

        person = User.objects.get(email=f"aibek-{language}@example.kg")
        eventually(
            lambda: Match.objects.filter(seeker__user=person).exists(),
            what="the worker matched the seeker with the vacancy",
        )
        eventually(
            lambda: person.notifications.filter(read_at__isnull=True).exists(),
            what="the seeker was told of the match",
        )

        seeker.goto(f"{base}/me/matches/")
        expect(seeker.get_by_role("heading", level=1)).to_have_text(words["matches"])
        expect(seeker.locator(".badge")).to_be_visible()  # the unread notification
        expect(seeker.locator(".matches > li")).to_have_count(1)
        seeker.locator(".matches summary").click()
        expect(seeker.locator(".why caption")).to_have_text(words["why"])
        shots(seeker, "my-matches")

        employer.locator(".row-actions a").first.click()  # the vacancy's candidates
        expect(employer.locator(".candidates > li")).to_have_count(1)
        expect(employer.locator(".candidates")).not_to_contain_text("Айбек")  # not yet
        shots(employer, "candidates")
        employer.locator(".candidates form button").click()

        eventually(
            lambda: person.seeker_profile.applications.exists(), what="the invitation is stored"
        )
        seeker.goto(f"{base}/me/applications/")
        seeker.locator("main .list a").first.click()
        seeker.locator("button[name=to][value=accepted]").click()
        expect(seeker.locator(".status")).to_have_text(
            "Принято" if language == "ru" else "Accepted"
        )
        shots(seeker, "accepted")

        employer.reload()
        employer.locator(".candidates a").first.click()  # to the application
        expect(employer.locator(".contacts")).to_contain_text("Айбек Садыров")
        for step in ("interview", "offer"):
            employer.locator(f"button[name=to][value={step}]").click()
        employer.locator("#id_start_date").fill(in_days(21).isoformat())
        employer.locator("form.hire button").click()
        shots(employer, "hired")
        placement = Placement.objects.get(seeker__user=person)

        sign_in(staff, base, email=reviewer.email)
        staff.goto(f"{base}/review/placements/")
        staff.get_by_role("link", name="Сварщик на вахту").click()
        shots(staff, "placement")
        staff.locator("button[name=decision][value=approve]").click()
        placement.refresh_from_db()
        assert placement.status == PlacementStatus.APPROVED

        # Both sides see the outcome: the application hired, the review told.
        seeker.goto(f"{base}/notifications/")
        expect(seeker.locator(".inbox li").first).to_contain_text("Сварщик на вахту")
        shots(seeker, "inbox")
        employer.goto(f"{base}/notifications/")
        expect(employer.locator(".inbox")).to_contain_text("Сварщик на вахту")
        staff.goto(f"{base}/review/placements/?status=approved")
        expect(staff.locator("table")).to_contain_text("Сварщик на вахту")
        expect(staff.get_by_role("link", name=words["approved"])).to_be_visible()
        shots(staff, "approved")

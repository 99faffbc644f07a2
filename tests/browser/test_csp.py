"""The pages work under the Content-Security-Policy: the browser opens each of them and
reports no blocked script, style, image or connection, and the scripted pages (the API
docs, the admin) run."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from accounts.models import Role
from tests.browser.conftest import DESK, opened
from tests.factories import PASSWORD, UserFactory
from tests.vacancies.factories import post_vacancy

pytestmark = pytest.mark.usefixtures("committed_db")


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # A missing asset; browsers ask for /favicon.ico on their own, we serve none.
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


def test_pages_docs_and_admin_run_without_a_policy_violation(
    browser: Browser, live_server: Any, owner: Any
) -> None:
    UserFactory.create(
        email="admin@borderless.test", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    vacancy = post_vacancy(by=owner)
    with opened(browser, viewport=DESK) as page:
        problems = _visit_everything(page, live_server.url, vacancy.pk)
    assert problems == []


def _visit_everything(page: Page, base: str, vacancy_id: int) -> list[str]:
    problems = _watch(page)
    for path in (
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/vacancies/?q=сварщик",
        f"/vacancies/{vacancy_id}/",
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    # Swagger UI builds the page from the schema with its (local) scripts.
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    page.wait_for_selector("text=/api/v1/auth/token/", timeout=30_000)

    page.goto(base + "/admin/login/")
    page.fill("#id_username", "admin@borderless.test")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")
    page.goto(base + "/admin/accounts/user/")
    assert page.locator("#result_list").count() == 1
    page.click("#result_list a[href*='/change/']")
    page.wait_for_selector("#user_form")
    return problems

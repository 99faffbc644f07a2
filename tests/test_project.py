from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_home_page_lists_the_member_states(client: Client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia"):
        assert name in page


@pytest.mark.django_db
def test_the_home_page_speaks_russian_to_a_russian_browser(client: Client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Казахстан" in page and "Кыргызстан" in page

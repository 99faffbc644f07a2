from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_employer_signs_up_on_the_page_and_is_signed_in(client: Client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "hr@atyrau-drilling.kz",
            "full_name": "Дана Ахметова",
            "role": "employer",
            "preferred_language": "ru",
            "password": "caspian-shelf-2026",
            "password_again": "caspian-shelf-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="hr@atyrau-drilling.kz")
    assert user.role == "employer"
    home = client.get("/")
    assert "Дана Ахметова" in home.content.decode()


def test_the_sign_up_form_keeps_what_was_typed_and_says_what_is_wrong(client: Client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "bishkek@example.kg",
            "full_name": "Бакыт Асанов",
            "role": "seeker",
            "preferred_language": "ru",
            "password": "osh-bazaar-2026",
            "password_again": "different",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The two passwords differ." in page
    assert 'value="bishkek@example.kg"' in page
    assert not User.objects.filter(email="bishkek@example.kg").exists()


def test_sign_in_and_out_with_an_email_address(client: Client, seeker: User):
    response = client.post("/accounts/login/", {"username": seeker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == seeker
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_five_wrong_passwords_on_the_page_lock_the_sign_in(client: Client, seeker: User):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": seeker.email, "password": "guess"})
        assert response.status_code == 200
        assert "enter a correct" in response.content.decode().lower()
    assert (
        client.post("/accounts/login/", {"username": seeker.email, "password": "guess"}).status_code
        == 429
    )
    locked = client.post("/accounts/login/", {"username": seeker.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_is_served_in_the_language_of_their_account(client: Client, seeker: User):
    seeker.preferred_language = "ru"
    seeker.save(update_fields=["preferred_language"])
    client.force_login(seeker)
    page = client.get("/").content.decode()
    assert '<html lang="ru">' in page

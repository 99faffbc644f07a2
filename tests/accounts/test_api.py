from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"


def _register(api: APIClient, **overrides):
    body = {
        "email": "Gulnara.Seitkali@Example.KZ",
        "password": "vakhta-in-atyrau-2026",
        "role": "seeker",
        "full_name": "Гульнара Сейткали",
        "preferred_language": "ru",
    } | overrides
    return api.post(REGISTER, body, format="json")


def test_a_seeker_registers_and_the_password_is_hashed_with_argon2(api: APIClient):
    response = _register(api)
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "gulnara.seitkali@example.kz"
    assert "password" not in response.json()
    user = User.objects.get(email="gulnara.seitkali@example.kz")
    assert user.role == "seeker" and user.preferred_language == "ru"
    assert user.password.startswith("argon2$")
    assert user.check_password("vakhta-in-atyrau-2026")


def test_registration_refuses_a_taken_address_in_any_case(api: APIClient, seeker: User):
    response = _register(api, email=seeker.email.upper())
    assert response.status_code == 400
    assert "already exists" in response.json()["email"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "12345678"}, "password"),
        ({"password": "short"}, "password"),
        ({"role": "reviewer"}, "role"),
        ({"role": "admin"}, "role"),
        ({"email": "not-an-address"}, "email"),
        ({"preferred_language": "de"}, "preferred_language"),
    ],
)
def test_registration_answers_bad_input_with_field_messages(api: APIClient, overrides, field):
    response = _register(api, **overrides)
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_login_issues_a_token_that_authenticates_and_is_stored_hashed(api: APIClient, seeker: User):
    response = api.post(
        TOKEN, {"email": "SEEKER.A@example.kz", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert response.json()["user"]["email"] == seeker.email
    stored = AuthToken.objects.get(user=seeker)
    assert token not in (stored.digest, stored.token_key)  # only a digest and a prefix are kept

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get(ME)
    assert me.status_code == 200
    assert me.json()["full_name"] == "Айгерим Нурланова"


def test_anonymous_callers_cannot_read_the_current_user(api: APIClient):
    assert api.get(ME).status_code == 401


def test_a_revoked_token_no_longer_works(api: APIClient, seeker: User):
    first = api.post(TOKEN, {"email": seeker.email, "password": PASSWORD}).json()["token"]
    second = api.post(TOKEN, {"email": seeker.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    keys = [t["token_key"] for t in api.get("/api/v1/auth/tokens/").json()]
    assert len(keys) == 2
    assert api.delete(f"/api/v1/auth/tokens/{first[:15]}/").status_code == 204

    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get(ME).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get(ME).status_code == 200
    assert api.delete("/api/v1/auth/token/current/").status_code == 204
    assert api.get(ME).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(api: APIClient, seeker: User, other_seeker: User):
    theirs = api.post(TOKEN, {"email": other_seeker.email, "password": PASSWORD}).json()["token"]
    mine = api.post(TOKEN, {"email": seeker.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine}")
    assert api.delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    api.credentials(HTTP_AUTHORIZATION=f"Token {theirs}")
    assert api.get(ME).status_code == 200


def test_sign_out_everywhere_revokes_every_token(api: APIClient, seeker: User):
    tokens = [
        api.post(TOKEN, {"email": seeker.email, "password": PASSWORD}).json()["token"]
        for _ in range(3)
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert api.delete("/api/v1/auth/tokens/").json() == {"revoked": 3}
    for token in tokens:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get(ME).status_code == 401


def test_a_wrong_password_is_a_400_without_saying_which_part_was_wrong(
    api: APIClient, seeker: User
):
    response = api.post(TOKEN, {"email": seeker.email, "password": "nope"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The e-mail address or password is not right."]}
    unknown = api.post(TOKEN, {"email": "nobody@example.org", "password": "nope"})
    assert unknown.json() == response.json()


def test_five_wrong_passwords_lock_the_login_even_with_the_right_one(api: APIClient, seeker: User):
    for _ in range(4):
        assert api.post(TOKEN, {"email": seeker.email, "password": "guess"}).status_code == 400
    fifth = api.post(TOKEN, {"email": seeker.email, "password": "guess"})
    assert fifth.status_code == 429
    assert fifth.json() == {"detail": "Too many failed logins. Try again later."}
    assert int(fifth["Retry-After"]) == 15 * 60
    locked = api.post(TOKEN, {"email": seeker.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.json()["detail"]
    assert not AuthToken.objects.filter(user=seeker).exists()
    # someone else signing in from the same address is not locked out
    other = User.objects.create_user("colleague@example.kz", PASSWORD)
    assert api.post(TOKEN, {"email": other.email, "password": PASSWORD}).status_code == 201


def test_the_current_user_changes_language_but_not_role_or_email(api: APIClient, seeker: User):
    api.force_authenticate(seeker)
    response = api.patch(
        ME, {"preferred_language": "kk", "role": "admin", "email": "x@y.z"}, format="json"
    )
    assert response.status_code == 200
    seeker.refresh_from_db()
    assert (seeker.preferred_language, seeker.role, seeker.email) == (
        "kk",
        "seeker",
        "seeker.a@example.kz",
    )
    assert api.patch(ME, {"preferred_language": "xx"}, format="json").status_code == 400

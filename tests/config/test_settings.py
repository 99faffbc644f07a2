"""Configuration comes from the environment; production is checked like Django would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3p#w9!vQz7@Lr2$Xn5^Tb8&Hd4*Jm6(Ys1)Gf0-Ce3+Ua9=Wq7~Po2",
    "ALLOWED_HOSTS": "borderless.example.kz",
    "SITE_URL": "https://borderless.example.kz",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/borderless",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.kz:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ENV", "DEBUG", "SECRET_KEY")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_production_profile_passes_check_deploy_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"DATABASE_URL": "mysql://root@127.0.0.1/borderless"},
            "DATABASE_URL must point at PostgreSQL",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the host"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"SITE_URL": "http://borderless.example.kz"}, "SITE_URL must be an http(s) URL, https"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV must be one of development, test, production"),
        ({"REDIS_URL": "memcached://x"}, "REDIS_URL must be a redis://"),
    ],
)
def test_a_bad_setting_fails_loudly_at_start_up(change: dict[str, str], message: str):
    result = manage("check", env=PRODUCTION | change)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_logs_one_json_object_per_line():
    result = manage(
        "shell", "--no-imports", "-c", "import logging; logging.getLogger('borderless').warning('rates loaded', extra={'count': 7})",
        env=PRODUCTION,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    record = next(line for line in lines if line["message"] == "rates loaded")
    assert (
        record["level"] == "WARNING" and record["logger"] == "borderless" and record["count"] == 7
    )


def test_email_is_configured_from_email_url():
    result = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        env=PRODUCTION,
    )  # fmt: skip
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.kz",
        "587",
        "True",
    ]


def test_production_responses_carry_hsts_csp_nosniff_and_frame_denial():
    probe = (
        "import json; from django.test import Client; "
        "secure = Client().get('/api/v1/auth/me/', secure=True, HTTP_HOST='borderless.example.kz'); "
        "plain = Client().get('/api/v1/auth/me/', HTTP_HOST='borderless.example.kz'); "
        "print(json.dumps({'status': secure.status_code, 'redirect': plain.get('Location'), "
        "**{k: secure.get(k) for k in ('Strict-Transport-Security', 'Content-Security-Policy', "
        "'X-Content-Type-Options', 'X-Frame-Options')}}))"
    )
    # No database is needed for this answer; a missing one proves it.
    result = manage(
        "shell", "--no-imports", "-c", probe,
        env=PRODUCTION | {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/no_such_database"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 401
    assert headers["redirect"] == "https://borderless.example.kz/api/v1/auth/me/"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]

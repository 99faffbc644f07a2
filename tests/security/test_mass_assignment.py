"""Mass assignment: no request body sets what the caller must not set.

Two tests, both generated, so a new serializer or route is covered without an edit:

1. From the OpenAPI schema: no writable request field anywhere is named like a
   privilege or an owner (``is_staff``, ``verified``, ``employer``, ``score``,
   ``user`` …), except the reviewed few below, each with its reason.
2. Through the API: every write in the authorisation matrix (which the URL
   configuration keeps complete) is sent twice by a role that may make it, once as
   it is and once with every such name the operation does not declare, pointing at
   someone else (another user, another employer, a privilege, a top score). The two
   must leave the same values in every privilege and ownership column of every table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction
from django.db.models import Max
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import UserFactory, kz_bin
from tests.test_authorization_matrix import CASES, Case, World, build_world
from vacancies.models import Employer
from vacancies.services.employers import member_invite

pytestmark = pytest.mark.django_db

# Names that say "who owns this" or "what this one may do".
PRIVILEGED = frozenset(
    {
        "is_staff", "is_superuser", "is_active", "role", "verified", "verified_at",
        "employer", "employer_id", "owner", "user", "user_id", "seeker", "seeker_id",
        "profile", "profile_id", "recipient", "created_by", "score", "status", "email",
        "consent_given_at", "reviewed_by", "invited_by",
    }
)  # fmt: skip

# Writable on purpose, each through a service that checks it.
REVIEWED = {
    ("post", "/api/v1/auth/register/"): {"email", "role"},  # role: seeker or employer only
    ("post", "/api/v1/auth/token/"): {"email"},  # signing in
    ("post", "/api/v1/saved-searches/visitor/"): {"email"},  # confirmed by a mailed link
    ("post", "/api/v1/employers/{id}/invitations/"): {"email", "role"},  # owner invites
    ("post", "/api/v1/employers/{id}/verify/"): {"verified"},  # reviewers only
    ("post", "/api/v1/employer/invitations/"): {"seeker"},  # whom to invite; visibility checked
    ("post", "/api/v1/employer/applications/{id}/move/"): {"status"},  # the state machine
    ("post", "/api/v1/profile/applications/{id}/move/"): {"status"},  # the state machine
    ("post", "/api/v1/profile/matches/{id}/status/"): {"status"},  # seen / saved / dismissed
}


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


def _writable(schema: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    components = schema["components"]["schemas"]
    writable: dict[tuple[str, str], set[str]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if not body:
                continue
            names: set[str] = set()
            for content in body["content"].values():
                target = content["schema"]
                if "$ref" in target:
                    target = components[target["$ref"].rsplit("/", 1)[-1]]
                names |= {
                    name
                    for name, field in target.get("properties", {}).items()
                    if not field.get("readOnly")
                }
            writable[(method, path)] = names
    return writable


def test_no_request_body_in_the_schema_offers_a_privilege_or_an_owner():
    writable = _writable(_schema())
    assert len(writable) > 40  # every write, not a few
    offered = {
        f"{method.upper()} {path}: {sorted(names & PRIVILEGED - REVIEWED.get((method, path), set()))}"
        for (method, path), names in writable.items()
        if names & PRIVILEGED - REVIEWED.get((method, path), set())
    }
    assert offered == set()
    assert set(REVIEWED) <= set(writable), "a reviewed exception names an operation that is gone"


# --- Through the API ----------------------------------------------------------------

PREFERRED = ("seeker_a", "owner_x", "recruiter_x", "recruiter_y", "reviewer", "admin", "anonymous")


def _injected(world: World) -> dict[str, Any]:
    """Every privileged name, pointing at someone else or at a privilege."""
    b = world.users["seeker_b"]
    return {
        "is_staff": True, "is_superuser": True, "is_active": False, "role": "admin",
        "verified": True, "verified_at": "2020-01-01T00:00:00Z",
        "employer": world.ids["y"], "employer_id": world.ids["y"],
        "owner": b.pk, "user": b.pk, "user_id": b.pk, "recipient": b.pk,
        "created_by": b.pk, "reviewed_by": b.pk, "invited_by": b.pk,
        "seeker": world.ids["profile_b"], "seeker_id": world.ids["profile_b"],
        "profile": world.ids["profile_b"], "profile_id": world.ids["profile_b"],
        "score": 100, "status": "closed", "email": "attacker@evil.example",
        "consent_given_at": "2020-01-01T00:00:00Z",
    }  # fmt: skip


def _last_ids() -> dict[str, Any]:
    return {
        model._meta.label: model._default_manager.aggregate(last=Max("pk"))["last"]
        for model in apps.get_models()
    }


def _ownership_and_privileges(last_ids: dict[str, Any]) -> Counter[tuple[str, str, Any]]:
    """Every value of every privilege or ownership column, in every table. A reference
    to a row made by the request reads "new" (ids are not rolled back, so each run
    gives its new rows other ids)."""
    seen: Counter[tuple[str, str, Any]] = Counter()
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key and (field.name in PRIVILEGED or field.attname in PRIVILEGED)
        ]
        for field in fields:
            related = field.related_model
            last = last_ids.get(related._meta.label) if isinstance(related, type) else None
            for value in model._default_manager.values_list(field.attname, flat=True):
                if last is not None and isinstance(value, int) and value > last:
                    value = "new"
                seen[(model._meta.label, field.attname, value)] += 1
    return seen


def _schema_path(case: Case, writable: dict[tuple[str, str], set[str]]) -> tuple[str, str]:
    concrete = case.path.split("?")[0]
    for method, template in writable:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
        if method == case.method and re.match(pattern, re.sub(r"\{\w+\}", "1", concrete)):
            return method, template
    raise AssertionError(f"{case.method} {case.path} is not in the schema")


def _clients(world: World) -> dict[str, APIClient]:
    clients = {"anonymous": APIClient()}
    for role, user in world.users.items():
        clients[role] = APIClient()
        clients[role].credentials(
            HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}"
        )
    return clients


def _send(
    world: World, client: APIClient, case: Case, extra: dict[str, Any], last_ids: dict[str, Any]
) -> tuple[int, Counter[Any]]:
    assert case.body is not None
    body = case.body(world) | extra
    path = case.path.format(**world.ids)
    with transaction.atomic():
        if case.multipart:
            as_text = {k: (str(v) if not hasattr(v, "read") else v) for k, v in body.items()}
            response = getattr(client, case.method)(path, as_text, format="multipart")
        else:
            response = getattr(client, case.method)(path, body, format="json")
        state = _ownership_and_privileges(last_ids)
        transaction.set_rollback(True)
    return response.status_code, state


Body = Callable[[World], dict[str, Any]]


def _stage_employer(world: World, clients: dict[str, APIClient], capture: Any) -> tuple[str, Body]:
    return "new_employer", lambda w: {"name": "ТОО «Новая»", "country": "KZ",
                                      "registration_number": kz_bin(77)}  # fmt: skip


def _stage_invitation(
    world: World, clients: dict[str, APIClient], capture: Any
) -> tuple[str, Body]:
    with capture(execute=True):
        member_invite(
            employer=Employer.objects.get(pk=world.ids["x"]),
            by=world.users["owner_x"],
            email=world.users["new_employer"].email,
        )
    token = re.search(r"^    (\S+)$", str(mail.outbox[-1].body), re.MULTILINE)
    assert token is not None
    return "new_employer", lambda w: {"token": token.group(1)}


def _stage_answer(world: World, clients: dict[str, APIClient], capture: Any) -> tuple[str, Body]:
    asked = clients["reviewer"].post(
        f"/api/v1/review/placements/{world.ids['placement_c']}/request-info/",
        {"question": "Где договор?"},
        format="json",
    )
    assert asked.status_code == 200
    return "owner_x", lambda w: {"answer": "Договор загружен"}


STAGED = {
    "employer-list": _stage_employer,
    "invitation-accept": _stage_invitation,
    "employer-placement-answer": _stage_answer,
}


def test_no_write_sets_a_privilege_or_an_owner_it_does_not_declare(
    settings, tmp_path: Path, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tmp_path)
    # An employer's user not yet in any employer: the one who may create an employer.
    world.users["new_employer"] = UserFactory.create(email="new@firm.kz", role=Role.EMPLOYER)
    writable = _writable(_schema())
    clients = _clients(world)
    writes = [c for c in CASES if c.method in ("post", "put", "patch") and c.body is not None]
    assert len(writes) > 40
    failures = []
    for case in writes:
        roles = [r for r in PREFERRED if 200 <= case.expected[r] < 300]
        if not roles:  # the matrix's world allows this write to nobody: set the stage
            role, body = STAGED[case.route](world, clients, capture)
            case = replace(case, body=body)
        else:
            role = roles[0]
        declared = writable[_schema_path(case, writable)]
        extra = {k: v for k, v in _injected(world).items() if k not in declared}
        last_ids = _last_ids()
        plain_status, plain = _send(world, clients[role], case, {}, last_ids)
        status, injected = _send(world, clients[role], case, extra, last_ids)
        label = f"{case.method.upper()} {case.path} as {role}"
        if not 200 <= plain_status < 300:
            failures.append(f"{label}: the plain request answered {plain_status}")
        if status != plain_status:
            failures.append(f"{label}: {plain_status} plain, {status} with extra fields")
        if injected != plain:
            changed = sorted({key[:2] for key in (injected - plain) + (plain - injected)})
            failures.append(f"{label}: the extra fields changed {changed}")
    assert failures == [], "\n".join(failures)

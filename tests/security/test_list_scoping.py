"""Lists hold no foreign ids: in every list of the authorisation matrix's world, each
role finds the objects that are theirs (or that they may see) and no one else's.

The matrix (tests/test_authorization_matrix.py) checks statuses and that no personal
text leaks; this adds the ids. Every GET list route of the matrix must be named here,
either with the objects whose ids only some roles may find in it, or as a list whose
entries are public or reference data; a new list route fails until it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from tests.test_authorization_matrix import (
    CASES,
    EMPLOYER_X,
    ROLES,
    STAFF,
    World,
    _call,
    _client_for,
    build_world,
)

pytestmark = pytest.mark.django_db

SEEKER_A = ("seeker_a",)
# route → {world id: the roles that may find it in the list}
OWNED: dict[str, dict[str, tuple[str, ...]]] = {
    "profile-skill-list": {"a_skill": SEEKER_A},
    "profile-language-list": {"a_language": SEEKER_A},
    "profile-experience-list": {"a_experience": SEEKER_A},
    "profile-education-list": {"a_education": SEEKER_A},
    "profile-work-right-list": {"a_work_right": SEEKER_A},
    "profile-match-list": {"match_a": SEEKER_A},
    "profile-application-list": {"application_a": SEEKER_A},
    "notification-list": {"notification_a": SEEKER_A},
    "saved-search-list": {"search_a": SEEKER_A},
    "auth-tokens": {"a_token": SEEKER_A},
    "employer-list": {"x": (*EMPLOYER_X, *STAFF), "y": ("recruiter_y", *STAFF)},
    "employer-vacancy-list": {"vx": EMPLOYER_X, "vx_draft": EMPLOYER_X, "vy": ("recruiter_y",)},
    "employer-placement-list": {"placement_c": EMPLOYER_X},
    "review-placement-list": {"placement_c": STAFF},
    "vacancy-list": {"vx_draft": ()},  # a draft is nobody's public vacancy
    "employer-vacancy-application-list": {"application_a": EMPLOYER_X},
}
# Lists whose entries anyone allowed to call them may see.
NOT_OWNED = {
    "country-list": "reference data",
    "currency-list": "reference data",
    "language-list": "reference data",
    "occupation-list": "reference data",
    "region-list": "reference data",
    "relocation-programme-list": "reference data",
    "candidate-list": "seekers visible to every employer; visibility has its own test",
    "profile-contact-log-list": "the caller's own profile's log, scoped by the profile",
    "profile-placement-list": "the caller's own placements (none in this world)",
    "employer-vacancy-match-list": "scoped by the vacancy in the path (others get 404)",
    "staff-import-source-list": "staff only: the national systems we import from",
    "staff-import-run-list": "staff only: the import runs, no personal data",
}


def _list_cases() -> list[Any]:
    return [c for c in CASES if c.method == "get" and c.route.endswith(("-list", "auth-tokens"))]


def test_every_list_route_says_whose_ids_it_may_hold():
    assert {c.route for c in _list_cases()} == set(OWNED) | set(NOT_OWNED)


def _ids_in(body: Any) -> set[Any]:
    rows = body.get("results", body) if isinstance(body, dict) else body
    found: set[Any] = set()
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            found |= {row[k] for k in ("id", "token_key") if k in row}
    return found


def test_no_list_holds_an_id_that_is_not_the_callers(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world: World = build_world(tmp_path)
    failures = []
    for case in _list_cases():
        if case.route not in OWNED:
            continue
        for role in ROLES:
            with transaction.atomic():
                response = _call(_client_for(world, role), case, world)
                transaction.set_rollback(True)
            if response.status_code != 200:
                continue  # the matrix says who may call it at all
            ids = _ids_in(response.json())
            for key, owners in OWNED[case.route].items():
                if (world.ids[key] in ids) != (role in owners):
                    state = "holds" if role not in owners else "lacks"
                    failures.append(f"{case.route} as {role} {state} {key}")
    assert failures == []

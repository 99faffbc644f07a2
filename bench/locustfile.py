"""The traffic of ``bench/load.py``: Locust users, started by it as a subprocess.

    locust -f bench/locustfile.py --headless --host http://127.0.0.1:PORT Mix

needs the plan that ``load.py`` writes (``BENCH_LOAD_PLAN``: search parameters,
vacancy ids, the seekers' and employer members' tokens) and writes every profile edit
it made, with its wall-clock times, to ``BENCH_LOAD_RESULTS`` with the figures when
it quits, so that ``load.py`` can find the matching run that answered each edit. Three user classes, one
per phase: ``Trivial`` (the framework's ceiling), ``Search`` (search alone) and
``Mix`` (60 % search, 20 % vacancy pages, 10 % profile edits, 10 % employer lists).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, constant, events, task

TRIVIAL_PATH = "/api/v1/cefr-levels/"

# Names under which the figures are reported (load.py reads them back from the CSV).
TRIVIAL = "trivial GET /api/v1/cefr-levels/"
SEARCH = "search GET /api/v1/vacancies/?…"
SEARCH_NEXT = "search, next page (cursor)"
DETAIL = "vacancy GET /api/v1/vacancies/{id}/"
EDIT = "profile PATCH /api/v1/profile/"
EMPLOYER_MATCHES = "employer GET /api/v1/employer/vacancies/{id}/matches/"
EMPLOYER_CANDIDATES = "employer GET /api/v1/employer/candidates/"

edits: list[dict[str, Any]] = []


@cache
def plan() -> dict[str, Any]:
    with open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8") as file:
        loaded: dict[str, Any] = json.load(file)
    return loaded


@cache
def seekers() -> itertools.cycle[dict[str, Any]]:
    # Every user takes the next seeker of one shared round, so that no seeker is edited
    # again before the whole pool was (one edit, one matching run to time).
    return itertools.cycle(plan()["seekers"])


def _figures(entry: Any) -> dict[str, Any]:
    return {
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.total_rps,
        "p50": entry.get_response_time_percentile(0.5),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
    }


def _write_results(environment: Any, **_: Any) -> None:
    """Everything load.py prints, once the last user stopped (Locust's CSV files are
    written before the requests still running at the time limit have finished)."""
    path = os.environ.get("BENCH_LOAD_RESULTS")
    if not path:
        return
    stats = environment.stats
    exceptions = environment.runner.exceptions.values() if environment.runner else []
    results = {
        "rows": [_figures(entry) for entry in stats.entries.values()],
        "total": _figures(stats.total),
        "failures": [
            f"{error.occurrences}× {error.name}: {str(error.error)[:160]}"
            for error in stats.errors.values()
        ],
        "exceptions": [{"count": e["count"], "message": str(e["msg"])[:160]} for e in exceptions],
        "edits": edits,
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(results, file)


events.quitting.add_listener(_write_results)  # type: ignore[no-untyped-call]  # untyped in locust


class _Base(FastHttpUser):
    abstract = True
    wait_time = constant(0)  # closed loop: each user sends its next request at once

    def search(self) -> None:
        params = random.choice(plan()["search"])
        with self.client.get(
            "/api/v1/vacancies/", params=params, name=SEARCH, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            following = response.json().get("next") if random.random() < 0.1 else None
        if following:
            parts = urlsplit(following)
            self.client.get(f"{parts.path}?{parts.query}", name=SEARCH_NEXT)


class Trivial(_Base):
    @task
    def trivial(self) -> None:
        self.client.get(TRIVIAL_PATH, name=TRIVIAL)


class Search(_Base):
    @task
    def search_only(self) -> None:
        self.search()


class Mix(_Base):
    @task(60)
    def anonymous_search(self) -> None:
        self.search()

    @task(20)
    def vacancy_page(self) -> None:
        vacancy = random.choice(plan()["vacancies"])
        self.client.get(f"/api/v1/vacancies/{vacancy}/", name=DETAIL)

    @task(10)
    def profile_edit(self) -> None:
        seeker = next(seekers())
        seeker["edits"] = seeker.get("edits", 0) + 1
        salary = int(seeker["salary"]) + 1000 * seeker["edits"]
        sent = time.time()
        response = self.client.request(
            "PATCH",
            "/api/v1/profile/",
            json={"salary_amount": str(salary)},
            headers={"Authorization": f"Token {seeker['token']}"},
            name=EDIT,
        )
        if response.status_code == 200:
            edits.append({"profile": seeker["profile"], "sent": sent, "done": time.time()})

    @task(10)
    def employer_list(self) -> None:
        member = random.choice(plan()["employers"])
        headers = {"Authorization": f"Token {member['token']}"}
        if random.random() < 0.7:
            vacancy = random.choice(member["vacancies"])
            self.client.get(
                f"/api/v1/employer/vacancies/{vacancy}/matches/",
                headers=headers,
                name=EMPLOYER_MATCHES,
            )
        else:
            self.client.get(
                "/api/v1/employer/candidates/", headers=headers, name=EMPLOYER_CANDIDATES
            )

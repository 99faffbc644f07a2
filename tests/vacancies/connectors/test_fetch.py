"""Fetching over HTTP: pages, retries, a polite pause, the cursor; off by default.

The other side is httpx.MockTransport answering with the recorded sample documents."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.vacancies.connectors.conftest import sample
from vacancies import tasks
from vacancies.connectors.http import Fetcher, FetchError
from vacancies.models import ImportRun, Vacancy
from vacancies.services import imports

pytestmark = pytest.mark.django_db

TRUDVSEM_URL = "http://opendata.trudvsem.ru/api/v1/vacancies"


class Recorded:
    """Answers each request with the next recorded response, and keeps the requests."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)


def _fetcher(recorded: Recorded, pauses: list[float]) -> Fetcher:
    return Fetcher(
        client=httpx.Client(transport=httpx.MockTransport(recorded)),
        min_interval=1.0,
        backoff=0.5,
        sleep=pauses.append,
    )


def _trudvsem_source(**fields):
    source = imports.source_get_or_create(name="trudvsem")
    for name, value in {"url": TRUDVSEM_URL, "fetch_enabled": True, **fields}.items():
        setattr(source, name, value)
    source.save()
    return source


def test_a_trudvsem_fetch_retries_a_busy_server_imports_the_answer_and_moves_the_cursor():
    source = _trudvsem_source(cursor="2026-02-01T00:00:00Z")
    recorded = Recorded(
        httpx.Response(503, headers={"Retry-After": "3"}),
        httpx.Response(200, text=sample("trudvsem_vacancies.json")),
    )
    pauses: list[float] = []

    run = imports.source_fetch(source=source, fetcher=_fetcher(recorded, pauses))

    assert run is not None and (run.created, run.skipped) == (3, 2)
    first = recorded.requests[0].url
    assert first.params["modifiedFrom"] == "2026-02-01T00:00:00Z"
    assert (first.params["offset"], first.params["limit"]) == ("0", "100")
    assert 3.0 in pauses  # Retry-After honoured
    source.refresh_from_db()
    assert source.cursor == "2026-03-04T12:00:00Z"  # the newest modify-date on the page
    assert run.origin == TRUDVSEM_URL


def test_a_source_that_keeps_failing_is_reported_and_keeps_its_cursor():
    source = _trudvsem_source(cursor="2026-02-01T00:00:00Z")
    recorded = Recorded(*(httpx.Response(502) for _ in range(4)))

    with pytest.raises(FetchError):
        imports.source_fetch(source=source, fetcher=_fetcher(recorded, []))

    run = ImportRun.objects.get(source=source)
    assert run.status == "failed" and "HTTP 502" in run.error
    source.refresh_from_db()
    assert source.cursor == "2026-02-01T00:00:00Z"
    assert len(recorded.requests) == 4  # one try and three retries, then it stops


def test_hh_is_read_through_its_search_then_each_vacancy_with_a_pause_between_requests():
    source = imports.source_get_or_create(name="hh")
    source.url, source.fetch_enabled = "https://api.hh.ru/vacancies", True
    source.save()
    search = {
        "items": [{"id": "93000001", "url": "https://api.hh.ru/vacancies/93000001"}],
        "found": 1,
        "pages": 1,
        "page": 0,
        "per_page": 100,
    }
    recorded = Recorded(
        httpx.Response(200, json=search),
        httpx.Response(200, text=sample("hh_vacancy.json")),
    )
    pauses: list[float] = []

    run = imports.source_fetch(source=source, fetcher=_fetcher(recorded, pauses))

    assert run is not None and run.created == 1
    assert [str(r.url.copy_with(query=None)) for r in recorded.requests] == [
        "https://api.hh.ru/vacancies",
        "https://api.hh.ru/vacancies/93000001",
    ]
    assert len(pauses) == 1 and 0 < pauses[0] <= 1.0  # the polite interval
    source.refresh_from_db()
    assert source.cursor == "2026-03-04T10:15:00+0500"


def test_a_json_ld_feed_like_ours_is_followed_by_its_cursor():
    source = imports.source_get_or_create(name="peer", kind="jsonld")
    source.url, source.fetch_enabled = "https://peer.example/api/v1/feeds/jobpostings/", True
    source.save()
    lines = sample("jsonld_lines.jsonl")
    recorded = Recorded(
        httpx.Response(
            200,
            text=lines,
            headers={"X-Next-Cursor": "c1", "Link": '<https://peer.example/next>; rel="next"'},
        ),
        httpx.Response(200, text="", headers={"X-Next-Cursor": "c1"}),
    )

    run = imports.source_fetch(source=source, fetcher=_fetcher(recorded, []))

    assert run is not None and run.created == 2
    assert "cursor" not in recorded.requests[0].url.params
    assert recorded.requests[1].url.params["cursor"] == "c1"
    source.refresh_from_db()
    assert source.cursor == "c1"


def test_the_beat_task_fetches_nothing_unless_a_source_has_a_url_and_is_switched_on(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    imports.source_get_or_create(name="trudvsem")  # made by a file import: no URL
    off = imports.source_get_or_create(name="hh")
    off.url = "https://api.hh.ru/vacancies"  # a URL, but fetching is off
    off.save()

    assert tasks.fetch_sources() == 0
    assert ImportRun.objects.count() == 0 and Vacancy.objects.count() == 0


def test_a_switched_on_source_is_due_until_its_interval_has_passed():
    source = _trudvsem_source(fetch_interval_minutes=60)
    assert imports.sources_due() == [source.pk]

    from django.utils import timezone

    source.last_run_at = timezone.now()
    source.save()
    assert imports.sources_due() == []


def test_a_fetch_of_a_missing_source_does_nothing():
    assert tasks.fetch_source(999999) is None


def test_a_truncated_http_answer_is_imported_as_far_as_it_goes():
    source = _trudvsem_source()
    truncated = sample("trudvsem_truncated.json")
    recorded = Recorded(httpx.Response(200, text=truncated))

    run = imports.source_fetch(source=source, fetcher=_fetcher(recorded, []))

    assert run is not None and (run.created, run.skipped) == (2, 1)
    assert json.loads(json.dumps(run.problems))[0]["position"] == "item 3"

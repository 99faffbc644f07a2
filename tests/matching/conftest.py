"""Set-up for matching tests whose commits another process (a Celery worker) must see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from taxonomy.services import taxonomy_load


@pytest.fixture(scope="module")
def _taxonomy_restored(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield
    # The last committed test's flush emptied the reference data that the session
    # loaded once; the modules after this one count on it.
    with django_db_blocker.unblock():
        taxonomy_load()


@pytest.fixture
def committed_db(transactional_db: Any, _taxonomy_restored: None) -> None:
    """A database that really commits, so a worker process sees the test's writes.

    Such a test ends by emptying every table (the reference data too): each test gets
    the reference data loaded again (a no-op when it is there), and the module leaves
    it loaded for the modules after it.
    """
    taxonomy_load()

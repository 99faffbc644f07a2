"""Files behind placements: stored privately (random names under MEDIA_ROOT), never
served from the web root, and removed once the rows that named them are gone."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.files.storage import default_storage
from django.db import transaction

from matching.models import PlacementDocument

log = logging.getLogger(__name__)


def storage_delete_on_commit(names: Sequence[str]) -> None:
    """Remove files after the commit: a rolled-back transaction keeps row and file."""

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                log.exception("could not delete placement document %s", name)

    if names:
        transaction.on_commit(delete)


def documents_delete(*, placement_ids: Sequence[int]) -> int:
    """Delete the documents of these placements, rows now and files after the commit."""
    documents = PlacementDocument.objects.filter(placement_id__in=list(placement_ids))
    names = list(documents.values_list("stored_name", flat=True))
    deleted, _ = documents.delete()
    storage_delete_on_commit(names)
    return deleted

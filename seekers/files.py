"""Private uploaded files (CVs, and the documents behind placements): the name kept
for them, their digest, and their removal once the rows that named them are gone.

They live under MEDIA_ROOT with random names, outside the web root, and are served
only by views that checked who asks.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

log = logging.getLogger(__name__)

# Characters a desktop refuses in a file name, or that mean a path.
UNSAFE_IN_NAME = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
MAX_NAME = 200


def clean_file_name(name: str, *, default: str = "cv") -> str:
    """The last path component of an uploaded name, printable, without the characters a
    desktop refuses, at most 200 characters with the extension kept: it is shown back
    and offered as the download's name. ``default`` when nothing is left."""
    base = re.split(r"[\\/]", name)[-1]
    base = UNSAFE_IN_NAME.sub("_", "".join(ch for ch in base if ch.isprintable()))
    base = base.strip().strip(".").strip()
    if len(base) > MAX_NAME:
        _stem, dot, extension = base.rpartition(".")
        keep = f"{dot}{extension}" if dot and len(extension) <= 10 else ""
        base = base[: MAX_NAME - len(keep)] + keep
    return base or default


def sha256_of(file: File[bytes]) -> str:
    """The file's SHA-256 in hex; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def storage_delete_on_commit(names: Sequence[str]) -> None:
    """Remove files once the rows that named them are gone for good: a rolled-back
    transaction must not leave a row pointing at a deleted file."""

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # The row is gone; a file left behind is found by its random name only.
                log.exception("could not delete the private file %s", name)

    if names:
        transaction.on_commit(delete)

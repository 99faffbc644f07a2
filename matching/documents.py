"""Files behind placements: stored privately (random names under MEDIA_ROOT), never
served from the web root, and removed once the rows that named them are gone.

What is accepted is judged by the bytes: a PDF, a JPEG or a PNG of at most 10 MB. A
name that claims another type than the content (``permit.pdf`` that is a PNG, or an
HTML page) is refused: a reviewer opens these files, and a file that lies about
itself is either a mistake the employer should see or something worse.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from matching.models import PlacementDocument
from seekers.files import clean_file_name, sha256_of, storage_delete_on_commit

DOCUMENT_MAX_BYTES = 10 * 2**20
DOCUMENT_TOO_LARGE = "document_too_large"
DOCUMENT_UNSUPPORTED = "document_unsupported"
DOCUMENT_FOLDER = "placements"

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# The content type → the extension we store and serve it with, and the extensions a
# name may carry for that content.
EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
NAME_EXTENSIONS = {PDF: {"pdf"}, JPEG: {"jpg", "jpeg", "jpe", "jfif"}, PNG: {"png"}}
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what the row records of it."""

    file: File[bytes]
    content_type: str
    extension: str
    name: str
    size: int
    sha256: str


def document_content_type(file: IO[bytes]) -> str | None:
    """PDF, JPEG or PNG judged by the first bytes (never the name or the declared
    type), or ``None``. The file is left at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def _extension_of(name: str) -> str | None:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else None


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def document_check(*, file: File[bytes]) -> CheckedFile:
    """Check an upload: at most 10 MB, a PDF, JPEG or PNG by its content, and a name
    that does not claim another type. Raises ``ValidationError`` on ``file`` with the
    code ``document_too_large`` or ``document_unsupported``."""
    size = file.size or 0
    if size > DOCUMENT_MAX_BYTES:
        raise _refuse(
            _("A document is at most %(mb)d MB.") % {"mb": DOCUMENT_MAX_BYTES // 2**20},
            DOCUMENT_TOO_LARGE,
        )
    content_type = document_content_type(file) if size else None
    if content_type is None:
        raise _refuse(_("A document is a PDF, a JPEG or a PNG file."), DOCUMENT_UNSUPPORTED)
    name = clean_file_name(file.name or "", default="")
    claimed = _extension_of(name)
    if claimed is not None and claimed not in NAME_EXTENSIONS[content_type]:
        raise _refuse(
            _("The file is named “.%(claimed)s” but is a %(real)s file; rename or convert it.")
            % {"claimed": claimed, "real": EXTENSION[content_type].upper()},
            DOCUMENT_UNSUPPORTED,
        )
    if claimed is None:
        name = f"{name or 'document'}.{EXTENSION[content_type]}"
    return CheckedFile(
        file=file,
        content_type=content_type,
        extension=EXTENSION[content_type],
        name=name,
        size=size,
        sha256=sha256_of(file),
    )


def document_store(*, checked: CheckedFile) -> str:
    """Write the file under a random name; the caller deletes it if its row is not made."""
    stored: str = default_storage.save(
        f"{DOCUMENT_FOLDER}/{secrets.token_hex(16)}.{checked.extension}", checked.file
    )
    return stored


def document_open(*, document: PlacementDocument) -> IO[bytes]:
    """The document's bytes, for a view that has checked who asks."""
    file: IO[bytes] = default_storage.open(document.stored_name, "rb")
    return file


def documents_delete(*, placement_ids: Sequence[int]) -> int:
    """Delete the documents of these placements, rows now and files after the commit."""
    documents = PlacementDocument.objects.filter(placement_id__in=list(placement_ids))
    names = list(documents.values_list("stored_name", flat=True))
    deleted, _by_model = documents.delete()
    storage_delete_on_commit(names)
    return deleted

"""Checks on what seekers send: the real type of a CV file, a phone number."""

from __future__ import annotations

import re
import zipfile
from typing import IO

from seekers.models import CVType

PDF_MAGIC = b"%PDF-"
# What makes a ZIP a Word document: the package's content-type map and the main part.
DOCX_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})
PHONE_ALLOWED = re.compile(r"\+?[0-9][0-9 ()\-.]{4,30}")
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 6, 15  # E.164 allows at most 15 digits


# A Word document unpacks to a few times its size (its pictures are compressed already);
# a ZIP bomb unpacks to thousands of times. Whoever opens the CV (an employer's Word, an
# indexer) would unpack it, so it is refused here.
DOCX_MAX_UNPACKED = 50 * 2**20
DOCX_MAX_PARTS = 1000
DOCX_MAX_RATIO = 100
_UNPACK_CHUNK = 2**16


def _docx_is_sane(archive: zipfile.ZipFile) -> bool:
    """At most 1,000 parts unpacking to at most 50 MB, none squeezed more than 100
    times; the sizes are counted while unpacking, since the directory may lie."""
    members = archive.infolist()
    if len(members) > DOCX_MAX_PARTS:
        return False
    if sum(member.file_size for member in members) > DOCX_MAX_UNPACKED:
        return False
    unpacked = 0
    for member in members:
        part = 0
        with archive.open(member) as stream:
            while chunk := stream.read(_UNPACK_CHUNK):
                part += len(chunk)
                unpacked += len(chunk)
                if unpacked > DOCX_MAX_UNPACKED:
                    return False
                if part > 2**20 and part > DOCX_MAX_RATIO * max(member.compress_size, 1):
                    return False
    return True


def cv_content_type(file: IO[bytes]) -> str | None:
    """The CV's type judged by its bytes alone (never by its name or declared type):
    ``CVType.PDF``, ``CVType.DOCX`` or ``None`` for anything else, a ZIP bomb dressed
    as a DOCX included (see ``_docx_is_sane``). The file is left at its start.
    """
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(0)
    if head == PDF_MAGIC:
        return CVType.PDF
    if not head.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            if not set(archive.namelist()) >= DOCX_PARTS or not _docx_is_sane(archive):
                return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None
    finally:
        file.seek(0)
    return CVType.DOCX


def normalise_phone(raw: str) -> str | None:
    """``+7 (701) 123-45-67`` → ``+77011234567``; ``None`` if it is not a phone number."""
    text = raw.strip()
    if not PHONE_ALLOWED.fullmatch(text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if not PHONE_DIGITS_MIN <= len(digits) <= PHONE_DIGITS_MAX:
        return None
    return f"+{digits}" if text.startswith("+") else digits

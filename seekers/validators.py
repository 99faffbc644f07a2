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


def cv_content_type(file: IO[bytes]) -> str | None:
    """The CV's type judged by its bytes alone (never by its name or declared type):
    ``CVType.PDF``, ``CVType.DOCX`` or ``None`` for anything else.

    Only the ZIP's directory is read, nothing is decompressed, so a ZIP bomb costs
    nothing here. The file is left at its start.
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
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    finally:
        file.seek(0)
    return CVType.DOCX if names >= DOCX_PARTS else None


def normalise_phone(raw: str) -> str | None:
    """``+7 (701) 123-45-67`` → ``+77011234567``; ``None`` if it is not a phone number."""
    text = raw.strip()
    if not PHONE_ALLOWED.fullmatch(text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if not PHONE_DIGITS_MIN <= len(digits) <= PHONE_DIGITS_MAX:
        return None
    return f"+{digits}" if text.startswith("+") else digits

"""Uploads: oversized, mislabelled, ZIP-bomb DOCX and path-traversal names are refused
or made harmless, with a message on ``file``; CVs and placement documents are served
only to those allowed, and always as attachments the browser may not sniff."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from matching.models import PlacementDocument
from seekers.models import SeekerCV
from tests.seekers.factories import pdf_bytes
from tests.test_authorization_matrix import PNG, ROLES, World, _client_for, build_world

pytestmark = pytest.mark.django_db

CV = "/api/v1/profile/cv/"


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(tmp_path)


def _stored_files(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _docx_bomb(*, unpacked: int) -> bytes:
    """A Word package whose main part is ``unpacked`` bytes of zeros (a few KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            zeros = bytes(2**20)
            for _ in range(unpacked // 2**20):
                part.write(zeros)
    return buffer.getvalue()


def _upload_cv(client: APIClient, content: bytes, name: str, content_type: str) -> Any:
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(CV, {"file": upload}, format="multipart")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("content", "name", "content_type", "status"),
    [
        # 60 MB unpacked: more than any CV we take
        (lambda: _docx_bomb(unpacked=60 * 2**20), "cv.docx", DOCX, 415),
        # 8 MB of zeros in 8 KB: nothing a Word document looks like
        (lambda: _docx_bomb(unpacked=8 * 2**20), "cv.docx", DOCX, 415),
        # an HTML page named as a PDF
        (lambda: b"<html><script>alert(1)</script></html>", "cv.pdf", "application/pdf", 415),
        # above the 5 MB limit
        (lambda: pdf_bytes(5 * 2**20 + 1), "cv.pdf", "application/pdf", 413),
    ],
    ids=["docx-bomb-large", "docx-bomb-ratio", "html-as-pdf", "oversized"],
)
def test_a_bad_cv_is_refused_with_a_message_and_nothing_is_stored(
    world: World, settings: Any, content: Any, name: str, content_type: str, status: int
):
    before = (_stored_files(settings), SeekerCV.objects.get().sha256)
    response = _upload_cv(_client_for(world, "seeker_a"), content(), name, content_type)
    assert response.status_code == status
    assert response.json()["file"][0].startswith("A CV is")
    assert (_stored_files(settings), SeekerCV.objects.get().sha256) == before


@pytest.mark.parametrize(
    "name",
    ["../../../../etc/cron.d/evil.pdf", "..\\..\\windows\\evil.pdf", "/tmp/evil.pdf"],  # noqa: S108
)
def test_a_path_in_the_file_name_goes_nowhere(
    world: World, settings: Any, tmp_path: Path, name: str
):
    """Django's parser keeps only the last component of an uploaded name; we store under
    a random name inside MEDIA_ROOT/cv and show the cleaned name back."""
    response = _upload_cv(_client_for(world, "seeker_a"), pdf_bytes(), name, "application/pdf")
    assert response.status_code == 201
    assert response.json()["name"] == "evil.pdf"
    files = _stored_files(settings)
    assert files and all(f.startswith(("cv/", "placements/")) for f in files)
    assert not any(p.name == "evil.pdf" for p in tmp_path.rglob("*"))
    download = _client_for(world, "seeker_a").get(CV)
    assert download["Content-Disposition"] == 'attachment; filename="evil.pdf"'


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "permit.pdf"),  # a PNG that says it is a PDF
        (b"<html><script>alert(1)</script></html>", "permit.pdf"),
        (b"%PDF-1.4\n" + b"%" * (10 * 2**20), "permit.pdf"),  # above 10 MB
    ],
    ids=["png-as-pdf", "html-as-pdf", "oversized"],
)
def test_a_bad_placement_document_is_refused_with_a_message(
    world: World, settings: Any, content: bytes, name: str
):
    before = _stored_files(settings)
    response = _client_for(world, "owner_x").post(
        f"/api/v1/employer/placements/{world.ids['placement_c']}/documents/",
        {"kind": "work_permit", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert 400 <= response.status_code < 500 and response.status_code != 404
    assert "file" in response.json()
    assert PlacementDocument.objects.count() == 1
    assert _stored_files(settings) == before


def _downloads(world: World) -> dict[str, str]:
    ids = world.ids
    return {
        "own CV": CV,
        "candidate CV": f"/api/v1/employer/candidates/{ids['profile_a']}/cv/",
        "employer's document": f"/api/v1/employer/placements/{ids['placement_c']}/documents/{ids['placement_doc']}/",
        "reviewer's document": f"/api/v1/review/placements/{ids['placement_c']}/documents/{ids['placement_doc']}/",
    }


ALLOWED = {
    "own CV": {"seeker_a"},
    # A shows the profile to all employers: every employer member may open the CV
    "candidate CV": {"owner_x", "recruiter_x", "recruiter_y"},
    "employer's document": {"owner_x", "recruiter_x"},
    "reviewer's document": {"reviewer", "admin"},
}


def test_files_are_served_only_to_those_allowed_and_only_as_attachments(world: World):
    served = {}
    for label, path in _downloads(world).items():
        for role in ROLES:
            response = _client_for(world, role).get(path)
            if role not in ALLOWED[label]:
                assert response.status_code in (401, 403, 404), (label, role)
                assert b"%PDF-" not in response.content and b"PNG" not in response.content
                continue
            assert response.status_code == 200, (label, role)
            assert response["Content-Disposition"].startswith("attachment; filename=")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] in ("application/pdf", "image/png")
            assert "no-store" in response["Cache-Control"]
            served[label] = response.getvalue()
    assert served["own CV"] == served["candidate CV"] == pdf_bytes()
    assert served["employer's document"] == served["reviewer's document"] == PNG

"""POST/GET/DELETE /api/v1/profile/cv/: a PDF or DOCX, judged by its bytes, kept
outside the web root under a random name, given only to its owner."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from seekers.models import SeekerCV, SeekerProfile
from tests.seekers.factories import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

CV = "/api/v1/profile/cv/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(api, content: bytes, name: str = "cv.pdf", content_type: str = "application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return api.post(CV, {"file": upload}, format="multipart")


def _files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def test_a_pdf_is_stored_under_a_random_name_outside_the_web_root(
    as_user, profile: SeekerProfile, media_root: Path
):
    response = _upload(as_user(profile.user), pdf_bytes(), name="Нурланова Айгерим.pdf")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Нурланова Айгерим.pdf"
    assert response.json()["content_type"] == "application/pdf"
    (stored,) = _files(media_root)
    assert stored.parent == media_root / "cv"
    assert "Нурланова" not in stored.name and len(stored.stem) == 32
    assert stored.read_bytes() == pdf_bytes()
    cv = SeekerCV.objects.get(profile=profile)
    assert cv.size == len(pdf_bytes()) and cv.stored_name == f"cv/{stored.name}"


def test_the_owner_downloads_the_cv_as_an_attachment(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    _upload(api, pdf_bytes(), name="my cv.pdf")
    response = api.get(CV)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my cv.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_docx_is_recognised_whatever_its_name_says(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    response = _upload(api, docx_bytes(), name="resume.pdf", content_type="application/pdf")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == DOCX
    assert response.json()["name"] == "resume.docx"
    download = api.get(CV)
    assert download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == 'attachment; filename="resume.docx"'


def test_an_oversized_cv_is_413_with_a_message_and_nothing_stored(
    as_user, profile: SeekerProfile, media_root: Path
):
    response = _upload(as_user(profile.user), pdf_bytes(settings.CV_MAX_BYTES + 1))
    assert response.status_code == 413
    assert "5 MB" in response.json()["file"][0]
    assert not SeekerCV.objects.exists()
    assert _files(media_root) == []


def test_a_request_far_above_the_limit_is_refused_before_it_is_read(
    as_user, profile: SeekerProfile, media_root: Path
):
    response = _upload(as_user(profile.user), pdf_bytes(settings.CV_MAX_BYTES * 2))
    assert response.status_code == 413
    assert "file" in response.json()
    assert not SeekerCV.objects.exists()


def test_a_cv_of_exactly_the_limit_is_accepted(as_user, profile: SeekerProfile):
    response = _upload(as_user(profile.user), pdf_bytes(settings.CV_MAX_BYTES))
    assert response.status_code == 201
    assert SeekerCV.objects.get(profile=profile).size == settings.CV_MAX_BYTES


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b"Just some text pretending to be a PDF.\n", "cv.pdf", "application/pdf"),
        (docx_bytes(with_document=False), "cv.docx", DOCX),
        (b"PK\x03\x04 not really a zip", "cv.docx", DOCX),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.pdf", "application/pdf"),
        (b"<html><script>alert(1)</script></html>", "cv.pdf", "text/html"),
    ],
)
def test_a_mislabelled_file_is_415_with_a_message(
    as_user, profile: SeekerProfile, media_root: Path, content, name, content_type
):
    response = _upload(as_user(profile.user), content, name=name, content_type=content_type)
    assert response.status_code == 415
    assert "PDF" in response.json()["file"][0]
    assert not SeekerCV.objects.exists()
    assert _files(media_root) == []


def test_an_empty_upload_or_no_file_is_400(as_user, profile: SeekerProfile):
    api = as_user(profile.user)
    assert _upload(api, b"").status_code == 400
    response = api.post(CV, {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_a_new_cv_replaces_the_old_file_once_committed(
    as_user, profile: SeekerProfile, media_root: Path, django_capture_on_commit_callbacks
):
    api = as_user(profile.user)
    _upload(api, pdf_bytes())
    (old,) = _files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(api, docx_bytes(), name="new.docx", content_type=DOCX)
    assert response.status_code == 201
    (new,) = _files(media_root)
    assert new != old and new.suffix == ".docx"
    assert SeekerCV.objects.get(profile=profile).stored_name == f"cv/{new.name}"


def test_delete_removes_the_row_and_the_file(
    as_user, profile: SeekerProfile, media_root: Path, django_capture_on_commit_callbacks
):
    api = as_user(profile.user)
    _upload(api, pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(CV).status_code == 204
    assert not SeekerCV.objects.exists()
    assert _files(media_root) == []
    assert api.delete(CV).status_code == 404
    assert api.get(CV).status_code == 404


def test_the_cv_is_not_reachable_under_any_media_or_static_url(
    as_user, profile: SeekerProfile, media_root: Path
):
    _upload(as_user(profile.user), pdf_bytes())
    stored = SeekerCV.objects.get(profile=profile).stored_name
    name = stored.rsplit("/", 1)[-1]
    browser = Client()
    browser.force_login(profile.user)
    for url in (
        f"/media/{stored}",
        f"/media/{name}",
        f"/static/{stored}",
        f"/static/{name}",
        f"/static/media/{stored}",
    ):
        response = browser.get(url)
        assert response.status_code == 404, url
        assert not response.streaming and pdf_bytes() not in response.content
    assert (media_root / stored).exists()


def test_someone_else_cannot_get_the_cv(
    as_user, profile: SeekerProfile, other_profile: SeekerProfile, owner: User
):
    _upload(as_user(profile.user), pdf_bytes())
    other = as_user(other_profile.user).get(CV)
    assert other.status_code == 404
    assert as_user(owner).get(CV).status_code == 403
    assert as_user(None).get(CV).status_code == 401


def test_a_cv_needs_a_profile_first(as_user, seeker: User, media_root: Path):
    assert _upload(as_user(seeker), pdf_bytes()).status_code == 404
    assert _files(media_root) == []


def test_the_upload_must_be_multipart(as_user, profile: SeekerProfile):
    response = as_user(profile.user).post(CV, {"file": "JVBERi0="}, format="json")
    assert response.status_code == 415
    assert not SeekerCV.objects.exists()

"""Placements through the API: the reviewers' queue and decisions, the employer's
answers and documents, the seeker's own list, and what a seeker's erasure leaves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from matching.applications import HireDetails, application_apply, application_move
from matching.documents import DOCUMENT_MAX_BYTES
from matching.models import (
    ApplicationStatus,
    LegalBasis,
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)
from notifications.models import Kind, Notification
from seekers.models import SeekerProfile, Visibility
from seekers.services import seeker_erase
from taxonomy.models import Country, Region
from tests.factories import UserFactory
from tests.seekers.factories import make_profile, pdf_bytes
from tests.vacancies.factories import in_days, post_vacancy

pytestmark = pytest.mark.django_db

S = ApplicationStatus
P = PlacementStatus
QUEUE = "/api/v1/review/placements/"
MINE = "/api/v1/employer/placements/"
OWN = "/api/v1/profile/placements/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Each test stores documents in a folder of its own, so it can see what is on disk."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


# --- Making placements the way the platform does: apply, move on, hire --------------


def seeker_profile(
    email: str,
    *,
    country: str = "KG",
    region: str | None = "KG-GB",
    citizenships: tuple[str, ...] = ("KG",),
) -> SeekerProfile:
    user = UserFactory.create(email=email, role=Role.SEEKER)
    return make_profile(
        user,
        visibility=Visibility.ALL_EMPLOYERS,
        country=country,
        region=region,
        citizenships=citizenships,
    )


def hire(
    *,
    by: User,
    profile: SeekerProfile,
    country: str = "KZ",
    region: str = "KZ-23",
    details: HireDetails | None = None,
) -> Placement:
    """A placement made by ``by``'s employer hiring ``profile`` for a new vacancy."""
    vacancy = post_vacancy(by=by, country=country, region=region)
    application = application_apply(profile=profile, vacancy=vacancy, by=profile.user)
    for to in (S.ACCEPTED, S.INTERVIEW, S.OFFER):
        application = application_move(application=application, to=to, by=by)
    application_move(
        application=application,
        to=S.HIRED,
        by=by,
        hire=details or HireDetails(start_date=in_days(14)),
    )
    return Placement.objects.get(application=application)


def queued(placement: Placement, *, hours_ago: float) -> Placement:
    Placement.objects.filter(pk=placement.pk).update(
        queued_at=timezone.now() - timedelta(hours=hours_ago)
    )
    placement.refresh_from_db()
    return placement


def as_user(api: APIClient, user: User | None) -> APIClient:
    api.force_authenticate(user)
    return api


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.data["results"]
    return rows


def ids(response: Any) -> list[int]:
    return [row["id"] for row in results(response)]


def upload(api: APIClient, placement: Placement, name: str, content: bytes, kind: str = "contract"):
    return api.post(
        f"{MINE}{placement.pk}/documents/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def downloaded(response: Any) -> bytes:
    # Reading it to the end closes it (and the file) as a server would.
    return b"".join(response.streaming_content)


def stored_files(media_root: Path) -> list[Path]:
    return sorted((media_root / "placements").glob("*"))


def notified(placement: Placement) -> set[str]:
    return set(
        Notification.objects.filter(
            kind=Kind.PLACEMENT_REVIEWED, subject_type="placement", subject_id=placement.pk
        ).values_list("recipient__email", flat=True)
    )


@pytest.fixture
def placement(owner: User, recruiter: User) -> Placement:
    """A Kyrgyz welder hired by the Kazakh employer for Atyrau: cross-border, pending."""
    return hire(by=owner, profile=seeker_profile("welder@example.kg"))


# --- The queue ------------------------------------------------------------------------


def test_the_queue_shows_pending_placements_oldest_first_with_their_age(
    api: APIClient, owner: User, reviewer: User
) -> None:
    newest = queued(hire(by=owner, profile=seeker_profile("a@example.kg")), hours_ago=1.5)
    oldest = queued(hire(by=owner, profile=seeker_profile("b@example.kg")), hours_ago=30.2)
    middle = queued(hire(by=owner, profile=seeker_profile("c@example.kg")), hours_ago=5)
    decided = queued(hire(by=owner, profile=seeker_profile("d@example.kg")), hours_ago=90)
    Placement.objects.filter(pk=decided.pk).update(status=P.APPROVED)

    rows = results(as_user(api, reviewer).get(QUEUE))

    assert [row["id"] for row in rows] == [oldest.pk, middle.pk, newest.pk]
    assert [row["age_hours"] for row in rows] == [30, 5, 1]
    assert rows[0]["destination_country"] == "KZ"
    assert rows[0]["origin_country"] == "KG"
    assert rows[0]["cross_border"] is True


def test_the_queue_filters_by_status_place_employer_border_and_programme(
    api: APIClient, owner: User, rival: User, reviewer: User
) -> None:
    programme = RelocationProgramme.objects.create(
        name="Серпін", country_id="KZ", valid_from=in_days(-10), benefits="Жильё"
    )
    programme.from_regions.set([Region.objects.get(code="KZ-75")])
    programme.to_regions.set([Region.objects.get(code="KZ-23")])
    foreign = hire(by=owner, profile=seeker_profile("kg@example.kg"))
    internal = hire(
        by=owner,
        profile=seeker_profile("kz@example.kz", country="KZ", region="KZ-75", citizenships=("KZ",)),
    )
    to_russia = hire(
        by=rival, profile=seeker_profile("ru@example.kg"), country="RU", region="RU-KHM"
    )
    asking = hire(by=owner, profile=seeker_profile("q@example.kg"), region="KZ-62")
    Placement.objects.filter(pk=asking.pk).update(status=P.NEEDS_INFO)
    client = as_user(api, reviewer)

    assert internal.programme == programme
    assert ids(client.get(QUEUE)) == [foreign.pk, internal.pk, to_russia.pk]
    assert ids(client.get(QUEUE, {"country": "RU"})) == [to_russia.pk]
    assert ids(client.get(QUEUE, {"region": "KZ-23"})) == [foreign.pk, internal.pk]
    assert ids(client.get(QUEUE, {"origin_country": "KZ"})) == [internal.pk]
    assert ids(client.get(QUEUE, {"origin_region": "KG-GB"})) == [foreign.pk, to_russia.pk]
    assert ids(client.get(QUEUE, {"employer": to_russia.employer_id})) == [to_russia.pk]
    assert ids(client.get(QUEUE, {"cross_border": "false"})) == [internal.pk]
    assert ids(client.get(QUEUE, {"programme": "true"})) == [internal.pk]
    assert ids(client.get(QUEUE, {"programme": "false"})) == [foreign.pk, to_russia.pk]
    assert ids(client.get(QUEUE, {"status": "needs_info"})) == [asking.pk]
    assert ids(client.get(QUEUE, {"status": ["pending", "needs_info"], "region": "KZ-62"})) == [
        asking.pk
    ]
    assert client.get(QUEUE, {"country": "XX"}).status_code == 400


def test_only_the_reviewers_see_the_queue(
    api: APIClient, placement: Placement, owner: User, admin_user: User
) -> None:
    assert as_user(api, None).get(QUEUE).status_code == 401
    assert as_user(api, owner).get(QUEUE).status_code == 403
    assert as_user(api, owner).get(f"{QUEUE}{placement.pk}/").status_code == 403
    assert ids(as_user(api, admin_user).get(QUEUE)) == [placement.pk]


def test_a_reviewer_sees_the_whole_file_of_a_placement(
    api: APIClient, placement: Placement, owner: User, reviewer: User
) -> None:
    assert upload(as_user(api, owner), placement, "contract.pdf", pdf_bytes()).status_code == 201
    document = placement.documents.get()

    file = as_user(api, reviewer).get(f"{QUEUE}{placement.pk}/").data

    assert [step["to_status"] for step in file["application_history"]] == [
        S.APPLIED, S.ACCEPTED, S.INTERVIEW, S.OFFER, S.HIRED,
    ]  # fmt: skip
    assert [e["action"] for e in file["events"]] == ["created", "document_added"]
    assert file["events"][0]["by"] == {"id": owner.pk, "email": owner.email}
    assert file["documents"] == [
        {
            "id": document.pk,
            "kind": "contract",
            "name": "contract.pdf",
            "content_type": "application/pdf",
            "size": len(pdf_bytes()),
            "sha256": document.sha256,
            "uploaded_at": file["documents"][0]["uploaded_at"],
            "download": f"http://testserver{QUEUE}{placement.pk}/documents/{document.pk}/",
        }
    ]
    assert file["legal_basis"] == LegalBasis.EAEU_CITIZEN
    # A decided placement's file stays open to the reviewers (the queue's default
    # status does not hide it).
    Placement.objects.filter(pk=placement.pk).update(status=P.APPROVED)
    assert as_user(api, reviewer).get(f"{QUEUE}{placement.pk}/").status_code == 200


# --- Decisions ------------------------------------------------------------------------


def test_approving_audits_who_when_and_why_and_tells_both_sides(
    api: APIClient, placement: Placement, owner: User, recruiter: User, reviewer: User
) -> None:
    before = timezone.now()

    response = as_user(api, reviewer).post(
        f"{QUEUE}{placement.pk}/approve/", {"note": "Документы в порядке"}
    )

    assert response.status_code == 200, response.content
    assert response.data["status"] == P.APPROVED
    placement.refresh_from_db()
    assert placement.status == P.APPROVED
    assert placement.decided_at is not None and placement.decided_at >= before
    event = placement.events.get(action=PlacementEvent.Action.APPROVED)
    assert (event.by, event.party, event.note) == (reviewer, "platform", "Документы в порядке")
    assert (event.from_status, event.to_status) == (P.PENDING, P.APPROVED)
    assert event.at >= before
    assert notified(placement) == {"welder@example.kg", owner.email, recruiter.email}


def test_rejecting_needs_a_reason_which_both_sides_are_told(
    api: APIClient, placement: Placement, owner: User, recruiter: User, reviewer: User
) -> None:
    client = as_user(api, reviewer)
    url = f"{QUEUE}{placement.pk}/reject/"

    missing = client.post(url, {})
    blank = client.post(url, {"reason": "   "})
    response = client.post(url, {"reason": "Разрешение на работу просрочено"})

    assert missing.status_code == 400 and "reason" in missing.data
    assert blank.status_code == 400 and "reason" in blank.data
    assert response.status_code == 200, response.content
    placement.refresh_from_db()
    assert placement.status == P.REJECTED
    assert placement.decision_reason == "Разрешение на работу просрочено"
    event = placement.events.get(action=PlacementEvent.Action.REJECTED)
    assert (event.by, event.note) == (reviewer, "Разрешение на работу просрочено")
    assert notified(placement) == {"welder@example.kg", owner.email, recruiter.email}
    body = Notification.objects.get(
        kind=Kind.PLACEMENT_REVIEWED, subject_id=placement.pk, recipient=owner
    )
    assert body.data["note"] == "Разрешение на работу просрочено"


def test_a_decision_the_state_does_not_allow_is_a_conflict(
    api: APIClient, placement: Placement, reviewer: User
) -> None:
    client = as_user(api, reviewer)
    assert client.post(f"{QUEUE}{placement.pk}/approve/", {}).status_code == 200

    again = client.post(f"{QUEUE}{placement.pk}/approve/", {})
    reject = client.post(f"{QUEUE}{placement.pk}/reject/", {"reason": "Передумали"})
    ask = client.post(f"{QUEUE}{placement.pk}/request-info/", {"question": "Где договор?"})

    assert (again.status_code, reject.status_code, ask.status_code) == (409, 409, 409)
    assert "status" in again.data
    placement.refresh_from_db()
    assert placement.status == P.APPROVED
    assert placement.events.filter(action=PlacementEvent.Action.APPROVED).count() == 1


def test_a_question_goes_to_the_employer_whose_answer_puts_it_at_the_end_of_the_queue(
    api: APIClient, owner: User, recruiter: User, reviewer: User
) -> None:
    asked = queued(hire(by=owner, profile=seeker_profile("a@example.kg")), hours_ago=10)
    other = queued(hire(by=owner, profile=seeker_profile("b@example.kg")), hours_ago=2)
    client = as_user(api, reviewer)

    assert client.post(f"{QUEUE}{asked.pk}/request-info/", {}).status_code == 400
    response = client.post(f"{QUEUE}{asked.pk}/request-info/", {"question": "Где договор?"})
    assert response.status_code == 200, response.content
    assert ids(client.get(QUEUE)) == [other.pk]
    assert notified(asked) == {"a@example.kg", owner.email, recruiter.email}

    employer = as_user(api, recruiter)
    seen = employer.get(f"{MINE}{asked.pk}/").data
    assert seen["status"] == P.NEEDS_INFO
    assert seen["open_question"] == "Где договор?"
    assert seen["decision_reason"] == ""
    assert employer.post(f"{MINE}{asked.pk}/answer/", {}).status_code == 400
    answered = employer.post(f"{MINE}{asked.pk}/answer/", {"answer": "Загрузили договор"})
    assert answered.status_code == 200, answered.content
    assert answered.data["open_question"] is None
    assert employer.post(f"{MINE}{asked.pk}/answer/", {"answer": "Ещё раз"}).status_code == 409

    rows = results(as_user(api, reviewer).get(QUEUE))
    assert [row["id"] for row in rows] == [other.pk, asked.pk]
    assert rows[1]["age_hours"] == 0
    event = asked.events.get(action=PlacementEvent.Action.INFO_PROVIDED)
    assert (event.by, event.note, event.to_status) == (recruiter, "Загрузили договор", P.PENDING)


# --- The employer's side ------------------------------------------------------------


def test_an_employer_sees_only_its_own_placements(
    api: APIClient, placement: Placement, owner: User, rival: User, reviewer: User
) -> None:
    theirs = hire(by=rival, profile=seeker_profile("ru@example.kg"), country="RU", region="RU-KHM")
    Placement.objects.filter(pk=theirs.pk).update(status=P.REJECTED)

    assert ids(as_user(api, owner).get(MINE)) == [placement.pk]
    assert ids(as_user(api, owner).get(MINE, {"status": "rejected"})) == []
    assert ids(as_user(api, rival).get(MINE, {"status": "rejected"})) == [theirs.pk]
    assert as_user(api, rival).get(f"{MINE}{placement.pk}/").status_code == 404
    assert (
        as_user(api, rival).post(f"{MINE}{placement.pk}/answer/", {"answer": "x"}).status_code
        == 404
    )
    assert as_user(api, reviewer).get(MINE).status_code == 403


def test_an_employer_adds_documents_that_only_it_and_the_reviewers_download(
    api: APIClient,
    placement: Placement,
    owner: User,
    recruiter: User,
    rival: User,
    reviewer: User,
    seeker: User,
) -> None:
    response = upload(as_user(api, recruiter), placement, "Договор №7.pdf", pdf_bytes())

    assert response.status_code == 201, response.content
    document = PlacementDocument.objects.get(pk=response.data["id"])
    assert (document.kind, document.original_name, document.uploaded_by) == (
        "contract",
        "Договор №7.pdf",
        recruiter,
    )
    assert document.stored_name.startswith("placements/") and document.stored_name.endswith(".pdf")
    event = placement.events.get(action=PlacementEvent.Action.DOCUMENT_ADDED)
    assert (event.by, event.party) == (recruiter, "employer")
    ours = f"{MINE}{placement.pk}/documents/{document.pk}/"
    review = f"{QUEUE}{placement.pk}/documents/{document.pk}/"
    for user, url in ((owner, ours), (recruiter, ours), (reviewer, review)):
        got = as_user(api, user).get(url)
        assert got.status_code == 200
        assert got["Content-Disposition"].startswith("attachment")
        assert got["Content-Type"] == "application/pdf"
        assert downloaded(got) == pdf_bytes()
    assert as_user(api, rival).get(ours).status_code == 404
    assert as_user(api, seeker).get(ours).status_code == 403
    assert as_user(api, seeker).get(review).status_code == 403
    assert as_user(api, owner).get(review).status_code == 403
    other = hire(by=owner, profile=seeker_profile("b@example.kg"))
    assert as_user(api, owner).get(f"{MINE}{other.pk}/documents/{document.pk}/").status_code == 404
    assert (
        as_user(api, reviewer).get(f"{QUEUE}{other.pk}/documents/{document.pk}/").status_code == 404
    )


def test_a_document_is_a_pdf_jpeg_or_png_of_at_most_10_mb_named_as_what_it_is(
    api: APIClient, placement: Placement, owner: User, media_root: Path
) -> None:
    client = as_user(api, owner)

    too_big = upload(client, placement, "scan.pdf", pdf_bytes(DOCUMENT_MAX_BYTES + 1))
    not_a_pdf = upload(client, placement, "permit.pdf", b"<html><script>alert(1)</script>")
    png_named_pdf = upload(client, placement, "permit.pdf", PNG)
    empty = upload(client, placement, "permit.pdf", b"")

    assert too_big.status_code == 413
    assert not_a_pdf.status_code == 415
    assert png_named_pdf.status_code == 415
    assert empty.status_code in (400, 415)
    assert not placement.documents.exists()
    assert stored_files(media_root) == []

    png = upload(client, placement, "permit.PNG", PNG, kind="work_permit")
    jpeg = upload(client, placement, "../../etc/скан", JPEG, kind="recognition")
    wrong_kind = upload(client, placement, "x.pdf", pdf_bytes(), kind="passport")

    assert png.status_code == 201 and png.data["content_type"] == "image/png"
    assert jpeg.status_code == 201 and jpeg.data["name"] == "скан.jpg"
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.data
    assert sorted(placement.documents.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]


def test_a_decided_placement_takes_no_more_documents(
    api: APIClient, placement: Placement, owner: User, reviewer: User, media_root: Path
) -> None:
    as_user(api, reviewer).post(f"{QUEUE}{placement.pk}/approve/", {})

    response = upload(as_user(api, owner), placement, "late.pdf", pdf_bytes())

    assert response.status_code == 409
    assert not placement.documents.exists()
    assert stored_files(media_root) == []


# --- The seeker's side ----------------------------------------------------------------


def test_a_seeker_sees_their_own_placements_in_full(
    api: APIClient, owner: User, reviewer: User
) -> None:
    profile = seeker_profile("uz@example.uz", country="UZ", region=None, citizenships=("UZ",))
    mine = hire(
        by=owner,
        profile=profile,
        details=HireDetails(start_date=in_days(7), work_permit_number="KZ-WP-0042"),
    )
    someone_else = hire(by=owner, profile=seeker_profile("b@example.kg"))
    as_user(api, reviewer).post(f"{QUEUE}{mine.pk}/reject/", {"reason": "Нет патента"})

    rows = results(as_user(api, profile.user).get(OWN))

    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["work_permit_number"] == "KZ-WP-0042"
    assert rows[0]["legal_basis"] == LegalBasis.WORK_PERMIT
    assert rows[0]["status"] == P.REJECTED
    assert rows[0]["decision_reason"] == "Нет патента"
    assert [e["action"] for e in rows[0]["events"]] == ["created", "rejected"]
    assert "by" not in rows[0]["events"][0]
    assert someone_else.seeker is not None
    assert ids(as_user(api, someone_else.seeker.user).get(OWN)) == [someone_else.pk]
    assert as_user(api, owner).get(OWN).status_code == 403


# --- Erasure --------------------------------------------------------------------------


def test_erasing_the_seeker_leaves_the_facts_of_the_placement_and_nothing_of_the_person(
    api: APIClient, owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    profile = seeker_profile("uz@example.uz", country="UZ", region=None, citizenships=("UZ",))
    placement = hire(
        by=owner,
        profile=profile,
        details=HireDetails(start_date=in_days(7), work_permit_number="KZ-WP-0042"),
    )
    assert upload(as_user(api, owner), placement, "permit.pdf", pdf_bytes()).status_code == 201
    stored = placement.documents.get().stored_name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        seeker_erase(user=profile.user)

    placement.refresh_from_db()
    assert placement.seeker is None
    assert placement.application is None
    assert placement.work_permit_number == ""
    assert not PlacementDocument.objects.filter(placement=placement).exists()
    assert not default_storage.exists(stored)
    assert (placement.origin_country_id, placement.destination_country_id) == ("UZ", "KZ")
    assert placement.destination_region_id == "KZ-23"
    assert placement.citizenship == Country.objects.get(code="UZ")
    assert placement.legal_basis == LegalBasis.WORK_PERMIT
    assert placement.start_date == in_days(7)
    assert placement.hired_at is not None
    # The audit trail stays; the reviewers still see the placement, without a history.
    assert placement.events.filter(action=PlacementEvent.Action.CREATED).exists()


def test_ids_beyond_the_database_range_are_not_found(
    api: APIClient, placement: Placement, owner: User, reviewer: User
) -> None:
    big = 10**20
    for user, url in (
        (reviewer, f"{QUEUE}{big}/"),
        (reviewer, f"{QUEUE}{placement.pk}/documents/{big}/"),
        (reviewer, f"{QUEUE}{big}/documents/1/"),
        (owner, f"{MINE}{big}/"),
        (owner, f"{MINE}{placement.pk}/documents/{big}/"),
    ):
        assert as_user(api, user).get(url).status_code == 404, url
    assert as_user(api, reviewer).post(f"{QUEUE}{big}/approve/", {}).status_code == 404
    assert upload(as_user(api, owner), placement, "x.pdf", pdf_bytes()).status_code == 201
    assert (
        as_user(api, owner)
        .post(f"{MINE}{big}/documents/", {"kind": "contract"}, format="multipart")
        .status_code
        == 404
    )
    assert ids(as_user(api, reviewer).get(QUEUE, {"employer": big})) == []


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
    api: APIClient, owner: User, reviewer: User
) -> None:
    def cost(user: User, url: str) -> int:
        client = as_user(api, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = hire(by=owner, profile=seeker_profile("a@example.kg"))
    upload(as_user(api, owner), first, "a.pdf", pdf_bytes())
    small = (cost(reviewer, QUEUE), cost(owner, MINE), cost(reviewer, f"{QUEUE}{first.pk}/"))
    for n in range(3):
        more = hire(by=owner, profile=seeker_profile(f"more{n}@example.kg"))
        upload(as_user(api, owner), more, f"m{n}.png", PNG)

    assert (cost(reviewer, QUEUE), cost(owner, MINE)) == small[:2]
    assert cost(reviewer, f"{QUEUE}{more.pk}/") == small[2]

"""Reviewing placements in the admin (each decision after a confirmation page), the
admin of applications and relocation programmes, and the review's services,
selectors and FilterSet directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client

from accounts.models import User
from matching.api_placements import PlacementQueueFilter
from matching.documents import document_content_type
from matching.models import (
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)
from matching.placements import (
    placement_approve,
    placement_document_add,
    placement_reject,
    placement_request_info,
)
from matching.selectors_placements import (
    placement_document,
    placements_for_employer,
    placements_for_review,
    placements_for_seeker,
)
from seekers.files import clean_file_name
from tests.factories import UserFactory
from tests.matching.test_placements_api import (
    JPEG,
    PNG,
    hire,
    notified,
    queued,
    seeker_profile,
    stored_files,
)
from tests.seekers.factories import pdf_bytes

pytestmark = pytest.mark.django_db

P = PlacementStatus
CHANGELIST = "/admin/matching/placement/"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def placement(owner: User, recruiter: User) -> Placement:
    return hire(by=owner, profile=seeker_profile("welder@example.kg"))


@pytest.fixture
def staff(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


def act(client: Client, action: str, placements: list[Placement], **form: str) -> Any:
    """The action chosen on the list: answers with the confirmation page."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in placements], **form},
    )


def confirm(client: Client, action: str, placements: list[Placement], **form: str) -> Any:
    """The confirmation page's form, sent."""
    return act(client, action, placements, confirmed="yes", **form)


# --- The admin's list and pages -------------------------------------------------------


def test_the_admin_lists_placements_with_status_age_destination_and_programme(
    staff: Client, owner: User
) -> None:
    old = queued(hire(by=owner, profile=seeker_profile("a@example.kg")), hours_ago=50)

    page = staff.get(CHANGELIST)
    filtered = staff.get(CHANGELIST, {"status__exact": "approved"})
    detail = staff.get(f"{CHANGELIST}{old.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "2 d 2 h" in text
    assert "KZ · KZ-23" in text and "KG · KG-GB" in text
    assert filtered.status_code == 200 and "2 d 2 h" not in filtered.content.decode()
    assert detail.status_code == 200
    assert "Created by the hire" in detail.content.decode()
    assert staff.get(f"{CHANGELIST}add/").status_code == 403


def test_approving_in_the_admin_asks_for_confirmation_then_decides_audits_and_tells(
    staff: Client, placement: Placement, admin_user: User, owner: User, recruiter: User
) -> None:
    page = act(staff, "approve", [placement])

    assert page.status_code == 200
    assert "admin/matching/placement/confirm_decision.html" in [t.name for t in page.templates]
    assert f"#{placement.pk}" in page.content.decode()
    placement.refresh_from_db()
    assert placement.status == P.PENDING
    assert not placement.events.filter(action=PlacementEvent.Action.APPROVED).exists()

    done = confirm(staff, "approve", [placement], note="Проверено")

    assert done.status_code == 302
    placement.refresh_from_db()
    assert placement.status == P.APPROVED
    event = placement.events.get(action=PlacementEvent.Action.APPROVED)
    assert (event.by, event.party, event.note) == (admin_user, "platform", "Проверено")
    assert notified(placement) == {"welder@example.kg", owner.email, recruiter.email}


def test_rejecting_in_the_admin_needs_a_reason_on_the_confirmation_page(
    staff: Client, placement: Placement, admin_user: User
) -> None:
    assert "reason" in act(staff, "reject", [placement]).content.decode()

    without = confirm(staff, "reject", [placement], reason="  ")

    assert without.status_code == 200  # the page again, with the error
    assert without.context["form"].errors["reason"]
    placement.refresh_from_db()
    assert placement.status == P.PENDING

    assert confirm(staff, "reject", [placement], reason="Нет договора").status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.decision_reason) == (P.REJECTED, "Нет договора")
    event = placement.events.get(action=PlacementEvent.Action.REJECTED)
    assert (event.by, event.note) == (admin_user, "Нет договора")


def test_asking_for_information_in_the_admin_sends_the_question(
    staff: Client, owner: User, admin_user: User
) -> None:
    first = hire(by=owner, profile=seeker_profile("a@example.kg"))
    second = hire(by=owner, profile=seeker_profile("b@example.kg"))

    page = act(staff, "request_info", [first, second])
    assert page.status_code == 200
    assert {p.pk for p in page.context["placements"]} == {first.pk, second.pk}
    assert confirm(staff, "request_info", [first, second], question="").status_code == 200
    assert (
        confirm(staff, "request_info", [first, second], question="Где патент?").status_code == 302
    )

    for placement in (first, second):
        placement.refresh_from_db()
        assert placement.status == P.NEEDS_INFO
        event = placement.events.get(action=PlacementEvent.Action.INFO_REQUESTED)
        assert (event.by, event.note) == (admin_user, "Где патент?")


def test_a_bulk_decision_refuses_what_is_not_pending_and_decides_the_rest(
    staff: Client, owner: User, reviewer: User
) -> None:
    pending = hire(by=owner, profile=seeker_profile("a@example.kg"))
    decided = placement_approve(
        placement=hire(by=owner, profile=seeker_profile("b@example.kg")), by=reviewer
    )

    page = act(staff, "reject", [pending, decided])
    assert [p.pk for p in page.context["not_pending"]] == [decided.pk]

    response = confirm(staff, "reject", [pending, decided], reason="Нет договора")

    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("1 placement(s) rejected" in m for m in shown)
    assert any(f"placement {decided.pk}" in m and "not rejected" in m for m in shown)
    pending.refresh_from_db()
    decided.refresh_from_db()
    assert (pending.status, decided.status) == (P.REJECTED, P.APPROVED)


def test_the_decisions_are_not_offered_to_staff_who_do_not_review(
    client: Client, placement: Placement
) -> None:
    clerk = UserFactory.create(email="clerk@borderless.test", role="employer", is_staff=True)
    client.force_login(clerk)

    assert client.get(CHANGELIST).status_code == 403
    response = confirm(client, "approve", [placement])
    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.status == P.PENDING


def test_the_admin_serves_a_placements_document_to_the_reviewers(
    staff: Client, placement: Placement, owner: User
) -> None:
    document = placement_document_add(
        placement=placement,
        by=owner,
        kind="work_permit",
        file=SimpleUploadedFile("permit.png", PNG),
    )

    page = staff.get(f"{CHANGELIST}{placement.pk}/change/").content.decode()
    url = f"{CHANGELIST}{placement.pk}/documents/{document.pk}/"
    response = staff.get(url)

    assert url in page
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(cast(FileResponse, response).streaming_content) == PNG  # type: ignore[arg-type]
    assert staff.get(f"{CHANGELIST}{placement.pk + 1}/documents/{document.pk}/").status_code == 404


def test_the_admin_shows_applications_read_only_with_their_history(
    staff: Client, placement: Placement
) -> None:
    assert placement.application is not None
    url = f"/admin/matching/application/{placement.application.pk}/change/"

    assert staff.get("/admin/matching/application/").status_code == 200
    page = staff.get(url)
    assert page.status_code == 200
    assert "Hired" in page.content.decode()
    assert staff.post(url, {"status": "withdrawn"}).status_code == 403
    assert staff.get("/admin/matching/application/add/").status_code == 403


def test_relocation_programmes_are_kept_in_the_admin_with_regions_of_their_country(
    staff: Client,
) -> None:
    form = {
        "name": "Серпін",
        "country": "KZ",
        "from_regions": ["KZ-75", "KZ-79"],
        "to_regions": ["KZ-23"],
        "benefits": "Жильё и подъёмные",
        "valid_from": "2026-01-01",
        "valid_until": "",
    }
    page = staff.get("/admin/matching/relocationprogramme/add/")
    assert page.status_code == 200
    assert "selectfilter" in page.content.decode().lower()

    foreign = staff.post(
        "/admin/matching/relocationprogramme/add/", form | {"to_regions": ["KG-GB"]}
    )
    both = staff.post("/admin/matching/relocationprogramme/add/", form | {"to_regions": ["KZ-75"]})
    saved = staff.post("/admin/matching/relocationprogramme/add/", form)

    assert foreign.status_code == 200 and foreign.context["adminform"].form.errors["to_regions"]
    assert both.status_code == 200 and both.context["adminform"].form.errors["to_regions"]
    assert saved.status_code == 302
    programme = RelocationProgramme.objects.get()
    assert sorted(programme.from_regions.values_list("code", flat=True)) == ["KZ-75", "KZ-79"]
    assert list(programme.to_regions.values_list("code", flat=True)) == ["KZ-23"]


# --- The services ---------------------------------------------------------------------


def test_only_reviewers_decide(placement: Placement, owner: User, seeker: User) -> None:
    for user in (owner, seeker):
        with pytest.raises(PermissionDenied):
            placement_approve(placement=placement, by=user)
    placement.refresh_from_db()
    assert placement.status == P.PENDING


def test_a_question_is_no_decision_reason(placement: Placement, reviewer: User) -> None:
    placement = placement_request_info(placement=placement, by=reviewer, question="Где патент?")

    assert (placement.status, placement.decision_reason, placement.decided_at) == (
        P.NEEDS_INFO,
        "",
        None,
    )
    with pytest.raises(ValidationError) as refused:
        placement_reject(placement=placement, by=reviewer, reason="Нет ответа")
    assert refused.value.error_dict["status"][0].code == "conflict"


def test_only_the_employers_members_add_documents_and_nothing_stays_on_disk_when_refused(
    placement: Placement, rival: User, reviewer: User, owner: User, media_root: Path
) -> None:
    for user in (rival, reviewer):
        with pytest.raises(PermissionDenied):
            placement_document_add(
                placement=placement,
                by=user,
                kind="contract",
                file=SimpleUploadedFile("c.pdf", pdf_bytes()),
            )
    with pytest.raises(ValidationError) as refused:
        placement_document_add(
            placement=placement, by=owner, kind="contract", file=SimpleUploadedFile("c.exe", PNG)
        )
    assert refused.value.error_dict["file"][0].code == "document_unsupported"
    assert not PlacementDocument.objects.exists()
    assert stored_files(media_root) == []


def test_a_document_is_judged_by_its_bytes_and_named_cleanly() -> None:
    assert document_content_type(SimpleUploadedFile("x", pdf_bytes())) == "application/pdf"
    assert document_content_type(SimpleUploadedFile("x", PNG)) == "image/png"
    assert document_content_type(SimpleUploadedFile("x", JPEG)) == "image/jpeg"
    assert document_content_type(SimpleUploadedFile("x", b"GIF89a......")) is None
    assert clean_file_name("C:\\Users\\Айгерим\\скан.pdf") == "скан.pdf"
    assert clean_file_name('../"a|b"\x00.pdf') == "_a_b_.pdf"
    assert clean_file_name("...", default="") == ""
    long = clean_file_name("я" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


# --- Selectors and the FilterSet ----------------------------------------------------


def test_each_side_reads_only_its_own_placements(
    placement: Placement, owner: User, rival: User, reviewer: User, seeker: User
) -> None:
    document = placement_document_add(
        placement=placement,
        by=owner,
        kind="contract",
        file=SimpleUploadedFile("c.pdf", pdf_bytes()),
    )
    assert placement.seeker is not None

    assert list(placements_for_review(user=reviewer)) == [placement]
    assert list(placements_for_review(user=owner)) == []
    assert list(placements_for_employer(user=owner)) == [placement]
    assert list(placements_for_employer(user=rival)) == []
    assert list(placements_for_seeker(user=placement.seeker.user)) == [placement]
    assert list(placements_for_seeker(user=seeker)) == []
    scope = placements_for_employer(user=rival)
    assert (
        placement_document(placements=scope, placement_id=placement.pk, document_id=document.pk)
        is None
    )
    assert (
        placement_document(
            placements=placements_for_review(user=reviewer),
            placement_id=placement.pk,
            document_id=document.pk,
        )
        == document
    )


def test_the_queue_filter_keeps_to_pending_unless_asked(owner: User, reviewer: User) -> None:
    pending = hire(by=owner, profile=seeker_profile("a@example.kg"))
    approved = placement_approve(
        placement=hire(by=owner, profile=seeker_profile("b@example.kg")), by=reviewer
    )
    everything = Placement.objects.order_by("queued_at", "id")

    assert list(PlacementQueueFilter({}, queryset=everything).qs) == [pending]
    assert list(PlacementQueueFilter({"status": ["approved"]}, queryset=everything).qs) == [
        approved
    ]
    assert list(
        PlacementQueueFilter({"status": ["pending", "approved"]}, queryset=everything).qs
    ) == [pending, approved]
    assert not PlacementQueueFilter({"status": ["lost"]}, queryset=everything).is_valid()

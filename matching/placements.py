"""Placements' verbs: made by a hire, reviewed by the platform's reviewers (approve,
reject with a reason, ask for information), answered by the employer; each step is
audited and both sides are told."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.exceptions import CONFLICT
from matching.applications import HireDetails, legal_basis_for
from matching.documents import document_check, document_store, documents_delete
from matching.engine.rules import is_regulated_occupation
from matching.models import (
    Application,
    LegalBasis,
    Party,
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)
from notifications.models import Kind
from notifications.services import Message, notify, notify_employer
from vacancies.models import EmployerMember

P = PlacementStatus
Action = PlacementEvent.Action
MAX_TEXT = 4000


def _conflict(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=CONFLICT)})


def programme_for(
    *, country: str, origin_region: str | None, destination_region: str, on: date
) -> RelocationProgramme | None:
    """The relocation programme a move within ``country`` falls under on ``on``, if any."""
    if origin_region is None or origin_region == destination_region:
        return None
    return (
        RelocationProgramme.objects.filter(
            country_id=country,
            from_regions=origin_region,
            to_regions=destination_region,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("valid_from", "pk")
        .first()
    )


def placement_create_for_hire(
    *, application: Application, by: User, details: HireDetails
) -> Placement:
    """The placement a hire makes (inside the hire's transaction, the row locked)."""
    profile, vacancy = application.seeker, application.vacancy
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if details.start_date < today - timedelta(days=31):
        errors["start_date"] = _("The start date is more than a month ago.")
    derived = legal_basis_for(profile, vacancy.country_id, on=details.start_date)
    basis = details.legal_basis or derived or LegalBasis.WORK_PERMIT
    if basis not in LegalBasis.values:
        errors["legal_basis"] = _("Unknown legal basis.")
    permit = details.work_permit_number.strip()
    if basis == LegalBasis.WORK_PERMIT and not permit:
        errors["work_permit_number"] = _("Give the number of the work permit.")
    if len(permit) > 64:
        errors["work_permit_number"] = _("A permit number has at most 64 characters.")
    if errors:
        raise ValidationError(errors)
    citizenships = list(profile.citizenships.order_by("code").values_list("code", flat=True))
    citizenship = (
        vacancy.country_id
        if vacancy.country_id in citizenships
        else (citizenships or [profile.country_id])[0]
    )
    foreign = citizenship != vacancy.country_id
    regulated = is_regulated_occupation(vacancy.occupation_id)
    now = timezone.now()
    placement = Placement.objects.create(
        application=application,
        seeker=profile,
        vacancy=vacancy,
        employer=vacancy.employer,
        occupation_id=vacancy.occupation_id,
        start_date=details.start_date,
        origin_country_id=profile.country_id,
        origin_region_id=profile.region_id,
        destination_country_id=vacancy.country_id,
        destination_region_id=vacancy.region_id,
        cross_border=profile.country_id != vacancy.country_id,
        citizenship_id=citizenship,
        legal_basis=basis,
        work_permit_number=permit if basis == LegalBasis.WORK_PERMIT else "",
        regulated_profession=regulated,
        recognition_obtained=details.recognition_obtained if regulated and foreign else None,
        programme=(
            programme_for(
                country=vacancy.country_id,
                origin_region=profile.region_id,
                destination_region=vacancy.region_id,
                on=details.start_date,
            )
            if profile.country_id == vacancy.country_id
            else None
        ),
        hired_at=now,
        queued_at=now,
    )
    PlacementEvent.objects.create(
        placement=placement, by=by, party=Party.EMPLOYER, action=Action.CREATED, to_status=P.PENDING
    )
    return placement


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("vacancy", "employer", "seeker__user")
        .get(pk=placement.pk)
    )


def _text(field: str, value: str, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This is needed.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": MAX_TEXT}})
    return value


def _require_reviewer(by: User) -> None:
    if not (by.is_reviewer or by.is_platform_admin):
        raise PermissionDenied(_("Only the platform's reviewers decide on placements."))


def _decide(placement: Placement, *, by: User, to: str, action: str, note: str) -> Placement:
    placement = _locked(placement)
    if placement.status not in (P.PENDING,):
        raise _conflict(
            "status",
            _("A placement that is “%(s)s” cannot be decided now.")
            % {"s": P(placement.status).label},
        )
    frm = placement.status
    placement.status = to
    placement.decided_at = timezone.now() if to in (P.APPROVED, P.REJECTED) else None
    # A question is no decision: it lives in the events, not as the placement's reason.
    placement.decision_reason = note if to == P.REJECTED else ""
    placement.save(update_fields=["status", "decided_at", "decision_reason"])
    PlacementEvent.objects.create(
        placement=placement,
        by=by,
        party=Party.PLATFORM,
        action=action,
        from_status=frm,
        to_status=to,
        note=note,
    )
    _tell(placement, action=action, note=note)
    return placement


@transaction.atomic
def placement_approve(*, placement: Placement, by: User, note: str = "") -> Placement:
    _require_reviewer(by)
    return _decide(
        placement,
        by=by,
        to=P.APPROVED,
        action=Action.APPROVED,
        note=_text("note", note, required=False),
    )


@transaction.atomic
def placement_reject(*, placement: Placement, by: User, reason: str) -> Placement:
    _require_reviewer(by)
    return _decide(
        placement,
        by=by,
        to=P.REJECTED,
        action=Action.REJECTED,
        note=_text("reason", reason, required=True),
    )


@transaction.atomic
def placement_request_info(*, placement: Placement, by: User, question: str) -> Placement:
    _require_reviewer(by)
    return _decide(
        placement,
        by=by,
        to=P.NEEDS_INFO,
        action=Action.INFO_REQUESTED,
        note=_text("question", question, required=True),
    )


@transaction.atomic
def placement_answer(
    *, placement: Placement, by: User, answer: str, recognition_obtained: bool | None = None
) -> Placement:
    """The employer answers the reviewer's question; the placement returns to the queue
    (at its end: queued again now)."""
    placement = _locked(placement)
    _require_member(placement, by)
    if placement.status != P.NEEDS_INFO:
        raise _conflict("status", _("Nothing was asked about this placement."))
    answer = _text("answer", answer, required=True)
    fields = ["status", "queued_at"]
    if recognition_obtained is not None and placement.regulated_profession:
        placement.recognition_obtained = recognition_obtained
        fields.append("recognition_obtained")
    placement.status = P.PENDING
    placement.queued_at = timezone.now()
    placement.save(update_fields=fields)
    PlacementEvent.objects.create(
        placement=placement,
        by=by,
        party=Party.EMPLOYER,
        action=Action.INFO_PROVIDED,
        from_status=P.NEEDS_INFO,
        to_status=P.PENDING,
        note=answer,
    )
    return placement


def _require_member(placement: Placement, by: User) -> None:
    if not EmployerMember.objects.filter(user_id=by.pk, employer_id=placement.employer_id).exists():
        raise PermissionDenied(_("Only the employer's members act for this placement."))


def _open_for_documents(placement: Placement) -> None:
    if placement.status not in (P.PENDING, P.NEEDS_INFO):
        raise _conflict(
            "status",
            _("A placement that is “%(s)s” takes no more documents.")
            % {"s": P(placement.status).label},
        )


def placement_document_add(
    *, placement: Placement, by: User, kind: str, file: File[bytes]
) -> PlacementDocument:
    """An employer's member adds a file behind the placement (a contract, a permit, a
    recognition certificate) while it is under review; a decided placement's files are
    the record of that decision and stay as they were.

    A file cannot join a transaction: it is checked and written first, and the rows
    made in one transaction after; if that fails the file is removed again.
    """
    if kind not in PlacementDocument.DocumentKind.values:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    # Refused before a byte is written; checked again under the lock below.
    _require_member(placement, by)
    _open_for_documents(placement)
    checked = document_check(file=file)
    stored = document_store(checked=checked)
    try:
        with transaction.atomic():
            locked = _locked(placement)
            _open_for_documents(locked)
            document = PlacementDocument.objects.create(
                placement=locked,
                kind=kind,
                stored_name=stored,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
            )
            PlacementEvent.objects.create(
                placement=locked,
                by=by,
                party=Party.EMPLOYER,
                action=Action.DOCUMENT_ADDED,
                from_status=locked.status,
                to_status=locked.status,
                note=f"{PlacementDocument.DocumentKind(kind).label}: {checked.name}",
            )
    except BaseException:
        default_storage.delete(stored)
        raise
    return document


def _tell(placement: Placement, *, action: str, note: str) -> None:
    """Both sides hear of a reviewer's decision (the seeker, if still on the platform)."""
    context = {
        "vacancy_title": placement.vacancy.title,
        "employer_name": placement.employer.name,
        "decision": placement.status,
        "note": note,
    }
    key = f"placement:{placement.pk}:{action}:{placement.events.count()}"
    message = Message(
        kind=Kind.PLACEMENT_REVIEWED,
        key=key,
        subject_type="placement",
        subject_id=placement.pk,
        link=f"/placements/{placement.pk}/",
        context=context,
    )
    members = [
        m.user
        for m in EmployerMember.objects.filter(employer_id=placement.employer_id).select_related(
            "user"
        )
    ]
    recipients = members + ([placement.seeker.user] if placement.seeker is not None else [])
    notify(recipients=recipients, message=message)
    notify_employer(
        employer_id=placement.employer_id,
        event_type=f"placement.{placement.status}",
        key=key,
        payload={"placement_id": placement.pk, "status": placement.status, "note": note},
    )


def placements_anonymise(*, profile_id: int) -> int:
    """A seeker leaves: their placements keep only the facts (the countries, regions,
    dates and the legal basis), with no link to the person, no permit number and no
    documents.

    The links are cut here, with the number, rather than left to the profile's
    deletion: a work-permit placement must name its permit while it names a seeker
    (``placement_permit_has_number``), so blanking the number alone is refused.
    """
    placements = Placement.objects.filter(seeker_id=profile_id)
    documents_delete(placement_ids=list(placements.values_list("pk", flat=True)))
    updated: int = placements.update(work_permit_number="", seeker=None, application=None)
    return updated

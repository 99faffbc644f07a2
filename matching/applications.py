"""Applications' verbs: apply, invite, and every move after, by the side allowed to
make it; a hire makes the placement. Both sides are told of every step.

The seeker's name and contacts reach the employer only once the seeker applied or
accepted an invitation (``Application.contacts_visible``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.exceptions import CONFLICT
from matching.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    LegalBasis,
    Match,
    MatchStatus,
    Party,
)
from notifications.models import Kind
from notifications.services import Message, notify, notify_employer
from seekers.models import SeekerProfile
from vacancies.models import EmployerMember, Vacancy

S = ApplicationStatus

# (from, to) → the side that may make the move.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.APPLIED, S.ACCEPTED): Party.EMPLOYER,
    (S.APPLIED, S.DECLINED): Party.EMPLOYER,
    (S.APPLIED, S.WITHDRAWN): Party.SEEKER,
    (S.INVITED, S.ACCEPTED): Party.SEEKER,
    (S.INVITED, S.DECLINED): Party.SEEKER,
    (S.INVITED, S.WITHDRAWN): Party.EMPLOYER,  # the employer takes the invitation back
    (S.ACCEPTED, S.INTERVIEW): Party.EMPLOYER,
    (S.ACCEPTED, S.OFFER): Party.EMPLOYER,
    (S.ACCEPTED, S.REJECTED): Party.EMPLOYER,
    (S.ACCEPTED, S.WITHDRAWN): Party.SEEKER,
    (S.INTERVIEW, S.OFFER): Party.EMPLOYER,
    (S.INTERVIEW, S.REJECTED): Party.EMPLOYER,
    (S.INTERVIEW, S.WITHDRAWN): Party.SEEKER,
    (S.OFFER, S.HIRED): Party.EMPLOYER,
    (S.OFFER, S.REJECTED): Party.EMPLOYER,
    (S.OFFER, S.WITHDRAWN): Party.SEEKER,
}
MAX_NOTE = 4000


def _conflict(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=CONFLICT)})


def allowed_moves(application: Application, party: str) -> list[str]:
    """Where ``party`` may move the application from its present state."""
    return [
        to for (frm, to), who in TRANSITIONS.items() if frm == application.status and who == party
    ]


def party_of(application: Application, user: User) -> str | None:
    if application.seeker.user_id == user.pk:
        return Party.SEEKER
    member = EmployerMember.objects.filter(
        user_id=user.pk, employer_id=application.vacancy.employer_id
    ).exists()
    return Party.EMPLOYER if member else None


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}}
        )
    return note


def _open_vacancy(vacancy: Vacancy) -> Vacancy:
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != Vacancy.Status.PUBLISHED or (
        locked.expires_on is not None and locked.expires_on < timezone.localdate()
    ):
        raise _conflict("vacancy", _("This vacancy is not open for applications."))
    return locked


def _no_open_application(vacancy: Vacancy, profile: SeekerProfile) -> None:
    open_one = Application.objects.filter(vacancy=vacancy, seeker=profile).exclude(
        status__in=(S.DECLINED, S.HIRED, S.REJECTED, S.WITHDRAWN)
    )
    if open_one.exists():
        raise _conflict("vacancy", _("There is already an open application for this vacancy."))


def _record(application: Application, *, by: User | None, party: str, frm: str, note: str) -> None:
    ApplicationEvent.objects.create(
        application=application,
        by=by,
        party=party,
        from_status=frm,
        to_status=application.status,
        note=note,
    )


@transaction.atomic
def application_apply(
    *, profile: SeekerProfile, vacancy: Vacancy, by: User, note: str = "", share_cv: bool = False
) -> Application:
    """The seeker applies; the employer may see the name and contacts from now on."""
    if profile.user_id != by.pk:
        raise PermissionDenied(_("Only the seeker may apply with this profile."))
    if profile.consent_given_at is None:
        raise _conflict(
            "consent", _("Give consent to the processing of your profile before applying.")
        )
    note = _check_note(note)
    vacancy = _open_vacancy(vacancy)
    _no_open_application(vacancy, profile)
    now = timezone.now()
    application = Application.objects.create(
        vacancy=vacancy,
        seeker=profile,
        match=Match.objects.filter(vacancy=vacancy, seeker=profile).first(),
        started_by=Party.SEEKER,
        status=S.APPLIED,
        note=note,
        share_cv=share_cv,
        contacts_shared_at=now,
    )
    _record(application, by=by, party=Party.SEEKER, frm="", note=note)
    _tell(application, party=Party.SEEKER, note=note)
    return application


@transaction.atomic
def application_invite(
    *, vacancy: Vacancy, profile: SeekerProfile, by: User, note: str = ""
) -> Application:
    """An employer's member invites a seeker (a contact request): the name and contacts
    stay hidden until the seeker accepts."""
    if not EmployerMember.objects.filter(user_id=by.pk, employer_id=vacancy.employer_id).exists():
        raise PermissionDenied(_("Only a member of this employer may invite for its vacancy."))
    employer = vacancy.employer
    visible = SeekerProfile.objects.visible_to_employer(
        employer_id=employer.pk, employer_country=employer.country_id
    ).filter(pk=profile.pk)
    if not visible.exists():
        # As if the profile did not exist: the seeker's visibility is not told either.
        raise ValidationError({"seeker": _("No such candidate.")})
    note = _check_note(note)
    vacancy = _open_vacancy(vacancy)
    _no_open_application(vacancy, profile)
    match = Match.objects.filter(vacancy=vacancy, seeker=profile).first()
    application = Application.objects.create(
        vacancy=vacancy,
        seeker=profile,
        match=match,
        started_by=Party.EMPLOYER,
        status=S.INVITED,
        note=note,
    )
    if match is not None:
        Match.objects.filter(pk=match.pk).update(
            status=MatchStatus.CONTACTED, status_changed_at=timezone.now()
        )
    _record(application, by=by, party=Party.EMPLOYER, frm="", note=note)
    _tell(application, party=Party.EMPLOYER, note=note)
    return application


@dataclass(frozen=True)
class HireDetails:
    """What a hire records on the placement; the legal basis is derived when not given."""

    start_date: date
    legal_basis: str | None = None
    work_permit_number: str = ""
    recognition_obtained: bool | None = None


@transaction.atomic
def application_move(
    *,
    application: Application,
    to: str,
    by: User,
    note: str = "",
    hire: HireDetails | None = None,
) -> Application:
    """Move the application one step, if that side may make that move from here.

    Two requests at once (a double click on "hire") wait for each other on the row
    lock; the second finds the application hired and is refused with a conflict, so a
    hire makes exactly one placement.
    """
    from matching.placements import placement_create_for_hire

    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__employer", "seeker__user")
        .get(pk=application.pk)
    )
    party = party_of(application, by)
    if party is None:
        raise PermissionDenied(_("This application is not yours to move."))
    if to not in S.values:
        raise ValidationError({"status": _("Unknown status “%(s)s”.") % {"s": to}})
    allowed = TRANSITIONS.get((application.status, to))
    if allowed is None:
        raise _conflict(
            "status",
            _("An application that is “%(frm)s” cannot become “%(to)s”.")
            % {"frm": S(application.status).label, "to": S(to).label},
        )
    if allowed != party:
        raise PermissionDenied(
            _("Only the %(party)s may move an application to “%(to)s”.")
            % {"party": Party(allowed).label.lower(), "to": S(to).label}
        )
    note = _check_note(note)
    if to == S.HIRED and hire is None:
        raise ValidationError({"start_date": _("Give the start date of the job.")})
    frm = application.status
    application.status = to
    fields = ["status", "updated_at"]
    if frm == S.INVITED and to == S.ACCEPTED:
        application.contacts_shared_at = timezone.now()
        fields.append("contacts_shared_at")
    application.save(update_fields=fields)
    _record(application, by=by, party=party, frm=frm, note=note)
    if to == S.HIRED:
        assert hire is not None  # noqa: S101 - checked above
        placement_create_for_hire(application=application, by=by, details=hire)
    _tell(application, party=party, note=note)
    return application


def _tell(application: Application, *, party: str, note: str) -> None:
    """Tell the other side (and the employer's webhook) of the step just made."""
    vacancy = application.vacancy
    seeker = application.seeker
    context = {
        "vacancy_title": vacancy.title,
        "employer_name": vacancy.employer.name,
        "status": application.status,
        "note": note,
        "other_party": vacancy.employer.name if party == Party.EMPLOYER else "",
    }
    key = f"application:{application.pk}:{application.status}"
    if party == Party.EMPLOYER:
        kind = Kind.INVITATION_RECEIVED if application.status == S.INVITED else Kind.STATUS_CHANGED
        notify(
            recipients=[seeker.user],
            message=Message(
                kind=kind,
                key=key,
                subject_type="application",
                subject_id=application.pk,
                link=f"/applications/{application.pk}/",
                context=context,
            ),
        )
        return
    members = [
        m.user
        for m in EmployerMember.objects.filter(employer_id=vacancy.employer_id).select_related(
            "user"
        )
    ]
    if application.contacts_visible:
        context["other_party"] = seeker.user.full_name or f"#{seeker.pk}"
    kind = Kind.APPLICATION_RECEIVED if application.status == S.APPLIED else Kind.STATUS_CHANGED
    notify(
        recipients=members,
        message=Message(
            kind=kind,
            key=key,
            subject_type="application",
            subject_id=application.pk,
            link=f"/employer/applications/{application.pk}/",
            context=context,
        ),
    )
    notify_employer(
        employer_id=vacancy.employer_id,
        event_type=f"application.{application.status}",
        key=key,
        payload={
            "application_id": application.pk,
            "vacancy_id": vacancy.pk,
            "status": application.status,
            "candidate": {"id": seeker.pk},
        },
    )


def legal_basis_for(profile: SeekerProfile, destination: str, *, on: date) -> str | None:
    """Why the seeker may work in ``destination``, from the profile; None: a permit the
    employer sponsors (its number must then be given)."""
    citizenships = set(profile.citizenships.values_list("code", "is_eaeu_member"))
    if any(code == destination for code, _member in citizenships):
        return LegalBasis.CITIZEN
    from taxonomy.models import Country

    destination_eaeu = Country.objects.filter(code=destination, is_eaeu_member=True).exists()
    if destination_eaeu and any(member for _code, member in citizenships):
        return LegalBasis.EAEU_CITIZEN
    for kind, valid_until in profile.work_rights.filter(country_id=destination).values_list(
        "kind", "valid_until"
    ):
        if valid_until is None or valid_until >= on:
            return (
                LegalBasis.RESIDENCE_PERMIT
                if kind == "residence_permit"
                else LegalBasis.WORK_PERMIT
            )
    return None

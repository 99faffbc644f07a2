"""Employers, their members, and invitations by e-mail."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections import defaultdict
from datetime import timedelta
from functools import partial
from smtplib import SMTPException

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from taxonomy.models import Country
from vacancies.models import Employer, EmployerInvitation, EmployerMember
from vacancies.selectors import is_platform_staff
from vacancies.services._access import already_a_member, conflict, require_owner
from vacancies.validators import validate_registration_number

logger = logging.getLogger(__name__)

INVITATION_TTL = timedelta(days=7)


def _normalise_registration_number(number: str) -> str:
    # People copy numbers with spaces or dashes from certificates ("240140 000 123").
    return re.sub(r"[\s-]", "", number)


def _employer_validate(employer: Employer) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    try:
        employer.full_clean(exclude=["country"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field].extend(messages)
    if "registration_number" not in errors:
        try:
            validate_registration_number(employer.country_id, employer.registration_number)
        except ValidationError as exc:
            errors["registration_number"].extend(exc.message_dict["registration_number"])
    taken = Employer.objects.filter(
        country_id=employer.country_id, registration_number=employer.registration_number
    ).exclude(pk=employer.pk)
    if "registration_number" not in errors and taken.exists():
        errors["registration_number"].append(_duplicate_registration_message())
    if errors:
        raise ValidationError(dict(errors))


def _duplicate_registration_message() -> str:
    return _("An employer with this registration number is already registered.")


def _employer_save(employer: Employer, *, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            employer.save(update_fields=update_fields)
    except IntegrityError as exc:  # the same company registered twice at the same moment
        raise ValidationError({"registration_number": _duplicate_registration_message()}) from exc


@transaction.atomic
def employer_create(
    *,
    by: User,
    name: str,
    country: Country,
    registration_number: str,
    address: str = "",
    website: str = "",
) -> Employer:
    """Register an employer; the employer account that does it becomes its owner."""
    if not by.is_employer_member:
        raise PermissionDenied(_("Only an employer account can register an employer."))
    if EmployerMember.objects.filter(user_id=by.pk).exists():
        raise already_a_member()
    employer = Employer(
        name=name.strip(),
        country=country,
        registration_number=_normalise_registration_number(registration_number),
        address=address.strip(),
        website=website.strip(),
    )
    _employer_validate(employer)
    _employer_save(employer)
    try:
        with transaction.atomic():
            EmployerMember.objects.create(
                employer=employer, user=by, role=EmployerMember.Role.OWNER
            )
    except IntegrityError as exc:  # joined another employer meanwhile
        raise already_a_member() from exc
    return employer


@transaction.atomic
def employer_update(
    *,
    employer: Employer,
    by: User,
    name: str | None = None,
    country: Country | None = None,
    registration_number: str | None = None,
    address: str | None = None,
    website: str | None = None,
) -> Employer:
    """Change what the owner may change; ``None`` leaves a field as it is.

    A new country or registration number is a different legal entity as far as the
    staff's check went, so the employer is no longer verified.
    """
    require_owner(employer_id=employer.pk, by=by)
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    changed: list[str] = []
    if name is not None:
        employer.name = name.strip()
        changed.append("name")
    if address is not None:
        employer.address = address.strip()
        changed.append("address")
    if website is not None:
        employer.website = website.strip()
        changed.append("website")
    identity_before = (employer.country_id, employer.registration_number)
    if country is not None:
        employer.country = country
        changed.append("country")
    if registration_number is not None:
        employer.registration_number = _normalise_registration_number(registration_number)
        changed.append("registration_number")
    if (employer.country_id, employer.registration_number) != identity_before:
        employer.verified = False
        changed.append("verified")
    if not changed:
        return employer
    _employer_validate(employer)
    _employer_save(employer, update_fields=changed)
    return employer


@transaction.atomic
def employer_verify(*, employer: Employer, by: User, verified: bool = True) -> Employer:
    """Platform staff confirm (or withdraw) that the employer is who it says it is."""
    if not is_platform_staff(by):
        raise PermissionDenied(_("Only platform staff verify employers."))
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    employer.verified = verified
    employer.save(update_fields=["verified"])
    return employer


# --- Members and invitations ------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(*, invitation: EmployerInvitation, token: str) -> None:
    subject = _("Invitation to join %(employer)s on Borderless") % {
        "employer": invitation.employer.name
    }
    body = _(
        "You have been invited to join %(employer)s on Borderless as %(role)s.\n\n"
        "Sign in with this e-mail address (%(email)s) to an employer account and accept "
        "the invitation with this code (POST /api/v1/invitations/accept/):\n\n"
        "    %(token)s\n\n"
        "The invitation is valid until %(expires)s. If you did not expect it, ignore "
        "this message."
    ) % {
        "employer": invitation.employer.name,
        "role": invitation.get_role_display(),
        "email": invitation.email,
        "token": token,
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
    }
    try:
        send_mail(subject, body, None, [invitation.email])
    except (SMTPException, OSError):
        # The invitation stays pending; the owner sees it and can invite again.
        logger.exception("invitation %s: the e-mail could not be sent", invitation.pk)


@transaction.atomic
def member_invite(
    *,
    employer: Employer,
    by: User,
    email: str,
    role: str = EmployerMember.Role.RECRUITER,
) -> EmployerInvitation:
    """Invite a person by e-mail. A new invitation to the same address replaces the
    pending one, so only the latest e-mail's token works."""
    require_owner(employer_id=employer.pk, by=by)
    address = email.strip().lower()
    errors: dict[str, str] = {}
    try:
        validate_email(address)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if role not in EmployerMember.Role.values:
        errors["role"] = _("Choose owner or recruiter.")
    if "email" not in errors and (
        EmployerMember.objects.filter(employer=employer, user__email__iexact=address).exists()
    ):
        errors["email"] = _("This person is already a member of the employer.")
    if errors:
        raise ValidationError(errors)
    EmployerInvitation.objects.filter(
        employer=employer, email__iexact=address, accepted_at__isnull=True
    ).delete()
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = EmployerInvitation.objects.create(
                employer=employer,
                email=address,
                role=role,
                token_hash=_token_hash(token),
                invited_by=by,
                expires_at=timezone.now() + INVITATION_TTL,
            )
    except IntegrityError as exc:  # another owner invited the same address just now
        raise conflict("email", _("An invitation to this address is being sent.")) from exc
    # Only the e-mail carries the token; it leaves once the invitation is saved for good.
    transaction.on_commit(partial(_send_invitation, invitation=invitation, token=token))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, by: User) -> EmployerMember:
    """Join the inviting employer: signed in with the invited address, as an employer
    account that belongs to no employer yet."""
    invitation = (
        EmployerInvitation.objects.select_for_update(of=("self",))
        .select_related("employer")
        .filter(token_hash=_token_hash(token.strip()))
        .first()
    )
    if invitation is None:
        raise ValidationError({"token": _("This invitation code is not valid.")})
    if invitation.accepted_at is not None:
        raise conflict("token", _("This invitation has been accepted already."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError({"token": _("This invitation has expired; ask for a new one.")})
    if by.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            _("This invitation was sent to another e-mail address; sign in with that one.")
        )
    if not by.is_employer_member:
        raise PermissionDenied(_("Only an employer account can join an employer."))
    if EmployerMember.objects.filter(user_id=by.pk).exists():
        raise already_a_member()
    try:
        with transaction.atomic():
            member = EmployerMember.objects.create(
                employer=invitation.employer, user=by, role=invitation.role
            )
    except IntegrityError as exc:
        raise already_a_member() from exc
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def member_remove(*, member: EmployerMember, by: User) -> None:
    """An owner removes a member (or another owner); the last owner stays."""
    require_owner(employer_id=member.employer_id, by=by)
    if member.role == EmployerMember.Role.OWNER:
        # Locking the owners keeps two owners from removing each other at once.
        owners = list(
            EmployerMember.objects.select_for_update()
            .filter(employer_id=member.employer_id, role=EmployerMember.Role.OWNER)
            .values_list("pk", flat=True)
        )
        if owners == [member.pk]:
            raise conflict("member", _("An employer keeps at least one owner."))
    EmployerMember.objects.filter(pk=member.pk).delete()

"""Saved searches: a seeker's (or a confirmed visitor's) public search, told of new
vacancies that match it.

The services here create, change and delete them; the links in their e-mails need no
login (confirm, pause, delete) and are signed; ``saved_searches_alert`` (beat, every
15 minutes) tells each active search what was published since its high-water mark.

Alerts go through ``notifications``: an account's through ``notify`` (inbox, and
e-mail as its preferences say), a visitor's as a ``Notification`` with only an e-mail
address, enqueued at once. Both carry the idempotency key
``saved-search:<id>:<newest vacancy id>``, so a run repeated tells nothing twice.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from smtplib import SMTPException
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from accounts.exports import fields_of
from accounts.models import User
from notifications.channels.email import absolute_url
from notifications.models import Kind, Notification
from notifications.services import Message, email_enqueue, notify, render
from vacancies.filters import VacancyFilter
from vacancies.models import SavedSearch, Vacancy

log = logging.getLogger(__name__)

# The alert tells at most this many vacancies, newest first; older ones beyond them
# are passed over (the mark moves to the newest told).
ALERT_SIZE = 20
# A vacancy is told once it is this old: ``published_at`` is set inside the publishing
# transaction, so a younger one might still commit behind a mark already moved past it.
SETTLE = timedelta(minutes=2)
# A visitor's link to confirm lasts a week; searches never confirmed go after that.
CONFIRM_WITHIN = timedelta(days=7)
# Against runaway clients and mail-bombing someone else's address.
MAX_PER_OWNER = 20
MAX_UNCONFIRMED_PER_ADDRESS = 3
# Parameters of the public search that mean nothing for new vacancies told newest first.
NOT_SAVED = ("ordering", "posted_since")
# Parameters that take several values (``?employment_type=a&employment_type=b``).
MULTIPLE = ("work_mode", "employment_type")
VALUE_MAX_LENGTH = 200
LIST_MAX_LENGTH = 10
NAME_MAX_LENGTH = 100
BATCH = 500
# What an alert shows of a vacancy, loaded in the search's own query.
ALERT_COLUMNS = (
    "id", "title", "published_at", "employer__name",
    "region__name_en", "region__name_ru", "region__name_kk",
)  # fmt: skip

_MANAGE_SALT = "vacancies.saved_search.manage"
_CONFIRM_SALT = "vacancies.saved_search.confirm"


# --- Filters ----------------------------------------------------------------------


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return None


def _query_dict(filters: Mapping[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = str(value)
    return data


def saved_search_filters_clean(filters: Any) -> dict[str, str | list[str]]:
    """The query parameters of the public search, checked by its own FilterSet, as they
    are stored: text values, lists for the parameters that repeat, nothing empty.

    Raises ``ValidationError`` with a message per parameter at fault.
    """
    if not isinstance(filters, Mapping):
        raise ValidationError(_("Give the search's parameters as an object."))
    allowed = set(VacancyFilter.base_filters) - set(NOT_SAVED)
    errors: dict[str, str] = {}
    clean: dict[str, str | list[str]] = {}
    for name, raw in filters.items():
        if name in NOT_SAVED:
            errors[name] = _("A saved search always tells new vacancies, newest first.")
            continue
        if name not in allowed:
            errors[name] = _("The vacancy search has no such parameter.")
            continue
        if isinstance(raw, list) and name in MULTIPLE:
            texts = [_as_text(item) for item in raw]
            if any(text is None for text in texts) or len(texts) > LIST_MAX_LENGTH:
                errors[name] = _("Give a list of at most %(n)d texts.") % {"n": LIST_MAX_LENGTH}
                continue
            values = [text for text in texts if text]
            if values:
                clean[name] = values
            continue
        text = None if raw is None else _as_text(raw)
        if raw is not None and text is None:
            errors[name] = _("Give one value, as in the search's query string.")
        elif text and len(text) > VALUE_MAX_LENGTH:
            errors[name] = _("At most %(n)d characters.") % {"n": VALUE_MAX_LENGTH}
        elif text:
            clean[name] = text
    if errors:
        raise ValidationError(errors)
    form = VacancyFilter(data=_query_dict(clean), queryset=Vacancy.objects.none()).form
    if not form.is_valid():
        raise ValidationError(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return clean


def _filters_or_error(filters: Any) -> dict[str, str | list[str]]:
    try:
        return saved_search_filters_clean(filters)
    except ValidationError as exc:
        messages = (
            [f"{name}: {m}" for name, ms in exc.message_dict.items() for m in ms]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        raise ValidationError({"filters": messages}) from exc


def _name_or_error(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(n)d characters.") % {"n": NAME_MAX_LENGTH}})
    return name


# --- Links that need no login -----------------------------------------------------


def _payload(saved_search: SavedSearch) -> str:
    return f"{saved_search.pk}.{saved_search.link_key}"


def saved_search_manage_token(saved_search: SavedSearch) -> str:
    """Signed: the random key alone (say, from a copy of the database) makes no link."""
    return signing.Signer(salt=_MANAGE_SALT).sign(_payload(saved_search))


def saved_search_confirm_token(saved_search: SavedSearch) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(_payload(saved_search))


def saved_search_manage_path(saved_search: SavedSearch) -> str:
    token = saved_search_manage_token(saved_search)
    return reverse("saved_searches:manage", kwargs={"token": token})


def saved_search_confirm_path(saved_search: SavedSearch) -> str:
    token = saved_search_confirm_token(saved_search)
    return reverse("saved_searches:confirm", kwargs={"token": token})


def saved_search_by_token(token: str, *, confirm: bool = False) -> SavedSearch | None:
    """The saved search a link names, or None for a forged, expired or stale link."""
    try:
        if confirm:
            payload = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign(
                token, max_age=CONFIRM_WITHIN
            )
        else:
            payload = signing.Signer(salt=_MANAGE_SALT).unsign(token)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    pk, _dot, key = payload.partition(".")
    if not pk.isdigit():
        return None
    found = SavedSearch.objects.select_related("user").filter(pk=int(pk)).first()
    if found is None or not constant_time_compare(found.link_key, key):
        return None
    return found


# --- Reads ------------------------------------------------------------------------


def saved_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    """A person's own saved searches, newest first."""
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")


# --- Writes -----------------------------------------------------------------------


def _new(**fields: Any) -> SavedSearch:
    now = timezone.now()
    # The mark starts now: a new search tells what comes, not what was there already.
    return SavedSearch.objects.create(
        mark_published_at=now, created_at=now, link_key=secrets.token_urlsafe(16), **fields
    )


@transaction.atomic
def saved_search_create(*, by: User, name: str, filters: Any) -> SavedSearch:
    """A seeker saves a search of the public vacancy list."""
    if not by.is_seeker:
        raise PermissionDenied(_("Only a job seeker's account saves searches."))
    clean = _filters_or_error(filters)
    name = _name_or_error(name)
    # A soft cap: two requests at the same instant may pass it by one.
    if SavedSearch.objects.filter(user=by).count() >= MAX_PER_OWNER:
        raise ValidationError(
            _("You have %(n)d saved searches; delete one first.") % {"n": MAX_PER_OWNER}
        )
    return _new(user=by, name=name, filters=clean)


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    short = (language or "").lower()[:2]
    return short if short in codes else settings.LANGUAGE_CODE


@transaction.atomic
def saved_search_create_for_visitor(
    *, email: str, name: str, filters: Any, language: str
) -> SavedSearch:
    """A visitor without an account saves a search; alerts start once the address is
    confirmed from the link e-mailed to it (in ``language``) after the commit."""
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    clean = _filters_or_error(filters)
    name = _name_or_error(name)
    theirs = SavedSearch.objects.filter(user__isnull=True, email=address)
    if theirs.filter(confirmed_at__isnull=True).count() >= MAX_UNCONFIRMED_PER_ADDRESS:
        raise ValidationError(
            {"email": _("Confirm the searches already sent to this address first.")}
        )
    if theirs.count() >= MAX_PER_OWNER:
        raise ValidationError(
            {"email": _("This address has %(n)d saved searches.") % {"n": MAX_PER_OWNER}}
        )
    saved_search = _new(email=address, language=_language(language), name=name, filters=clean)
    link = absolute_url(saved_search_confirm_path(saved_search))
    transaction.on_commit(partial(_send_confirmation, saved_search=saved_search, link=link))
    return saved_search


def _send_confirmation(*, saved_search: SavedSearch, link: str) -> None:
    with translation.override(saved_search.language or settings.LANGUAGE_CODE):
        subject = _("Confirm your saved search “%(name)s” on Borderless") % {
            "name": saved_search.name
        }
        body = _(
            "Someone, we hope you, asked Borderless to e-mail this address when new "
            "vacancies match the search “%(name)s”.\n\n"
            "To start the alerts, open this link and confirm (it works for %(days)d days):"
            "\n\n    %(link)s\n\n"
            "If it was not you, ignore this message: nothing more will be sent."
        ) % {"name": saved_search.name, "link": link, "days": CONFIRM_WITHIN.days}
    try:
        send_mail(subject, body, None, [saved_search.email])
    except (SMTPException, OSError):
        # The search waits unconfirmed; the visitor can save it again.
        log.exception("saved search %s: the confirmation could not be sent", saved_search.pk)


@transaction.atomic
def saved_search_confirm(*, saved_search: SavedSearch) -> SavedSearch:
    """The visitor's address is theirs: alerts may start. Again: no change."""
    SavedSearch.objects.filter(pk=saved_search.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    saved_search.refresh_from_db(fields=["confirmed_at"])
    return saved_search


@transaction.atomic
def saved_search_update(
    *,
    saved_search: SavedSearch,
    name: str | None = None,
    filters: Any = None,
    paused: bool | None = None,
) -> SavedSearch:
    """Rename, change the filters, pause or resume; ``None`` leaves a field as it is.

    Resuming starts afresh: what was published while paused is not told.
    """
    saved_search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    changed: list[str] = []
    if name is not None:
        saved_search.name = _name_or_error(name)
        changed.append("name")
    if filters is not None:
        saved_search.filters = _filters_or_error(filters)
        changed.append("filters")
    if paused is not None and paused != saved_search.paused:
        saved_search.paused = paused
        changed.append("paused")
        if not paused:
            saved_search.mark_published_at = timezone.now()
            saved_search.mark_vacancy_id = 0
            changed += ["mark_published_at", "mark_vacancy_id"]
    if changed:
        saved_search.save(update_fields=changed)
    return saved_search


def saved_search_pause(*, saved_search: SavedSearch) -> SavedSearch:
    return saved_search_update(saved_search=saved_search, paused=True)


def saved_search_resume(*, saved_search: SavedSearch) -> SavedSearch:
    return saved_search_update(saved_search=saved_search, paused=False)


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    SavedSearch.objects.filter(pk=saved_search.pk).delete()


# --- Alerts -----------------------------------------------------------------------


def saved_searches_alert(now: datetime | None = None) -> int:
    """Tell every active saved search what was published since its mark (up to
    ``SETTLE`` ago), and forget visitors' searches left unconfirmed. Returns how many
    alerts were made; running it again at once makes none."""
    now = now or timezone.now()
    SavedSearch.objects.filter(
        user__isnull=True, confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN
    ).delete()
    active = (
        SavedSearch.objects.filter(paused=False)
        .filter(
            Q(user__isnull=False, user__is_active=True)
            | Q(user__isnull=True, confirmed_at__isnull=False)
        )
        .select_related("user")
        .order_by("id")
    )
    made = 0
    last_id = 0
    while batch := list(active.filter(id__gt=last_id)[:BATCH]):
        last_id = batch[-1].pk
        for saved_search in batch:
            # Each search in its own transaction: its alert and its mark move together,
            # and a query that fails (a statement time-out) costs only this search's turn.
            try:
                with transaction.atomic():
                    made += _alert(saved_search, now=now)
            except DatabaseError:
                log.exception("saved search %s: the alert failed; next run", saved_search.pk)
    return made


def _new_vacancies(saved_search: SavedSearch, *, now: datetime) -> list[Vacancy] | None:
    """The newest open vacancies beyond the mark that match (one more than an alert
    holds, to know there are more); None when the filters no longer hold."""
    mark = Q(published_at__gt=saved_search.mark_published_at) | Q(
        published_at=saved_search.mark_published_at, id__gt=saved_search.mark_vacancy_id
    )
    beyond = (
        Vacancy.objects.open(today=timezone.localdate(now))
        .filter(mark, published_at__lte=now - SETTLE)
        .select_related("employer", "region")
        .only(*ALERT_COLUMNS)
    )
    search = VacancyFilter(data=_query_dict(saved_search.filters), queryset=beyond)
    if not search.is_valid():  # a region or skill gone from the taxonomy, a rate missing
        log.warning("saved search %s: its filters no longer hold", saved_search.pk)
        return None
    return list(search.qs.order_by("-published_at", "-id")[: ALERT_SIZE + 1])


def saved_search_results_path(saved_search: SavedSearch) -> str:
    """The site path of the search's results (its filters as the query string)."""
    query = urlencode(saved_search.filters, doseq=True)
    return f"/vacancies/?{query}" if query else "/vacancies/"


def _alert(saved_search: SavedSearch, *, now: datetime) -> int:
    found = _new_vacancies(saved_search, now=now)
    if not found:
        return 0
    told, newest = found[:ALERT_SIZE], found[0]
    user = saved_search.user
    language = user.preferred_language if user else saved_search.language
    language = language or settings.LANGUAGE_CODE
    manage_link = saved_search_manage_path(saved_search)
    with translation.override(language):
        vacancies = [
            {
                "title": vacancy.title,
                "employer_name": vacancy.employer.name,
                "region_name": vacancy.region.name,
                "link": f"/vacancies/{vacancy.pk}/",
            }
            for vacancy in told
        ]
    context: dict[str, Any] = {
        "search_name": saved_search.name,
        "vacancies": vacancies,
        "more": len(found) > ALERT_SIZE,
        "manage_link": manage_link,
    }
    key = f"saved-search:{saved_search.pk}:{newest.pk}"
    link = saved_search_results_path(saved_search)
    if user is not None:
        notify(
            recipients=[user],
            message=Message(
                kind=Kind.SAVED_SEARCH_ALERT,
                key=key,
                subject_type="saved_search",
                subject_id=saved_search.pk,
                link=link,
                context=context,
            ),
        )
    else:
        _notify_visitor(saved_search, key=key, link=link, context=context, language=language)
    # Only forward: a run that read older rows never moves the mark back.
    beyond_mark = Q(mark_published_at__lt=newest.published_at) | Q(
        mark_published_at=newest.published_at, mark_vacancy_id__lt=newest.pk
    )
    SavedSearch.objects.filter(beyond_mark, pk=saved_search.pk).update(
        mark_published_at=newest.published_at, mark_vacancy_id=newest.pk, last_alerted_at=now
    )
    return 1


def _notify_visitor(
    saved_search: SavedSearch, *, key: str, link: str, context: dict[str, Any], language: str
) -> None:
    title, body = render(
        Kind.SAVED_SEARCH_ALERT,
        {**context, "recipient_name": "", "link": link},
        language=language,
    )
    notification, created = Notification.objects.get_or_create(
        idempotency_key=f"{key}:visitor",
        defaults={
            "email": saved_search.email,
            "kind": Kind.SAVED_SEARCH_ALERT,
            "subject_type": "saved_search",
            "subject_id": saved_search.pk,
            "link": link,
            "title": title,
            "body": body,
            "data": context,
            "language": language,
        },
    )
    if created:
        email_enqueue(notification)


def saved_searches_export(user: User) -> list[dict[str, Any]]:
    """The user's saved searches, for the personal-data export."""
    return [
        fields_of(search, exclude=("user",))
        for search in SavedSearch.objects.filter(user=user).order_by("created_at", "id")
    ]

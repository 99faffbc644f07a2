"""The e-mail of a notification: text and HTML in the recipient's language, absolute
links, the one-click unsubscribe headers and footer, and what SMTP failures do."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMultiAlternatives
from django.utils import timezone

from accounts.models import User
from notifications.delivery import delivery_process
from notifications.models import Delivery, DeliveryStatus, Kind, Notification, Preference
from notifications.services import Message, email_enqueue, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://borderless.example"

# Context for each kind, as the apps that tell them pass it (names in Russian, so the
# only English a Russian e-mail may hold is the brand and the addresses).
CONTEXTS: dict[str, dict[str, Any]] = {
    Kind.MATCH_FOR_SEEKER: {
        "vacancy_title": "Сварщик",
        "employer_name": "ТОО «Каспий Сервис»",
        "region_name": "Атырауская область",
        "score": 87.4,
    },
    Kind.CANDIDATE_FOR_VACANCY: {
        "vacancy_title": "Сварщик",
        "candidate_headline": "Сварщик 5 разряда",
        "candidate_ref": "#123",
        "score": 91.0,
    },
    Kind.APPLICATION_RECEIVED: {
        "vacancy_title": "Сварщик",
        "employer_name": "ТОО «Каспий Сервис»",
        "other_party": "Айгерим Нурланова",
        "status": "submitted",
        "note": "Готова приступить с понедельника.",
    },
    Kind.INVITATION_RECEIVED: {
        "vacancy_title": "Сварщик",
        "employer_name": "ТОО «Каспий Сервис»",
        "other_party": "",
        "status": "invited",
        "note": "Ждём вас на собеседование.",
    },
    Kind.STATUS_CHANGED: {
        "vacancy_title": "Сварщик",
        "employer_name": "ТОО «Каспий Сервис»",
        "other_party": "",
        "status": "shortlisted",
        "note": "",
    },
    Kind.PLACEMENT_REVIEWED: {
        "vacancy_title": "Сварщик",
        "employer_name": "ТОО «Каспий Сервис»",
        "other_party": "Айгерим Нурланова",
        "decision": "approved",
        "note": "Документы в порядке.",
    },
    Kind.SAVED_SEARCH_ALERT: {
        "search_name": "Сварщик в Атырау",
        "vacancies": [
            {
                "title": "Сварщик",
                "employer_name": "ТОО «Каспий Сервис»",
                "region_name": "Атырауская область",
                "link": "/vacancies/7/",
            },
            {
                "title": "Электросварщик",
                "employer_name": "ООО «Сибирь»",
                "region_name": "",
                "link": "/vacancies/8/",
            },
        ],
        "more": True,
        "manage_link": "/searches/3/",
    },
}
SCORES: dict[str, float] = {Kind.MATCH_FOR_SEEKER: 87.4, Kind.CANDIDATE_FOR_VACANCY: 91.0}


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, Any]]:
    """The retries delivery_process schedules, instead of tasks sent to Redis."""
    scheduled: list[tuple[int, Any]] = []

    def dispatch(delivery_id: int, *, eta: Any = None) -> bool:
        scheduled.append((delivery_id, eta))
        return True

    monkeypatch.setattr("notifications.services.dispatch", dispatch)
    return scheduled


def tell(user: User, kind: str = Kind.APPLICATION_RECEIVED, key: str = "event:1") -> Delivery:
    """Notify ``user`` of one event and return the e-mail delivery it queued."""
    [notification] = notify(
        recipients=[user],
        message=Message(
            kind=kind,
            key=key,
            link="/applications/5/",
            context=CONTEXTS[kind],
            score=SCORES.get(kind),
        ),
    )
    return Delivery.objects.get(notification=notification)


def sent_message(delivery: Delivery) -> EmailMultiAlternatives:
    assert delivery_process(delivery.pk) == "sent"
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    return message


def html_of(message: EmailMultiAlternatives) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(html)


def test_an_email_has_a_text_and_an_html_part_with_absolute_links(seeker: User) -> None:
    message = sent_message(tell(seeker))

    assert message.to == [seeker.email]
    assert message.subject == "New application for “Сварщик”"
    assert message.body.startswith(f"Hello, {seeker.full_name}!\n\n")
    assert "Айгерим Нурланова applied for your vacancy “Сварщик”." in message.body
    assert "Готова приступить с понедельника." in message.body
    assert f"{SITE}/applications/5/" in message.body
    html = html_of(message)
    assert html.lstrip().startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert f'href="{SITE}/applications/5/"' in html
    assert "See the application" in html


def test_text_bodies_are_not_html_escaped(seeker: User) -> None:
    context = {**CONTEXTS[Kind.APPLICATION_RECEIVED], "other_party": "O'Brien & Sons <HR>"}
    notify(
        recipients=[seeker],
        message=Message(kind=Kind.APPLICATION_RECEIVED, key="amp", context=context),
    )
    delivery = Delivery.objects.get()
    message = sent_message(delivery)

    assert "O'Brien & Sons <HR> applied" in message.body
    assert "O&#x27;Brien &amp; Sons &lt;HR&gt; applied" in html_of(message)
    assert Notification.objects.get().body.startswith("O'Brien & Sons <HR> applied")


def test_a_russian_speaking_user_gets_the_email_in_russian(seeker: User) -> None:
    seeker.preferred_language = "ru"
    seeker.save(update_fields=["preferred_language"])

    message = sent_message(tell(seeker, kind=Kind.MATCH_FOR_SEEKER, key="match:1"))

    assert message.subject == "Вакансия для вас: Сварщик"
    assert message.body.startswith(f"Здравствуйте, {seeker.full_name}!")
    assert "ТОО «Каспий Сервис» ищет сотрудника: Сварщик (Атырауская область)." in message.body
    assert "с оценкой 87 из 100" in message.body
    assert "Отписаться от всех писем Borderless" in message.body
    html = html_of(message)
    assert '<html lang="ru">' in html
    assert "Посмотреть вакансию и почему она подходит" in html
    assert "Больше не присылать такие письма (Вакансия для вас)" in html


def _english_words(text: str) -> set[str]:
    text = re.sub(r"https?://\S+|<[^>]+>|\S+@\S+|&\w+;|&#\w+;", " ", text)
    return set(re.findall(r"[A-Za-z]{3,}", text)) - {"Borderless"}


@pytest.mark.parametrize("kind", list(CONTEXTS))
def test_every_kind_is_fully_translated_into_russian(kind: str) -> None:
    user = UserFactory.create(preferred_language="ru", full_name="Айгерим")

    message = sent_message(tell(user, kind=kind))

    assert _english_words(str(message.subject)) == set()
    assert _english_words(str(message.body)) == set()
    assert _english_words(html_of(message)) == set()


def test_the_headers_offer_a_one_click_unsubscribe(seeker: User) -> None:
    delivery = tell(seeker)
    message = sent_message(delivery)

    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(\S+)>", message.extra_headers["List-Unsubscribe"])
    assert url is not None
    assert url.group(1).startswith(f"{SITE}/notifications/unsubscribe/")
    assert url.group(1) in message.body  # the footer's "stop e-mails like this"
    assert message.extra_headers["Message-ID"] == f"<email.{delivery.notification_id}@borderless>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    # The serialized message carries them too.
    raw = message.message()
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert raw.is_multipart()
    assert [part.get_content_type() for part in raw.get_payload()] == [
        "text/plain",
        "text/html",
    ]


def test_the_footer_links_unsubscribe_from_the_kind_and_from_everything(
    seeker: User, client: Any
) -> None:
    message = sent_message(tell(seeker))
    links = re.findall(rf"{SITE}(/notifications/unsubscribe/\S+/)", str(message.body))
    kind_path, all_path = links
    assert f'href="{SITE}{kind_path}"' in html_of(message)
    assert f'href="{SITE}{all_path}"' in html_of(message)

    assert client.post(kind_path).status_code == 200
    preference = Preference.objects.get(user=seeker)
    assert preference.muted_kinds == [Kind.APPLICATION_RECEIVED]
    assert preference.email_enabled

    assert client.post(all_path).status_code == 200
    preference.refresh_from_db()
    assert not preference.email_enabled


def test_an_email_queued_before_unsubscribing_is_not_sent(seeker: User) -> None:
    delivery = tell(seeker)
    Preference.objects.create(user=seeker, email_enabled=False)

    assert delivery_process(delivery.pk) == "failed"

    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "unsubscribed" in delivery.last_error


def test_an_email_to_a_visitor_has_no_account_unsubscribe_but_its_manage_link() -> None:
    notification = Notification.objects.create(
        email="visitor@example.kz",
        kind=Kind.SAVED_SEARCH_ALERT,
        link="/search/?q=welder",
        title="2 new vacancies",
        body="…",
        data=CONTEXTS[Kind.SAVED_SEARCH_ALERT],
        language="en",
        idempotency_key="saved-search:3:1",
    )
    message = sent_message(email_enqueue(notification))

    assert message.to == ["visitor@example.kz"]
    assert "List-Unsubscribe" not in message.extra_headers
    assert message.body.startswith("Hello!\n\n")
    assert f"Change or cancel these e-mails: {SITE}/searches/3/" in message.body
    assert f"  {SITE}/vacancies/8/" in message.body
    assert f'href="{SITE}/vacancies/7/"' in html_of(message)


class DisconnectedBackend(BaseEmailBackend):
    """An SMTP server that hangs up."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses the address."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        recipients = {to: (550, b"5.1.1 No such user") for m in email_messages for to in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


def test_a_dropped_smtp_connection_leaves_the_delivery_pending_for_a_retry(
    seeker: User, settings: Any, retries: list[tuple[int, Any]]
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_email.DisconnectedBackend"
    delivery = tell(seeker)
    before = timezone.now()

    assert delivery_process(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > before + timedelta(seconds=20)
    assert delivery.claimed_until is None
    assert "Connection unexpectedly closed" in delivery.last_error
    assert retries == [(delivery.pk, delivery.next_attempt_at)]


def test_a_refused_address_fails_for_good(
    seeker: User, settings: Any, retries: list[tuple[int, Any]]
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_email.RefusingBackend"
    delivery = tell(seeker)

    assert delivery_process(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "refused" in delivery.last_error
    assert retries == []
    assert delivery_process(delivery.pk) == "not due, taken or done"

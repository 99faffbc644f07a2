"""Small worlds for the fault tests, made in bulk: thousands of seekers copied from one
made through the services, and deliveries waiting for a worker."""

from __future__ import annotations

from typing import Any

from django.db.models import ManyToManyField
from django.utils import timezone

from accounts.models import Role, User
from notifications.models import Channel, Delivery, Kind, Notification, WebhookEndpoint
from seekers.models import SeekerLanguage, SeekerProfile, SeekerSkill, Visibility
from tests.factories import UserFactory
from tests.seekers.factories import make_profile

M2M = ("citizenships", "desired_occupations", "mobility_countries", "mobility_regions",
       "visible_in_countries")  # fmt: skip


def seekers(count: int, *, tag: str, **profile: Any) -> list[int]:
    """``count`` seekers (consent given, visible), each a copy of one made by the
    services with ``profile``'s fields: their profile ids, in order."""
    template = make_profile(
        UserFactory.create(role=Role.SEEKER, email=f"{tag}.template@faults.test"),
        visibility=Visibility.ALL_EMPLOYERS,
        **profile,
    )
    users = User.objects.bulk_create(
        User(
            email=f"{tag}.{n}@faults.test",
            role=Role.SEEKER,
            full_name=f"Seeker {n}",
            password="!unusable",
        )  # fmt: skip
        for n in range(count - 1)
    )
    fields = {
        f.attname: getattr(template, f.attname)
        for f in SeekerProfile._meta.concrete_fields
        if f.attname not in ("id", "user_id")
    }
    copies = SeekerProfile.objects.bulk_create(SeekerProfile(user_id=u.pk, **fields) for u in users)
    skills = list(template.skills.values("skill_id", "level", "years"))
    SeekerSkill.objects.bulk_create(
        SeekerSkill(profile_id=p.pk, **row) for p in copies for row in skills
    )
    languages = list(template.languages.values("language_id", "level"))
    SeekerLanguage.objects.bulk_create(
        SeekerLanguage(profile_id=p.pk, **row) for p in copies for row in languages
    )
    for name in M2M:
        relation = SeekerProfile._meta.get_field(name)
        assert isinstance(relation, ManyToManyField)
        through: Any = relation.remote_field.through
        ids = list(getattr(template, name).values_list("pk", flat=True))
        own, other = relation.m2m_column_name(), relation.m2m_reverse_name()
        through.objects.bulk_create(
            through(**{own: p.pk, other: target}) for p in copies for target in ids
        )
    return [template.pk, *(p.pk for p in copies)]


def deliveries(*, emails: int, events: int, webhook_url: str, employer_id: int) -> list[int]:
    """Deliveries due now, none sent: ``emails`` to one seeker, ``events`` to the
    employer's webhook at ``webhook_url``."""
    user = UserFactory.create(role=Role.SEEKER, email="inbox@faults.test")
    endpoint = WebhookEndpoint.objects.create(
        employer_id=employer_id, url=webhook_url, secret="s" * 64
    )
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Kind.STATUS_CHANGED,
            title=f"Message {n}",
            body=f"Body {n}",
            data={"vacancy_title": f"Vacancy {n}", "status": "interview"},
            language="en",
            idempotency_key=f"faults:{n}",
        )
        for n in range(emails)
    )
    now = timezone.now()
    made = Delivery.objects.bulk_create(
        [
            Delivery(
                channel=Channel.EMAIL,
                notification=note,
                idempotency_key=f"email:{note.pk}",
                next_attempt_at=now,
            )
            for note in notes
        ]
        + [
            Delivery(
                channel=Channel.WEBHOOK,
                endpoint=endpoint,
                event_type="faults.batch",
                payload={"n": n},
                idempotency_key=f"webhook:{endpoint.pk}:faults:{n}",
                next_attempt_at=now,
            )
            for n in range(events)
        ]
    )
    return [d.pk for d in made]

"""What seekers announce to the apps above them (matching), without importing them.

Sent by the services inside their transaction, so that a receiver's writes (the
matching outbox) commit or roll back with the change itself.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``profile_id`` whenever something matching reads may have changed: the
# profile, its skills, languages, experience, work rights, consent; or its erasure.
profile_changed = Signal()


def announce(*, profile_id: int) -> None:
    profile_changed.send(sender=None, profile_id=profile_id)


# Sent with ``profile_id`` inside the erasure's transaction, before the profile is
# deleted: apps above keep only anonymous facts of the person (placements).
profile_erasing = Signal()

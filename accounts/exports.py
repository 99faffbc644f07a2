"""Sections that the apps above accounts add to a user's personal-data export.

Accounts is at the bottom of the house plan, so every app may register here (in its
``AppConfig.ready``) a function that lists what it stores about a user; the seeker's
export (``seekers.selectors.profile_export``) adds every registered section.
``fields_of`` gives a row's every stored field, so a field added to a model later is
exported without anyone remembering to add it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from accounts.models import User

Section = Callable[[User], list[dict[str, Any]]]

_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    _sections[name] = section


def sections(user: User) -> dict[str, list[dict[str, Any]]]:
    return {name: section(user) for name, section in sorted(_sections.items())}


def fields_of(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every stored field of ``obj``; a relation as the related row's key."""
    skip = set(exclude)
    data: dict[str, Any] = {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in skip
    }
    for field in obj._meta.many_to_many:
        if field.name not in skip:
            data[field.name] = [related.pk for related in getattr(obj, field.name).all()]
    return data

"""Sections that apps above seekers add to a seeker's data export.

Seekers may not import matching (the house plan's arrows point down), yet a seeker's
export must hold their matches and applications too. Those apps register a function
here in their ``AppConfig.ready``; ``profile_export`` calls each with the profile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seekers.models import SeekerProfile

Section = Callable[[SeekerProfile], list[dict[str, Any]]]

_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    _sections[name] = section


def sections(profile: SeekerProfile | None) -> dict[str, list[dict[str, Any]]]:
    """Every registered section, empty when there is no profile."""
    return {
        name: [] if profile is None else section(profile)
        for name, section in sorted(_sections.items())
    }

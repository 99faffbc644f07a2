"""Relocation programmes: which are in force, which matches they support, and loading
them as reference data.

Platform administrators keep programmes in the Django admin; the API only reads them.
A match qualifies for a programme in force today when the seeker lives in one of its
``from_regions`` and the vacancy is in one of its ``to_regions`` of the same country,
the seeker living in that country too (the state programmes pay for moves inside the
state). A move within one region is no move: it never qualifies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Match, RelocationProgramme
from taxonomy.models import Country, Region

# The attribute ``matches_with_programme`` annotates: {id, name, benefits} or None.
PROGRAMME_OF_MATCH = "programme_info"


def programmes_in_force(*, on: date | None = None) -> QuerySet[RelocationProgramme]:
    """Programmes valid on ``on`` (today by default): started, and not yet ended."""
    day = on or timezone.localdate()
    return RelocationProgramme.objects.filter(valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def programmes_public(*, on: date | None = None) -> QuerySet[RelocationProgramme]:
    """The programmes in force, with their country and regions, for everyone to read."""
    regions = Region.objects.order_by("code")
    return (
        programmes_in_force(on=on)
        .select_related("country")
        .prefetch_related(
            Prefetch("from_regions", queryset=regions), Prefetch("to_regions", queryset=regions)
        )
        .order_by("country_id", "name", "id")
    )


def _covering_outer_match(*, on: date | None) -> QuerySet[RelocationProgramme]:
    """The programmes in force that support the move of the outer ``Match`` (only
    meaningful inside a subquery over matches)."""
    return (
        programmes_in_force(on=on)
        .filter(
            country_id=OuterRef("vacancy__country_id"),
            from_regions=OuterRef("seeker__region_id"),
            to_regions=OuterRef("vacancy__region_id"),
        )
        .filter(country_id=OuterRef("seeker__country_id"))
        .filter(~Q(Exact(OuterRef("seeker__region_id"), OuterRef("vacancy__region_id"))))
    )


def match_qualifies(*, on: date | None = None) -> Exists:
    """A condition on matches: some programme in force supports the match's move."""
    return Exists(_covering_outer_match(on=on))


def matches_with_programme(queryset: QuerySet[Match], *, on: date | None = None) -> QuerySet[Match]:
    """The matches, each annotated with the programme supporting its move (the one in
    force longest when several do, as for placements) as ``{id, name, benefits}`` or
    ``None``: one subquery in the same statement, whatever the page size."""
    first = (
        _covering_outer_match(on=on)
        .order_by("valid_from", "id")
        .values(info=JSONObject(id="id", name="name", benefits="benefits"))[:1]
    )
    return queryset.annotate(**{PROGRAMME_OF_MATCH: Subquery(first, output_field=JSONField())})


def programme_of_match(match: Match) -> dict[str, Any] | None:
    """The programme supporting one match: read from the annotation when the match came
    through ``matches_with_programme``, else looked up (one query)."""
    if hasattr(match, PROGRAMME_OF_MATCH):
        info: dict[str, Any] | None = getattr(match, PROGRAMME_OF_MATCH)
        return info
    found: dict[str, Any] | None = (
        matches_with_programme(Match.objects.filter(pk=match.pk))
        .values_list(PROGRAMME_OF_MATCH, flat=True)
        .first()
    )
    return found


@transaction.atomic
def programme_upsert(
    *,
    country: Country,
    name: str,
    from_regions: Sequence[Region],
    to_regions: Sequence[Region],
    benefits: str,
    valid_from: date,
    valid_until: date | None = None,
) -> tuple[RelocationProgramme, bool]:
    """Create the country's programme called ``name``, or bring it to what is given
    (regions included); ``True`` with it when it was created. Idempotent."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("A programme needs a name.")
    if not from_regions or not to_regions:
        errors["from_regions"] = _("A programme moves people from some regions to others.")
    if any(r.country_id != country.code for r in (*from_regions, *to_regions)):
        errors["to_regions"] = _("Every region must be in the programme's country.")
    if {r.code for r in from_regions} & {r.code for r in to_regions}:
        errors["to_regions"] = _("A region cannot be both left and moved to.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The programme cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    fields = {"benefits": benefits.strip(), "valid_from": valid_from, "valid_until": valid_until}
    programme = (
        RelocationProgramme.objects.select_for_update()
        .filter(country=country, name=name)
        .order_by("id")
        .first()
    )
    created = programme is None
    if programme is None:
        programme = RelocationProgramme.objects.create(country=country, name=name, **fields)
    else:
        changed = [f for f, value in fields.items() if getattr(programme, f) != value]
        for f in changed:
            setattr(programme, f, fields[f])
        if changed:
            programme.save(update_fields=changed)
    programme.from_regions.set(from_regions)
    programme.to_regions.set(to_regions)
    return programme, created

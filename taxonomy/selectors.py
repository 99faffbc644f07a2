"""Reads over the reference data: exchange rates and conversions, skill autocomplete."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from taxonomy.models import ExchangeRate, Skill


class RateUnavailable(LookupError):
    """No rate is known for the currency on or before the date."""


def rate_on(*, currency: str, on: date) -> Decimal:
    """Units of ``currency`` per US dollar on ``on``: the latest rate not after that day."""
    if currency == "USD":
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency_id=currency, date__lte=on)
        .order_by("-date")
        .values_list("units_per_usd", flat=True)
        .first()
    )
    if rate is None:
        raise RateUnavailable(f"no {currency} rate on or before {on}")
    return rate


def convert(*, amount: Decimal, source: str, target: str, on: date) -> Decimal:
    """Convert through the dollar pivot, rounded to the target's minor unit."""
    if source == target:
        return amount
    value = amount * rate_on(currency=target, on=on) / rate_on(currency=source, on=on)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Rank of a skill for a typed prefix: 0 an exact label, 1 a label that starts with it,
# 2 a word of the label that starts with it, 3 an alternative label (or a word of one)
# that does, 4 a label containing it anywhere. English and Russian are searched
# together, so a recruiter in Atyrau can type "свар" or "weld" in the same box.
_AUTOCOMPLETE_RANK = """
CASE
  WHEN lower(label_en) = %s OR lower(label_ru) = %s THEN 0
  WHEN lower(label_en) LIKE %s OR lower(label_ru) LIKE %s THEN 1
  WHEN lower(label_en) LIKE %s OR lower(label_ru) LIKE %s THEN 2
  WHEN EXISTS (
    SELECT 1 FROM unnest(alt_labels_en || alt_labels_ru) AS alt(label)
    WHERE lower(alt.label) LIKE %s OR lower(alt.label) LIKE %s
  ) THEN 3
  WHEN lower(label_en) LIKE %s OR lower(label_ru) LIKE %s THEN 4
  ELSE NULL
END
"""


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def skill_autocomplete(*, text: str, limit: int = 10) -> QuerySet[Skill]:
    """Skills whose label or alternative label matches what was typed, best first."""
    typed = _like_escape(text.strip().lower())
    prefix, word, inner = f"{typed}%", f"% {typed}%", f"%{typed}%"
    params = [typed, typed, prefix, prefix, word, word, prefix, word, inner, inner]
    # What was typed travels only as bound parameters, never inside the SQL text.
    rank = RawSQL(_AUTOCOMPLETE_RANK, params)  # noqa: S611
    return (
        Skill.objects.annotate(match_rank=rank)
        .filter(match_rank__isnull=False)
        .order_by("match_rank", "label_en", "id")[:limit]
    )

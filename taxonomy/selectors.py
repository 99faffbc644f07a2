"""Reads over the reference data: exchange rates and conversions."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from taxonomy.models import ExchangeRate


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

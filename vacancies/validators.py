"""Employer registration numbers, checked per country where the rule is known."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BIN_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
BIN_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def kz_bin_check_digit(first_eleven: str) -> int | None:
    """Check digit of a Kazakh BIN/IIN; ``None`` when the number cannot be valid."""
    digits = [int(c) for c in first_eleven]
    check = sum(w * d for w, d in zip(BIN_WEIGHTS_FIRST, digits, strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(BIN_WEIGHTS_SECOND, digits, strict=True)) % 11
        if check == 10:
            return None
    return check


def ru_ogrn_check_digit(first_twelve: str) -> int:
    return int(first_twelve) % 11 % 10


def _kz(number: str) -> str | None:
    if len(number) != 12 or not number.isdigit():
        return _("A Kazakh BIN has 12 digits.")
    if kz_bin_check_digit(number[:11]) != int(number[11]):
        return _("This BIN's check digit is wrong; check the number.")
    return None


def _ru(number: str) -> str | None:
    if not number.isdigit() or len(number) not in (10, 13):
        return _("Give the 13-digit OGRN or the 10-digit INN of the organisation.")
    if len(number) == 13 and ru_ogrn_check_digit(number[:12]) != int(number[12]):
        return _("This OGRN's check digit is wrong; check the number.")
    return None


def _digits(length: int, name: str) -> Callable[[str], str | None]:
    def check(number: str) -> str | None:
        if len(number) != length or not number.isdigit():
            return _("A %(name)s has %(length)d digits.") % {"name": name, "length": length}
        return None

    return check


RULES: dict[str, Callable[[str], str | None]] = {
    "KZ": _kz,
    "RU": _ru,
    "BY": _digits(9, "UNP"),
    "KG": _digits(14, "INN"),
    "AM": _digits(8, "TIN"),
}


def validate_registration_number(country: str, number: str) -> None:
    rule = RULES.get(country)
    message = rule(number) if rule else (None if number.strip() else _("Required."))
    if message:
        raise ValidationError({"registration_number": message})

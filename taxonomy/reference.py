"""Facts about the Eurasian Economic Union that the loader and the matching rules share."""

from __future__ import annotations

from datetime import date
from typing import Final

# The Treaty on the EAEU entered into force on 1 January 2015 for Belarus, Kazakhstan
# and Russia; Armenia acceded on 2 January 2015 and Kyrgyzstan on 12 August 2015.
EAEU_ACCESSION: Final[dict[str, date]] = {
    "BY": date(2015, 1, 1),
    "KZ": date(2015, 1, 1),
    "RU": date(2015, 1, 1),
    "AM": date(2015, 1, 2),
    "KG": date(2015, 8, 12),
}
EAEU_MEMBERS: Final[tuple[str, ...]] = tuple(sorted(EAEU_ACCESSION))

# The main origin states of labour migrants to the EAEU member states.
MAIN_ORIGIN_STATES: Final[tuple[str, ...]] = (
    "UZ", "TJ", "TM", "AZ", "GE", "MD", "UA", "MN", "CN", "TR", "IN",
    "AF", "VN", "PK", "BD", "IR", "KP", "SY",
)  # fmt: skip

# The currencies the platform prices salaries in.
CURRENCIES: Final[tuple[str, ...]] = ("KZT", "RUB", "BYN", "AMD", "KGS", "USD", "EUR")

NATIONAL_CURRENCY: Final[dict[str, str]] = {
    "AM": "AMD",
    "BY": "BYN",
    "KG": "KGS",
    "KZ": "KZT",
    "RU": "RUB",
    "US": "USD",
}

# pycountry's names are the ISO short names ("Russian Federation"); people say these.
COUNTRY_NAME_OVERRIDES: Final[dict[str, dict[str, str]]] = {
    "RU": {"en": "Russia", "ru": "Россия"},
    "KR": {"en": "South Korea", "ru": "Южная Корея"},
    "KP": {"en": "North Korea", "ru": "КНДР"},
    "IR": {"en": "Iran"},
    "SY": {"en": "Syria"},
    "MD": {"ru": "Молдова"},
    "KG": {"ru": "Кыргызстан"},
}

CURRENCY_NAMES_RU: Final[dict[str, str]] = {
    "KZT": "Казахстанский тенге",
    "RUB": "Российский рубль",
    "BYN": "Белорусский рубль",
    "AMD": "Армянский драм",
    "KGS": "Кыргызский сом",
    "USD": "Доллар США",
    "EUR": "Евро",
}

"""Mapping a source's words onto our taxonomy: regions by code or by name however it is
spelled, occupations to ISCO-08, skills by label and alternative label in English and
Russian, currencies; and the normalised fingerprint that finds one vacancy published
by two systems.

``Taxonomy`` is loaded once per run (a few thousand rows) so that mapping a record
costs dictionary look-ups, not queries.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import nh3
from django.utils import timezone

from taxonomy.models import Country, Occupation, Region, Skill
from taxonomy.reference import CURRENCIES
from vacancies.sanitize import sanitize_description
from vacancies.selectors import salary_currency_has_rate


class MappingError(Exception):
    """A record that cannot become a vacancy; the message is the reason reported."""


_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case, ё, dashes and punctuation folded away: "Санкт‑Петербург" ≈ "санкт петербург"."""
    text = text.casefold().replace("ё", "е")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


# Words that say what kind of place a name is, not which ("г. Москва", "Almaty Region").
_PLACE_WORDS = frozenset(
    [
        "г",
        "гор",
        "город",
        "city",
        "town",
        "область",
        "обл",
        "oblast",
        "region",
        "province",
        "провинция",
        "марз",
        "край",
        "krai",
        "kray",
        "республика",
        "респ",
        "республики",
        "republic",
        "respublika",
        "автономный",
        "автономная",
        "округ",
        "autonomous",
        "okrug",
        "ао",
        "облысы",
        "of",
        "the",
        "федерального",
        "значения",
    ]
)

# Names people use that are not in the reference data: old names, transliterations.
REGION_ALIASES: dict[str, str] = {
    "алма ата": "KZ-75",
    "alma ata": "KZ-75",
    "нур султан": "KZ-71",
    "nur sultan": "KZ-71",
    "целиноград": "KZ-71",
    "акмола": "KZ-71",
    "фрунзе": "KG-GB",
    "st petersburg": "RU-SPE",
    "spb": "RU-SPE",
    "спб": "RU-SPE",
    "петербург": "RU-SPE",
    "мск": "RU-MOW",
    "югра": "RU-KHM",
    "хмао": "RU-KHM",
    "янао": "RU-YAN",
    "кузбасс": "RU-KEM",
    "якутия": "RU-SA",
    "чувашия": "RU-CU",
    "удмуртия": "RU-UD",
    "северная осетия": "RU-SE",
    "кабардино балкария": "RU-KB",
    "карачаево черкесия": "RU-KC",
}

# Russian subjects by the first two digits of their KLADR code, as "Work in Russia"
# gives them (region_code "7700000000000" is Moscow).
KLADR_REGIONS: dict[str, str] = {
    "01": "RU-AD", "02": "RU-BA", "03": "RU-BU", "04": "RU-AL", "05": "RU-DA",
    "06": "RU-IN", "07": "RU-KB", "08": "RU-KL", "09": "RU-KC", "10": "RU-KR",
    "11": "RU-KO", "12": "RU-ME", "13": "RU-MO", "14": "RU-SA", "15": "RU-SE",
    "16": "RU-TA", "17": "RU-TY", "18": "RU-UD", "19": "RU-KK", "20": "RU-CE",
    "21": "RU-CU", "22": "RU-ALT", "23": "RU-KDA", "24": "RU-KYA", "25": "RU-PRI",
    "26": "RU-STA", "27": "RU-KHA", "28": "RU-AMU", "29": "RU-ARK", "30": "RU-AST",
    "31": "RU-BEL", "32": "RU-BRY", "33": "RU-VLA", "34": "RU-VGG", "35": "RU-VLG",
    "36": "RU-VOR", "37": "RU-IVA", "38": "RU-IRK", "39": "RU-KGD", "40": "RU-KLU",
    "41": "RU-KAM", "42": "RU-KEM", "43": "RU-KIR", "44": "RU-KOS", "45": "RU-KGN",
    "46": "RU-KRS", "47": "RU-LEN", "48": "RU-LIP", "49": "RU-MAG", "50": "RU-MOS",
    "51": "RU-MUR", "52": "RU-NIZ", "53": "RU-NGR", "54": "RU-NVS", "55": "RU-OMS",
    "56": "RU-ORE", "57": "RU-ORL", "58": "RU-PNZ", "59": "RU-PER", "60": "RU-PSK",
    "61": "RU-ROS", "62": "RU-RYA", "63": "RU-SAM", "64": "RU-SAR", "65": "RU-SAK",
    "66": "RU-SVE", "67": "RU-SMO", "68": "RU-TAM", "69": "RU-TVE", "70": "RU-TOM",
    "71": "RU-TUL", "72": "RU-TYU", "73": "RU-ULY", "74": "RU-CHE", "75": "RU-ZAB",
    "76": "RU-YAR", "77": "RU-MOW", "78": "RU-SPE", "79": "RU-YEV", "83": "RU-NEN",
    "86": "RU-KHM", "87": "RU-CHU", "89": "RU-YAN",
}  # fmt: skip

# How sources write currencies: hh.ru's RUR and BYR, Work in Russia's «руб.», signs.
CURRENCY_ALIASES: dict[str, str] = {
    "rur": "RUB", "руб": "RUB", "рубль": "RUB", "рублей": "RUB", "₽": "RUB",
    "byr": "BYN", "бел руб": "BYN", "br": "BYN",
    "тенге": "KZT", "тг": "KZT", "₸": "KZT",
    "сом": "KGS", "драм": "AMD", "֏": "AMD",
    "$": "USD", "долл": "USD", "€": "EUR", "евро": "EUR",
}  # fmt: skip

# Common job titles whose words alone would point elsewhere ("электрик" shares its stem
# with "инженеры-электрики"), longest first.
COMMON_TITLES: tuple[tuple[str, str], ...] = (
    ("водитель погрузчика", "8344"),
    ("водитель автобуса", "8331"),
    ("водитель грузовика", "8332"),
    ("электрогазосварщик", "7212"),
    ("электромонтажник", "7411"),
    ("электромонтер", "7412"),
    ("электрик", "7411"),
    ("electrician", "7411"),
    ("водитель", "8322"),
    ("driver", "8322"),
    ("разнорабочий", "9313"),
    ("программист", "2512"),
    ("developer", "2512"),
    ("разработчик", "2512"),
)

# Words too common in occupation titles to tell one from another.
_OCCUPATION_STOPWORDS = frozenset(
    [
        "и",
        "в",
        "на",
        "по",
        "с",
        "со",
        "для",
        "из",
        "не",
        "других",
        "другие",
        "прочие",
        "вошедшие",
        "группы",
        "and",
        "of",
        "the",
        "in",
        "other",
        "not",
        "elsewhere",
        "classified",
        "related",
    ]
)


def _stems(text: str) -> list[str]:
    # Five letters are enough to join "сварщик" and "сварщики", "programmer" and
    # "programming" without a morphological library.
    words = [w for w in normalise(text).split() if len(w) > 2 and w not in _OCCUPATION_STOPWORDS]
    return [w[:5] for w in words if not w.isdigit()]


def _place_key(text: str) -> str:
    words = [w for w in normalise(text).split() if w not in _PLACE_WORDS]
    return " ".join(dict.fromkeys(words))  # "Татарстан (Татарстан)" says it once


@dataclass
class Taxonomy:
    """The reference data a run maps onto, indexed by the ways sources spell it."""

    regions: dict[str, tuple[str, str]]  # code -> (country, kind)
    region_exact: dict[str, str]
    region_loose: dict[str, list[str]]
    countries: dict[str, str]  # a normalised name or code -> ISO alpha-2
    occupations: dict[str, str]  # level-4 code -> English title
    occupation_stems: dict[str, set[str]]
    occupation_idf: dict[str, float]
    occupation_stem_count: dict[str, int]
    skills: dict[str, int]
    currencies: frozenset[str]
    _occupation_cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Taxonomy:
        regions: dict[str, tuple[str, str]] = {}
        exact: dict[str, str] = {}
        loose: dict[str, list[str]] = defaultdict(list)
        for region in Region.objects.filter(country__is_eaeu_member=True).order_by("code"):
            regions[region.code] = (region.country_id, region.kind)
            for name in (region.name_en, region.name_ru, region.name_kk):
                if name:
                    exact.setdefault(normalise(name), region.code)
                    loose[_place_key(name)].append(region.code)
            for centre in (region.centre_en, region.centre_ru):
                # A region's centre names it when nothing else does ("Атырау").
                loose.setdefault(_place_key(centre), []).append(region.code)
        countries: dict[str, str] = {}
        for country in Country.objects.all():
            for name in (country.code, country.alpha3, country.name_en, country.name_ru):
                if name:
                    countries[normalise(name)] = country.code
        occupations: dict[str, str] = {}
        stems: dict[str, set[str]] = defaultdict(set)
        stem_count: dict[str, int] = {}
        for occupation in Occupation.objects.filter(level=4).order_by("code"):
            occupations[occupation.code] = occupation.title_en
            own = set(_stems(occupation.title_en)) | set(_stems(occupation.title_ru))
            stem_count[occupation.code] = len(own) or 1
            for stem in own:
                stems[stem].add(occupation.code)
        idf = {stem: math.log(len(occupations) / len(codes)) for stem, codes in stems.items()}
        skills: dict[str, int] = {}
        for skill in Skill.objects.order_by("id").only(
            "id", "label_en", "label_ru", "alt_labels_en", "alt_labels_ru"
        ):
            # Preferred labels first: an alternative label never takes another's name.
            for label in (skill.label_en, skill.label_ru):
                if label:
                    skills.setdefault(normalise(label), skill.pk)
        for skill in Skill.objects.order_by("id").only("id", "alt_labels_en", "alt_labels_ru"):
            for label in (*skill.alt_labels_en, *skill.alt_labels_ru):
                skills.setdefault(normalise(label), skill.pk)
        today = timezone.localdate()
        currencies = frozenset(
            code for code in CURRENCIES if salary_currency_has_rate(currency=code, on=today)
        )
        return cls(
            regions=regions,
            region_exact=exact,
            region_loose=dict(loose),
            countries=countries,
            occupations=occupations,
            occupation_stems=dict(stems),
            occupation_idf=idf,
            occupation_stem_count=stem_count,
            skills=skills,
            currencies=currencies,
        )

    # --- Places -------------------------------------------------------------------

    def country(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.countries.get(normalise(name))

    def _pick(self, codes: Iterable[str], country: str | None) -> str | None:
        candidates = [c for c in dict.fromkeys(codes) if country in (None, self.regions[c][0])]
        if len(candidates) > 1:
            # A bare "Almaty" or "Osh" is the city, not the region around it.
            cities = [c for c in candidates if self.regions[c][1] == "city"]
            candidates = cities if len(cities) == 1 else candidates
        return candidates[0] if len(candidates) == 1 else None

    def region_by_name(self, name: str, *, country: str | None = None) -> str | None:
        key = normalise(name)
        if not key:
            return None
        code = key.upper().replace(" ", "-")
        if code in self.regions and country in (None, self.regions[code][0]):
            return code  # an ISO 3166-2 code ("KZ-75")
        for found in (self.region_exact.get(key), REGION_ALIASES.get(key)):
            if found and country in (None, self.regions[found][0]):
                return found
        loose = _place_key(name)
        for found in (
            REGION_ALIASES.get(loose),
            self._pick(self.region_loose.get(loose, ()), country),
        ):
            if found and country in (None, self.regions[found][0]):
                return found
        # "Кемеровская область" for "Кемеровская область — Кузбасс": every word given
        # is in exactly one region's name.
        words = set(loose.split())
        if words:
            matches = [
                codes
                for key_words, codes in self.region_loose.items()
                if words <= set(key_words.split())
            ]
            return self._pick((c for codes in matches for c in codes), country)
        return None

    def region(self, *names: str | None, country: str | None = None) -> tuple[str, str]:
        """(country, region) for the first of ``names`` that is known; MappingError if none."""
        given = [n for n in names if n and n.strip()]
        for name in given:
            code = self.region_by_name(name, country=country)
            if code:
                return self.regions[code][0], code
        if not given:
            raise MappingError("no region or city given")
        raise MappingError(f"region not recognised: {' / '.join(given)!r}")

    # --- Occupations ----------------------------------------------------------------

    def occupation(
        self, *, code: str | None = None, titles: Iterable[str] = (), hint: str | None = None
    ) -> str:
        """The ISCO-08 unit group: the code the source gives; else a common job title;
        else the source's own category (``hint``, already an ISCO code); else the best
        match of the first title that matches any (the job's name, then categories)."""
        if code:
            digits = re.match(r"\s*(\d{4})\b", code)
            if digits and digits.group(1) in self.occupations:
                return digits.group(1)
        titles = [title for title in titles if title]
        common = self._common_title(titles[0]) if titles else None
        if common:
            return common
        if hint and hint in self.occupations:
            return hint
        for title in titles:
            found = self._occupation_by_title(title)
            if found:
                return found
        raise MappingError(f"occupation not recognised: {' / '.join(titles) or code or '—'!r}")

    def _common_title(self, title: str) -> str | None:
        key = normalise(title)
        for words, code in COMMON_TITLES:
            if (key == words or key.startswith(words + " ")) and code in self.occupations:
                return code
        return None

    def _occupation_by_title(self, title: str) -> str | None:
        key = normalise(title)
        if key in self._occupation_cache:
            return self._occupation_cache[key]
        scores: dict[str, float] = defaultdict(float)
        for stem in set(_stems(title)):
            for code in self.occupation_stems.get(stem, ()):
                scores[code] += self.occupation_idf[stem]
        best = None
        if scores:
            # The most telling shared words; then the title covered most; then the code.
            best = min(
                scores,
                key=lambda c: (-scores[c], -scores[c] / self.occupation_stem_count[c], c),
            )
        self._occupation_cache[key] = best
        return best

    # --- Skills and money -----------------------------------------------------------

    def skills_for(self, labels: Iterable[str]) -> tuple[list[int], list[str]]:
        """(skill ids, labels that matched none), each once, in the order given."""
        found: dict[int, None] = {}
        missing: dict[str, None] = {}
        for label in labels:
            label = label.strip()
            if not label:
                continue
            skill = self.skills.get(normalise(label))
            if skill is None:
                missing[label] = None
            else:
                found[skill] = None
        return list(found), list(missing)

    def currency(self, raw: str | None) -> str | None:
        """Our code for the source's currency, or None when we do not price in it."""
        if not raw:
            return None
        key = raw.strip().strip("«»\"'. ").upper()
        if key in self.currencies:
            return key
        alias = CURRENCY_ALIASES.get(normalise(raw)) or CURRENCY_ALIASES.get(raw.strip())
        return alias if alias in self.currencies else None


# --- Values -------------------------------------------------------------------------


def amount(value: object) -> Decimal | None:
    """A salary amount as a decimal; None for nothing, zero, or what is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(" ", "").replace("\xa0", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e10"):
        return None
    return number.quantize(Decimal("0.01"))


_MARKUP = re.compile(r"<(p|br|ul|ol|li|div|h[1-6]|strong|em|b|i|a)\b", re.IGNORECASE)


def safe_html(text: str) -> str:
    """A description from outside, as HTML we can show: markup sanitised; plain text
    (perhaps with a stray tag in it) reduced to its text, lines kept as paragraphs."""
    if not text:
        return ""
    if not _MARKUP.search(text):
        # Tags out (a script with its content), the rest escaped: text, never markup.
        plain = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", plain) if p.strip()]
        text = "".join(
            "<p>" + "<br>".join(line.strip() for line in p.splitlines() if line.strip()) + "</p>"
            for p in paragraphs
        )
    return sanitize_description(text)


_LEGAL_FORMS = frozenset(
    [
        "ооо",
        "оао",
        "зао",
        "пао",
        "ао",
        "ип",
        "тоо",
        "ао",
        "нао",
        "одо",
        "чуп",
        "уп",
        "чтуп",
        "llc",
        "ltd",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "too",
        "inc",
        "corp",
        "gmbh",
        "llp",
        "company",
        "компания",
    ]
)


def fingerprint(
    *,
    employer: str,
    title: str,
    region: str,
    salary_min: Decimal | None,
    salary_max: Decimal | None,
    currency: str | None,
) -> str:
    """The same vacancy from two systems gives the same digest: legal forms, quotes,
    case and punctuation do not count, amounts count in whole units."""
    employer_key = " ".join(w for w in normalise(employer).split() if w not in _LEGAL_FORMS)
    parts = [
        employer_key,
        normalise(title),
        region,
        "" if salary_min is None else str(int(salary_min)),
        "" if salary_max is None else str(int(salary_max)),
        currency or "" if (salary_min or salary_max) else "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def text_of(value: object) -> str:
    """A field that should be text, whatever the source put there (a number, a list)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(text_of(item) for item in value if item is not None)
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("value") or "")
    return str(value).strip()


def date_of(value: object) -> date | None:
    """The calendar day of an ISO date or date-time ("2026-03-01T10:00:00+0300")."""
    raw = text_of(value)
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


_ROTATION = re.compile(r"(?<![\d/])([0-9]{1,2})\s*/\s*([0-9]{1,2})(?![\d/])")


def rotation_in(*texts: str) -> str:
    """A days-on/days-off pattern ("15/15", "30/30") written anywhere in the texts."""
    for text in texts:
        for on, off in _ROTATION.findall(text or ""):
            if 7 <= int(on) <= 90 and 7 <= int(off) <= 90:
                return f"{int(on)}/{int(off)}"
    return ""

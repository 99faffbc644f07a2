"""Random seekers and vacancies over a small world, so that they often collide.

Few countries, regions, skills and occupations: the same region, the same skill, the
same score (ties) come up often, and so do the edge cases — a skill only through the
hierarchy, a currency without a rate, a region without a centre, a citizenship outside
the index's bit table, a language outside its dense columns, permits about to expire.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

from hypothesis import strategies as st

from matching.engine.records import (
    Eligibility,
    EmploymentType,
    LanguageRequirement,
    MobilityScope,
    ReferenceData,
    RemotePreference,
    Salary,
    SalaryPeriod,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    WorkMode,
)

AS_OF = date(2026, 3, 2)
EAEU = frozenset({"AM", "BY", "KG", "KZ", "RU"})
CENTRES = {
    "KZ-75": (43.2389, 76.8897),  # Almaty
    "KZ-71": (51.1694, 71.4491),  # Astana
    "KZ-23": (47.0945, 51.9238),  # Atyrau
    "RU-MOW": (55.7558, 37.6173),
    "RU-SPE": (59.9311, 30.3609),
    "KG-GB": (42.8746, 74.5698),  # Bishkek
    "AM-ER": (40.1811, 44.5136),
    "BY-HM": (53.9006, 27.5590),  # Minsk
    "UZ-TK": (41.2995, 69.2401),  # Tashkent
}
REGIONS = {
    "KZ": ("KZ-75", "KZ-71", "KZ-23"),
    "RU": ("RU-MOW", "RU-SPE", "RU-YAN"),  # Yamal: no centre in the reference data
    "KG": ("KG-GB",),
    "AM": ("AM-ER",),
    "BY": ("BY-HM",),
    "UZ": ("UZ-TK",),
    "FR": ("FR-75",),
}
COUNTRIES = tuple(REGIONS)
# Mostly members' citizens, as on the platform; "BR" and "NG" are outside the index's
# citizenship bits and exercise its postings fallback.
CITIZENSHIPS = ("KZ", "KZ", "RU", "RU", "KG", "AM", "BY", "UZ", "TJ", "FR", "BR", "NG")
# Hypothesis leans towards the first of a sampled_from: the permissive ones go first.
SCOPES = (
    MobilityScope.ANYWHERE,
    MobilityScope.EAEU,
    MobilityScope.EAEU,
    MobilityScope.COUNTRY,
    MobilityScope.LISTED,
    MobilityScope.REGION,
)
PREFERENCES = (
    RemotePreference.ANY,
    RemotePreference.ANY,
    RemotePreference.HYBRID,
    RemotePreference.ON_SITE,
    RemotePreference.REMOTE_ONLY,
)
SKILLS = tuple(range(1, 13))
BROADER = {2: 1, 3: 1, 5: 4, 6: 5, 7: 5}
LANGUAGES = ("ru", "kk", "en", "de")  # "de" is not one of the index's dense columns
OCCUPATIONS = ("2221", "2222", "2211", "7212", "7213", "7221", "8332", "2512", "2341")
CURRENCIES = ("KZT", "RUB", "USD", "KGS", "EUR")  # no EUR rate: an unknown salary

REF = ReferenceData(
    as_of=AS_OF,
    eaeu_members=EAEU,
    region_centres=MappingProxyType(CENTRES),
    skill_broader=MappingProxyType(BROADER),
    units_per_usd=MappingProxyType({"USD": 1.0, "KZT": 512.0, "RUB": 79.5, "KGS": 87.4}),
    ppp_factors=MappingProxyType({"KZ": 190.0, "KG": 26.0, "RU": 29.0}),
    country_currency=MappingProxyType(
        {"KZ": "KZT", "RU": "RUB", "KG": "KGS", "AM": "AMD", "BY": "BYN", "US": "USD"}
    ),
)

dates = st.one_of(st.none(), st.integers(-60, 200).map(lambda d: AS_OF + timedelta(days=d)))


@st.composite
def places(draw: st.DrawFn) -> tuple[str, str | None]:
    country = draw(st.sampled_from(COUNTRIES))
    region = draw(st.one_of(st.none(), st.sampled_from(REGIONS[country])))
    return country, region


@st.composite
def salaries(draw: st.DrawFn) -> Salary | None:
    if draw(st.booleans()):
        return None
    period = draw(st.sampled_from(tuple(SalaryPeriod)))
    amount = draw(st.integers(1, 40)) * (10.0 if period is SalaryPeriod.HOUR else 2500.0)
    currency = draw(st.sampled_from(CURRENCIES))
    if currency == "KZT":
        amount *= 100
    return Salary(amount, currency, period, draw(st.booleans()))


@st.composite
def seekers(draw: st.DrawFn, seeker_id: int) -> SeekerFeatures:
    country, region = draw(places())
    citizenships = draw(st.frozensets(st.sampled_from(CITIZENSHIPS), min_size=1, max_size=2))
    if draw(st.booleans()):
        citizenships |= {country}
    rights = draw(
        st.dictionaries(
            st.sampled_from(COUNTRIES),
            st.one_of(st.none(), st.integers(-30, 120).map(lambda d: AS_OF + timedelta(days=d))),
            max_size=2,
        )
    )
    skills = draw(
        st.dictionaries(
            st.sampled_from(SKILLS),
            st.builds(SeekerSkill, st.integers(1, 5), st.integers(0, 10)),
            max_size=6,
        )
    )
    return SeekerFeatures(
        id=seeker_id,
        citizenships=citizenships,
        country=country,
        region=region,
        work_rights=MappingProxyType(rights),
        mobility_scope=draw(st.sampled_from(SCOPES)),
        mobility_countries=draw(st.frozensets(st.sampled_from(COUNTRIES), max_size=2)),
        mobility_regions=draw(st.frozensets(st.sampled_from(tuple(CENTRES)), max_size=2)),
        remote_preference=draw(st.sampled_from(PREFERENCES)),
        accepts_rotational=draw(st.booleans()),
        available_from=draw(dates),
        salary=draw(salaries()),
        skills=MappingProxyType(skills),
        languages=MappingProxyType(
            draw(st.dictionaries(st.sampled_from(LANGUAGES), st.integers(1, 7), max_size=3))
        ),
        desired_occupations=draw(st.frozensets(st.sampled_from(OCCUPATIONS), max_size=2)),
        experience_years=draw(st.integers(0, 12)),
        employment_types=draw(st.frozensets(st.sampled_from(tuple(EmploymentType)), max_size=2)),
    )


@st.composite
def vacancies(draw: st.DrawFn, vacancy_id: int = 1) -> VacancyFeatures:
    country = draw(st.sampled_from(("KZ", "RU", "KG", "AM", "BY")))
    required = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=4))
    optional = draw(
        st.dictionaries(
            st.sampled_from([s for s in SKILLS if s not in required]), st.integers(1, 5), max_size=2
        )
    )
    low = draw(st.one_of(st.none(), st.integers(1, 30).map(lambda x: x * 2500.0)))
    high = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda x: (low or 0.0) + x * 2500.0)))
    salary_currency = draw(st.sampled_from(CURRENCIES)) if (low or high) else None
    return VacancyFeatures(
        id=vacancy_id,
        country=country,
        region=draw(st.sampled_from(REGIONS[country])),
        occupation=draw(st.sampled_from(OCCUPATIONS)),
        work_mode=draw(st.sampled_from((WorkMode.ON_SITE, WorkMode.HYBRID, WorkMode.REMOTE))),
        remote_countries=draw(st.frozensets(st.sampled_from(COUNTRIES), max_size=3)),
        employment_type=draw(st.sampled_from((EmploymentType.FULL_TIME, *EmploymentType))),
        required_skills=MappingProxyType(required),
        optional_skills=MappingProxyType(optional),
        languages=MappingProxyType(
            draw(
                st.dictionaries(
                    st.sampled_from(LANGUAGES),
                    st.builds(
                        LanguageRequirement,
                        st.integers(1, 7),
                        st.sampled_from((False, False, False, True)),
                    ),
                    max_size=2,
                )
            )
        ),
        salary_min=low,
        salary_max=high,
        salary_currency=salary_currency,
        salary_period=draw(st.sampled_from(tuple(SalaryPeriod))),
        salary_gross=draw(st.booleans()),
        eligibility=draw(
            st.sampled_from(
                (Eligibility.EAEU, Eligibility.ANYONE, Eligibility.EAEU, Eligibility.LOCAL)
            )
        ),
        relocation_travel=draw(st.booleans()),
        relocation_housing=draw(st.booleans()),
        relocation_registration=draw(st.booleans()),
        min_experience_years=draw(st.integers(0, 8)),
        regulated=draw(st.one_of(st.none(), st.booleans())),
        start_date=draw(dates),
    )


@st.composite
def populations(draw: st.DrawFn, max_size: int = 60) -> list[SeekerFeatures]:
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=max_size, unique=True))
    return [draw(seekers(i)) for i in ids]


@st.composite
def vacancy_lists(draw: st.DrawFn, max_size: int = 60) -> list[VacancyFeatures]:
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=max_size, unique=True))
    return [draw(vacancies(i)) for i in ids]

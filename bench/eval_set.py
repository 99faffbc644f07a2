"""A labelled evaluation set for the matching engine: vacancies, candidates, grades.

Eight vacancies of kinds Borderless sees often (rotational welding in the oil fields,
construction welding, intensive-care nursing, remote software work, accounting,
international haulage, restaurant cooking), each with 12–16 candidate seekers graded
as an experienced recruiter would order them for that vacancy:

3  put forward first: qualified, allowed to work there, willing to go, pay in range
2  a good candidate with one drawback (distance, a secondary skill, pay, language)
1  a long shot: an adjacent occupation, too junior, or an obstacle the recruiter raises
0  not put forward: may not take the job, will not go there, or an unrelated trade

The grades are a recruiter's judgement made without the engine's scores; each
candidate carries a one-line ``why``. ``HARD_CASES`` lists the pairs whose verdict the
rules fix (who may work where, who will go where, diplomas, pay), with the verdict the
engine should give. Places are ISO 3166-2 codes as in taxonomy/data/regions.csv (the
current Kazakh codes: KZ-75 Almaty, KZ-71 Astana, KZ-23 Atyrau; KG-GO for the city of
Osh), with approximate real centres; occupations are ISCO-08 unit groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from matching.engine.records import (
    Eligibility,
    EmploymentType,
    LanguageRequirement,
    MobilityScope,
    ReferenceData,
    RemotePreference,
    Salary,
    SeekerFeatures,
    SeekerSkill,
    VacancyFeatures,
    WorkMode,
)

AS_OF = date(2026, 3, 2)
EAEU = frozenset({"AM", "BY", "KG", "KZ", "RU"})

# CEFR ranks as in SeekerFeatures.languages.
A1, A2, B1, B2, C1, C2, NATIVE = range(1, 8)

# Skills, with ids as a taxonomy would number them.
WELDING, PIPE_WELDING, TIG_WELDING, MMA_WELDING = 101, 102, 103, 104
BLUEPRINTS, WELD_INSPECTION, WORK_AT_HEIGHT, FIRST_AID, PIPE_FITTING = 105, 106, 107, 108, 109
PATIENT_CARE, MEDICATION, IV_THERAPY, WOUND_CARE = 201, 202, 203, 204
TRIAGE, ICU_CARE, MEDICAL_RECORDS, DIAGNOSIS = 205, 206, 207, 208
PYTHON, DJANGO, SQL, POSTGRESQL, DOCKER = 301, 302, 303, 304, 305
REST_API, JAVASCRIPT, REACT, CELERY, ONE_C_PROGRAMMING = 306, 307, 308, 309, 310
BOOKKEEPING, ONE_C, TAX_REPORTING, IFRS, PAYROLL, EXCEL = 401, 402, 403, 404, 405, 406
TRUCK_DRIVING, CMR_DOCUMENTS, TACHOGRAPH, ADR, REFRIGERATED_CARGO = 501, 502, 503, 504, 505
VEHICLE_REPAIR, CAR_DRIVING, FORKLIFT = 506, 507, 508
COOKING, HOT_KITCHEN, PASTRY, FOOD_SAFETY, CENTRAL_ASIAN_CUISINE = 601, 602, 603, 604, 605
MENU_COSTING, SERVING, TEACHING = 606, 607, 701

REF = ReferenceData(
    as_of=AS_OF,
    eaeu_members=EAEU,
    region_centres=MappingProxyType(
        {
            "KZ-75": (43.2389, 76.8897),  # Almaty
            "KZ-71": (51.1694, 71.4491),  # Astana
            "KZ-23": (47.1167, 51.8833),  # Atyrau Region, centre Atyrau
            "KZ-47": (43.6481, 51.1722),  # Mangystau Region, centre Aktau
            "KZ-27": (51.2333, 51.3667),  # West Kazakhstan Region, centre Oral
            "KZ-15": (50.2839, 57.1670),  # Aktobe Region, centre Aktobe
            "KZ-39": (53.2144, 63.6246),  # Kostanay Region, centre Kostanay
            "KZ-79": (42.3167, 69.5958),  # Shymkent
            "KG-GB": (42.8746, 74.5698),  # Bishkek
            "KG-C": (42.8746, 74.5698),  # Chuy Region, governed from Bishkek
            "KG-GO": (40.5283, 72.7985),  # Osh (city)
            "KG-O": (40.5283, 72.7985),  # Osh Region, governed from Osh
            "KG-J": (40.9333, 73.0000),  # Jalal-Abad Region, centre Jalal-Abad
            "RU-MOW": (55.7558, 37.6173),  # Moscow
            "RU-MOS": (55.8204, 37.3302),  # Moscow Oblast, centre Krasnogorsk
            "RU-SPE": (59.9343, 30.3351),  # Saint Petersburg
            "RU-NVS": (55.0084, 82.9357),  # Novosibirsk Oblast, centre Novosibirsk
            "RU-TA": (55.7887, 49.1221),  # Tatarstan, centre Kazan
            "RU-TUL": (54.1931, 37.6173),  # Tula Oblast, centre Tula
            "RU-SMO": (54.7826, 32.0453),  # Smolensk Oblast, centre Smolensk
            "AM-ER": (40.1811, 44.5136),  # Yerevan
            "BY-HM": (53.9006, 27.5590),  # Minsk
            "BY-HO": (52.4345, 30.9754),  # Gomel Region, centre Gomel
            "BY-BR": (52.0976, 23.7341),  # Brest Region, centre Brest
            "BY-VI": (55.1904, 30.2049),  # Vitebsk Region, centre Vitebsk
            "UZ-TK": (41.2995, 69.2401),  # Tashkent
            "UZ-AN": (40.7821, 72.3442),  # Andijan Region, centre Andijan
            "TJ-DU": (38.5598, 68.7870),  # Dushanbe
        }
    ),
    skill_broader=MappingProxyType(
        {
            PIPE_WELDING: WELDING,
            TIG_WELDING: WELDING,
            MMA_WELDING: WELDING,
            ICU_CARE: PATIENT_CARE,
            IV_THERAPY: MEDICATION,
            DJANGO: PYTHON,
            CELERY: PYTHON,
            POSTGRESQL: SQL,
            REACT: JAVASCRIPT,
            ONE_C: BOOKKEEPING,
            HOT_KITCHEN: COOKING,
            PASTRY: COOKING,
            CENTRAL_ASIAN_CUISINE: COOKING,
        }
    ),
    # Approximate market rates of early 2026 (as in taxonomy/data/exchange_rates.csv).
    units_per_usd=MappingProxyType(
        {
            "USD": 1.0,
            "RUB": 80.8,
            "KZT": 521.0,
            "KGS": 87.5,
            "AMD": 385.0,
            "BYN": 3.05,
            "UZS": 12_850.0,
            "TJS": 10.9,
        }
    ),
    # Local currency units per international dollar (approximate ICP 2024 values).
    ppp_factors=MappingProxyType(
        {
            "AM": 150.0,
            "BY": 0.97,
            "KG": 25.5,
            "KZ": 180.0,
            "RU": 29.5,
            "UZ": 3200.0,
            "TJ": 3.1,
        }
    ),
    country_currency=MappingProxyType(
        {
            "AM": "AMD",
            "BY": "BYN",
            "KG": "KGS",
            "KZ": "KZT",
            "RU": "RUB",
            "UZ": "UZS",
            "TJ": "TJS",
        }
    ),
)


@dataclass(frozen=True, slots=True)
class Candidate:
    seeker: SeekerFeatures
    grade: int  # 0–3, see the module's docstring
    why: str


@dataclass(frozen=True, slots=True)
class Query:
    key: str
    title: str
    vacancy: VacancyFeatures
    candidates: tuple[Candidate, ...]


def _no_bounds() -> Mapping[str, float]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class HardCase:
    """A pair whose verdict the rules fix, and the verdict the engine should give."""

    name: str
    query: str
    seeker_id: int
    eligible: bool
    reasons: tuple[str, ...] = ()  # the reasons' keys, in the engine's order
    flags: tuple[str, ...] = ()  # flags the result must carry
    absent_flags: tuple[str, ...] = ()  # flags it must not carry
    at_most: Mapping[str, float] = field(default_factory=_no_bounds)  # component → max
    at_least: Mapping[str, float] = field(default_factory=_no_bounds)  # component → min


def person(
    seeker_id: int,
    region: str,
    occupation: str,
    skills: Mapping[int, int],
    languages: Mapping[str, int],
    *,
    experience: int,
    citizen: str | None = None,
    salary: Salary | None = None,
    scope: MobilityScope = MobilityScope.COUNTRY,
    remote: RemotePreference = RemotePreference.ANY,
    rotational: bool = False,
    permits: Mapping[str, date | None] | None = None,
    available: date | None = None,
    employment: frozenset[EmploymentType] = frozenset(),
    also: frozenset[str] = frozenset(),
) -> SeekerFeatures:
    """A seeker living in ``region`` (its country from the code), a citizen of that
    country unless ``citizen`` says otherwise."""
    country = region.split("-", 1)[0]
    return SeekerFeatures(
        id=seeker_id,
        citizenships=frozenset({citizen or country}),
        country=country,
        region=region,
        work_rights=MappingProxyType(dict(permits or {})),
        mobility_scope=scope,
        remote_preference=remote,
        accepts_rotational=rotational,
        available_from=available,
        salary=salary,
        skills=MappingProxyType({s: SeekerSkill(level) for s, level in skills.items()}),
        languages=MappingProxyType(dict(languages)),
        desired_occupations=frozenset({occupation}) | also,
        experience_years=experience,
        employment_types=employment,
    )


def _vacancy(
    vacancy_id: int,
    region: str,
    occupation: str,
    required: Mapping[int, int],
    optional: Mapping[int, int],
    languages: Mapping[str, LanguageRequirement],
    salary: tuple[float, float, str],
    **rest: Any,
) -> VacancyFeatures:
    low, high, currency = salary
    return VacancyFeatures(
        id=vacancy_id,
        country=region.split("-", 1)[0],
        region=region,
        occupation=occupation,
        required_skills=MappingProxyType(dict(required)),
        optional_skills=MappingProxyType(dict(optional)),
        languages=MappingProxyType(dict(languages)),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        **rest,
    )


def kzt(amount: float, *, net: bool = False) -> Salary:
    return Salary(amount, "KZT", gross=not net)


def rub(amount: float, *, net: bool = False) -> Salary:
    return Salary(amount, "RUB", gross=not net)


def kgs(amount: float) -> Salary:
    return Salary(amount, "KGS")


def byn(amount: float) -> Salary:
    return Salary(amount, "BYN")


def usd(amount: float) -> Salary:
    return Salary(amount, "USD")


def amd(amount: float) -> Salary:
    return Salary(amount, "AMD")


S = MobilityScope
RP = RemotePreference
ET = EmploymentType

# --- people who appear in more than one query -----------------------------------------

# An Uzbek pipe welder at home in Tashkent: no permit for any member state.
JASUR = person(
    104,
    "UZ-TK",
    "7212",
    {PIPE_WELDING: 4, MMA_WELDING: 5, BLUEPRINTS: 3, WELD_INSPECTION: 2, WORK_AT_HEIGHT: 3},
    {"uz": NATIVE, "ru": B2},
    experience=9,
    scope=S.ANYWHERE,
    rotational=True,
    salary=usd(1_100),
)
# A Kazakh 6G pipe welder in Atyrau who stays in Kazakhstan.
NURLAN = person(
    101,
    "KZ-23",
    "7212",
    {PIPE_WELDING: 5, BLUEPRINTS: 4, WELD_INSPECTION: 3, WORK_AT_HEIGHT: 3, FIRST_AID: 2},
    {"kk": NATIVE, "ru": C1},
    experience=12,
    rotational=True,
    salary=kzt(750_000),
)
# A chief accountant in Osh who will not leave the Osh region (a family to look after).
GULNARA = person(
    501,
    "KG-GO",
    "3313",
    {BOOKKEEPING: 5, ONE_C: 5, TAX_REPORTING: 4, PAYROLL: 4, EXCEL: 4},
    {"ky": NATIVE, "ru": C1, "uz": B1},
    experience=14,
    scope=S.REGION,
    salary=kgs(38_000),
)
# A Moscow long-haul driver who expects Moscow pay.
SERGEI = person(
    601,
    "RU-MOW",
    "8332",
    {TRUCK_DRIVING: 5, CMR_DOCUMENTS: 4, TACHOGRAPH: 4, REFRIGERATED_CARGO: 3},
    {"ru": NATIVE},
    experience=15,
    scope=S.EAEU,
    salary=rub(200_000),
)
# A Kyrgyz intensive-care nurse in Bishkek, ready to work anywhere in the union.
AINURA = person(
    301,
    "KG-GB",
    "2221",
    {PATIENT_CARE: 5, MEDICATION: 4, ICU_CARE: 4, IV_THERAPY: 4, TRIAGE: 3, MEDICAL_RECORDS: 3},
    {"ky": NATIVE, "ru": C2, "kk": A2},
    experience=8,
    scope=S.EAEU,
    salary=kgs(45_000),
)

# --- the queries ---------------------------------------------------------------------

ATYRAU_WELDER = Query(
    "atyrau-pipe-welder",
    "Pipe welder, oil field near Atyrau, 28/28 rotation, EAEU citizens only",
    _vacancy(
        1,
        "KZ-23",
        "7212",
        {PIPE_WELDING: 4, BLUEPRINTS: 3, WELD_INSPECTION: 2},
        {WORK_AT_HEIGHT: 3, FIRST_AID: 2},
        {"ru": LanguageRequirement(B1)},
        (700_000.0, 900_000.0, "KZT"),
        employment_type=ET.ROTATIONAL,
        eligibility=Eligibility.EAEU,
        relocation_travel=True,
        relocation_housing=True,
        min_experience_years=3,
    ),
    (
        Candidate(NURLAN, 3, "local 6G pipe welder with inspection, used to rotations"),
        Candidate(
            person(
                102,
                "KZ-47",
                "7212",
                {PIPE_WELDING: 4, BLUEPRINTS: 3, WELD_INSPECTION: 2, WORK_AT_HEIGHT: 3},
                {"kk": NATIVE, "ru": B2},
                experience=7,
                rotational=True,
                salary=kzt(700_000),
            ),
            3,
            "Aktau pipe welder who has worked Caspian rotations, everything asked",
        ),
        Candidate(
            person(
                103,
                "KG-GB",
                "7212",
                {PIPE_WELDING: 4, BLUEPRINTS: 3, WELD_INSPECTION: 2, FIRST_AID: 3},
                {"ky": NATIVE, "ru": C1},
                experience=6,
                scope=S.EAEU,
                rotational=True,
                salary=kgs(90_000),
            ),
            2,
            "qualified Kyrgyz welder, treaty lets him work; far, but rotation travel is paid",
        ),
        Candidate(JASUR, 0, "strong welder, but Uzbek and this employer takes EAEU citizens only"),
        Candidate(
            person(
                105,
                "KZ-75",
                "7212",
                {MMA_WELDING: 5, PIPE_WELDING: 3, BLUEPRINTS: 4},
                {"kk": NATIVE, "ru": C1},
                experience=10,
                scope=S.COUNTRY,
                rotational=False,
                salary=kzt(650_000),
            ),
            0,
            "Almaty welder who refuses rotational work",
        ),
        Candidate(
            person(
                106,
                "KZ-23",
                "7212",
                {MMA_WELDING: 4, WELDING: 3, BLUEPRINTS: 2},
                {"kk": NATIVE, "ru": B1},
                experience=5,
                rotational=True,
                salary=kzt(500_000),
            ),
            1,
            "local structural welder without pipe certification",
        ),
        Candidate(
            person(
                107,
                "RU-MOW",
                "7212",
                {TIG_WELDING: 5, PIPE_WELDING: 3, WELD_INSPECTION: 3, BLUEPRINTS: 4},
                {"ru": NATIVE},
                experience=11,
                scope=S.EAEU,
                rotational=True,
                salary=rub(130_000),
            ),
            2,
            "Moscow TIG welder, some pipe work, happy to do rotations in Kazakhstan",
        ),
        Candidate(
            person(
                108,
                "KZ-23",
                "7212",
                {PIPE_WELDING: 2, BLUEPRINTS: 2, FIRST_AID: 2},
                {"kk": NATIVE, "ru": B1},
                experience=1,
                rotational=True,
                salary=kzt(400_000),
            ),
            1,
            "local but a year out of college, below the three years asked",
        ),
        Candidate(
            person(
                109,
                "KZ-23",
                "3115",
                {WELD_INSPECTION: 5, BLUEPRINTS: 5, WELDING: 3},
                {"kk": NATIVE, "ru": C1},
                experience=9,
                rotational=True,
                salary=kzt(850_000),
            ),
            1,
            "weld inspector rather than a welder; would not take a welder's post",
        ),
        Candidate(
            person(
                110,
                "KZ-23",
                "7126",
                {PIPE_FITTING: 4, BLUEPRINTS: 3},
                {"kk": NATIVE, "ru": B2},
                experience=6,
                rotational=True,
                salary=kzt(450_000),
            ),
            0,
            "pipe fitter, not a welder",
        ),
        Candidate(
            person(
                111,
                "BY-HM",
                "7212",
                {PIPE_WELDING: 4, BLUEPRINTS: 4, WELD_INSPECTION: 2},
                {"be": NATIVE, "ru": NATIVE},
                experience=8,
                scope=S.COUNTRY,
                rotational=True,
                salary=byn(3_000),
            ),
            0,
            "Minsk pipe welder who will not work outside Belarus",
        ),
        Candidate(
            person(
                112,
                "AM-ER",
                "7212",
                {PIPE_WELDING: 3, BLUEPRINTS: 3, WORK_AT_HEIGHT: 2},
                {"hy": NATIVE, "ru": B2},
                experience=5,
                scope=S.EAEU,
                rotational=True,
                salary=amd(400_000),
            ),
            2,
            "Armenian pipe welder, a level below what is asked, open to rotations",
        ),
        Candidate(
            person(
                113,
                "KZ-15",
                "7212",
                {PIPE_WELDING: 4, BLUEPRINTS: 3, WELD_INSPECTION: 2},
                {"kk": NATIVE, "ru": A2},
                experience=6,
                rotational=True,
                salary=kzt(650_000),
            ),
            2,
            "Aktobe pipe welder with weak Russian; Kazakh is spoken on site",
        ),
        Candidate(
            person(
                114,
                "KZ-23",
                "5120",
                {COOKING: 4, FOOD_SAFETY: 3},
                {"kk": NATIVE, "ru": B2},
                experience=6,
                rotational=True,
                salary=kzt(350_000),
            ),
            0,
            "camp cook: right place and rotation, wrong trade",
        ),
        Candidate(
            person(
                115,
                "KZ-23",
                "8332",
                {TRUCK_DRIVING: 4, WORK_AT_HEIGHT: 2},
                {"kk": NATIVE, "ru": B1},
                experience=8,
                rotational=True,
                salary=kzt(450_000),
            ),
            0,
            "truck driver on the same field",
        ),
        Candidate(
            person(
                116,
                "KZ-27",
                "7212",
                {PIPE_WELDING: 5, BLUEPRINTS: 2, WELD_INSPECTION: 3},
                {"kk": NATIVE, "ru": C1},
                experience=20,
                rotational=True,
                salary=kzt(1_500_000),
            ),
            2,
            "veteran Oral pipe welder who asks far more than the range",
        ),
    ),
)

MOSCOW_WELDER = Query(
    "moscow-region-welder",
    "Construction welder (MMA), Krasnogorsk, employer sponsors permits, housing given",
    _vacancy(
        2,
        "RU-MOS",
        "7212",
        {MMA_WELDING: 3, BLUEPRINTS: 2},
        {WORK_AT_HEIGHT: 3},
        {"ru": LanguageRequirement(A2)},
        (110_000.0, 140_000.0, "RUB"),
        eligibility=Eligibility.ANYONE,
        relocation_housing=True,
        relocation_registration=True,
        min_experience_years=2,
    ),
    (
        Candidate(JASUR, 3, "MMA 5 with drawings and heights; the employer sponsors his permit"),
        Candidate(
            person(
                202,
                "RU-MOW",
                "7212",
                {MMA_WELDING: 4, BLUEPRINTS: 3, WORK_AT_HEIGHT: 3},
                {"tg": NATIVE, "ru": B1},
                citizen="TJ",
                permits={"RU": date(2026, 12, 31)},
                experience=6,
                salary=rub(120_000),
            ),
            3,
            "Tajik welder in Moscow with a valid patent, everything asked",
        ),
        Candidate(
            person(
                203,
                "RU-MOW",
                "7212",
                {MMA_WELDING: 4, BLUEPRINTS: 2},
                {"tg": NATIVE, "ru": B1},
                citizen="TJ",
                permits={"RU": date(2026, 1, 15)},
                experience=4,
                salary=rub(110_000),
            ),
            2,
            "patent lapsed in January; fine here since the employer sponsors a new one",
        ),
        Candidate(
            person(
                204,
                "RU-MOW",
                "7212",
                {MMA_WELDING: 4, BLUEPRINTS: 4, WORK_AT_HEIGHT: 4},
                {"ru": NATIVE},
                experience=10,
                salary=rub(140_000),
            ),
            3,
            "Muscovite structural welder, top of the range",
        ),
        Candidate(
            person(
                205,
                "RU-TUL",
                "7212",
                {MMA_WELDING: 3, BLUEPRINTS: 2},
                {"ru": NATIVE},
                experience=3,
                salary=rub(90_000),
            ),
            2,
            "Tula welder, meets the minimum, would move for housing",
        ),
        Candidate(
            person(
                206,
                "KG-GO",
                "7212",
                {MMA_WELDING: 3, BLUEPRINTS: 2, WORK_AT_HEIGHT: 2},
                {"ky": NATIVE, "uz": B2, "ru": B1},
                experience=4,
                scope=S.EAEU,
                salary=rub(100_000),
            ),
            2,
            "Kyrgyz welder from Osh, no permit needed under the treaty",
        ),
        Candidate(NURLAN, 0, "pipe welder who will not leave Kazakhstan"),
        Candidate(
            person(
                207,
                "RU-MOW",
                "7212",
                {TIG_WELDING: 5, PIPE_WELDING: 4, BLUEPRINTS: 4},
                {"ru": NATIVE},
                experience=9,
                salary=rub(150_000),
            ),
            2,
            "TIG and pipe welder: can do MMA, over-qualified and a bit dear",
        ),
        Candidate(
            person(
                208,
                "RU-MOW",
                "2512",
                {PYTHON: 4, DJANGO: 4},
                {"ru": NATIVE, "en": B2},
                experience=5,
                remote=RP.REMOTE_ONLY,
            ),
            0,
            "developer looking for remote work",
        ),
        Candidate(
            person(
                209,
                "RU-MOS",
                "8344",
                {FORKLIFT: 4},
                {"ru": NATIVE},
                experience=6,
                salary=rub(80_000),
            ),
            0,
            "forklift operator next door",
        ),
        Candidate(
            person(
                210,
                "RU-MOW",
                "7212",
                {MMA_WELDING: 2},
                {"ru": NATIVE},
                experience=0,
                salary=rub(70_000),
            ),
            1,
            "welding-school graduate with no experience",
        ),
        Candidate(
            person(
                211,
                "RU-MOW",
                "7212",
                {MMA_WELDING: 3, BLUEPRINTS: 2},
                {"uz": NATIVE, "ru": A2},
                citizen="UZ",
                experience=3,
                salary=rub(100_000),
            ),
            2,
            "Uzbek welder already in Moscow without a patent: the employer sponsors one",
        ),
        Candidate(
            person(
                212,
                "RU-MOW",
                "5120",
                {COOKING: 4},
                {"ru": NATIVE},
                experience=5,
                salary=rub(80_000),
            ),
            0,
            "cook",
        ),
    ),
)

ALMATY_NURSE = Query(
    "almaty-icu-nurse",
    "Intensive-care nurse, city hospital in Almaty, Russian C1 required",
    _vacancy(
        3,
        "KZ-75",
        "2221",
        {PATIENT_CARE: 4, MEDICATION: 4, ICU_CARE: 3, IV_THERAPY: 3},
        {TRIAGE: 3, MEDICAL_RECORDS: 2},
        {"ru": LanguageRequirement(C1, hard=True), "kk": LanguageRequirement(B1)},
        (380_000.0, 480_000.0, "KZT"),
        eligibility=Eligibility.EAEU,
        relocation_registration=True,
        min_experience_years=2,
    ),
    (
        Candidate(
            AINURA,
            3,
            "experienced ICU nurse; the treaty lets her work, the diploma needs recognising",
        ),
        Candidate(
            person(
                302,
                "KZ-75",
                "2221",
                {PATIENT_CARE: 5, MEDICATION: 5, ICU_CARE: 5, IV_THERAPY: 4, TRIAGE: 4},
                {"kk": NATIVE, "ru": C2},
                experience=11,
                salary=kzt(450_000),
            ),
            3,
            "Almaty ICU nurse, everything asked and more",
        ),
        Candidate(
            person(
                303,
                "KZ-75",
                "2221",
                {PATIENT_CARE: 4, MEDICATION: 4, IV_THERAPY: 3, WOUND_CARE: 4},
                {"kk": NATIVE, "ru": C1},
                experience=5,
                salary=kzt(380_000),
            ),
            2,
            "Almaty ward nurse, no intensive care yet",
        ),
        Candidate(
            person(
                304,
                "KZ-75",
                "3221",
                {PATIENT_CARE: 3, MEDICATION: 2, WOUND_CARE: 3},
                {"kk": NATIVE, "ru": C1},
                experience=2,
                salary=kzt(280_000),
            ),
            1,
            "nursing assistant (college level), would need supervision in ICU",
        ),
        Candidate(
            person(
                305,
                "RU-NVS",
                "2221",
                {PATIENT_CARE: 5, MEDICATION: 4, ICU_CARE: 4, IV_THERAPY: 4},
                {"ru": NATIVE},
                experience=9,
                scope=S.EAEU,
                salary=rub(75_000),
            ),
            2,
            "Novosibirsk ICU nurse, no Kazakh, a long move",
        ),
        Candidate(
            person(
                306,
                "AM-ER",
                "2221",
                {PATIENT_CARE: 5, MEDICATION: 4, ICU_CARE: 4, IV_THERAPY: 4},
                {"hy": NATIVE, "ru": B1},
                experience=7,
                scope=S.EAEU,
                salary=amd(350_000),
            ),
            0,
            "good ICU nurse, but Russian B1 where C1 is required",
        ),
        Candidate(
            person(
                307,
                "KZ-75",
                "2221",
                {PATIENT_CARE: 4, MEDICATION: 4, ICU_CARE: 3, IV_THERAPY: 3},
                {"uz": NATIVE, "ru": C1, "kk": B2},
                citizen="UZ",
                permits={"KZ": None},
                experience=6,
                salary=kzt(400_000),
            ),
            3,
            "Uzbek nurse with Kazakh permanent residence, meets every requirement",
        ),
        Candidate(
            person(
                308,
                "KZ-75",
                "2211",
                {PATIENT_CARE: 4, DIAGNOSIS: 5, MEDICATION: 4},
                {"kk": NATIVE, "ru": C2},
                experience=6,
                salary=kzt(700_000),
            ),
            1,
            "general practitioner: over-qualified, would not stay as a nurse",
        ),
        Candidate(
            person(
                309,
                "KZ-75",
                "2262",
                {MEDICATION: 5},
                {"kk": NATIVE, "ru": C1},
                experience=4,
                salary=kzt(350_000),
            ),
            0,
            "pharmacist",
        ),
        Candidate(
            person(
                310,
                "KZ-75",
                "3258",
                {TRIAGE: 5, IV_THERAPY: 4, PATIENT_CARE: 3},
                {"kk": NATIVE, "ru": C1},
                experience=7,
                salary=kzt(380_000),
            ),
            1,
            "ambulance paramedic: acute skills, not ward care",
        ),
        Candidate(
            person(
                311,
                "KZ-71",
                "2221",
                {PATIENT_CARE: 4, MEDICATION: 4, ICU_CARE: 4, IV_THERAPY: 3},
                {"kk": NATIVE, "ru": C1},
                experience=6,
                salary=kzt(420_000),
            ),
            2,
            "Astana ICU nurse who would have to move across the country",
        ),
        Candidate(
            person(
                312,
                "KZ-75",
                "2221",
                {PATIENT_CARE: 5, MEDICATION: 4, ICU_CARE: 4, IV_THERAPY: 4},
                {"kk": NATIVE, "ru": C1},
                experience=8,
                available=date(2026, 8, 1),
                salary=kzt(430_000),
            ),
            1,
            "strong local ICU nurse, but on maternity leave until August",
        ),
        Candidate(
            person(
                313,
                "KZ-75",
                "5321",
                {PATIENT_CARE: 3},
                {"kk": NATIVE, "ru": C1},
                experience=3,
                salary=kzt(200_000),
            ),
            1,
            "care assistant without a nursing diploma",
        ),
        Candidate(
            person(
                314,
                "KZ-75",
                "5120",
                {COOKING: 4, FOOD_SAFETY: 4},
                {"kk": NATIVE, "ru": C1},
                experience=6,
                salary=kzt(300_000),
            ),
            0,
            "hospital cook",
        ),
    ),
)

_REMOTE_EAEU = frozenset(EAEU)

YEREVAN_DJANGO = Query(
    "yerevan-remote-django",
    "Senior Django developer, Yerevan product company, remote from any member state",
    _vacancy(
        4,
        "AM-ER",
        "2512",
        {PYTHON: 4, DJANGO: 4, POSTGRESQL: 3, REST_API: 3},
        {DOCKER: 3, CELERY: 2, REACT: 2},
        {"en": LanguageRequirement(B2, hard=True), "ru": LanguageRequirement(B1)},
        (2_500.0, 3_500.0, "USD"),
        work_mode=WorkMode.REMOTE,
        remote_countries=_REMOTE_EAEU,
        eligibility=Eligibility.EAEU,
        min_experience_years=3,
    ),
    (
        Candidate(
            person(
                401,
                "KZ-75",
                "2512",
                {PYTHON: 5, DJANGO: 5, POSTGRESQL: 4, REST_API: 4, DOCKER: 4, CELERY: 3},
                {"kk": NATIVE, "ru": NATIVE, "en": C1},
                experience=8,
                remote=RP.REMOTE_ONLY,
                salary=usd(3_200),
            ),
            3,
            "Almaty senior Django developer, remote, the whole stack",
        ),
        Candidate(
            person(
                402,
                "RU-SPE",
                "2512",
                {PYTHON: 5, DJANGO: 4, POSTGRESQL: 4, REST_API: 4, DOCKER: 3, REACT: 2},
                {"ru": NATIVE, "en": B2},
                experience=6,
                salary=rub(280_000),
            ),
            3,
            "Petersburg Django developer, the stack and a little React",
        ),
        Candidate(
            person(
                403,
                "BY-HM",
                "2512",
                {PYTHON: 5, SQL: 4, REST_API: 4, DOCKER: 4},
                {"be": NATIVE, "ru": NATIVE, "en": B2},
                experience=7,
                salary=usd(3_000),
            ),
            2,
            "Minsk Python developer on Flask: Django is a short step",
        ),
        Candidate(
            person(
                404,
                "AM-ER",
                "2512",
                {PYTHON: 5, DJANGO: 5, POSTGRESQL: 4, REST_API: 4},
                {"hy": NATIVE, "ru": C1, "en": C1},
                experience=9,
                remote=RP.ON_SITE,
                salary=amd(1_200_000),
            ),
            0,
            "Yerevan developer who wants an office: this job is remote only",
        ),
        Candidate(
            person(
                405,
                "KG-GB",
                "2512",
                {PYTHON: 3, DJANGO: 2, SQL: 2, REST_API: 2},
                {"ky": NATIVE, "ru": C1, "en": B2},
                experience=1,
                salary=usd(900),
            ),
            1,
            "junior Bishkek developer",
        ),
        Candidate(
            person(
                406,
                "UZ-TK",
                "2512",
                {PYTHON: 5, DJANGO: 5, POSTGRESQL: 4, REST_API: 4, CELERY: 4},
                {"uz": NATIVE, "ru": C1, "en": C1},
                experience=7,
                scope=S.ANYWHERE,
                remote=RP.REMOTE_ONLY,
                salary=usd(2_800),
            ),
            0,
            "excellent, but lives in Uzbekistan: outside the countries the job is open to",
        ),
        Candidate(
            person(
                407,
                "RU-MOW",
                "2513",
                {JAVASCRIPT: 5, REACT: 5, PYTHON: 1},
                {"ru": NATIVE, "en": B2},
                experience=6,
                salary=rub(300_000),
            ),
            1,
            "front-end developer, React only",
        ),
        Candidate(
            person(
                408,
                "KZ-71",
                "2120",
                {PYTHON: 5, SQL: 4},
                {"kk": NATIVE, "ru": NATIVE, "en": C1},
                experience=5,
                salary=usd(2_500),
            ),
            1,
            "data scientist: strong Python, no web framework",
        ),
        Candidate(
            person(
                409,
                "RU-TA",
                "2512",
                {PYTHON: 5, DJANGO: 5, POSTGRESQL: 4, REST_API: 4, CELERY: 3},
                {"tt": NATIVE, "ru": NATIVE, "en": A2},
                experience=8,
                salary=rub(250_000),
            ),
            0,
            "Kazan Django developer whose English is A2 where B2 is required",
        ),
        Candidate(
            person(
                410,
                "KZ-75",
                "2512",
                {PYTHON: 4, DJANGO: 4, POSTGRESQL: 3, REST_API: 4, DOCKER: 3},
                {"kk": NATIVE, "ru": NATIVE, "en": B2},
                experience=5,
                salary=usd(6_000),
            ),
            2,
            "solid Almaty developer asking twice the budget",
        ),
        Candidate(
            person(
                411,
                "AM-ER",
                "2512",
                {PYTHON: 4, DJANGO: 3, POSTGRESQL: 3, REST_API: 3},
                {"hy": NATIVE, "ru": B2, "en": B2},
                experience=3,
                salary=usd(2_200),
            ),
            2,
            "mid-level Yerevan developer, Django a level short",
        ),
        Candidate(
            person(
                412,
                "BY-HM",
                "2512",
                {PYTHON: 5, DJANGO: 5, POSTGRESQL: 5, REST_API: 5, DOCKER: 4, CELERY: 4},
                {"be": NATIVE, "ru": NATIVE, "en": C1},
                experience=10,
                salary=usd(3_500),
            ),
            3,
            "Minsk lead Django developer",
        ),
        Candidate(
            person(
                413,
                "RU-MOW",
                "2514",
                {ONE_C_PROGRAMMING: 5, SQL: 3},
                {"ru": NATIVE, "en": B2},
                experience=8,
                salary=rub(250_000),
            ),
            0,
            "1C programmer",
        ),
        Candidate(
            person(
                414,
                "KZ-75",
                "2522",
                {DOCKER: 5, PYTHON: 3, POSTGRESQL: 3},
                {"kk": NATIVE, "ru": NATIVE, "en": B2},
                experience=6,
                salary=usd(2_500),
            ),
            1,
            "systems administrator who scripts in Python",
        ),
        Candidate(
            person(
                415,
                "KG-GO",
                "2512",
                {PYTHON: 5, DJANGO: 4, POSTGRESQL: 4, REST_API: 4, DOCKER: 3},
                {"ky": NATIVE, "uz": NATIVE, "ru": C1, "en": C1},
                experience=7,
                remote=RP.REMOTE_ONLY,
                salary=usd(2_500),
            ),
            3,
            "Osh Django developer, remote for years, fluent English",
        ),
    ),
)

BISHKEK_ACCOUNTANT = Query(
    "bishkek-accountant",
    "Accountant, trading company in Bishkek, hybrid, 1C and Kyrgyz tax returns",
    _vacancy(
        5,
        "KG-GB",
        "3313",
        {BOOKKEEPING: 4, ONE_C: 3, TAX_REPORTING: 3},
        {PAYROLL: 3, EXCEL: 3, IFRS: 2},
        {"ru": LanguageRequirement(B2), "ky": LanguageRequirement(B1)},
        (45_000.0, 60_000.0, "KGS"),
        work_mode=WorkMode.HYBRID,
        eligibility=Eligibility.EAEU,
        min_experience_years=2,
    ),
    (
        Candidate(GULNARA, 0, "the best accountant here, but she will not leave the Osh region"),
        Candidate(
            person(
                502,
                "KG-GB",
                "3313",
                {BOOKKEEPING: 5, ONE_C: 4, TAX_REPORTING: 4, PAYROLL: 3, EXCEL: 4},
                {"ky": NATIVE, "ru": C2},
                experience=9,
                salary=kgs(55_000),
            ),
            3,
            "Bishkek senior accountant, Kyrgyz tax and 1C",
        ),
        Candidate(
            person(
                503,
                "KG-GB",
                "3313",
                {BOOKKEEPING: 3, ONE_C: 3, TAX_REPORTING: 2, EXCEL: 3},
                {"ky": NATIVE, "ru": C1},
                experience=3,
                salary=kgs(40_000),
            ),
            2,
            "Bishkek bookkeeper, a level short on the books and tax",
        ),
        Candidate(
            person(
                504,
                "KG-C",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 3, PAYROLL: 4},
                {"ky": NATIVE, "ru": C1},
                experience=6,
                salary=kgs(50_000),
            ),
            3,
            "accountant from Kant, commutes to Bishkek",
        ),
        Candidate(
            person(
                505,
                "KZ-75",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 4, IFRS: 3},
                {"kk": NATIVE, "ru": NATIVE},
                experience=7,
                scope=S.EAEU,
                salary=kzt(350_000),
            ),
            2,
            "Almaty accountant: knows Kazakh tax, would learn the Kyrgyz returns",
        ),
        Candidate(
            person(
                506,
                "RU-MOW",
                "3313",
                {BOOKKEEPING: 5, ONE_C: 5, TAX_REPORTING: 4, IFRS: 5},
                {"ru": NATIVE},
                experience=12,
                scope=S.EAEU,
                salary=rub(150_000),
            ),
            1,
            "Moscow accountant expecting more than twice the pay",
        ),
        Candidate(
            person(
                507,
                "KG-GB",
                "4211",
                {BOOKKEEPING: 2, EXCEL: 3},
                {"ky": NATIVE, "ru": C1},
                experience=4,
                salary=kgs(30_000),
            ),
            1,
            "bank teller who wants to move into accounting",
        ),
        Candidate(
            person(
                508,
                "KG-GB",
                "2631",
                {EXCEL: 5, IFRS: 2, TAX_REPORTING: 2},
                {"ky": NATIVE, "ru": C2, "en": B2},
                experience=5,
                salary=kgs(60_000),
            ),
            1,
            "economist, analyses rather than keeps books",
        ),
        Candidate(
            person(
                509,
                "KG-GB",
                "4313",
                {PAYROLL: 5, ONE_C: 4, BOOKKEEPING: 3},
                {"ky": NATIVE, "ru": C1},
                experience=6,
                salary=kgs(42_000),
            ),
            2,
            "payroll clerk fluent in 1C, books a level short",
        ),
        Candidate(
            person(
                510,
                "KG-GB",
                "3313",
                {BOOKKEEPING: 2, ONE_C: 2},
                {"ky": NATIVE, "ru": B2},
                experience=1,
                salary=kgs(28_000),
            ),
            1,
            "junior bookkeeper, one year",
        ),
        Candidate(
            person(
                511,
                "KG-GB",
                "1211",
                {BOOKKEEPING: 5, ONE_C: 4, TAX_REPORTING: 5, IFRS: 5},
                {"ky": NATIVE, "ru": C2, "en": C1},
                experience=15,
                salary=kgs(120_000),
            ),
            1,
            "finance director: over-qualified and twice the budget",
        ),
        Candidate(
            person(
                512,
                "KG-GB",
                "7212",
                {MMA_WELDING: 4},
                {"ky": NATIVE, "ru": B1},
                experience=5,
                salary=kgs(40_000),
            ),
            0,
            "welder",
        ),
        Candidate(
            person(
                513,
                "KG-GB",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 3},
                {"uz": NATIVE, "ru": C1, "ky": B1},
                citizen="UZ",
                experience=5,
                salary=kgs(45_000),
            ),
            0,
            "Uzbek accountant in Bishkek without a permit; employer takes EAEU citizens only",
        ),
    ),
)

MINSK_DRIVER = Query(
    "minsk-truck-driver",
    "International truck driver (C+E), Minsk haulier, EU and EAEU routes",
    _vacancy(
        6,
        "BY-HM",
        "8332",
        {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 3},
        {REFRIGERATED_CARGO: 3, ADR: 2},
        {"ru": LanguageRequirement(B1)},
        (2_500.0, 3_200.0, "BYN"),
        eligibility=Eligibility.EAEU,
        relocation_housing=True,
        min_experience_years=3,
    ),
    (
        Candidate(SERGEI, 1, "strong driver, but expects twice what Minsk pays"),
        Candidate(
            person(
                602,
                "BY-HM",
                "8332",
                {TRUCK_DRIVING: 5, CMR_DOCUMENTS: 4, TACHOGRAPH: 4, REFRIGERATED_CARGO: 4},
                {"be": NATIVE, "ru": NATIVE},
                experience=12,
                salary=byn(3_000),
            ),
            3,
            "Minsk driver, years on international routes",
        ),
        Candidate(
            person(
                603,
                "BY-HO",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 3},
                {"be": NATIVE, "ru": NATIVE},
                experience=6,
                salary=byn(2_600),
            ),
            3,
            "Gomel driver with everything asked",
        ),
        Candidate(
            person(
                604,
                "BY-BR",
                "8332",
                {TRUCK_DRIVING: 5, CMR_DOCUMENTS: 5, TACHOGRAPH: 4, ADR: 3, REFRIGERATED_CARGO: 4},
                {"be": NATIVE, "ru": NATIVE, "pl": B1},
                experience=14,
                salary=byn(3_200),
            ),
            3,
            "Brest driver with ADR and reefer experience, knows the border",
        ),
        Candidate(
            person(
                605,
                "RU-SMO",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 4},
                {"ru": NATIVE},
                experience=8,
                scope=S.EAEU,
                salary=rub(110_000),
            ),
            2,
            "Smolensk driver, close to the border, pay roughly right",
        ),
        Candidate(
            person(
                606,
                "KZ-39",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 3},
                {"kk": NATIVE, "ru": NATIVE},
                experience=7,
                scope=S.EAEU,
                salary=kzt(500_000),
            ),
            2,
            "Kostanay driver willing to move to Minsk",
        ),
        Candidate(
            person(
                607,
                "BY-HM",
                "8322",
                {CAR_DRIVING: 5, TRUCK_DRIVING: 2},
                {"be": NATIVE, "ru": NATIVE},
                experience=5,
                salary=byn(2_000),
            ),
            1,
            "van driver without C+E experience",
        ),
        Candidate(
            person(
                608,
                "BY-HM",
                "8331",
                {TRUCK_DRIVING: 3, TACHOGRAPH: 3},
                {"be": NATIVE, "ru": NATIVE},
                experience=10,
                salary=byn(2_400),
            ),
            1,
            "bus driver: heavy vehicles, no cargo papers",
        ),
        Candidate(
            person(
                609,
                "BY-HM",
                "8344",
                {FORKLIFT: 5},
                {"be": NATIVE, "ru": NATIVE},
                experience=6,
                salary=byn(1_800),
            ),
            0,
            "forklift operator at a warehouse",
        ),
        Candidate(
            person(
                610,
                "BY-HM",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 3},
                {"be": NATIVE, "ru": NATIVE},
                experience=9,
                employment=frozenset({ET.PART_TIME}),
                salary=byn(1_500),
            ),
            1,
            "qualified, but wants part-time work only",
        ),
        Candidate(
            person(
                611,
                "RU-MOW",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 3, TACHOGRAPH: 3},
                {"tg": NATIVE, "ru": B2},
                citizen="TJ",
                permits={"RU": date(2026, 11, 30)},
                experience=6,
                scope=S.EAEU,
                salary=rub(120_000),
            ),
            0,
            "Tajik driver whose patent is for Russia, not Belarus",
        ),
        Candidate(
            person(
                612,
                "BY-HM",
                "7231",
                {VEHICLE_REPAIR: 5, TRUCK_DRIVING: 3},
                {"be": NATIVE, "ru": NATIVE},
                experience=11,
                salary=byn(2_500),
            ),
            1,
            "truck mechanic who holds a C+E licence",
        ),
        Candidate(
            person(
                613,
                "BY-VI",
                "8332",
                {TRUCK_DRIVING: 3, TACHOGRAPH: 2},
                {"be": NATIVE, "ru": NATIVE},
                experience=1,
                salary=byn(2_000),
            ),
            1,
            "Vitebsk driver with one year, domestic only",
        ),
        Candidate(
            person(
                614,
                "BY-HM",
                "8332",
                {TRUCK_DRIVING: 4, CMR_DOCUMENTS: 4, TACHOGRAPH: 3},
                {"uz": NATIVE, "ru": C1},
                citizen="UZ",
                experience=7,
                salary=byn(2_800),
            ),
            0,
            "Uzbek driver in Minsk without a Belarusian permit",
        ),
    ),
)

SPB_COOK = Query(
    "spb-cook",
    "Hot-kitchen cook, Central Asian restaurant chain in Saint Petersburg, sponsors permits",
    _vacancy(
        7,
        "RU-SPE",
        "5120",
        {COOKING: 4, HOT_KITCHEN: 3, FOOD_SAFETY: 3},
        {CENTRAL_ASIAN_CUISINE: 3, MENU_COSTING: 2, PASTRY: 2},
        {"ru": LanguageRequirement(A2)},
        (75_000.0, 95_000.0, "RUB"),
        eligibility=Eligibility.ANYONE,
        relocation_housing=True,
        relocation_registration=True,
        min_experience_years=2,
    ),
    (
        Candidate(
            person(
                701,
                "RU-SPE",
                "5120",
                {COOKING: 5, HOT_KITCHEN: 4, FOOD_SAFETY: 3, CENTRAL_ASIAN_CUISINE: 5},
                {"tg": NATIVE, "ru": B1},
                citizen="TJ",
                permits={"RU": date(2026, 9, 30)},
                experience=8,
                salary=rub(85_000),
            ),
            3,
            "Tajik cook in Petersburg with a patent, the chain's own cuisine",
        ),
        Candidate(
            person(
                702,
                "UZ-TK",
                "5120",
                {COOKING: 5, HOT_KITCHEN: 4, FOOD_SAFETY: 3, CENTRAL_ASIAN_CUISINE: 5},
                {"uz": NATIVE, "ru": B1},
                experience=10,
                scope=S.ANYWHERE,
                salary=usd(700),
            ),
            2,
            "Tashkent plov master; the chain sponsors the permit, but it takes months",
        ),
        Candidate(
            person(
                703,
                "RU-SPE",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 4, FOOD_SAFETY: 4, MENU_COSTING: 2},
                {"ru": NATIVE},
                experience=6,
                salary=rub(90_000),
            ),
            3,
            "Petersburg hot-kitchen cook",
        ),
        Candidate(
            person(
                704,
                "KG-GB",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 3, FOOD_SAFETY: 3, CENTRAL_ASIAN_CUISINE: 4},
                {"ky": NATIVE, "ru": B2},
                experience=5,
                scope=S.EAEU,
                salary=rub(80_000),
            ),
            2,
            "Bishkek cook, treaty, would move for the housing",
        ),
        Candidate(
            person(
                705,
                "RU-SPE",
                "7512",
                {PASTRY: 5, COOKING: 3, FOOD_SAFETY: 3},
                {"ru": NATIVE},
                experience=7,
                salary=rub(85_000),
            ),
            1,
            "pastry cook, not hot kitchen",
        ),
        Candidate(
            person(
                706,
                "RU-SPE",
                "3434",
                {COOKING: 5, HOT_KITCHEN: 5, FOOD_SAFETY: 5, MENU_COSTING: 5},
                {"ru": NATIVE, "en": B1},
                experience=15,
                salary=rub(200_000),
            ),
            1,
            "head chef who expects twice the pay",
        ),
        Candidate(
            person(
                707,
                "RU-SPE",
                "9412",
                {COOKING: 2, FOOD_SAFETY: 2},
                {"uz": NATIVE, "ru": A2},
                citizen="UZ",
                permits={"RU": date(2026, 6, 30)},
                experience=2,
                salary=rub(55_000),
            ),
            1,
            "kitchen helper hoping to become a cook",
        ),
        Candidate(
            person(
                708,
                "RU-MOW",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 4, FOOD_SAFETY: 3},
                {"ru": NATIVE},
                experience=4,
                salary=rub(95_000),
            ),
            2,
            "Moscow cook open to moving",
        ),
        Candidate(
            person(
                709,
                "RU-NVS",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 4, FOOD_SAFETY: 3},
                {"ru": NATIVE},
                experience=6,
                scope=S.REGION,
                salary=rub(70_000),
            ),
            0,
            "Novosibirsk cook who will not leave her region",
        ),
        Candidate(
            person(
                710,
                "RU-SPE",
                "5131",
                {SERVING: 4, FOOD_SAFETY: 2},
                {"ru": NATIVE},
                experience=3,
                salary=rub(60_000),
            ),
            0,
            "waiter",
        ),
        Candidate(
            person(
                711,
                "RU-SPE",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 3, FOOD_SAFETY: 3},
                {"ru": NATIVE},
                experience=5,
                employment=frozenset({ET.SEASONAL}),
                salary=rub(80_000),
            ),
            1,
            "qualified, but wants summer-season work only",
        ),
        Candidate(
            person(
                712,
                "AM-ER",
                "5120",
                {COOKING: 4, HOT_KITCHEN: 4, FOOD_SAFETY: 3, MENU_COSTING: 2},
                {"hy": NATIVE, "ru": B2},
                experience=6,
                scope=S.EAEU,
                salary=rub(85_000),
            ),
            2,
            "Yerevan cook, treaty, would relocate",
        ),
        Candidate(
            person(
                713,
                "RU-SPE",
                "2221",
                {PATIENT_CARE: 4},
                {"ru": NATIVE},
                experience=5,
                salary=rub(70_000),
            ),
            0,
            "nurse",
        ),
        Candidate(
            person(
                714,
                "RU-SPE",
                "7512",
                {PASTRY: 4, COOKING: 2},
                {"ru": NATIVE},
                experience=4,
                salary=rub(65_000),
            ),
            1,
            "baker",
        ),
    ),
)

OSH_ACCOUNTANT = Query(
    "osh-accountant-local",
    "Accountant, bank branch in Osh, local residents only",
    _vacancy(
        8,
        "KG-GO",
        "3313",
        {BOOKKEEPING: 3, ONE_C: 3, TAX_REPORTING: 2},
        {EXCEL: 2},
        {"ky": LanguageRequirement(B2), "ru": LanguageRequirement(B1)},
        (30_000.0, 40_000.0, "KGS"),
        eligibility=Eligibility.LOCAL,
        min_experience_years=1,
    ),
    (
        Candidate(GULNARA, 3, "Osh chief accountant, at home, in the pay range"),
        Candidate(
            person(
                802,
                "KG-O",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 3, TAX_REPORTING: 3, EXCEL: 3},
                {"ky": NATIVE, "ru": B2, "uz": B2},
                experience=5,
                salary=kgs(35_000),
            ),
            3,
            "accountant from the Osh region around the city",
        ),
        Candidate(
            person(
                803,
                "KZ-79",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 3},
                {"kk": NATIVE, "ru": C1, "uz": B2},
                experience=6,
                scope=S.EAEU,
                salary=kzt(300_000),
            ),
            0,
            "Shymkent accountant: the bank hires local residents only",
        ),
        Candidate(
            person(
                804,
                "KG-J",
                "3313",
                {BOOKKEEPING: 3, ONE_C: 3, TAX_REPORTING: 2},
                {"ky": NATIVE, "ru": B1},
                experience=3,
                salary=kgs(32_000),
            ),
            2,
            "Jalal-Abad accountant, an hour's drive away",
        ),
        Candidate(
            person(
                805,
                "KG-GB",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 3},
                {"ky": NATIVE, "ru": C1},
                experience=6,
                salary=kgs(50_000),
            ),
            1,
            "Bishkek accountant: a long move for less pay",
        ),
        Candidate(
            person(
                806,
                "KG-GO",
                "3313",
                {BOOKKEEPING: 2, ONE_C: 2, EXCEL: 2},
                {"ky": NATIVE, "ru": B1},
                experience=1,
                salary=kgs(22_000),
            ),
            1,
            "junior bookkeeper in Osh",
        ),
        Candidate(
            person(
                807,
                "KG-GO",
                "4211",
                {BOOKKEEPING: 2, EXCEL: 2},
                {"ky": NATIVE, "ru": B2},
                experience=4,
                salary=kgs(25_000),
            ),
            1,
            "cashier at the same bank",
        ),
        Candidate(
            person(
                808,
                "KG-GO",
                "4313",
                {PAYROLL: 4, ONE_C: 4, BOOKKEEPING: 3, TAX_REPORTING: 2},
                {"ky": NATIVE, "ru": B2},
                experience=5,
                salary=kgs(30_000),
            ),
            2,
            "payroll clerk with 1C and enough bookkeeping",
        ),
        Candidate(
            person(
                809,
                "KG-GO",
                "2631",
                {EXCEL: 4, TAX_REPORTING: 2},
                {"ky": NATIVE, "ru": C1},
                experience=3,
                salary=kgs(35_000),
            ),
            1,
            "economist",
        ),
        Candidate(
            person(
                810,
                "KG-GO",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 3, TAX_REPORTING: 3},
                {"uz": NATIVE, "ky": B2, "ru": B2},
                citizen="UZ",
                experience=4,
                salary=kgs(30_000),
            ),
            0,
            "Uzbek citizen living in Osh without a permit",
        ),
        Candidate(
            person(
                811,
                "KG-GO",
                "2341",
                {TEACHING: 5},
                {"ky": NATIVE, "ru": C1},
                experience=10,
                salary=kgs(25_000),
            ),
            0,
            "primary-school teacher",
        ),
        Candidate(
            person(
                812,
                "KG-GO",
                "3313",
                {BOOKKEEPING: 4, ONE_C: 4, TAX_REPORTING: 3},
                {"ky": NATIVE, "ru": C1},
                experience=6,
                remote=RP.REMOTE_ONLY,
                salary=kgs(40_000),
            ),
            0,
            "Osh accountant who wants remote work only",
        ),
    ),
)

QUERIES: tuple[Query, ...] = (
    ATYRAU_WELDER,
    MOSCOW_WELDER,
    ALMATY_NURSE,
    YEREVAN_DJANGO,
    BISHKEK_ACCOUNTANT,
    MINSK_DRIVER,
    SPB_COOK,
    OSH_ACCOUNTANT,
)

HARD_CASES: tuple[HardCase, ...] = (
    HardCase(
        "a non-EAEU citizen is filtered out of a vacancy open only to EAEU citizens",
        ATYRAU_WELDER.key,
        JASUR.id,
        eligible=False,
        reasons=("work_permit_required",),
    ),
    HardCase(
        "the same non-EAEU citizen is eligible where the employer sponsors a permit",
        MOSCOW_WELDER.key,
        JASUR.id,
        eligible=True,
        flags=("work_permit_sponsored",),
        absent_flags=("eaeu_treaty",),
    ),
    HardCase(
        "a lapsed patent does not bar a job whose employer sponsors a new permit",
        MOSCOW_WELDER.key,
        203,
        eligible=True,
        flags=("work_permit_sponsored",),
    ),
    HardCase(
        "a permit for Russia does not let its holder work in Belarus",
        MINSK_DRIVER.key,
        611,
        eligible=False,
        reasons=("work_permit_required",),
    ),
    HardCase(
        "a seeker who stays in her region is filtered out of a vacancy in another region",
        BISHKEK_ACCOUNTANT.key,
        GULNARA.id,
        eligible=False,
        reasons=("outside_mobility_scope",),
    ),
    HardCase(
        "the same seeker is eligible for a vacancy in her own region",
        OSH_ACCOUNTANT.key,
        GULNARA.id,
        eligible=True,
        flags=(),
        absent_flags=("relocation_needed",),
        at_least={"location": 1.0},
    ),
    HardCase(
        "a local-residents-only vacancy filters out a treaty citizen from another state",
        OSH_ACCOUNTANT.key,
        803,
        eligible=False,
        reasons=("local_residents_only",),
    ),
    HardCase(
        "a nurse crossing a border is eligible under the treaty, with diploma recognition flagged",
        ALMATY_NURSE.key,
        AINURA.id,
        eligible=True,
        flags=("diploma_recognition_needed", "eaeu_treaty", "relocation_needed"),
        absent_flags=("work_permit_sponsored",),
    ),
    HardCase(
        "a nurse who is a citizen of the vacancy's state needs no diploma recognition",
        ALMATY_NURSE.key,
        302,
        eligible=True,
        absent_flags=("diploma_recognition_needed", "eaeu_treaty"),
    ),
    HardCase(
        "a permanent resident works on her permit, but her foreign diploma needs recognition",
        ALMATY_NURSE.key,
        307,
        eligible=True,
        flags=("diploma_recognition_needed",),
        absent_flags=("eaeu_treaty", "work_permit_sponsored"),
    ),
    HardCase(
        "a hard language requirement filters out an otherwise qualified nurse",
        ALMATY_NURSE.key,
        306,
        eligible=False,
        reasons=("language_required",),
    ),
    HardCase(
        "pay far below the expectation, in another currency, stays eligible with a low salary value",
        MINSK_DRIVER.key,
        SERGEI.id,
        eligible=True,
        flags=("eaeu_treaty",),
        at_most={"salary": 0.1},
        at_least={"skills": 0.9},
    ),
    HardCase(
        "a remote job open to the member states does not reach a seeker living outside them",
        YEREVAN_DJANGO.key,
        406,
        eligible=False,
        reasons=("remote_work_only", "work_permit_required"),
    ),
)


def query(key: str) -> Query:
    return next(q for q in QUERIES if q.key == key)


def candidate(key: str, seeker_id: int) -> Candidate:
    return next(c for c in query(key).candidates if c.seeker.id == seeker_id)

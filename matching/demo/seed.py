"""Deterministic demo data for the five member states: ``manage.py seed_demo``.

Seekers and employers are spread over the states in proportion to their labour force
and over regions by population; occupations come with the skills that belong to them;
salaries are in the local currency at plausible national levels. The same seed on
the same day gives the same people, companies and vacancies.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from matching.demo import reference as ref
from matching.demo.occupations import DEMO_OCCUPATIONS
from seekers.models import (
    MobilityScope,
    RemotePreference,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    Visibility,
)
from taxonomy.choices import EmploymentType, WorkMode
from taxonomy.models import CEFRLevel, Region, Skill
from taxonomy.reference import EAEU_MEMBERS
from vacancies.models import (
    Eligibility,
    Employer,
    EmployerMember,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from vacancies.services.search import vacancies_search_refresh
from vacancies.validators import kz_bin_check_digit, ru_ogrn_check_digit

T = TypeVar("T")

DEMO_PASSWORD = "borderless-demo"  # noqa: S105 - published in the README for the demo accounts
BATCH = 2000

# Where rotational (vakhta) work concentrates: oil, gas and mining regions.
ROTATIONAL_REGIONS = {
    "KZ": ("KZ-23", "KZ-47", "KZ-15", "KZ-27", "KZ-43", "KZ-62"),
    "RU": ("RU-KHM", "RU-YAN", "RU-SA", "RU-KYA", "RU-KEM", "RU-MUR", "RU-IRK", "RU-TYU"),
}
# Seekers who live in one state but are citizens of another (labour migrants).
MIGRANT_ORIGINS = {
    "RU": (("UZ", 0.04), ("TJ", 0.03), ("KG", 0.02), ("AM", 0.01), ("KZ", 0.01)),
    "KZ": (("UZ", 0.03), ("KG", 0.02), ("RU", 0.01)),
}
ORIGIN_NATIVE_LANGUAGE = {"UZ": "uz", "TJ": "tg", "KG": "ky", "AM": "hy", "KZ": "kk", "RU": "ru"}
IT_MAJOR = ("25", "2166", "3512")
SECOND_LANGUAGE_LEVELS = (
    CEFRLevel.A2,
    CEFRLevel.B1,
    CEFRLevel.B1,
    CEFRLevel.B2,
    CEFRLevel.B2,
    CEFRLevel.C1,
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    what: str


@dataclass
class DemoReport:
    accounts: list[DemoAccount]
    counts: dict[str, int] = field(default_factory=dict)


def demo_email(local: str) -> str:
    return f"{local}@{settings.DEMO_EMAIL_DOMAIN}"


def demo_present() -> bool:
    return User.objects.filter(email=demo_email("admin")).exists()


def cast_accounts() -> list[DemoAccount]:
    return [
        DemoAccount(
            demo_email("admin"), Role.ADMIN, "platform administrator (Django admin at /admin/)"
        ),
        DemoAccount(demo_email("reviewer"), Role.REVIEWER, "placement reviewer"),
        DemoAccount(
            demo_email("seeker"),
            Role.SEEKER,
            "job seeker, welder from Shymkent open to the whole EAEU",
        ),
        DemoAccount(
            demo_email("owner"), Role.EMPLOYER, "owner of an oilfield services company in Atyrau"
        ),
        DemoAccount(demo_email("recruiter"), Role.EMPLOYER, "recruiter at the same company"),
    ]


def _weighted(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(items, weights=weights, k=1)[0]


def _round_money(amount: float, currency: str) -> Decimal:
    step = 50 if currency in ("BYN", "USD", "EUR") else 1000 if currency in ("RUB", "KGS") else 5000
    return Decimal(max(step, round(amount / step) * step))


class _World:
    """What the generator draws from, read once from the loaded taxonomy."""

    def __init__(self) -> None:
        self.regions: dict[str, list[Region]] = defaultdict(list)
        for region in Region.objects.filter(country_id__in=EAEU_MEMBERS).order_by("code"):
            self.regions[region.country_id].append(region)
        missing = [c for c in EAEU_MEMBERS if not self.regions[c]]
        if missing:
            raise RuntimeError("Load the taxonomy first: manage.py load_taxonomy")
        self.skills: dict[str, list[int]] = defaultdict(list)
        links = (
            Skill.occupations.through.objects.filter(occupation_id__in=DEMO_OCCUPATIONS)
            .order_by("occupation_id", "skill__uri")
            .values_list("occupation_id", "skill_id")
        )
        for code, skill_id in links:
            self.skills[code].append(skill_id)
        self.transversal = list(
            Skill.objects.filter(skill_type=Skill.Type.TRANSVERSAL)
            .order_by("uri")
            .values_list("id", flat=True)
        )
        self.occupations = [code for code in DEMO_OCCUPATIONS if len(self.skills[code]) >= 3]
        if not self.occupations:
            raise RuntimeError("The skill taxonomy has no skills for the demo occupations")
        self.occupation_weights = [DEMO_OCCUPATIONS[c].weight for c in self.occupations]
        self.countries = list(ref.LABOUR_FORCE_THOUSANDS)
        self.country_weights = [ref.LABOUR_FORCE_THOUSANDS[c] for c in self.countries]

    def region(self, rng: random.Random, country: str, rotational: bool = False) -> Region:
        regions = self.regions[country]
        if rotational and country in ROTATIONAL_REGIONS and rng.random() < 0.7:
            codes = ROTATIONAL_REGIONS[country]
            pick = rng.choice(codes)
            return next(r for r in regions if r.code == pick)
        return _weighted(rng, regions, [max(r.population_thousands, 1) for r in regions])

    def salary(self, rng: random.Random, country: str, occupation: str) -> tuple[str, float]:
        currency, median = ref.MEDIAN_MONTHLY_WAGE[country]
        factor = ref.WAGE_FACTOR_BY_MAJOR_GROUP[occupation[0]]
        if DEMO_OCCUPATIONS[occupation].rotational:
            factor *= 1.3  # shift work away from home pays a premium
        return currency, median * factor * rng.lognormvariate(0, 0.18)


def _person(rng: random.Random, country: str) -> tuple[str, str]:
    names = ref.NAMES[country]
    if rng.random() < 0.5:
        first = rng.choice(names["male_first"])
        index = rng.randrange(len(names["male_last"]))
        return first, names["male_last"][index]
    first = rng.choice(names["female_first"])
    index = rng.randrange(len(names["female_last"]))
    return first, names["female_last"][index]


def _registration_number(rng: random.Random, country: str, serial: int) -> str:
    if country == "KZ":
        while True:  # about one registration month in eleven has no valid check digit
            head = f"{rng.randint(0, 24):02d}{rng.randint(1, 12):02d}40{serial:05d}"
            check = kz_bin_check_digit(head)
            if check is not None:
                return f"{head}{check}"
    if country == "RU":
        head = f"1{rng.randint(2, 24):02d}77{serial:07d}"[:12]
        return f"{head}{ru_ogrn_check_digit(head)}"
    length = {"BY": 9, "KG": 14, "AM": 8}[country]
    return f"{serial:0{length}d}"[-length:].rjust(length, "1")


@transaction.atomic
def demo_seed(*, seekers: int, vacancies: int, seed: int, today: date | None = None) -> DemoReport:
    """Create the demo cast, employers, vacancies and seekers. Run on an empty demo."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, time(9, 0)))
    world = _World()
    password = make_password(DEMO_PASSWORD)
    report = DemoReport(accounts=cast_accounts())

    cast = {
        a.email: User(
            email=a.email,
            role=a.role,
            password=password,
            full_name=name,
            preferred_language=language,
            is_staff=a.role == Role.ADMIN,
            is_superuser=a.role == Role.ADMIN,
        )
        for a, (name, language) in zip(
            report.accounts,
            [
                ("Администратор платформы", "ru"),
                ("Ануш Саргсян", "ru"),
                ("Ерлан Жаксылыков", "ru"),
                ("Aigerim Nurlanova", "en"),
                ("Дмитрий Ковалёв", "ru"),
            ],
            strict=True,
        )
    }
    User.objects.bulk_create(cast.values())

    # Employers: one per four vacancies, the cast's company first.
    employer_count = max(1, vacancies // 4)
    employers: list[Employer] = [
        Employer(
            name="ТОО «Каспий Бурение»",
            country_id="KZ",
            registration_number=_registration_number(rng, "KZ", 1),
            address="Атырау, проспект Сатпаева, 17",
            website="https://kaspiy-burenie.example",
            verified=True,
        )
    ]
    for serial in range(2, employer_count + 1):
        country = _weighted(rng, world.countries, world.country_weights)
        major = rng.choice(list(ref.COMPANY_SECTORS))
        name = f"{rng.choice(ref.COMPANY_FORMS[country])} «{rng.choice(ref.COMPANY_WORDS[country])}{ref.COMPANY_SECTORS[major]}»"
        employers.append(
            Employer(
                name=f"{name} {serial}" if rng.random() < 0.3 else name,
                country_id=country,
                registration_number=_registration_number(rng, country, serial),
                address=world.region(rng, country).centre_ru,
                verified=rng.random() < 0.7,
            )
        )
    Employer.objects.bulk_create(employers, batch_size=BATCH)
    EmployerMember.objects.bulk_create(
        [
            EmployerMember(
                employer=employers[0],
                user=cast[demo_email("owner")],
                role=EmployerMember.Role.OWNER,
            ),
            EmployerMember(
                employer=employers[0],
                user=cast[demo_email("recruiter")],
                role=EmployerMember.Role.RECRUITER,
            ),
        ]
    )

    report.counts["vacancies"] = _seed_vacancies(rng, world, employers, vacancies, now, today)
    report.counts["employers"] = len(employers)
    report.counts["seekers"] = _seed_seekers(rng, world, seekers, password, cast, today, now)
    return report


def _seed_vacancies(
    rng: random.Random,
    world: _World,
    employers: list[Employer],
    count: int,
    now: datetime,
    today: date,
) -> int:
    rows: list[Vacancy] = []
    skills: list[tuple[int, int, int, bool]] = []  # (row, skill, level, required)
    languages: list[tuple[int, str, str]] = []
    remote: list[tuple[int, str]] = []
    for index in range(count):
        employer = employers[0] if index < 6 else employers[index % len(employers)]
        country = employer.country_id
        if index < 6:  # the cast company hires for the oilfields
            occupation = ("7212", "8113", "8332", "7411", "5120", "2144")[index]
        else:
            occupation = _weighted(rng, world.occupations, world.occupation_weights)
        meta = DEMO_OCCUPATIONS[occupation]
        rotational = meta.rotational and rng.random() < 0.5
        region = world.region(rng, country, rotational)
        is_it = occupation.startswith(IT_MAJOR)
        work_mode = WorkMode.ON_SITE
        if is_it:
            work_mode = _weighted(rng, list(WorkMode), [0.5, 0.25, 0.25])
        currency, base = world.salary(rng, country, occupation)
        has_salary = rng.random() < 0.9
        status_roll = rng.random()
        status = (
            Vacancy.Status.PUBLISHED
            if status_roll < 0.85 or index < 6
            else Vacancy.Status.DRAFT
            if status_roll < 0.93
            else Vacancy.Status.PAUSED
            if status_roll < 0.97
            else Vacancy.Status.CLOSED
        )
        published_at = (
            None
            if status == Vacancy.Status.DRAFT
            else now - timedelta(minutes=rng.randint(0, 30 * 24 * 60))
        )
        eligibility = _weighted(rng, list(Eligibility), [0.15, 0.7, 0.15])
        rows.append(
            Vacancy(
                employer=employer,
                title=meta.title_ru,
                description=(
                    f"<p>{employer.name} ищет: {meta.title_ru.lower()}. "
                    f"{'Вахтовый метод работы. ' if rotational else ''}"
                    "Официальное трудоустройство, полный социальный пакет.</p>"
                    "<ul><li>Опыт работы по специальности</li><li>Ответственность</li></ul>"
                ),
                occupation_id=occupation,
                country_id=country,
                region=region,
                city=region.centre_ru,
                work_mode=work_mode,
                employment_type=EmploymentType.ROTATIONAL
                if rotational
                else _weighted(
                    rng,
                    [EmploymentType.FULL_TIME, EmploymentType.PART_TIME, EmploymentType.TEMPORARY],
                    [0.85, 0.1, 0.05],
                ),
                rotation_pattern=rng.choice(("15/15", "30/30", "28/28")) if rotational else "",
                salary_min=_round_money(base * 0.9, currency) if has_salary else None,
                salary_max=_round_money(base * 1.25, currency)
                if has_salary and rng.random() < 0.8
                else None,
                salary_currency_id=currency if has_salary else None,
                positions=rng.choice((1, 1, 1, 2, 3, 5)),
                relocation_travel=rotational or rng.random() < 0.15,
                relocation_housing=rotational or rng.random() < 0.1,
                relocation_registration=eligibility != Eligibility.LOCAL_RESIDENTS
                and rng.random() < 0.5,
                eligibility=eligibility,
                min_experience_years=rng.choice((0, 0, 1, 2, 3, 5)),
                status=status,
                published_at=published_at,
                expires_on=(published_at.date() if published_at else today)
                + timedelta(days=rng.randint(30, 90)),
            )
        )
        pool = world.skills[occupation]
        picked = rng.sample(pool, k=min(len(pool), rng.randint(3, 8) + rng.randint(0, 4)))
        required = max(1, min(len(picked), rng.randint(3, 8)))
        for position, skill in enumerate(picked):
            skills.append((index, skill, rng.randint(2, 4), position < required))
        if country == "AM":
            languages.append((index, "hy", CEFRLevel.B2))
            if rng.random() < 0.5:
                languages.append((index, "ru", CEFRLevel.B1))
        else:
            languages.append(
                (index, "ru", CEFRLevel.B2 if occupation[0] in "123" else CEFRLevel.B1)
            )
            if country == "KZ" and occupation[0] in "23" and rng.random() < 0.3:
                languages.append((index, "kk", CEFRLevel.B1))
        if is_it and rng.random() < 0.4:
            languages.append((index, "en", CEFRLevel.B1))
        if work_mode == WorkMode.REMOTE:
            remote.extend((index, c) for c in EAEU_MEMBERS)
    Vacancy.objects.bulk_create(rows, batch_size=BATCH)
    VacancySkill.objects.bulk_create(
        [
            VacancySkill(vacancy=rows[i], skill_id=s, min_level=lvl, required=req)
            for i, s, lvl, req in skills
        ],
        batch_size=BATCH,
    )
    VacancyLanguage.objects.bulk_create(
        [
            VacancyLanguage(vacancy=rows[i], language_id=code, min_level=lvl)
            for i, code, lvl in languages
        ],
        batch_size=BATCH,
    )
    through = Vacancy.remote_countries.through
    through.objects.bulk_create(
        [through(vacancy_id=rows[i].pk, country_id=c) for i, c in remote], batch_size=BATCH
    )
    # Bulk creation bypasses the services, which keep the full-text vectors current.
    vacancies_search_refresh(ids=[row.pk for row in rows])
    return len(rows)


def _seed_seekers(
    rng: random.Random,
    world: _World,
    count: int,
    password: str,
    cast: dict[str, User],
    today: date,
    now: datetime,
) -> int:
    users: list[User] = [cast[demo_email("seeker")]]
    plans: list[dict[str, Any]] = [
        {"country": "KZ", "citizen": "KZ", "region": "KZ-79", "occupation": "7212", "first": None}
    ]
    for index in range(count - 1):
        country = _weighted(rng, world.countries, world.country_weights)
        citizen = country
        for origin, share in MIGRANT_ORIGINS.get(country, ()):
            if rng.random() < share:
                citizen = origin
                break
        name_country = citizen if citizen in ref.NAMES else country
        first, last = _person(rng, name_country)
        email = f"{ref.transliterate(first)}.{ref.transliterate(last)}.{index + 1}".lower()
        users.append(
            User(
                email=demo_email(f"seekers.{email}".replace(" ", "")),
                role=Role.SEEKER,
                password=password,
                full_name=f"{first} {last}",
                preferred_language="ru",
                date_joined=now - timedelta(days=rng.randint(0, 365)),
            )
        )
        plans.append({"country": country, "citizen": citizen, "region": None, "occupation": None})
    User.objects.bulk_create(users[1:], batch_size=BATCH)

    profiles: list[SeekerProfile] = []
    skill_rows: list[SeekerSkill] = []
    language_rows: list[SeekerLanguage] = []
    m2m: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for index, (user, plan) in enumerate(zip(users, plans, strict=True)):
        country, citizen = plan["country"], plan["citizen"]
        occupation = plan["occupation"] or _weighted(
            rng, world.occupations, world.occupation_weights
        )
        meta = DEMO_OCCUPATIONS[occupation]
        region = (
            next(r for r in world.regions[country] if r.code == plan["region"])
            if plan["region"]
            else world.region(rng, country)
        )
        willing = citizen != country or rng.random() < ref.MIGRATION_WILLINGNESS[country]
        if index == 0 or (willing and rng.random() < 0.6):
            scope = MobilityScope.EAEU
        elif willing:
            scope = MobilityScope.LISTED
        else:
            scope = MobilityScope.REGION if rng.random() < 0.35 else MobilityScope.COUNTRY
        is_it = occupation.startswith(IT_MAJOR)
        rotational = index == 0 or rng.random() < (0.6 if meta.rotational else 0.1)
        currency, expectation = world.salary(rng, country, occupation)
        visibility = (
            Visibility.ALL_EMPLOYERS
            if index == 0
            else _weighted(rng, list(Visibility), [0.12, 0.58, 0.12, 0.18])
        )
        types = [EmploymentType.FULL_TIME]
        if rotational:
            types.append(EmploymentType.ROTATIONAL)
        if is_it and rng.random() < 0.5:
            types.append(EmploymentType.REMOTE)
        if rng.random() < 0.15:
            types.append(EmploymentType.PART_TIME)
        profiles.append(
            SeekerProfile(
                user=user,
                headline=meta.title_ru,
                summary=f"{meta.title_ru}, опыт работы {rng.randint(1, 20)} лет.",
                phone=f"+{rng.randint(1, 999)}{rng.randint(10**8, 10**9 - 1)}",
                employment_types=types,
                country_id=country,
                region=region,
                city=region.centre_ru,
                mobility_scope=scope,
                remote_preference=(
                    _weighted(rng, list(RemotePreference), [0.2, 0.3, 0.2, 0.3])
                    if is_it
                    else RemotePreference.ON_SITE
                    if rng.random() < 0.7
                    else RemotePreference.ANY
                ),
                accepts_rotational=rotational,
                available_from=today + timedelta(days=rng.randint(0, 60)),
                salary_amount=_round_money(expectation, currency),
                salary_currency_id=currency,
                visibility=visibility,
                consent_given_at=user.date_joined,
            )
        )
        m2m["citizenships"].append((index, citizen))
        m2m["desired_occupations"].append((index, occupation))
        if visibility == Visibility.COUNTRIES:
            m2m["visible_in_countries"].append((index, country))
            other = rng.choice([c for c in EAEU_MEMBERS if c != country])
            m2m["visible_in_countries"].append((index, other))
        if scope == MobilityScope.LISTED:
            others = [c for c in EAEU_MEMBERS if c != country]
            for target in sorted(rng.sample(others, k=rng.randint(1, 2))):
                m2m["mobility_countries"].append((index, target))
        pool = world.skills[occupation]
        for skill in rng.sample(pool, k=min(len(pool), rng.randint(5, 15))):
            skill_rows.append(
                SeekerSkill(
                    profile_id=index,
                    skill_id=skill,
                    level=rng.randint(1, 5),
                    years=rng.randint(0, 15),
                )
            )
        for skill in rng.sample(
            world.transversal, k=min(len(world.transversal), rng.randint(0, 3))
        ):
            skill_rows.append(
                SeekerSkill(
                    profile_id=index,
                    skill_id=skill,
                    level=rng.randint(2, 5),
                    years=rng.randint(1, 10),
                )
            )
        spoken: dict[str, str] = {}
        if citizen != country:
            spoken[ORIGIN_NATIVE_LANGUAGE.get(citizen, "ru")] = CEFRLevel.NATIVE
        else:
            natives = ref.NATIVE_LANGUAGES[country]
            spoken[_weighted(rng, [c for c, _ in natives], [s for _, s in natives])] = (
                CEFRLevel.NATIVE
            )
        for code, probability in ref.SECOND_LANGUAGES[country]:
            if code not in spoken and rng.random() < probability:
                spoken[code] = rng.choice(SECOND_LANGUAGE_LEVELS)
        if "ru" not in spoken and citizen != country:
            spoken["ru"] = rng.choice(SECOND_LANGUAGE_LEVELS[:4])
        for code, level in sorted(spoken.items()):
            language_rows.append(SeekerLanguage(profile_id=index, language_id=code, level=level))

    SeekerProfile.objects.bulk_create(profiles, batch_size=BATCH)
    ids = [p.pk for p in profiles]
    for row in skill_rows:
        row.profile_id = ids[row.profile_id]
    for lang in language_rows:
        lang.profile_id = ids[lang.profile_id]
    SeekerSkill.objects.bulk_create(skill_rows, batch_size=5000)
    SeekerLanguage.objects.bulk_create(language_rows, batch_size=5000)
    for name, target in (
        ("citizenships", "country_id"),
        ("desired_occupations", "occupation_id"),
        ("visible_in_countries", "country_id"),
        ("mobility_countries", "country_id"),
    ):
        through = getattr(SeekerProfile, name).through
        through.objects.bulk_create(
            [through(seekerprofile_id=ids[i], **{target: value}) for i, value in m2m[name]],
            batch_size=5000,
        )
    return len(profiles)

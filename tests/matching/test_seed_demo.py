from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from rest_framework.test import APIClient

from accounts.models import User
from matching.demo.seed import demo_seed
from seekers.models import SeekerLanguage, SeekerProfile, SeekerSkill
from taxonomy.models import Skill
from vacancies.models import Employer, Vacancy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _snapshot() -> list[tuple[object, ...]]:
    # Ordered by columns that together identify each row, so the comparison is exact.
    rows = SeekerProfile.objects.order_by("user__email").values_list(
        "user__email",
        "user__full_name",
        "country_id",
        "region_id",
        "salary_amount",
        "salary_currency_id",
        "mobility_scope",
    )
    fields = (
        "employer__registration_number",
        "title",
        "region_id",
        "salary_min",
        "status",
        "published_at",
        "expires_on",
    )
    vacancies = Vacancy.objects.order_by(*fields, "positions", "employment_type").values_list(
        *fields, "positions", "employment_type"
    )
    return [*rows, *vacancies]


def test_the_same_seed_gives_the_same_demo_data():
    with transaction.atomic():
        demo_seed(seekers=150, vacancies=40, seed=7, today=TODAY)
        first = _snapshot()
        transaction.set_rollback(True)
    assert not SeekerProfile.objects.exists()
    demo_seed(seekers=150, vacancies=40, seed=7, today=TODAY)
    assert _snapshot() == first
    assert len(first) == 190


def test_demo_data_looks_like_the_region():
    demo_seed(seekers=1500, vacancies=200, seed=3, today=TODAY)
    by_country = Counter(SeekerProfile.objects.values_list("country_id", flat=True))
    assert set(by_country) == {"AM", "BY", "KG", "KZ", "RU"}
    # labour force: Russia has by far the most, Armenia the fewest
    assert by_country.most_common(1)[0][0] == "RU"
    assert by_country["KZ"] > by_country["KG"] > by_country["AM"]

    # salaries in the local currency
    currency = {"AM": "AMD", "BY": "BYN", "KG": "KGS", "KZ": "KZT", "RU": "RUB"}
    for country, code in SeekerProfile.objects.values_list(
        "country_id", "salary_currency_id"
    ).distinct():
        assert code == currency[country]
    for vacancy in Vacancy.objects.exclude(salary_currency=None).select_related("employer"):
        assert vacancy.salary_currency_id == currency[vacancy.country_id]
        assert vacancy.region.country_id == vacancy.country_id == vacancy.employer.country_id

    # plausible monthly levels: a Kazakh seeker asks for tens or hundreds of thousands of tenge
    kz_amounts = sorted(
        amount
        for amount in SeekerProfile.objects.filter(country_id="KZ").values_list(
            "salary_amount", flat=True
        )
        if amount is not None
    )
    assert 150_000 < kz_amounts[len(kz_amounts) // 2] < 1_000_000

    # skills belong to the occupation a seeker wants
    for profile in SeekerProfile.objects.prefetch_related("desired_occupations")[:50]:
        occupation = profile.desired_occupations.get()
        skills = SeekerSkill.objects.filter(profile=profile).values_list("skill_id", flat=True)
        fitting = Skill.objects.filter(id__in=skills).filter(
            occupations=occupation
        ) | Skill.objects.filter(id__in=skills, skill_type="transversal")
        assert fitting.distinct().count() == len(skills)

    # languages: Armenians speak Armenian natively, almost everyone some Russian
    armenians = SeekerProfile.objects.filter(country_id="AM").values_list("id", flat=True)
    assert SeekerLanguage.objects.filter(
        profile__in=armenians, language_id="hy", level="native"
    ).count() == len(armenians)
    kazakh_speakers = SeekerLanguage.objects.filter(
        profile__country_id="KZ", language_id="kk"
    ).count()
    assert kazakh_speakers > 0
    russian = SeekerLanguage.objects.filter(language_id="ru").values("profile").distinct().count()
    assert russian > 0.8 * SeekerProfile.objects.count()

    # some seekers in Russia are labour migrants from outside the union
    migrants = SeekerProfile.objects.filter(
        country_id="RU", citizenships__code__in=["UZ", "TJ"]
    ).count()
    assert migrants > 0
    assert (
        Employer.objects.annotate(n=Count("vacancies")).filter(n=0).count()
        < Employer.objects.count()
    )


def test_the_demo_cast_can_sign_in_and_a_second_run_is_refused():
    out = StringIO()
    call_command(
        "seed_demo", "--seekers", "20", "--vacancies", "8", "--today", "2026-11-23", stdout=out
    )
    assert "Demo data loaded: 8 vacancies, 2 employers, 20 seekers." in out.getvalue()
    owner = User.objects.get(email="owner@borderless.test")
    assert owner.check_password("borderless-demo")
    assert owner.employer_memberships.get().role == "owner"
    assert User.objects.get(email="seeker@borderless.test").seeker_profile.region_id == "KZ-79"

    again = StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert "Demo data already loaded." in again.getvalue()
    assert SeekerProfile.objects.count() == 20
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo")


def test_demo_vacancies_are_found_by_the_public_full_text_search():
    call_command("seed_demo", "--seekers", "10", "--vacancies", "12", stdout=StringIO())
    found = APIClient().get("/api/v1/vacancies/", {"q": "сварщика"}).json()["results"]
    assert "Сварщик" in [vacancy["title"] for vacancy in found]

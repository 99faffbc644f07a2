from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from taxonomy.models import (
    CEFRLevel,
    Country,
    Currency,
    ExchangeRate,
    Language,
    Occupation,
    PPPFactor,
    Region,
    Skill,
)
from taxonomy.selectors import RateUnavailable, convert

pytestmark = pytest.mark.django_db


def test_the_five_eaeu_members_are_flagged_with_their_accession_dates():
    members = dict(
        Country.objects.filter(is_eaeu_member=True).values_list("code", "eaeu_accession")
    )
    assert members == {
        "AM": date(2015, 1, 2),
        "BY": date(2015, 1, 1),
        "KG": date(2015, 8, 12),
        "KZ": date(2015, 1, 1),
        "RU": date(2015, 1, 1),
    }


def test_main_origin_states_have_names_in_english_russian_and_kazakh():
    origins = set(Country.objects.filter(is_main_origin=True).values_list("code", flat=True))
    assert {"UZ", "TJ", "TM", "AZ", "GE", "MD", "UA", "MN", "CN", "TR", "IN"} <= origins
    uzbekistan = Country.objects.get(code="UZ")
    assert (uzbekistan.name_en, uzbekistan.name_ru, uzbekistan.name_kk) == (
        "Uzbekistan",
        "Узбекистан",
        "Өзбекстан",
    )
    assert Country.objects.get(code="RU").name_en == "Russia"
    with translation.override("ru"):
        assert Country.objects.get(code="KZ").name == "Казахстан"


def test_kazakhstan_has_its_twenty_current_regions_with_centres():
    regions = Region.objects.filter(country_id="KZ")
    assert regions.count() == 20
    abay, zhetisu, ulytau = (Region.objects.get(code=c) for c in ("KZ-10", "KZ-33", "KZ-62"))
    assert (abay.name_en, abay.centre_en) == ("Abay Region", "Semey")
    assert zhetisu.centre_en == "Taldykorgan"
    assert ulytau.centre_ru == "Жезказган"
    # Semey lies in the north-east, on the Irtysh
    assert 50 < abay.latitude < 51 and 80 < abay.longitude < 81


@pytest.mark.parametrize(("country", "count"), [("AM", 11), ("BY", 7), ("KG", 9), ("RU", 83)])
def test_every_member_has_its_iso_3166_2_regions(country, count):
    assert Region.objects.filter(country_id=country).count() == count
    assert not Region.objects.filter(country_id=country, name_ru="").exists()


def test_isco_08_has_all_four_levels_with_russian_titles_and_parents():
    assert [Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)] == [
        10,
        43,
        130,
        436,
    ]
    welder = Occupation.objects.get(code="7212")
    assert welder.title_ru.startswith("Сварщики")
    chain = []
    node: Occupation | None = welder
    while node is not None:
        chain.append(node.code)
        node = node.parent
    assert chain == ["7212", "721", "72", "7"]
    assert Occupation.objects.get(code="0110").parent_id == "011"
    assert not Occupation.objects.filter(title_ru="").exists()


def test_cefr_levels_are_ordered_from_a1_to_native():
    assert CEFRLevel.values == ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
    assert CEFRLevel.rank("B2") > CEFRLevel.rank("B1")
    assert CEFRLevel.rank("native") == 7


def test_languages_include_those_of_the_region_with_russian_names():
    names = dict(
        Language.objects.filter(code__in=["kk", "ky", "hy", "be", "ru", "uz", "tg"]).values_list(
            "code", "name_ru"
        )
    )
    assert names["kk"] == "казахский"
    assert len(names) == 7


def test_currencies_rates_and_ppp_factors_are_seeded():
    assert set(Currency.objects.values_list("code", flat=True)) == {
        "KZT",
        "RUB",
        "BYN",
        "AMD",
        "KGS",
        "USD",
        "EUR",
    }
    assert Country.objects.get(code="KG").currency_id == "KGS"
    assert ExchangeRate.objects.filter(currency_id="KZT").count() >= 3
    assert (
        PPPFactor.objects.filter(country_id__in=["AM", "BY", "KG", "KZ", "RU"])
        .values("country")
        .distinct()
        .count()
        == 5
    )


def test_conversion_uses_the_latest_rate_on_or_before_the_date():
    # 2026-07-01: 1 USD = 518.50 KZT = 81.20 RUB
    assert convert(
        amount=Decimal(81200), source="RUB", target="KZT", on=date(2026, 8, 15)
    ) == Decimal("518500.00")
    # before July the January rate applies: 79.50 RUB and 512 KZT
    assert convert(
        amount=Decimal(79500), source="RUB", target="KZT", on=date(2026, 3, 1)
    ) == Decimal("512000.00")
    with pytest.raises(RateUnavailable):
        convert(amount=Decimal(1), source="RUB", target="KZT", on=date(2020, 1, 1))


def test_the_starter_skill_taxonomy_is_bilingual_and_hierarchical():
    skills = Skill.objects.all()
    assert skills.count() >= 500
    assert not skills.filter(label_ru="").exists()
    assert skills.filter(broader__isnull=False).count() >= 100
    welder_skills = Skill.objects.filter(occupations__code="7212")
    assert welder_skills.count() >= 8


def test_load_taxonomy_twice_changes_nothing():
    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        return {
            "countries": list(Country.objects.order_by("code").values_list()),
            "regions": list(Region.objects.order_by("code").values_list()),
            "occupations": list(Occupation.objects.order_by("code").values_list()),
            "skills": list(Skill.objects.order_by("uri").values_list()),
            "skill_links": list(Skill.occupations.through.objects.order_by("id").values_list()),
            "rates": list(ExchangeRate.objects.order_by("id").values_list()),
        }

    before = snapshot()
    out = StringIO()
    call_command("load_taxonomy", stdout=out)
    assert "Taxonomy up to date." in out.getvalue()
    assert " 0 created, 0 updated" in out.getvalue()
    assert snapshot() == before


def test_load_taxonomy_repairs_an_edited_row():
    Region.objects.filter(code="KZ-62").update(centre_en="Satpayev")
    out = StringIO()
    call_command("load_taxonomy", stdout=out)
    assert Region.objects.get(code="KZ-62").centre_en == "Zhezkazgan"
    assert "regions: 0 created, 1 updated" in out.getvalue()


def test_load_exchange_rates_adds_dated_rates(tmp_path: Path):
    rates = tmp_path / "rates.csv"
    rates.write_text(
        "date,currency,units_per_usd,source\n2026-11-20,KZT,523.10,NBK\n2026-11-20,rub,80.5,CBR\n"
    )
    call_command("load_exchange_rates", str(rates), stdout=StringIO())
    assert ExchangeRate.objects.get(
        currency_id="KZT", date=date(2026, 11, 20)
    ).units_per_usd == Decimal("523.10")
    assert ExchangeRate.objects.get(currency_id="RUB", date=date(2026, 11, 20)).source == "CBR"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,currency,rate\n2026-11-20,KZT,523\n", "missing column(s) units_per_usd"),
        (
            "date,currency,units_per_usd\n2026-11-20,KZT,523\n2026-11-21,XYZ,1\n",
            "line 3: unknown currency 'XYZ'",
        ),
        (
            "date,currency,units_per_usd\n2026-11-20,KZT,523\n2026-13-01,KZT,1\n",
            "line 3: '2026-13-01' is not a date",
        ),
        ("date,currency,units_per_usd\n2026-11-20,KZT,-5\n", "must be a positive number"),
    ],
)
def test_a_bad_rates_file_is_refused_whole_with_the_line(
    tmp_path: Path, content: str, message: str
):
    rates = tmp_path / "rates.csv"
    rates.write_text(content)
    before = ExchangeRate.objects.count()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("load_exchange_rates", str(rates))
    assert ExchangeRate.objects.count() == before

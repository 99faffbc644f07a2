from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from taxonomy.filters import OccupationFilter
from taxonomy.models import Occupation
from taxonomy.selectors import skill_autocomplete

pytestmark = pytest.mark.django_db


def test_anyone_lists_the_member_states_in_their_language(api: APIClient):
    response = api.get("/api/v1/countries/?eaeu=true", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    names = {c["code"]: c["name"] for c in response.json()}
    assert names == {
        "AM": "Армения",
        "BY": "Беларусь",
        "KG": "Кыргызстан",
        "KZ": "Казахстан",
        "RU": "Россия",
    }


def test_origin_states_are_listed_apart(api: APIClient):
    codes = {c["code"] for c in api.get("/api/v1/countries/?origin=true").json()}
    assert {"UZ", "TJ", "CN"} <= codes
    assert "KZ" not in codes


def test_the_regions_of_a_country(api: APIClient):
    regions = api.get("/api/v1/countries/KZ/regions/").json()
    assert len(regions) == 20
    ulytau = next(r for r in regions if r["code"] == "KZ-62")
    assert ulytau["centre_en"] == "Zhezkazgan"
    assert api.get("/api/v1/countries/XX/regions/").status_code == 404
    assert len(api.get("/api/v1/regions/?country=AM").json()) == 11
    assert api.get("/api/v1/regions/?country=UZ").status_code == 400


def test_currencies_carry_their_latest_rate(api: APIClient):
    currencies = {c["code"]: c for c in api.get("/api/v1/currencies/").json()}
    assert currencies["KZT"]["units_per_usd"] == "521.000000"
    assert currencies["KZT"]["rate_date"] == "2026-11-01"
    assert (
        currencies["USD"]["units_per_usd"] is None
        or currencies["USD"]["units_per_usd"] == "1.000000"
    )


def test_languages_and_cefr_levels(api: APIClient):
    languages = {lang["code"] for lang in api.get("/api/v1/languages/").json()}
    assert {"ru", "kk", "ky", "hy", "be", "uz", "tg", "en"} <= languages
    levels = api.get("/api/v1/cefr-levels/").json()
    assert [level["code"] for level in levels] == ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
    assert levels[-1]["rank"] == 7


def test_occupations_by_level_parent_and_words(api: APIClient):
    units = api.get("/api/v1/occupations/?within=72&level=4&page_size=100").json()["results"]
    assert {o["code"] for o in units} >= {"7212", "7231", "7233"}
    assert all(o["code"].startswith("72") and o["level"] == 4 for o in units)
    found = api.get("/api/v1/occupations/?q=сварщ&level=4", HTTP_ACCEPT_LANGUAGE="ru").json()[
        "results"
    ]
    assert [o["code"] for o in found] == ["7212"]
    assert found[0]["title"].startswith("Сварщики")
    assert api.get("/api/v1/occupations/7212/").json()["parent"] == "721"
    assert api.get("/api/v1/occupations/9999/").status_code == 404


def test_the_occupation_filter_matches_a_code_prefix_or_words():
    filtered = OccupationFilter({"q": "221"}, queryset=Occupation.objects.all()).qs
    assert set(filtered.values_list("code", flat=True)) == {"221", "2211", "2212"}
    nurses = OccupationFilter({"q": "nursing", "level": "4"}, queryset=Occupation.objects.all()).qs
    assert "2221" in set(nurses.values_list("code", flat=True))


def test_skill_autocomplete_in_russian_and_english(api: APIClient):
    russian = api.get("/api/v1/skills/autocomplete/?q=свар").json()
    assert russian
    assert all(
        "свар" in s["label_ru"].lower() or any("свар" in a.lower() for a in s["alt_labels_ru"])
        for s in russian
    )
    english = api.get("/api/v1/skills/autocomplete/?q=weld&limit=5").json()
    assert 0 < len(english) <= 5
    assert english[0]["label_en"].lower().startswith("weld")


def test_an_alternative_label_finds_the_skill():
    # "Питон" is how many Russian speakers write Python
    assert [s.label_en for s in skill_autocomplete(text="питон")] == ["Python"]


def test_autocomplete_refuses_too_little_or_a_bad_limit(api: APIClient):
    response = api.get("/api/v1/skills/autocomplete/?q=s&limit=500")
    assert response.status_code == 400
    assert set(response.json()) == {"q", "limit"}
    assert api.get("/api/v1/skills/autocomplete/?q=%25%25").json() == []


def test_a_skill_shows_its_place_in_the_hierarchy(api: APIClient):
    tig = skill_autocomplete(text="TIG")[0]
    detail = api.get(f"/api/v1/skills/{tig.id}/").json()
    assert detail["broader"] is not None
    assert "7212" in detail["occupations"]
    broader = api.get(f"/api/v1/skills/{detail['broader']}/").json()
    assert tig.id in broader["narrower"]

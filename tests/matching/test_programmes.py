"""Relocation programmes: which matches they support (in force, the right direction,
one country), the seeker's matches with their programme, the public list, and the
command that loads Kazakhstan's resettlement programme."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from matching.filters import SeekerMatchFilter
from matching.management.commands.load_relocation_programmes import KAZAKHSTAN_RESETTLEMENT
from matching.models import Match, RelocationProgramme
from matching.programmes import (
    match_qualifies,
    matches_with_programme,
    programme_of_match,
    programme_upsert,
)
from seekers.models import SeekerProfile, Visibility
from taxonomy.models import Country, Region
from tests.factories import UserFactory
from tests.seekers.factories import make_profile
from tests.vacancies.factories import post_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

MINE = "/api/v1/profile/matches/"
PROGRAMMES = "/api/v1/relocation-programmes/"
TURKESTAN, ZHAMBYL, KOSTANAY, PAVLODAR, ATYRAU = "KZ-61", "KZ-31", "KZ-39", "KZ-55", "KZ-23"


def today() -> date:
    return timezone.localdate()


def programme(
    *,
    name: str = "Resettlement",
    country: str = "KZ",
    from_regions: tuple[str, ...] = (TURKESTAN, ZHAMBYL),
    to_regions: tuple[str, ...] = (KOSTANAY, PAVLODAR),
    valid_from: date | None = None,
    valid_until: date | None = None,
    benefits: str = "A relocation subsidy and a year of rent.",
) -> RelocationProgramme:
    made, _created = programme_upsert(
        country=Country.objects.get(code=country),
        name=name,
        from_regions=list(Region.objects.filter(code__in=from_regions)),
        to_regions=list(Region.objects.filter(code__in=to_regions)),
        benefits=benefits,
        valid_from=valid_from or today() - timedelta(days=30),
        valid_until=valid_until,
    )
    return made


def seeker_in(region: str, *, country: str = "KZ", user: User | None = None) -> SeekerProfile:
    user = user or UserFactory.create()
    return make_profile(
        user,
        country=country,
        region=region,
        citizenships=(country,),
        visibility=Visibility.ALL_EMPLOYERS,
    )


def matched(vacancy: Vacancy, profile: SeekerProfile, score: int = 80) -> Match:
    # Stored as a matching run stores it; the engine's own choice is not under test here.
    return Match.objects.create(
        vacancy=vacancy,
        seeker=profile,
        score=Decimal(score),
        explanation={"score": score, "eligible": True, "components": []},
        engine_version="test",
        vacancy_revision=vacancy.revision,
        computed_at=timezone.now(),
    )


def qualifying(*matches: Match) -> set[int]:
    found = Match.objects.filter(pk__in=[m.pk for m in matches]).filter(match_qualifies())
    return set(found.values_list("pk", flat=True))


# --- Which matches qualify -------------------------------------------------------------


def test_a_match_from_a_surplus_to_a_shortage_region_qualifies_while_the_programme_is_in_force(
    owner: User,
):
    resettlement = programme(valid_until=today() + timedelta(days=10))
    move = matched(post_vacancy(by=owner, region=KOSTANAY), seeker_in(TURKESTAN))

    assert qualifying(move) == {move.pk}
    assert programme_of_match(move) == {
        "id": resettlement.pk,
        "name": "Resettlement",
        "benefits": "A relocation subsidy and a year of rent.",
    }


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(1, None), (-60, -1)],
    ids=["not yet started", "ended yesterday"],
)
def test_a_programme_out_of_force_supports_no_match(owner: User, starts: int, ends: int | None):
    programme(
        valid_from=today() + timedelta(days=starts),
        valid_until=None if ends is None else today() + timedelta(days=ends),
    )
    move = matched(post_vacancy(by=owner, region=KOSTANAY), seeker_in(TURKESTAN))

    assert qualifying(move) == set()
    assert programme_of_match(move) is None


def test_the_first_and_last_days_of_a_programme_are_in_force(owner: User):
    programme(valid_from=today(), valid_until=today())
    move = matched(post_vacancy(by=owner, region=PAVLODAR), seeker_in(ZHAMBYL))

    assert qualifying(move) == {move.pk}


def test_the_wrong_direction_a_region_outside_it_and_a_move_at_home_do_not_qualify(owner: User):
    resettlement = programme(from_regions=(TURKESTAN,), to_regions=(KOSTANAY,))
    # The service refuses a region on both sides; an edit elsewhere might not.
    resettlement.to_regions.add(Region.objects.get(code=TURKESTAN))
    kostanay, atyrau = (post_vacancy(by=owner, region=r) for r in (KOSTANAY, ATYRAU))
    turkestan_job = post_vacancy(by=owner, region=TURKESTAN)
    northerner, southerner = seeker_in(KOSTANAY), seeker_in(TURKESTAN)

    wrong_way = matched(turkestan_job, northerner)
    not_a_shortage_region = matched(atyrau, southerner)
    at_home = matched(turkestan_job, southerner)
    right_way = matched(kostanay, southerner)

    assert qualifying(wrong_way, not_a_shortage_region, at_home, right_way) == {right_way.pk}


def test_a_move_across_a_border_or_another_countrys_programme_does_not_qualify(owner: User):
    programme(from_regions=(TURKESTAN,), to_regions=(KOSTANAY,))
    programme(name="Сибирь", country="RU", from_regions=("RU-MOW",), to_regions=("RU-OMS",))
    kostanay = post_vacancy(by=owner, region=KOSTANAY)
    omsk = post_vacancy(by=owner, country="RU", region="RU-OMS")

    kyrgyz_to_kostanay = matched(kostanay, seeker_in("KG-GB", country="KG"))
    turkestan_to_omsk = matched(omsk, seeker_in(TURKESTAN))

    assert qualifying(kyrgyz_to_kostanay, turkestan_to_omsk) == set()


def test_of_two_programmes_the_match_carries_the_one_in_force_longest(owner: User):
    programme(name="Newer", valid_from=today() - timedelta(days=5))
    older = programme(name="Older", valid_from=today() - timedelta(days=500))
    move = matched(post_vacancy(by=owner, region=KOSTANAY), seeker_in(TURKESTAN))

    annotated = matches_with_programme(Match.objects.filter(pk=move.pk)).get()

    assert programme_of_match(annotated)["id"] == older.pk  # type: ignore[index]


def test_the_filterset_keeps_the_supported_matches_or_the_others(owner: User):
    programme()
    profile = seeker_in(TURKESTAN)
    supported = matched(post_vacancy(by=owner, region=KOSTANAY), profile)
    other = matched(post_vacancy(by=owner, region=ATYRAU), profile)
    matches = Match.objects.filter(seeker=profile).order_by("id")

    def picked(value: str) -> list[int]:
        found = SeekerMatchFilter(data={"relocation_programme": value}, queryset=matches).qs
        return list(found.values_list("pk", flat=True))

    assert picked("true") == [supported.pk]
    assert picked("false") == [other.pk]
    assert picked("") == [supported.pk, other.pk]


# --- The seeker's matches through the API ----------------------------------------------


def test_the_seekers_matches_carry_the_programme_and_filter_by_it(
    api: APIClient, seeker: User, owner: User
):
    resettlement = programme()
    profile = seeker_in(TURKESTAN, user=seeker)
    supported = matched(post_vacancy(by=owner, region=KOSTANAY), profile, score=70)
    other = matched(post_vacancy(by=owner, region=ATYRAU), profile, score=90)
    api.force_authenticate(seeker)

    every = api.get(MINE).json()["results"]
    only = api.get(MINE, {"relocation_programme": "true"}).json()["results"]
    detail = api.get(f"{MINE}{supported.pk}/").json()
    seen = api.post(f"{MINE}{supported.pk}/status/", {"status": "seen"}).json()

    assert [(m["id"], m["programme"]) for m in every] == [
        (other.pk, None),
        (
            supported.pk,
            {"id": resettlement.pk, "name": "Resettlement", "benefits": resettlement.benefits},
        ),
    ]
    assert [m["id"] for m in only] == [supported.pk]
    assert detail["programme"]["id"] == seen["programme"]["id"] == resettlement.pk


def test_the_programme_costs_no_query_per_match(api: APIClient, seeker: User, owner: User):
    programme()
    profile = seeker_in(TURKESTAN, user=seeker)
    api.force_authenticate(seeker)
    for region in (KOSTANAY, ATYRAU):
        matched(post_vacancy(by=owner, region=region), profile)
    with CaptureQueriesContext(connection) as two:
        assert len(api.get(MINE).json()["results"]) == 2
    for region in (PAVLODAR, KOSTANAY, "KZ-75", ATYRAU):
        matched(post_vacancy(by=owner, region=region), profile)
    with CaptureQueriesContext(connection) as six:
        rows = api.get(MINE).json()["results"]

    assert len(rows) == 6 and sum(r["programme"] is not None for r in rows) == 3
    assert len(six.captured_queries) == len(two.captured_queries)


# --- The public list --------------------------------------------------------------------


def test_anyone_reads_the_programmes_in_force_with_their_regions(api: APIClient):
    resettlement = programme()
    programme(name="Ended", valid_from=date(2020, 1, 1), valid_until=date(2021, 1, 1))
    programme(name="Сибирь", country="RU", from_regions=("RU-MOW",), to_regions=("RU-OMS",))

    everyone = api.get(PROGRAMMES)
    kazakh = api.get(PROGRAMMES, {"country": "KZ"}).json()

    assert everyone.status_code == 200
    assert [p["name"] for p in everyone.json()] == ["Resettlement", "Сибирь"]
    assert kazakh == [
        {
            "id": resettlement.pk,
            "name": "Resettlement",
            "country": "KZ",
            "country_name": "Kazakhstan",
            "from_regions": [
                {"code": ZHAMBYL, "name": "Zhambyl Region"},
                {"code": TURKESTAN, "name": "Turkestan Region"},
            ],
            "to_regions": [
                {"code": KOSTANAY, "name": "Kostanay Region"},
                {"code": PAVLODAR, "name": "Pavlodar Region"},
            ],
            "benefits": "A relocation subsidy and a year of rent.",
            "valid_from": (today() - timedelta(days=30)).isoformat(),
            "valid_until": None,
        }
    ]


def test_the_programmes_cannot_be_written_through_the_api(api: APIClient, admin_user: User):
    api.force_authenticate(admin_user)

    response = api.post(PROGRAMMES, {"name": "Mine"})

    assert response.status_code == 405
    assert not RelocationProgramme.objects.exists()


def test_a_programme_needs_regions_of_its_country_and_a_direction():
    with pytest.raises(ValidationError) as refused:
        programme(from_regions=(TURKESTAN,), to_regions=(TURKESTAN, "RU-OMS"))

    assert set(refused.value.message_dict) == {"to_regions"}
    with pytest.raises(ValidationError):
        programme(valid_from=today(), valid_until=today() - timedelta(days=1))
    assert not RelocationProgramme.objects.exists()


# --- The command ----------------------------------------------------------------------------


def test_the_command_loads_kazakhstans_resettlement_programme_once():
    for _run in range(2):
        call_command("load_relocation_programmes", stdout=StringIO())

    loaded = RelocationProgramme.objects.get()
    assert loaded.name == KAZAKHSTAN_RESETTLEMENT.name and loaded.country_id == "KZ"
    names_from = set(loaded.from_regions.values_list("name_en", flat=True))
    names_to = set(loaded.to_regions.values_list("name_en", flat=True))
    assert names_from == {
        "Turkestan Region",
        "Zhambyl Region",
        "Kyzylorda Region",
        "Almaty Region",
        "Mangystau Region",
    }
    assert names_to == {
        "North Kazakhstan Region",
        "East Kazakhstan Region",
        "Kostanay Region",
        "Pavlodar Region",
    }
    assert "relocation subsidy" in loaded.benefits and "субсидия" in loaded.benefits
    assert loaded.valid_until is None and loaded.valid_from <= today()


def test_the_command_brings_an_edited_programme_back_to_its_text():
    call_command("load_relocation_programmes", stdout=StringIO())
    loaded = RelocationProgramme.objects.get()
    RelocationProgramme.objects.filter(pk=loaded.pk).update(benefits="edited")
    loaded.to_regions.remove(Region.objects.get(code=KOSTANAY))

    call_command("load_relocation_programmes", stdout=StringIO())

    again = RelocationProgramme.objects.get()
    assert again.pk == loaded.pk and again.benefits == KAZAKHSTAN_RESETTLEMENT.benefits
    assert again.to_regions.filter(code=KOSTANAY).exists()


def test_the_command_if_missing_leaves_an_existing_programme_alone():
    call_command("load_relocation_programmes", stdout=StringIO())
    RelocationProgramme.objects.update(benefits="edited in the admin")

    call_command("load_relocation_programmes", "--if-missing", stdout=StringIO())

    assert RelocationProgramme.objects.get().benefits == "edited in the admin"

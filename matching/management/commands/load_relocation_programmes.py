"""Load the relocation programmes the platform knows as reference data (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.models import RelocationProgramme
from matching.programmes import programme_upsert
from taxonomy.models import Country, Region


@dataclass(frozen=True)
class ProgrammeData:
    country: str
    name: str
    from_regions: tuple[str, ...]
    to_regions: tuple[str, ...]
    benefits: str
    valid_from: date
    valid_until: date | None = None


# Kazakhstan's state support for voluntary resettlement from the labour-surplus south
# and west to the labour-shortage north and east (Social Code of the Republic of
# Kazakhstan, in force since 1 July 2023, and the Ministry of Labour's rules under it).
# The amounts change every year with the monthly calculation index (MCI); the text says
# what kinds of support there are and sends people to the employment centres for the
# figures. Demo and reference data: administrators keep it current in the admin.
KAZAKHSTAN_RESETTLEMENT = ProgrammeData(
    country="KZ",
    name="Voluntary resettlement to the northern regions / Добровольное переселение",
    from_regions=(
        "KZ-61",  # Turkestan Region
        "KZ-31",  # Zhambyl Region
        "KZ-43",  # Kyzylorda Region
        "KZ-19",  # Almaty Region
        "KZ-47",  # Mangystau Region
    ),
    to_regions=(
        "KZ-59",  # North Kazakhstan Region
        "KZ-63",  # East Kazakhstan Region
        "KZ-39",  # Kostanay Region
        "KZ-55",  # Pavlodar Region
    ),
    benefits=(
        "State support for citizens of Kazakhstan and kandas who move with a job from the "
        "labour-surplus regions (Turkestan, Zhambyl, Kyzylorda, Almaty region, Mangystau) "
        "to the labour-shortage regions (North Kazakhstan, East Kazakhstan, Kostanay, "
        "Pavlodar):\n"
        "- a one-off relocation subsidy for each member of the family;\n"
        "- compensation of rent and utilities for up to 12 months;\n"
        "- help with housing and a job, and free vocational training.\n"
        "The amounts are set in MCI each year: ask the employment centre of the region "
        "you move to before the move.\n"
        "\n"
        "Государственная поддержка гражданам Казахстана и кандасам, переезжающим на "
        "работу из трудоизбыточных регионов (Туркестанская, Жамбылская, Кызылординская, "
        "Алматинская, Мангистауская области) в трудодефицитные (Северо-Казахстанская, "
        "Восточно-Казахстанская, Костанайская, Павлодарская области):\n"
        "- единовременная субсидия на переезд на каждого члена семьи;\n"
        "- компенсация аренды жилья и коммунальных услуг до 12 месяцев;\n"
        "- помощь с жильём и трудоустройством, бесплатное профессиональное обучение.\n"
        "Размеры устанавливаются в МРП ежегодно: уточняйте в центре занятости региона "
        "переезда до переезда."
    ),
    valid_from=date(2023, 7, 1),
)

PROGRAMMES = (KAZAKHSTAN_RESETTLEMENT,)


class Command(BaseCommand):
    help = (
        "Load the relocation programmes (Kazakhstan's resettlement support) as reference "
        "data; running it again brings them back to this text. Needs the taxonomy "
        "(load_taxonomy)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="leave a programme that is already there as it is (edits in the admin stay)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for data in PROGRAMMES:
            if (
                options["if_missing"]
                and RelocationProgramme.objects.filter(
                    country_id=data.country, name=data.name
                ).exists()
            ):
                self.stdout.write(f"Already there, left as it is: {data.name}")
                continue
            codes = (*data.from_regions, *data.to_regions)
            regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
            country = Country.objects.filter(code=data.country).first()
            missing = [code for code in codes if code not in regions]
            if country is None or missing:
                raise CommandError(
                    f"Reference data missing ({data.country}, {', '.join(missing)}): "
                    "run load_taxonomy first."
                )
            try:
                programme, created = programme_upsert(
                    country=country,
                    name=data.name,
                    from_regions=[regions[code] for code in data.from_regions],
                    to_regions=[regions[code] for code in data.to_regions],
                    benefits=data.benefits,
                    valid_from=data.valid_from,
                    valid_until=data.valid_until,
                )
            except ValidationError as exc:
                raise CommandError(f"{data.name}: {exc}") from exc
            verb = "Created" if created else "Brought up to date"
            self.stdout.write(self.style.SUCCESS(f"{verb}: {programme.name} (id {programme.pk})"))

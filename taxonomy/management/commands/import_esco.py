from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from taxonomy.esco import read_release
from taxonomy.services import TaxonomyDataError, skills_sync


class Command(BaseCommand):
    help = (
        "Import skills from ESCO's official CSV release: give the folder holding "
        "skills_en.csv and, optionally, broaderRelationsSkillPillar_en.csv, "
        "occupations_en.csv with occupationSkillRelations_en.csv, and skills_ru.csv. "
        "A malformed file loads nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("release", type=Path, help="folder of the ESCO CSV release")

    def handle(self, *args: Any, release: Path, **options: Any) -> None:
        if not release.is_dir():
            raise CommandError(f"{release} is not a folder")
        try:
            parsed = read_release(release)
            with transaction.atomic():
                counts = skills_sync(records=parsed.records, source="esco")
        except TaxonomyDataError as exc:
            raise CommandError(f"ESCO release not imported, nothing was changed: {exc}") from exc
        self.stdout.write(f"skills: {counts}")
        if parsed.skipped_relations:
            self.stdout.write(
                f"{parsed.skipped_relations} occupation relation(s) to skills outside the release skipped"
            )
        self.stdout.write(self.style.SUCCESS("ESCO skills imported."))

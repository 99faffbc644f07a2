from typing import Any

from django.core.management.base import BaseCommand, CommandError

from taxonomy.services import TaxonomyDataError, taxonomy_load


class Command(BaseCommand):
    help = "Load or refresh the reference data (countries, regions, currencies, rates, languages, ISCO-08, skills). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = taxonomy_load()
        except TaxonomyDataError as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        for name, counts in report.counts.items():
            self.stdout.write(f"{name:>15}: {counts}")
        self.stdout.write(
            self.style.SUCCESS("Taxonomy up to date." if not report.changed else "Taxonomy loaded.")
        )

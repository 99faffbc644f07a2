from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taxonomy.services import TaxonomyDataError, exchange_rates_load


class Command(BaseCommand):
    help = (
        "Load dated exchange rates from a CSV file with columns date,currency,units_per_usd"
        "[,source] (units of the currency that one US dollar buys). All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            counts = exchange_rates_load(path=file)
        except TaxonomyDataError as exc:
            raise CommandError(f"No rate was loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"exchange rates: {counts}"))

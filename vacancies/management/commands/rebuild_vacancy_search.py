from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vacancies.services import vacancies_search_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the full-text search vector of every vacancy. Run it after loads that "
        "bypass the services (seed_demo, imports)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        count = vacancies_search_rebuild(batch_size=options["batch_size"])
        self.stdout.write(self.style.SUCCESS(f"Search vectors rebuilt for {count} vacancies."))

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.demo.seed import DEMO_PASSWORD, cast_accounts, demo_present, demo_seed


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: seekers and employers across the five EAEU states, "
        "with a fixed cast of demo accounts. Needs the taxonomy (load_taxonomy)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seekers", type=int, default=2000)
        parser.add_argument("--vacancies", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="YYYY-MM-DD; dates are relative to it",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the demo data is already there"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seekers, vacancies = options["seekers"], options["vacancies"]
        if seekers < 1 or vacancies < 6:
            raise CommandError("--seekers must be at least 1 and --vacancies at least 6")
        if demo_present():
            if not options["if_empty"]:
                raise CommandError(
                    "Demo data is already loaded (use a fresh database to load it again)."
                )
            self.stdout.write("Demo data already loaded.")
        else:
            try:
                report = demo_seed(
                    seekers=seekers,
                    vacancies=vacancies,
                    seed=options["seed"],
                    today=options["today"],
                )
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {counts}."))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}):")
        for account in cast_accounts():
            self.stdout.write(f"  {account.email:<28} {account.what}")

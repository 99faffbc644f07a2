from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from matching import services
from matching.models import Kind


class Command(BaseCommand):
    help = (
        "Ask the matching workers to run: for what changed since its last run (--stale), "
        "or for the vacancies or seekers given by id. --now runs here instead, at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale", action="store_true", help="everything not matched since")
        parser.add_argument("--vacancy", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--seeker", type=int, action="append", default=[], metavar="ID")
        parser.add_argument("--now", action="store_true", help="run in this process")

    def handle(self, *args: Any, **options: Any) -> None:
        targets = [(Kind.VACANCY, pk) for pk in options["vacancy"]]
        targets += [(Kind.SEEKER, pk) for pk in options["seeker"]]
        if not targets and not options["stale"]:
            raise CommandError("Say what to match: --stale, --vacancy ID or --seeker ID.")
        if any(pk <= 0 for _, pk in targets):
            raise CommandError("Ids are positive numbers.")
        if options["stale"]:
            asked = services.match_requests_sweep(limit=None)
            self.stdout.write(
                f"Asked for {asked[Kind.VACANCY]:,} vacancy and {asked[Kind.SEEKER]:,} seeker runs."
            )
        for kind, pk in targets:
            if options["now"]:
                outcome = services.match_now(kind=kind, object_id=pk)
                self.stdout.write(
                    f"{kind} {pk}: {outcome.candidates} candidates, {outcome.created} new, "
                    f"{outcome.updated} updated, {outcome.dropped} no longer standing."
                )
            else:
                with transaction.atomic():
                    services.match_request(kind=kind, ids=[pk], debounce=False)
                self.stdout.write(f"{kind} {pk}: asked.")

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vacancies.connectors import CONNECTORS
from vacancies.services import imports


class Command(BaseCommand):
    help = (
        "Import vacancies from a file in a source's format (JSON-LD JobPosting, Work in "
        "Russia open data, hh.ru API) and print the run's report. Running it again with "
        "the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="the source's name, e.g. trudvsem")
        parser.add_argument(
            "--kind",
            choices=sorted(CONNECTORS),
            help="the format of a new source (defaults to its name when that is a format)",
        )
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--batch-size", type=int, default=imports.BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            source = imports.source_get_or_create(name=options["source"], kind=options["kind"])
            run = imports.import_file(source=source, path=path, batch_size=options["batch_size"])
        except (ValueError, imports.ImportBusy) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{source.name} run {run.pk}: {run.records} records — {run.created} created, "
            f"{run.updated} updated, {run.unchanged} unchanged, {run.merged} merged, "
            f"{run.skipped} skipped"
        )
        for problem in run.problems[:50]:
            where = (
                f"{problem['position']} ({problem['external_id']})"
                if problem["external_id"]
                else problem["position"]
            )
            self.stdout.write(f"  skipped {where}: {problem['reason']}")
        for kind, values in run.unmapped.items():
            shown = ", ".join(f"{value} ×{count}" for value, count in list(values.items())[:10])
            self.stdout.write(f"  not mapped ({kind}): {shown}")

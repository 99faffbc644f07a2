"""How fast vacancies are imported: N schema.org JobPosting records (JSON lines) through
the JSON-LD connector — reading, mapping onto the taxonomy, sanitising, and writing in
batches with skills, revisions, search vectors, provenances and the matching outbox —
then the same path one record per transaction on a smaller sample, for the ratio, and a
re-import of the big file (every record "unchanged").

Run it against a database of its own, migrated and with the taxonomy loaded:

DATABASE_URL=postgres://postgres@127.0.0.1:5432/borderless_h8bench \\
    .venv/bin/python bench/import_vacancies.py --records 100000 --naive 2000

Matching tasks are sent to the Redis of REDIS_URL as on any publish; the bench purges
that Redis database's queues at the end, so give it one nobody else uses.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from config import celery as celery_config  # noqa: E402
from config.celery import app  # noqa: E402
from taxonomy.models import Region, Skill  # noqa: E402
from vacancies.services import imports  # noqa: E402

TITLES = [
    ("Сварщик", "7212"), ("Электромонтажник", "7411"), ("Водитель грузовика", "8332"),
    ("Повар", "5120"), ("Бухгалтер", "2411"), ("Python developer", "2512"),
    ("Продавец-консультант", "5223"), ("Грузчик", "9333"), ("Сантехник", "7126"),
    ("Разнорабочий", "9313"),
]  # fmt: skip
CURRENCY = {"KZ": "KZT", "RU": "RUB", "BY": "BYN", "AM": "AMD", "KG": "KGS"}


def _records(count: int, *, tag: str, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    regions = list(
        Region.objects.filter(country__is_eaeu_member=True).values_list(
            "code", "country_id", "name_ru"
        )
    )
    labels = list(Skill.objects.values_list("label_ru", flat=True)[:400])
    employers = [f"ТОО «Бенч {tag} {n}»" for n in range(2000)]
    records = []
    for n in range(count):
        title, isco = rng.choice(TITLES)
        code, country, region_name = rng.choice(regions)
        low = rng.randrange(100, 900) * 1000
        posting: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "identifier": f"{tag}-{n}",
            "url": f"https://example.org/jobs/{tag}-{n}",
            "title": f"{title} {n % 97}",
            "description": f"<p>{title}: работа №{n}.</p><ul><li>Оплата {low}</li></ul><script>x()</script>",
            "datePosted": "2026-03-01",
            "employmentType": "FULL_TIME",
            "hiringOrganization": {"@type": "Organization", "name": rng.choice(employers)},
            "jobLocation": {
                "@type": "Place",
                "address": {
                    "addressRegion": region_name if n % 2 else code,
                    "addressCountry": country,
                },
            },
            "occupationalCategory": isco,
            "skills": ", ".join(rng.sample(labels, 3)),
        }
        if n % 5:
            posting["baseSalary"] = {
                "@type": "MonetaryAmount",
                "currency": CURRENCY[country],
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": low,
                    "maxValue": low + 50000,
                    "unitText": "MONTH",
                },
            }
        records.append(posting)
    return records


def _write(records: list[dict[str, Any]]) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")  # noqa: SIM115 - kept for the run
    with handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Path(handle.name)


def _timed(name: str, path: Path, count: int, **options: Any) -> float:
    source = imports.source_get_or_create(name=name, kind="jsonld")
    started = time.perf_counter()
    run = imports.import_file(source=source, path=path, **options)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(
        f"  {name}: {count:,} records in {elapsed:.1f} s = {rate:,.0f} records/s "
        f"(created {run.created:,}, unchanged {run.unchanged:,}, skipped {run.skipped:,})"
    )
    return rate


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607 - the system's uptime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=2_000, help="records imported one by one")
    parser.add_argument("--batch-size", type=int, default=imports.BATCH_SIZE)
    args = parser.parse_args()
    tag = time.strftime("%Y%m%d%H%M%S")
    print(f"load before: {_uptime()}")

    big = _write(_records(args.records, tag=f"b{tag}", seed=1))
    other = _write(_records(args.records, tag=f"d{tag}", seed=3))
    small = _write(_records(args.naive, tag=f"n{tag}", seed=2))
    try:
        print(
            f"bulk (batches of {args.batch_size}), a matching task sent per vacancy as on publish:"
        )
        bulk = _timed(f"bench-bulk-{tag}", big, args.records, batch_size=args.batch_size)
        print("re-import of the same file:")
        _timed(f"bench-bulk-{tag}", big, args.records, batch_size=args.batch_size)
        print("naive (one record per batch and transaction), tasks sent:")
        naive = _timed(f"bench-naive-{tag}", small, args.naive, batch_size=1)
        # As when Redis is down: the outbox rows are written in the same transactions
        # and the relay sends the tasks later; what is left is the import's own work.
        celery_config._broker_down_until = float("inf")
        print("bulk, matching requests left in the outbox for the relay:")
        deferred = _timed(f"bench-deferred-{tag}", other, args.records, batch_size=args.batch_size)
    finally:
        for path in (big, other, small):
            path.unlink()
        celery_config._broker_down_until = 0.0
        app.control.purge()  # the matching tasks no worker of this bench will run
    print(f"bulk / naive: {bulk / naive:.1f}x; outbox-only bulk: {deferred:,.0f} records/s")
    print(f"load after: {_uptime()}")


if __name__ == "__main__":
    main()

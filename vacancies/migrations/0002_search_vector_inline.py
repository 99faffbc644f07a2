"""Keep the search vectors uncompressed in the row.

A vacancy row passes PostgreSQL's 2 kB toast threshold mostly because of its search
vector, which PostgreSQL then compresses; ranking a search decompresses every matching
vector, and at 100,000 vacancies that doubled the time of a ranked search. With the
threshold at the page size, rows stay as they are unless they are really large.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE vacancies_vacancy SET (toast_tuple_target = 8160)",
            reverse_sql="ALTER TABLE vacancies_vacancy RESET (toast_tuple_target)",
        ),
    ]

"""Keeping the vacancies' salaries in US dollars (VacancySalaryUSD) at the day's rates."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from vacancies.models import SalaryRate
from vacancies.selectors import salary_rates_on, salary_rates_stored

# The same arithmetic as the trigger of migration 0006, for every vacancy priced in one
# of the currencies whose rate changed.
_RECOMPUTE = """
UPDATE vacancies_vacancysalaryusd AS s
   SET amount = COALESCE(ROUND(v.salary_monthly / r.units_per_usd, 2), 0)
  FROM vacancies_vacancy AS v
  LEFT JOIN vacancies_salaryrate AS r ON r.currency_id = v.salary_currency_id
 WHERE s.vacancy_id = v.id AND v.salary_currency_id = ANY(%s)
"""


def vacancies_salary_usd_refresh(*, on: date | None = None) -> bool:
    """Recompute the salaries in dollars if the rates in force on ``on`` (today) are not
    those they were computed with; True if it did.

    Taxonomy may not call into vacancies, so loading rates does not call this: the
    salary-ordered search does, before it reads them (one small query when nothing
    changed). Searches that need it while it runs wait for it.
    """
    rates = salary_rates_on(on=on)
    if salary_rates_stored() == rates:
        return False
    with transaction.atomic():
        # EXCLUSIVE: waits for the writes whose trigger read the old rates to commit,
        # and makes new ones (and another refresh) wait for this one.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE vacancies_salaryrate IN EXCLUSIVE MODE")
        stored = salary_rates_stored()
        if stored == rates:
            return False  # another process did it while this one waited
        changed = sorted(
            code for code in rates.keys() | stored.keys() if rates.get(code) != stored.get(code)
        )
        SalaryRate.objects.all().delete()
        SalaryRate.objects.bulk_create(
            SalaryRate(currency_id=code, units_per_usd=rate) for code, rate in rates.items()
        )
        with connection.cursor() as cursor:
            cursor.execute(_RECOMPUTE, [changed])
    return True

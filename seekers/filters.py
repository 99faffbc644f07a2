"""FilterSets of the seeker's lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from seekers.models import ContactAccess


class ContactAccessFilter(django_filters.FilterSet):
    """The seeker's contact log: by employer and by day (in the platform's time zone)."""

    employer = django_filters.NumberFilter(
        field_name="employer_id", min_value=1, label=_("Employer id")
    )
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("From this day (YYYY-MM-DD)")
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("Up to this day (YYYY-MM-DD)")
    )

    class Meta:
        model = ContactAccess
        fields = ("employer", "since", "until")

"""The verbs of vacancies: employers, their members and invitations; vacancies, their
lifecycle and revisions; and the full-text vectors the public search reads.

Every service is atomic and raises Django's ``ValidationError`` with field names for
bad input (the API answers 400), with ``code="conflict"`` when the object's state does
not allow the change (409), and ``PermissionDenied`` when the caller may not act (403).
"""

from vacancies.services._access import CONFLICT
from vacancies.services.employers import (
    INVITATION_TTL,
    employer_create,
    employer_update,
    employer_verify,
    invitation_accept,
    member_invite,
    member_remove,
)
from vacancies.services.search import vacancies_search_rebuild, vacancies_search_refresh
from vacancies.services.vacancy import (
    LanguageRequirement,
    SkillRequirement,
    VacancyChanges,
    VacancyFields,
    vacancies_close_expired,
    vacancy_close,
    vacancy_create,
    vacancy_delete,
    vacancy_mark_filled,
    vacancy_pause,
    vacancy_publish,
    vacancy_resume,
    vacancy_update,
)

__all__ = [
    "CONFLICT",
    "INVITATION_TTL",
    "LanguageRequirement",
    "SkillRequirement",
    "VacancyChanges",
    "VacancyFields",
    "employer_create",
    "employer_update",
    "employer_verify",
    "invitation_accept",
    "member_invite",
    "member_remove",
    "vacancies_close_expired",
    "vacancies_search_rebuild",
    "vacancies_search_refresh",
    "vacancy_close",
    "vacancy_create",
    "vacancy_delete",
    "vacancy_mark_filled",
    "vacancy_pause",
    "vacancy_publish",
    "vacancy_resume",
    "vacancy_update",
]

"""Matching API routes, under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from matching import api, api_matches

router = SimpleRouter()
router.register("employer/candidates", api.CandidateViewSet, basename="candidate")
router.register("profile/matches", api_matches.SeekerMatchViewSet, basename="profile-match")
router.register(
    r"employer/vacancies/(?P<vacancy_id>[0-9]+)/matches",
    api_matches.VacancyMatchViewSet,
    basename="employer-vacancy-match",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "staff/matches/explain/",
        api_matches.PairExplainView.as_view(),
        name="staff-match-explain",
    ),
    *router.urls,
]

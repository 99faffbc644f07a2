"""Matching API routes, under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from matching import (
    api,
    api_applications,
    api_matches,
    api_placements,
    api_programmes,
    api_statistics,
)

router = SimpleRouter()
router.register("employer/candidates", api.CandidateViewSet, basename="candidate")
router.register("profile/matches", api_matches.SeekerMatchViewSet, basename="profile-match")
router.register(
    r"employer/vacancies/(?P<vacancy_id>[0-9]+)/matches",
    api_matches.VacancyMatchViewSet,
    basename="employer-vacancy-match",
)
# Applications and invitations
router.register(
    "profile/applications",
    api_applications.SeekerApplicationViewSet,
    basename="profile-application",
)
router.register(
    r"employer/vacancies/(?P<vacancy_id>[0-9]+)/applications",
    api_applications.VacancyApplicationViewSet,
    basename="employer-vacancy-application",
)
router.register(
    "employer/applications",
    api_applications.EmployerApplicationViewSet,
    basename="employer-application",
)
# Placements and their review
router.register(
    "review/placements", api_placements.ReviewPlacementViewSet, basename="review-placement"
)
router.register(
    "employer/placements", api_placements.EmployerPlacementViewSet, basename="employer-placement"
)
router.register(
    "profile/placements", api_placements.SeekerPlacementViewSet, basename="profile-placement"
)
# Relocation programmes: read-only (administrators keep them in the admin)
router.register(
    "relocation-programmes",
    api_programmes.RelocationProgrammeViewSet,
    basename="relocation-programme",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "staff/matches/explain/",
        api_matches.PairExplainView.as_view(),
        name="staff-match-explain",
    ),
    path(
        "employer/invitations/",
        api_applications.InvitationCreateView.as_view(),
        name="employer-application-invite",
    ),
    *router.urls,
]

# Statistics: public (approved placements, small counts withheld) and for reviewers
for _public, _review in api_statistics.STATISTICS:
    urlpatterns += [
        path(f"statistics/{_public.name}/", _public.as_view(), name=f"statistics-{_public.name}"),
        path(
            f"review/statistics/{_review.name}/",
            _review.as_view(),
            name=f"review-statistics-{_review.name}",
        ),
    ]

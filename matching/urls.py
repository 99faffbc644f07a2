"""Pages of matching: the seeker's matches and applications, an application's page."""

from django.urls import path

from matching import views, views_review

urlpatterns = [
    path("me/matches/", views.seeker_matches, name="my-matches"),
    path("me/applications/", views.seeker_applications, name="my-applications"),
    path("vacancies/<int:pk>/", views.vacancy_page, name="vacancy"),
    path("vacancies/<int:pk>/apply/", views.apply, name="apply"),
    path(
        "employer/vacancies/<int:pk>/matches/", views.vacancy_candidates, name="vacancy-candidates"
    ),
    path(
        "employer/vacancies/<int:pk>/matches/<int:seeker_id>/invite/",
        views.invite,
        name="invite",
    ),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("review/placements/", views_review.placement_queue, name="placement-queue"),
    path("review/placements/<int:pk>/", views_review.placement_page, name="placement"),
    path(
        "review/placements/<int:pk>/decide/", views_review.placement_decide, name="placement-decide"
    ),
    path("applications/<int:pk>/move/", views.application_move_page, name="application-move"),
]

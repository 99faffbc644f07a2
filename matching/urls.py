"""Pages of matching: the seeker's matches and applications, an application's page."""

from django.urls import path

from matching import views

urlpatterns = [
    path("me/matches/", views.seeker_matches, name="my-matches"),
    path("me/applications/", views.seeker_applications, name="my-applications"),
    path("vacancies/<int:pk>/", views.vacancy_page, name="vacancy"),
    path("vacancies/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/move/", views.application_move_page, name="application-move"),
]

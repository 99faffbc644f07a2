"""API routes of this app, mounted under /api/v1/ by config/urls.py."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from vacancies.api import views

router = SimpleRouter()
router.register("employers", views.EmployerViewSet, basename="employer")
router.register("employer/vacancies", views.EmployerVacancyViewSet, basename="employer-vacancy")
router.register("vacancies", views.PublicVacancyViewSet, basename="vacancy")

urlpatterns: list[URLPattern | URLResolver] = [
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    *router.urls,
]

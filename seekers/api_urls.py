"""API routes of this app, mounted under /api/v1/ by config/urls.py."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from seekers.api import views

router = SimpleRouter()
router.register("profile/skills", views.SkillViewSet, basename="profile-skill")
router.register("profile/languages", views.LanguageViewSet, basename="profile-language")
router.register("profile/experience", views.ExperienceViewSet, basename="profile-experience")
router.register("profile/education", views.EducationViewSet, basename="profile-education")
router.register("profile/work-rights", views.WorkRightViewSet, basename="profile-work-right")
router.register("profile/contact-log", views.ContactLogViewSet, basename="profile-contact-log")

urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/cv/", views.CVView.as_view(), name="profile-cv"),
    path("profile/consent/", views.ConsentView.as_view(), name="profile-consent"),
    path("profile/export/", views.ExportView.as_view(), name="profile-export"),
    path("profile/erase/", views.EraseView.as_view(), name="profile-erase"),
    *router.urls,
]

"""Matching API routes, under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from matching import api

router = SimpleRouter()
router.register("employer/candidates", api.CandidateViewSet, basename="candidate")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

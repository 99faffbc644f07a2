"""Reference-data API routes, under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from taxonomy import api

router = SimpleRouter()
router.register("countries", api.CountryViewSet, basename="country")
router.register("regions", api.RegionViewSet, basename="region")
router.register("currencies", api.CurrencyViewSet, basename="currency")
router.register("languages", api.LanguageViewSet, basename="language")
router.register("occupations", api.OccupationViewSet, basename="occupation")
router.register("skills", api.SkillViewSet, basename="skill")

urlpatterns: list[URLPattern | URLResolver] = [
    path("cefr-levels/", api.CEFRLevelView.as_view(), name="cefr-levels"),
    *router.urls,
]

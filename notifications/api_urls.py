"""The inbox and preferences API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from notifications import api

router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "notifications/preferences/",
        api.PreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]

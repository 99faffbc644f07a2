"""Root URLs: pages, the API under /api/v1/, its schema and docs, admin, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.language import language_switch
from config.health import healthz
from vacancies.views import home

api_v1 = [
    path("auth/", include("accounts.api_urls")),
    path("", include("taxonomy.api_urls")),
    path("", include("seekers.api_urls")),
    path("", include("vacancies.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("notifications.api_urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("language/", language_switch, name="language"),
    path("", include("vacancies.urls")),
    path("", include("matching.urls")),
    path("", include("seekers.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("saved-searches/", include("vacancies.urls_saved_searches")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

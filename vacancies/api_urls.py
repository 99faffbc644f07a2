"""API routes of this app, mounted under /api/v1/ by config/urls.py."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from vacancies import api_feeds, api_saved_searches, api_webhooks
from vacancies.api import views

router = SimpleRouter()
router.register("employers", views.EmployerViewSet, basename="employer")
router.register("employer/vacancies", views.EmployerVacancyViewSet, basename="employer-vacancy")
router.register("vacancies", views.PublicVacancyViewSet, basename="vacancy")
router.register("saved-searches", api_saved_searches.SavedSearchViewSet, basename="saved-search")
router.register("staff/import-runs", api_feeds.ImportRunViewSet, basename="staff-import-run")
router.register("staff/import-sources", api_feeds.SourceViewSet, basename="staff-import-source")

urlpatterns: list[URLPattern | URLResolver] = [
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path(
        "saved-searches/visitor/",
        api_saved_searches.VisitorSavedSearchView.as_view(),
        name="saved-search-visitor",
    ),
    path(
        "vacancies/<int:pk>/jobposting/",
        api_feeds.VacancyJobPostingView.as_view(),
        name="vacancy-jobposting",
    ),
    path("feeds/jobpostings/", api_feeds.JobPostingFeedView.as_view(), name="feed-jobpostings"),
    *router.urls,
    path(
        "employers/<int:employer_id>/webhook/",
        api_webhooks.EmployerWebhookView.as_view(),
        name="employer-webhook",
    ),
    path(
        "employers/<int:employer_id>/webhook/rotate-secret/",
        api_webhooks.WebhookRotateSecretView.as_view(),
        name="employer-webhook-rotate-secret",
    ),
    path(
        "employers/<int:employer_id>/webhook/test/",
        api_webhooks.WebhookTestView.as_view(),
        name="employer-webhook-test",
    ),
    path(
        "employers/<int:employer_id>/webhook/deliveries/",
        api_webhooks.WebhookDeliveryListView.as_view(),
        name="employer-webhook-deliveries",
    ),
]

"""Pages of notifications that need no login (unsubscribe links)."""

from django.urls import URLPattern, path

from notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern] = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

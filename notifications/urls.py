"""Pages of notifications that need no login (unsubscribe links)."""

from django.urls import URLPattern

app_name = "notifications"
urlpatterns: list[URLPattern] = []

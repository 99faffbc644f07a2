"""Pages of notifications: the inbox, and the unsubscribe links that need no login."""

from django.urls import URLPattern, path

from notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read-all/", views.inbox_read_all, name="read-all"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

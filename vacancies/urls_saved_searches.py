"""Pages of saved searches that need no login (the links in their e-mails)."""

from django.urls import URLPattern, path

from vacancies import views_saved_searches as views

app_name = "saved_searches"
urlpatterns: list[URLPattern] = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<str:token>/", views.manage, name="manage"),
    path("<str:token>/pause/", views.pause, name="pause"),
    path("<str:token>/resume/", views.resume, name="resume"),
    path("<str:token>/delete/", views.delete, name="delete"),
]

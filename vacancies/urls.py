"""Public vacancy pages: the search (the vacancy page itself is matching's, as it
shows a signed-in seeker their match)."""

from django.urls import path

from vacancies import views

app_name = "vacancies"
urlpatterns = [
    path("", views.vacancy_search, name="search"),
]

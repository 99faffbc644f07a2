"""Vacancy pages: the public search (a vacancy's own page is matching's, as it shows a
signed-in seeker their match) and the employer's vacancies."""

from django.urls import path, re_path

from vacancies import views, views_employer

app_name = "vacancies"
urlpatterns = [
    path("vacancies/", views.vacancy_search, name="search"),
    path("employer/", views_employer.employer_new, name="employer-new"),
    path("employer/vacancies/", views_employer.employer_vacancies, name="employer-list"),
    path(
        "employer/vacancies/new/", views_employer.employer_vacancy_new, name="employer-vacancy-new"
    ),
    re_path(
        r"^employer/vacancies/(?P<pk>[0-9]+)/(?P<action>publish|pause|resume|close)/$",
        views_employer.employer_vacancy_action,
        name="employer-action",
    ),
]

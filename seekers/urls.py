"""The seeker's own pages: the profile editor."""

from django.urls import path

from seekers import views

urlpatterns = [
    path("me/profile/", views.profile_step, name="profile"),
    path("me/profile/<slug:step>/", views.profile_step, name="profile-step"),
]

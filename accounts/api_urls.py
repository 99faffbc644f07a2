from django.urls import path

from accounts import api

urlpatterns = [
    path("register/", api.RegisterView.as_view(), name="auth-register"),
    path("token/", api.TokenLoginView.as_view(), name="auth-token"),
    path("token/current/", api.CurrentTokenView.as_view(), name="auth-token-current"),
    path("tokens/", api.TokenListView.as_view(), name="auth-tokens"),
    path("tokens/<str:token_key>/", api.TokenDetailView.as_view(), name="auth-token-detail"),
    path("me/", api.MeView.as_view(), name="auth-me"),
]

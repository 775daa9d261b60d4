"""The API tokens page, mounted at /account/api-tokens/ by core/urls.py."""

from django.urls import path

from xieshang.core import token_views

urlpatterns = [
    path("", token_views.token_list, name="api-tokens"),
    path("<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
]

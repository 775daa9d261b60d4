from django.urls import path

from xieshang.duties import views

urlpatterns = [
    path("", views.my_record, name="duty-mine"),
    path("members/<int:pk>/", views.member_record, name="duty-member"),
    path("ranking/", views.ranking, name="duty-ranking"),
    path("rules/", views.rules, name="duty-rules"),
    path("recompute/", views.recompute, name="duty-recompute"),
    path("warnings/check/", views.check_warnings, name="duty-check-warnings"),
]

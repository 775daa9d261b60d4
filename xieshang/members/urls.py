from django.urls import path

from xieshang.members import views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("units/", views.unit_list, name="unit-list"),
]

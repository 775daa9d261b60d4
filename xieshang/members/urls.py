from django.urls import path

from xieshang.members import views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("new/", views.member_create, name="member-create"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("roster/import/confirm/", views.roster_import_confirm, name="roster-import-confirm"),
    path("roster/export/<str:kind>/", views.roster_export, name="roster-export"),
    path("roster/template/<str:kind>/", views.roster_template, name="roster-template"),
]

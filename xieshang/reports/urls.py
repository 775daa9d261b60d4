from django.urls import path

from xieshang.reports import views

urlpatterns = [
    path("", views.figures_page, name="reports-figures"),
    path("draft/", views.draft_download, name="reports-draft"),
    path("dashboard/", views.dashboard_page, name="reports-dashboard"),
    path("screen/", views.screen_page, name="reports-screen"),
    path("units/", views.units_page, name="reports-units"),
    path("units/<int:unit_id>/", views.unit_detail, name="reports-unit"),
    path("dashboard/<str:key>.xlsx", views.panel_export, name="reports-panel-export"),
]

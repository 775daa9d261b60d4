from django.urls import path

from xieshang.reports import views

urlpatterns = [
    path("", views.figures_page, name="reports-figures"),
    path("draft/", views.draft_download, name="reports-draft"),
]

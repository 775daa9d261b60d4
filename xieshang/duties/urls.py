from django.urls import path

from xieshang.duties import manual_views, views

urlpatterns = [
    path("", views.my_record, name="duty-mine"),
    path("print/", views.my_record_print, name="duty-mine-print"),
    path("members/<int:pk>/", views.member_record, name="duty-member"),
    path("members/<int:pk>/print/", views.member_record_print, name="duty-member-print"),
    path("ranking/", views.ranking, name="duty-ranking"),
    path("rules/", views.rules, name="duty-rules"),
    path("recompute/", views.recompute, name="duty-recompute"),
    path("warnings/check/", views.check_warnings, name="duty-check-warnings"),
    path("self-report/", views.my_self_report, name="duty-my-self-report"),
    path("self-reports/", views.self_reports, name="duty-self-reports"),
    path("self-reports/<int:pk>/", views.self_report_detail, name="duty-self-report"),
    path("self-reports/<int:pk>/act/<str:action>/", views.self_report_act,
         name="duty-self-report-act"),
    path("manual/", manual_views.manual_list, name="duty-manual"),
    path("manual/new/", manual_views.manual_create, name="duty-manual-create"),
    path("manual/<int:pk>/edit/", manual_views.manual_edit, name="duty-manual-edit"),
    path("manual/<int:pk>/void/", manual_views.manual_void, name="duty-manual-void"),
    path("manual/<int:pk>/evidence/", manual_views.manual_evidence,
         name="duty-manual-evidence"),
]

"""系统管理 pages, mounted at /manage/ by core/urls.py."""

from django.urls import path

from xieshang.core import admin_views as views

urlpatterns = [
    path("", views.home, name="manage-home"),
    path("audit/", views.audit_list, name="manage-audit"),
    path("audit/export/", views.audit_export, name="manage-audit-export"),
    path("users/", views.user_list, name="manage-users"),
    path("users/new/", views.user_create, name="manage-user-create"),
    path("users/<int:pk>/", views.user_detail, name="manage-user"),
    path("users/<int:pk>/edit/", views.user_edit, name="manage-user-edit"),
    path("users/<int:pk>/roles/grant/", views.role_grant, name="manage-role-grant"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke,
         name="manage-role-revoke"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="manage-user-unlock"),
    path("users/<int:pk>/logout/", views.user_end_sessions, name="manage-user-end-sessions"),
    path("users/<int:pk>/password/", views.user_password, name="manage-user-password"),
    path("users/<int:pk>/mfa/reset/", views.user_mfa_reset, name="manage-user-mfa-reset"),
    path("users/<int:pk>/tokens/<int:token>/revoke/", views.user_token_revoke,
         name="manage-user-token-revoke"),
    path("terms/", views.term_list, name="manage-terms"),
    path("terms/new/", views.term_create, name="manage-term-create"),
    path("terms/<int:pk>/edit/", views.term_edit, name="manage-term-edit"),
    path("terms/<int:term_pk>/sessions/new/", views.session_create,
         name="manage-session-create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="manage-session-edit"),
    path("calendar/", views.calendar_year, name="manage-calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="manage-calendar-year"),
    path("calendar/<int:year>/local/", views.calendar_local_add, name="manage-calendar-add"),
    path("calendar/local/<int:pk>/remove/", views.calendar_local_remove,
         name="manage-calendar-remove"),
    path("calendar/national/", views.calendar_national_import,
         name="manage-calendar-import"),
    path("schedule/", views.schedule_list, name="manage-schedule"),
    path("policy/", views.policy_list, name="manage-policy"),
    path("policy/<str:key>/", views.policy_edit, name="manage-policy-edit"),
    path("policy/<str:key>/clear/", views.policy_clear, name="manage-policy-clear"),
]

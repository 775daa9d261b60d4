from django.urls import path

from xieshang.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("export.xlsx", views.activity_export, name="export"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/status/", views.activity_status, name="status"),
    path("<int:pk>/invite/", views.activity_invite, name="invite"),
    path("<int:pk>/attendance/", views.activity_attendance, name="attendance"),
    path("<int:pk>/attendance/import/", views.attendance_import, name="attendance-import"),
    path("<int:pk>/files/", views.activity_file_add, name="file-add"),
    path("files/<int:pk>/", views.activity_file, name="file"),
    path("<int:pk>/speech/", views.speech_submit, name="speech"),
    path("<int:pk>/suggestions/", views.suggestion_add, name="suggestion-add"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice"),
    path("<int:pk>/sign-in-sheet.docx", views.sign_in_sheet_docx, name="sign-in-sheet"),
    path("<int:pk>/qr/", views.qr_display, name="qr"),
    path("<int:pk>/qr/code/", views.qr_code, name="qr-code"),
    path("<int:pk>/qr/close/", views.qr_close, name="qr-close"),
    path("sign-in/<str:token>/", views.qr_sign_in, name="qr-sign-in"),
    path("invitations/", views.my_invitations, name="my-invitations"),
    path("invitations/<int:pk>/act/<str:action>/", views.invitation_act, name="invitation-act"),
    path("leave/", views.leave_requests, name="leave-requests"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger-export"),
    path("ledger/<int:pk>/<str:action>/", views.suggestion_action, name="suggestion-action"),
    path("plan/", views.plan_page, name="plan"),
    path("plan/<int:pk>/item/", views.plan_item_add, name="plan-item-add"),
    path("plan/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plan/item/<int:pk>/<str:action>/", views.plan_item_action, name="plan-item-action"),
    path("learning/", views.learning, name="learning"),
    path("learning/<int:pk>/", views.material_detail, name="material"),
    path("learning/<int:pk>/file/", views.material_file, name="material-file"),
    path("learning/<int:pk>/read/", views.material_read, name="material-read"),
]

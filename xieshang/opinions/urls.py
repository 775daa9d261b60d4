from django.urls import path

from xieshang.opinions import views

app_name = "opinions"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("submit/", views.submit, name="submit"),
    path("reports/", views.report_list, name="report-list"),
    *[path(f"inbox/{name}/", views.inbox, {"name": name}, name=f"inbox-{name}")
      for name in views.INBOX_TITLES],
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/diff/", views.report_diff, name="report-diff"),
    path("reports/<int:pk>/attach/", views.report_attach, name="report-attach"),
    path("reports/<int:pk>/outcome/", views.report_outcome, name="report-outcome"),
    path("reports/<int:pk>/<slug:action>/", views.report_act, name="report-act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin-create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("bulletins/<int:pk>/file.<slug:fmt>", views.bulletin_file, name="bulletin-file"),
    path("bulletins/<int:pk>/<slug:action>/", views.bulletin_act, name="bulletin-act"),
    path("quota/", views.quota, name="quota"),
    path("correspondents/", views.correspondents, name="correspondents"),
    path("correspondents/<int:pk>/toggle/", views.correspondent_toggle,
         name="correspondent-toggle"),
    path("topics/", views.topic_list, name="topic-list"),
    path("topics/<int:pk>/", views.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/<slug:action>/", views.topic_act, name="topic-act"),
    path("public/<slug:code>/topics/", views.public_topics, name="public-topics"),
    path("public/<slug:code>/topics/track/", views.public_track, name="public-track"),
]

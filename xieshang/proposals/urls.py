from django.urls import path

from xieshang.proposals import views, views_excellent
from xieshang.proposals.selectors import WORKLISTS

urlpatterns = [
    path("", views.proposal_list, name="proposals-home"),
    path("export.xlsx", views.proposal_export, name="proposal-export"),
    path("new/", views.proposal_edit, name="proposal-new"),
    path("similar/", views.proposal_similar, name="proposal-similar"),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("<int:pk>/attachments/<int:att>/", views.attachment_download,
         name="proposal-attachment"),
    path("<int:pk>/attachments/<int:att>/delete/", views.attachment_delete,
         name="proposal-attachment-delete"),
    path("<int:pk>/act/<slug:action>/", views.proposal_act, name="proposal-act"),
    path("<int:pk>/cosign/", views.proposal_cosign, name="proposal-cosign"),
    path("<int:pk>/supervise/", views.proposal_supervise, name="proposal-supervise"),
    path("<int:pk>/documents/<slug:kind>/", views.document, name="proposal-document"),
    path("<int:pk>/documents/<slug:kind>/<int:sub>/", views.document,
         name="proposal-document-sub"),
    path("compilation/<int:session>/", views.compilation, name="proposal-compilation"),
    path("public/<slug:code>/", views.public_list, name="proposal-public"),
    path("public/<slug:code>/excellent/", views_excellent.public_excellent,
         name="proposal-public-excellent"),
    path("excellent/", views_excellent.excellent_list, name="proposal-excellent"),
    path("excellent/<int:year>/decide/", views_excellent.excellent_decide,
         name="proposal-excellent-decide"),
    path("excellent/<int:year>/notice.docx", views_excellent.excellent_notice,
         name="proposal-excellent-notice"),
    path("excellent/certificate/<int:pk>.docx", views_excellent.excellent_certificate,
         name="proposal-excellent-certificate"),
    *[path(f"work/{name.replace('_', '-')}/", views.proposal_list, {"worklist": name},
           name=f"proposals-{name.replace('_', '-')}") for name in WORKLISTS],
]

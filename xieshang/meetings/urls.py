from django.urls import path

from xieshang.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/counts/", views.meeting_counts, name="counts"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("<int:pk>/papers/", views.paper_add, name="paper-add"),
    path("<int:pk>/polls/", views.poll_add, name="poll-add"),
    path("<int:pk>/elections/", views.election_add, name="election-add"),
    path("<int:pk>/speeches/", views.speeches, name="speeches"),
    path("<int:pk>/project/", views.project, name="project"),
    path("<int:pk>/projector/", views.projector, name="projector"),
    path("<int:pk>/projector/panel/", views.projector_panel, name="projector-panel"),
    path("<int:pk>/agenda.docx", views.agenda_docx, name="agenda-docx"),
    path("<int:pk>/speeches.docx", views.speeches_docx, name="speeches-docx"),
    path("<int:pk>/groups/", views.groups, name="groups"),
    path("<int:pk>/groups/fill/", views.groups_fill, name="groups-fill"),
    path("<int:pk>/groups/move/", views.group_move, name="group-move"),
    path("<int:pk>/groups/edit/", views.group_edit, name="group-edit"),
    path("<int:pk>/groups/notes/", views.group_notes, name="group-notes"),
    path("<int:pk>/groups.docx", views.groups_docx, name="groups-docx"),
    path("papers/<int:pk>/", views.paper_detail, name="paper"),
    path("papers/<int:pk>/read/", views.paper_read, name="paper-read"),
    path("items/<int:pk>/speak/", views.speak_request, name="speak"),
    path("speakers/<int:pk>/<str:action>/", views.speaker_action, name="speaker-action"),
    path("polls/<int:pk>/", views.poll_detail, name="poll"),
    path("polls/<int:pk>/vote/", views.vote, name="vote"),
    path("polls/<int:pk>/paper/", views.paper_box, name="paper-box"),
    path("polls/<int:pk>/publish/", views.poll_publish, name="poll-publish"),
    path("elections/<int:pk>/publish/", views.election_publish, name="election-publish"),
    path("papers/<int:pk>/publish/", views.paper_publish, name="paper-publish"),
    path("polls/<int:pk>/act/<str:action>/", views.poll_act, name="poll-act"),
    path("elections/<int:pk>/", views.election_detail, name="election"),
    path("elections/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("elections/<int:pk>/act/<str:action>/", views.election_act, name="election-act"),
    path("elections/<int:pk>/ballot.docx", views.ballot_docx, name="ballot-docx"),
    path("elections/<int:pk>/result.docx", views.result_docx, name="result-docx"),
]
